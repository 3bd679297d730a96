import { describe, expect, it } from 'vitest';
import { GENERIC_LABELS, MODEL_NAMES, canonicalModelName, editDistance, modelNameKey, snapModelName, withGenericLabelSpaces } from '../../lib/engine/model-names';

describe('snapModelName', () => {
  const snaps: [read: string, snapped: string][] = [
    ['Nano Banana', 'Nano Banana'],
    ['NanoBanana Pro', 'Nano Banana Pro'],
    ['nano-banana-pro', 'Nano Banana Pro'],
    ['NANO BANANA 2', 'Nano Banana 2'],
    ['Nano Bamana Pro', 'Nano Banana Pro'],
    ['GPTImage 2', 'GPT Image 2'],
    ['GPT lmage 1', 'GPT Image 1'],
    ['Midjourny v7', 'Midjourney v7'],
    // "rn" read as "m" in small or narrow type: one slip, though two edits letter by letter.
    ['Midjoumey v6', 'Midjourney v6'],
    ['Flux1.1 Pro', 'Flux 1.1 Pro'],
    ['FLUX1.1 [pro]', 'Flux 1.1 Pro'],
    ['Imagen4', 'Imagen 4'],
    ['Seedream 4.0', 'Seedream 4'],
    ['Qwen-Image', 'Qwen Image'],
    ['Ideogram 3.0', 'Ideogram 3'],
    ['DALL-E 3', 'DALL·E 3'],
    ['ＧＰＴ Ｉｍａｇｅ ２', 'GPT Image 2'],
    // A 1 read as an l: the catalogue's name when reading the l as 1 gives exactly one of its spellings.
    ['flux-l-schnell', 'Flux.1 Schnell'],
    ['Flux l Schnell', 'Flux.1 Schnell'],
    ['gpt-image-l', 'GPT Image 1'],
    // A capital I read as an l (one glyph in most sans-serif fonts) in a short word.
    ['HiDream-l1', 'HiDream I1'],
    ['HiDream l1', 'HiDream I1'],
  ];
  it.each(snaps)('%s → %s', (read, snapped) => {
    expect(snapModelName(read)).toBe(snapped);
  });

  // Names that are near a catalogue entry but are not it: kept exactly as read.
  const kept = [
    'Nano Banana 3',
    'GPT Image 3',
    'GPT Image 1.6',
    'Imagen 5',
    'Midjourney v8',
    'Flux 1 Pro',
    'Seedream 5',
    'Nano Banana Pro Max',
    'Banana',
    'Model A',
    'Model B',
    'Before',
    'After',
    'Real photo',
    'Qwen',
    'Recraft V4',
    'Reva',
    'Grok',
    'Nano Banana X',
    // A digit the catalogue does not have is never edited away, even an O read as 0.
    'Nano Banana Pr0',
    // An l that is a 1 nowhere in the catalogue stays an l.
    'Imagen l',
    'Model l',
    '',
  ];
  it.each(kept)('keeps "%s" as read', (read) => {
    expect(snapModelName(read)).toBe(read);
  });

  it('snaps a cut-off word to the nearest name, and does not choose between two equally near ones', () => {
    expect(snapModelName('Nano Banana Pr')).toBe('Nano Banana Pro');
    expect(snapModelName('Nano Bananas')).toBe('Nano Banana');
    // Two edits from both "Flux Kontext Pro" and "Flux Kontext Max".
    expect(snapModelName('Flux Kontext Prax')).toBe('Flux Kontext Prax');
  });
});

describe('canonicalModelName', () => {
  it('groups every spelling under one name and knows nothing else', () => {
    expect(canonicalModelName('nano-banana-pro')).toBe('Nano Banana Pro');
    expect(canonicalModelName('GPT-Image-1')).toBe('GPT Image 1');
    expect(canonicalModelName('Nano Bamana Pro')).toBeNull();
    expect(canonicalModelName('Model A')).toBeNull();
  });

  it('has unique canonical names, and every spelling belongs to one name', () => {
    const canonicals = MODEL_NAMES.map((entry) => entry.canonical);
    expect(new Set(canonicals).size).toBe(canonicals.length);
    const owners = new Map<string, string>();
    for (const entry of MODEL_NAMES) {
      for (const spelling of [entry.canonical, ...entry.spellings]) {
        const owner = owners.get(modelNameKey(spelling));
        expect(owner === undefined || owner === entry.canonical, `${spelling} belongs to two names`).toBe(true);
        owners.set(modelNameKey(spelling), entry.canonical);
      }
    }
  });
});

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['nanobanana', 'nanobananapro', 3],
  ] as const)('%s ↔ %s = %i', (first, second, distance) => {
    expect(editDistance(first, second)).toBe(distance);
  });

  it('stops early past the limit', () => {
    expect(editDistance('abcdefgh', 'zyxwvuts', 2)).toBe(3);
  });
});

describe('withGenericLabelSpaces', () => {
  it.each([
    // The recogniser's lost space between the l and the A (seed 31337 composed-100, seed 2718281 composed-187).
    ['ModelA', 'Model A'],
    ['Model  B', 'Model B'],
    ['OptionB', 'Option B'],
  ])('%j → %j', (read, restored) => {
    expect(withGenericLabelSpaces(read)).toBe(restored);
  });

  it.each(['MODELA', 'modela', 'Model E', 'ModelAB', 'Nano Banana', 'del A'])('leaves %j as read (other letters or another case)', (read) => {
    expect(withGenericLabelSpaces(read)).toBe(read);
  });

  it('names no model: the audit does not group by generic labels', () => {
    for (const label of GENERIC_LABELS) expect(canonicalModelName(label)).toBeNull();
  });
});
