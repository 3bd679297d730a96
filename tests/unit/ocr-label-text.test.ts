import { describe, expect, it } from 'vitest';
import type { CtcDecoding } from '../../lib/engine/ocr/ctc';
import { cleanLabelText, restoreWordGaps, type LineGeometry } from '../../lib/engine/ocr/label-text';

/** One character every `step` frames, starting at frame 0; frame f is read at source x = 8f + 4. */
function decodingOf(text: string, step = 2): CtcDecoding {
  const characters = [...text].map((character, index) => ({ text: character, firstFrame: index * step, lastFrame: index * step, probability: 0.99 }));
  return { text, characters, confidence: 0.99, frames: text.length * step };
}

/** Geometry where one source pixel is one input column and a frame is 8 columns. */
function line(gaps: [number, number][], lineHeight = 40): LineGeometry {
  return { cropX: 0, inputColumnsPerPixel: 1, inputColumnsPerFrame: 8, lineHeight, gaps };
}

/** Narrow gaps (3 px) between all neighbouring characters, wider ones after the given indices. */
function gapsAfter(text: string, wide: Record<number, number>, step = 2): [number, number][] {
  return [...text].slice(0, -1).map((_, index) => {
    const middle = 8 * step * index + 8 * step / 2 + 4;
    const width = wide[index] ?? 3;
    return [Math.round(middle - width / 2), Math.round(middle - width / 2) + width];
  });
}

describe('restoreWordGaps', () => {
  it('puts back a space the model dropped where the image has a word gap', () => {
    expect(restoreWordGaps(decodingOf('GPTImage 2'), line(gapsAfter('GPTImage 2', { 2: 14 })))).toBe('GPT Image 2');
    expect(restoreWordGaps(decodingOf('ModelA'), line(gapsAfter('ModelA', { 4: 15 })))).toBe('Model A');
  });

  it('leaves letter gaps alone', () => {
    expect(restoreWordGaps(decodingOf('ChatGPT'), line(gapsAfter('ChatGPT', {})))).toBe('ChatGPT');
  });

  it('leaves a space the model read', () => {
    expect(restoreWordGaps(decodingOf('Nano Banana'), line(gapsAfter('Nano Banana', { 3: 14, 4: 14 })))).toBe('Nano Banana');
  });

  it('does not take small letter gaps for word gaps when letter gaps are 1-2 px (small text)', () => {
    // "AtlasRender" at an 11 px line: letter gaps of 1 and 2 px, one 5 px word gap after "Atlas".
    const gaps = gapsAfter('AtlasRender', { 0: 1, 1: 1, 2: 1, 3: 1, 4: 5, 5: 1, 6: 2, 7: 1, 8: 1, 9: 2 });
    expect(restoreWordGaps(decodingOf('AtlasRender'), line(gaps, 11))).toBe('Atlas Render');
  });

  it('adds spaces only between Latin letters and digits', () => {
    expect(restoreWordGaps(decodingOf('通义万相'), line(gapsAfter('通义万相', { 1: 14 })))).toBe('通义万相');
  });

  it('needs a wider gap when there are too few gaps for a median', () => {
    // 0.3 × 40 = 12 px: a 10 px gap is not a word gap, a 13 px one is.
    expect(restoreWordGaps(decodingOf('AB'), line([[8, 18]]))).toBe('AB');
    expect(restoreWordGaps(decodingOf('AB'), line([[8, 21]]))).toBe('A B');
  });
});

describe('cleanLabelText', () => {
  it.each([
    ['  Nano Banana ', 'Nano Banana'],
    ['Nano  \t Banana\nPro', 'Nano Banana Pro'],
    ['ＧＰＴ\u3000Ｉｍａｇｅ　２', 'GPT Image 2'],
    ['', ''],
  ])('%j → %j', (raw, clean) => {
    expect(cleanLabelText(raw)).toBe(clean);
  });
});
