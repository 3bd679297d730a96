import { describe, expect, it } from 'vitest';
import { labelsFromText } from '../../lib/engine/ocr/post-text';

describe('labelsFromText', () => {
  const parsed: [text: string, labels: [string, string]][] = [
    ['Nano Banana 2 vs Nano Banana Pro', ['Nano Banana 2', 'Nano Banana Pro']],
    ['nano banana 2 vs. nano banana pro', ['Nano Banana 2', 'Nano Banana Pro']],
    ['Same prompt: Nano Banana vs Nano Banana Pro. Which one wins?', ['Nano Banana', 'Nano Banana Pro']],
    ['I tested GPT Image 1 versus Imagen 4 on portraits', ['GPT Image 1', 'Imagen 4']],
    ['Flux 1.1 Pro vs Midjourney v7 (same seed)', ['Flux 1.1 Pro', 'Midjourney v7']],
    ['Model A vs Model B', ['Model A', 'Model B']],
    ['#NanoBanana vs #GPTImage1', ['Nano Banana', 'GPT Image 1']],
    ['left: Nano Banana 2, right: Nano Banana Pro', ['Nano Banana 2', 'Nano Banana Pro']],
    ['Left - Imagen 4 / Right - Seedream 4.0', ['Imagen 4', 'Seedream 4']],
    ['right: GPT Image 1; left: Qwen Image', ['Qwen Image', 'GPT Image 1']],
    ['Top: Midjourney v7\nBottom: Flux 1.1 Pro', ['Midjourney v7', 'Flux 1.1 Pro']],
    ['Nano Banana Pro on the left and GPT Image 1 on the right', ['Nano Banana Pro', 'GPT Image 1']],
    ['Ideogram 3 (left) vs Recraft V3 (right)', ['Ideogram 3', 'Recraft V3']],
    ['Ｎａｎｏ Ｂａｎａｎａ ｖｓ ＧＰＴ Ｉｍａｇｅ ２', ['Nano Banana', 'GPT Image 2']],
  ];
  it.each(parsed)('%j', (text, labels) => {
    expect(labelsFromText(text)).toEqual(labels);
  });

  const unparsed = [
    '',
    'A lovely portrait made with Nano Banana Pro',
    'Nano Banana vs Nano Banana',
    'Which is better, the first or the second?',
    'Nano Banana vs GPT Image 1 vs Imagen 4',
    'So after a long weekend of testing my new prompt collection vs the old style guide I wrote',
    'left: Nano Banana',
  ];
  it.each(unparsed)('finds no labels in %j', (text) => {
    expect(labelsFromText(text)).toBeNull();
  });
});
