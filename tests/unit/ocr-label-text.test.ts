import { describe, expect, it } from 'vitest';
import type { CtcDecoding } from '../../lib/engine/ocr/ctc';
import { catalogueNameWithLetters, cleanLabelText, restoreInitialI, restoreLetterCase, restoreLetterI, restoreLetterO, restoreWordGaps, withoutStrayMarks, type LineGeometry } from '../../lib/engine/ocr/label-text';
import type { Box } from '../../lib/engine/types';

/** One character every `step` frames, starting at frame 0; frame f is read at source x = 8f + 4. */
function decodingOf(text: string, step = 2): CtcDecoding {
  const characters = [...text].map((character, index) => ({ text: character, firstFrame: index * step, lastFrame: index * step, probability: 0.99 }));
  return { text, characters, confidence: 0.99, frames: text.length * step };
}

/** Geometry where one source pixel is one input column and a frame is 8 columns. */
function line(gaps: [number, number][], lineHeight = 40): LineGeometry {
  return { cropX: 0, inputColumnsPerPixel: 1, inputColumnsPerFrame: 8, lineHeight, gaps, glyphs: [] };
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

/** `decodingOf(text)` with the model's space probability before each character (0.0005 where not given). */
function withSpaceDoubt(text: string, doubts: Record<number, number>): CtcDecoding {
  const decoding = decodingOf(text);
  return { ...decoding, characters: decoding.characters.map((character, index) => ({ ...character, spaceBefore: index === 0 ? 0 : (doubts[index] ?? 0.0005) })) };
}

describe('restoreWordGaps with the model’s space probabilities', () => {
  it('keeps a wide letter gap where the model ruled a space out (a monospaced "dr": "Seedream")', () => {
    // Letter gaps of 2 px, one of 6 px between d and r, the word gap of 17 px the model read: threshold max(3.4, 5, 4.5) = 5.
    const gaps = gapsAfter('Seedream 4', { 0: 2, 1: 2, 2: 2, 3: 6, 4: 2, 5: 2, 6: 2, 7: 17, 8: 17 });
    expect(restoreWordGaps(withSpaceDoubt('Seedream 4', { 8: 0.89, 9: 0.97 }), line(gaps, 19))).toBe('Seedream 4');
  });

  it('puts back a space the model half saw in a gap narrower than the threshold but word-sized for the line ("ModelA")', () => {
    // Letter gaps of 2-3 px and 7 px before the slanted A: under max(4.5, 7.5, 5.5) = 7.5 px, over 0.18 of the 25 px line.
    const gaps = gapsAfter('ModelA', { 0: 2, 1: 2, 2: 3, 3: 3, 4: 7 });
    expect(restoreWordGaps(withSpaceDoubt('ModelA', { 5: 0.17 }), line(gaps, 25))).toBe('Model A');
    // Without the model's doubt the gap stays a letter gap; with it, a letter-sized gap does too.
    expect(restoreWordGaps(withSpaceDoubt('ModelA', {}), line(gaps, 25))).toBe('ModelA');
    expect(restoreWordGaps(withSpaceDoubt('ModelA', { 3: 0.5 }), line(gaps, 25))).toBe('ModelA');
  });
});

describe('restoreLetterO', () => {
  it.each([
    ['0ld', 'Old'],
    ['M0DEL B', 'MODEL B'],
    ['Ph0ton 3', 'Photon 3'],
    ['Seedream 3.0', 'Seedream 3.0'],
    ['Midjourney v10', 'Midjourney v10'],
    ['GPT-40', 'GPT-40'],
    ['00', '00'],
    // A 1 between a letter (or an O read as 0) and a lower-case letter is an l; at a word's end or start it stays.
    ['01d', 'Old'],
    ['O1d', 'Old'],
    ['Aurora v1', 'Aurora v1'],
    ['1st', '1st'],
    ['HiDream I1', 'HiDream I1'],
    ['Flux.1 Dev', 'Flux.1 Dev'],
  ])('%j → %j', (read, restored) => {
    expect(restoreLetterO(read)).toBe(restored);
  });
});

describe('restoreInitialI', () => {
  it.each([
    ['Orca lmage', 'Orca Image'],
    ['ldeogram 3', 'Ideogram 3'],
    ['lmagen 4 Ultra', 'Imagen 4 Ultra'],
    // Words an l may begin: before a vowel, another l or a y; and runs of letters with no vowel, which are no words.
    ['lumen 5', 'lumen 5'],
    ['llama 3', 'llama 3'],
    ['lyra', 'lyra'],
    ['lcm-lora', 'lcm-lora'],
    ['ltx-video', 'ltx-video'],
    // Only a word's first letter, and only before lower-case letters.
    ['Kestrel XL', 'Kestrel XL'],
    ['lMAGE', 'lMAGE'],
    ['lmage2', 'lmage2'],
  ])('%j → %j', (read, restored) => {
    expect(restoreInitialI(read)).toBe(restored);
  });
});

describe('catalogueNameWithLetters', () => {
  it.each([
    ['HiDream 11', 'HiDream I1'],
    ['GPT-40', 'GPT-4o'],
    ['gpt40', 'GPT-4o'],
  ])('%j → %j (a 0 or 1 the model read for an O, I or l)', (read, name) => {
    expect(catalogueNameWithLetters(read)).toBe(name);
  });

  it.each(['HiDream I1', 'Seedream 3.0', 'GPT Image 1', 'Flux 1.1 Pro', 'Imagen 10', 'Model 1', 'Old', ''])('leaves %j alone (already a name, or no name with letters for its digits)', (read) => {
    expect(catalogueNameWithLetters(read)).toBeNull();
  });
});

/**
 * Glyphs under `decodingOf(text)`'s characters (character i is read at x = 16i + 4): one 10 px
 * wide box per character standing from `tops[i]` to the baseline at y = 40, none where the top is null.
 */
function glyphsOf(tops: (number | null)[]): Box[] {
  return tops.flatMap((top, index): Box[] => (top === null ? [] : [[16 * index, top, 10, 40 - top]]));
}

function caseLine(tops: (number | null)[]): LineGeometry {
  return { cropX: 0, inputColumnsPerPixel: 1, inputColumnsPerFrame: 8, lineHeight: 32, gaps: [], glyphs: glyphsOf(tops) };
}

// Tall letters stand 32 px above the baseline (top 8), capitals 30 px (top 10), x-height letters 20 px (top 20).
describe('restoreLetterCase', () => {
  it('makes a round letter as tall as the ascenders upper case ("old" → "Old")', () => {
    expect(restoreLetterCase(decodingOf('old'), caseLine([10, 8, 8])).text).toBe('Old');
  });

  it('measures the tall letters on a glyph they share ("ld" touching in a bold face)', () => {
    // Liberation Sans Narrow Bold at 24 px (seed 120, composed-198): the O alone, then l and d as one piece of ink.
    const touching: LineGeometry = { ...caseLine([]), glyphs: [[0, 10, 10, 30], [16, 8, 26, 32]] };
    expect(restoreLetterCase(decodingOf('old'), touching).text).toBe('Old');
  });

  it('reads a round capital whose faint top and bottom rows fell under the ink threshold as upper case', () => {
    // An O of Liberation Mono Bold 37 px measured 24 px beside an l of 27 and a d of 28 (seed 13579, composed-78).
    expect(restoreLetterCase(decodingOf('old'), caseLine([16, 13, 12])).text).toBe('Old');
  });

  it('makes letters of x-height lower case, and leaves those that are right', () => {
    expect(restoreLetterCase(decodingOf('MOdel'), caseLine([10, 20, 8, 20, 8])).text).toBe('Model');
    expect(restoreLetterCase(decodingOf('SDXL'), caseLine([10, 10, 10, 10])).text).toBe('SDXL');
    expect(restoreLetterCase(decodingOf('Aurora v2'), caseLine([10, 20, 20, 20, 20, 20, null, 20, 10])).text).toBe('Aurora v2');
  });

  it('judges by the line’s own x-height where it has letters that are lower case in every font', () => {
    // Liberation Mono Bold at 15 px capitals: x-height 13 px, 0.87 of the A (seed 777, composed-168): "AurOra V2" by share alone.
    expect(restoreLetterCase(decodingOf('Aurora v2'), caseLine([25, 27, 27, 27, 27, 27, null, 27, 25])).text).toBe('Aurora v2');
    // An o as tall as the line's tall letters stays upper case beside x-height letters.
    expect(restoreLetterCase(decodingOf('old new'), caseLine([25, 25, 25, null, 27, 27, 27])).text).toBe('Old new');
    // x-height and tall letters a pixel apart: nothing is changed.
    expect(restoreLetterCase(decodingOf('AurOra V2'), caseLine([29, 30, 30, 30, 30, 30, null, 30, 29])).text).toBe('AurOra V2');
  });

  it('reads a 0 of x-height beside a tall digit as an o ("GPT-40" → "GPT-4o")', () => {
    expect(restoreLetterCase(decodingOf('GPT-40'), caseLine([10, 10, 10, null, 10, 20])).text).toBe('GPT-4o');
  });

  it('leaves a 0 alone where the digits are old-style figures (x-height) or stand as tall as it', () => {
    expect(restoreLetterCase(decodingOf('GPT-40'), caseLine([10, 10, 10, null, 20, 20])).text).toBe('GPT-40');
    expect(restoreLetterCase(decodingOf('Flux 10'), caseLine([10, 8, 20, 20, null, 10, 10])).text).toBe('Flux 10');
  });

  it('leaves a 0 after a decimal point alone, however short its glyph ("Seedream 3.0" stays)', () => {
    // Liberation Mono Bold's 0 on a JPEG'd pill measured no taller than the line's lower-case letters (seed 5150, composed-83).
    expect(restoreLetterCase(decodingOf('Seedream 3.0'), caseLine([10, 20, 20, 8, 20, 20, 20, 20, null, 10, null, 20])).text).toBe('Seedream 3.0');
  });

  it('changes nothing without a tall letter to measure by, in tiny text, or where letters share a glyph', () => {
    expect(restoreLetterCase(decodingOf('xo'), caseLine([10, 10])).text).toBe('xo');
    // Tall letters 7 px above the baseline (top 33): a pixel of quantisation blurs x-height and caps.
    expect(restoreLetterCase(decodingOf('old'), caseLine([34, 33, 33])).text).toBe('old');
    // "ol" merged into one piece of ink: the piece's height says nothing about the o.
    const merged: LineGeometry = { ...caseLine([]), glyphs: [[0, 8, 26, 32], [32, 8, 10, 32]] };
    expect(restoreLetterCase(decodingOf('old'), merged).text).toBe('old');
  });
});

/** Glyphs 32 px tall under `decodingOf(text)`'s characters, each `widths[i]` wide and centred on x = 16i + 4; none where null. */
function stemLine(widths: (number | null)[]): LineGeometry {
  const glyphs = widths.flatMap((width, index): Box[] => (width === null ? [] : [[Math.round(16 * index + 4 - width / 2), 8, width, 32]]));
  return { cropX: 0, inputColumnsPerPixel: 1, inputColumnsPerFrame: 8, lineHeight: 32, gaps: [], glyphs };
}

describe('restoreLetterI', () => {
  it('reads a bare stem read as 1 as an I when the line’s other 1 has its flag ("HiDream 11" → "HiDream I1")', () => {
    expect(restoreLetterI(decodingOf('HiDream 11'), stemLine([20, 6, 20, 16, 16, 16, 24, null, 6, 16])).text).toBe('HiDream I1');
  });

  it('leaves the 1s alone where they all look alike or where there is no other 1 to compare', () => {
    // A font whose 1 is a bare stem: every 1 of the line is one.
    expect(restoreLetterI(decodingOf('Flux 11'), stemLine([16, 6, 16, 16, null, 6, 6])).text).toBe('Flux 11');
    expect(restoreLetterI(decodingOf('Flux 11'), stemLine([16, 6, 16, 16, null, 16, 16])).text).toBe('Flux 11');
    expect(restoreLetterI(decodingOf('Flux.1'), stemLine([16, 6, 16, 16, 4, 6])).text).toBe('Flux.1');
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

describe('withoutStrayMarks', () => {
  it.each([
    ['—Old', 'Old'],
    ['Kestrel XL·', 'Kestrel XL'],
    ['- Model A :', 'Model A'],
    ['“Nano Banana”', 'Nano Banana'],
    // Marks inside a name are part of it.
    ['DALL·E 3', 'DALL·E 3'],
    ['Flux.1 Schnell', 'Flux.1 Schnell'],
    ['GPT-4o', 'GPT-4o'],
    // Brackets, plus signs and letters at the ends stay.
    ['FLUX1.1 [pro]', 'FLUX1.1 [pro]'],
    ['Pro+', 'Pro+'],
    ['·', ''],
  ])('%j → %j', (raw, trimmed) => {
    expect(withoutStrayMarks(raw)).toBe(trimmed);
  });
});
