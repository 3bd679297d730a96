import { describe, expect, it } from 'vitest';
import { UNRELATED_PICTURES } from '../../lib/engine/result';
import { PAIR_MAX_HEIGHT, modelFromFileName, pairCaption, pairLayout, pairNotComparisonReason } from '../../lib/library/pair';

describe('a pair of pictures as one card', () => {
  it.each([
    ['same size', { width: 800, height: 600 }, { width: 800, height: 600 }, { height: 600, widths: [800, 800], gutter: 18, width: 1618 }],
    ['the taller one is scaled down to the shorter', { width: 512, height: 512 }, { width: 1024, height: 768 }, { height: 512, widths: [512, 683], gutter: 15, width: 1210 }],
    ['large photos are capped, never enlarged', { width: 3000, height: 4000 }, { width: 3000, height: 4000 }, { height: PAIR_MAX_HEIGHT, widths: [768, 768], gutter: 31, width: 1567 }],
    ['a small pair keeps a visible gutter', { width: 120, height: 100 }, { width: 90, height: 100 }, { height: 100, widths: [120, 90], gutter: 8, width: 218 }],
  ])('%s', (_name, first, second, expected) => {
    expect(pairLayout(first, second)).toEqual(expected);
  });

  it('labels panels from file names only when both name known models', () => {
    expect(modelFromFileName('nano-banana-pro.png')).toBe('Nano Banana Pro');
    expect(modelFromFileName('GPT_Image_1.jpeg')).toBe('GPT Image 1');
    expect(modelFromFileName('IMG_2041.jpg')).toBeNull();
    expect(pairCaption('nano-banana.webp', 'gpt-image-1.png')).toBe('Nano Banana vs GPT Image 1');
    expect(pairCaption('nano-banana.webp', 'IMG_2041.jpg')).toBeNull();
    expect(pairCaption('nano-banana.webp', 'NanoBanana.png')).toBeNull();
  });

  it.each([
    ['unrelated-pictures', /different scenes.*file names do not name two models/],
    ['too-small', /one of the pictures is too small/],
    ['extreme-aspect', /one of the pictures is too long and thin/],
    ['uniform', /one of the pictures is nearly blank/],
  ] as const)('says in words why two files are no comparison: %s', (reason, expected) => {
    expect(pairNotComparisonReason({ reason, verdict: { winner: null, summary: UNRELATED_PICTURES } })).toMatch(expected);
  });
});
