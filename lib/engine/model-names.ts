/**
 * The one catalogue of image-model names and their spellings. OCR snaps near-misses to it and
 * the library's audit groups results by it, so a model's wins never split between spellings.
 * It corrects what was read; it never supplies a name that was not (nearly) there.
 */

export interface ModelName {
  /** How Sidelight writes the name. */
  canonical: string;
  /** Other ways cards and posts write the same name, same version digits (case, spaces and punctuation are ignored anyway). */
  spellings: readonly string[];
}

export const MODEL_NAMES: readonly ModelName[] = [
  { canonical: 'Nano Banana', spellings: ['NanoBanana', 'nano-banana', 'Nano-Banana'] },
  { canonical: 'Nano Banana Pro', spellings: ['NanoBanana Pro', 'nano-banana-pro', 'Nano Banana-Pro'] },
  { canonical: 'Nano Banana 2', spellings: ['NanoBanana 2', 'nano-banana-2'] },
  { canonical: 'GPT Image 1', spellings: ['gpt-image-1', 'GPT-Image-1', 'GPTImage 1'] },
  { canonical: 'GPT Image 1 Mini', spellings: ['gpt-image-1-mini'] },
  { canonical: 'GPT Image 1.5', spellings: ['gpt-image-1.5', 'GPT-Image-1.5'] },
  { canonical: 'GPT Image 2', spellings: ['gpt-image-2', 'GPT-Image-2'] },
  { canonical: 'GPT-4o', spellings: ['GPT 4o', 'gpt4o'] },
  { canonical: 'DALL·E 3', spellings: ['DALL-E 3', 'Dall-E 3', 'DALLE 3', 'dall-e-3'] },
  { canonical: 'Midjourney v6', spellings: ['Midjourney V6', 'MJ v6', 'Midjourney 6'] },
  { canonical: 'Midjourney v6.1', spellings: ['Midjourney V6.1', 'MJ v6.1', 'Midjourney 6.1'] },
  { canonical: 'Midjourney v7', spellings: ['Midjourney V7', 'MJ v7', 'Midjourney 7'] },
  { canonical: 'Flux.1 Dev', spellings: ['FLUX.1 [dev]', 'Flux 1 Dev', 'flux-1-dev'] },
  { canonical: 'Flux.1 Schnell', spellings: ['FLUX.1 [schnell]', 'Flux 1 Schnell', 'flux-1-schnell'] },
  { canonical: 'Flux 1.1 Pro', spellings: ['FLUX1.1 [pro]', 'FLUX 1.1 [pro]', 'flux-1.1-pro', 'Flux1.1 Pro'] },
  { canonical: 'Flux 1.1 Pro Ultra', spellings: ['FLUX1.1 [pro] Ultra', 'flux-1.1-pro-ultra'] },
  { canonical: 'Flux Kontext Pro', spellings: ['FLUX.1 Kontext [pro]', 'flux-kontext-pro'] },
  { canonical: 'Flux Kontext Max', spellings: ['FLUX.1 Kontext [max]', 'flux-kontext-max'] },
  { canonical: 'Flux 2 Pro', spellings: ['FLUX.2 [pro]', 'Flux.2 Pro', 'flux-2-pro'] },
  { canonical: 'Flux 2 Dev', spellings: ['FLUX.2 [dev]', 'Flux.2 Dev', 'flux-2-dev'] },
  { canonical: 'Imagen 3', spellings: ['imagen-3', 'Imagen3'] },
  { canonical: 'Imagen 4', spellings: ['imagen-4', 'Imagen4'] },
  { canonical: 'Imagen 4 Ultra', spellings: ['imagen-4-ultra', 'Imagen4 Ultra'] },
  { canonical: 'Seedream 3', spellings: ['Seedream 3.0', 'seedream-3'] },
  { canonical: 'Seedream 4', spellings: ['Seedream 4.0', 'seedream-4'] },
  { canonical: 'Seedream 4.5', spellings: ['seedream-4.5'] },
  { canonical: 'Qwen Image', spellings: ['Qwen-Image', 'QwenImage'] },
  { canonical: 'Qwen Image Edit', spellings: ['Qwen-Image-Edit', 'QwenImage Edit'] },
  { canonical: 'Ideogram 2', spellings: ['Ideogram 2.0', 'ideogram-2'] },
  { canonical: 'Ideogram 3', spellings: ['Ideogram 3.0', 'ideogram-3'] },
  { canonical: 'Recraft V3', spellings: ['Recraft v3', 'recraft-v3'] },
  { canonical: 'Stable Diffusion 3.5', spellings: ['SD 3.5', 'SD3.5', 'stable-diffusion-3.5'] },
  { canonical: 'SDXL', spellings: ['Stable Diffusion XL', 'SD XL'] },
  { canonical: 'HiDream I1', spellings: ['HiDream-I1'] },
  { canonical: 'Hunyuan Image 3', spellings: ['HunyuanImage 3.0', 'Hunyuan Image 3.0', 'HunyuanImage-3.0'] },
  { canonical: 'Reve', spellings: ['Reve Image'] },
  { canonical: 'Grok Imagine', spellings: ['grok-imagine'] },
  { canonical: 'Firefly Image 4', spellings: ['Adobe Firefly Image 4', 'Firefly 4'] },
];

/**
 * Labels cards give panels instead of a model's name. They are no models (the audit does not group
 * by them); OCR only puts back the spaces the recogniser lost in them ("ModelA" is "Model A").
 */
export const GENERIC_LABELS: readonly string[] = ['Model A', 'Model B', 'Model C', 'Model D', 'Image A', 'Image B', 'Option A', 'Option B', 'Version A', 'Version B'];

const GENERIC_BY_LETTERS = new Map(GENERIC_LABELS.map((label) => [label.replace(/\s+/g, ''), label]));

/** The generic label `text` is with its spaces lost (same letters, same case), else `text` as read. */
export function withGenericLabelSpaces(text: string): string {
  return GENERIC_BY_LETTERS.get(text.replace(/\s+/g, '')) ?? text;
}

/** Case, spaces, punctuation and full-width forms ignored: "NanoBanana-Pro" and "Nano Banana Pro" share a key. */
export function modelNameKey(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

const CANONICAL_BY_KEY = new Map<string, string>();
for (const entry of MODEL_NAMES) {
  for (const spelling of [entry.canonical, ...entry.spellings]) CANONICAL_BY_KEY.set(modelNameKey(spelling), entry.canonical);
}

/** The catalogue's name for `text` when it is a known spelling, else null (for grouping results). */
export function canonicalModelName(text: string): string | null {
  return CANONICAL_BY_KEY.get(modelNameKey(text)) ?? null;
}

/** Edits allowed for a key of this length: none under 6 characters, one up to 11, two from 12. */
function allowedEdits(keyLength: number): number {
  if (keyLength < 6) return 0;
  return keyLength < 12 ? 1 : 2;
}

const digitsOf = (key: string) => key.replace(/\D+/g, '');
/** "rn" and "m" drawn small look alike: compared as one. */
const withRnAsM = (key: string) => key.replace(/rn/g, 'm');
/** A capital I and a lower-case l are one glyph in most sans-serif fonts: "l1" may be "I1". */
const sameGlyphs = (word: string) => word.replace(/l/g, 'i');
const wordsOf = (text: string) => text.normalize('NFKC').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);

interface Spelling {
  key: string;
  canonical: string;
  words: ReadonlySet<string>;
}

const SPELLINGS: readonly Spelling[] = MODEL_NAMES.flatMap((entry) =>
  [entry.canonical, ...entry.spellings].map((spelling) => ({ key: modelNameKey(spelling), canonical: entry.canonical, words: new Set(wordsOf(spelling)) })),
);

/**
 * The catalogue's name for a label read by OCR: an exact spelling, or the single nearest
 * spelling within a small edit distance that has the same version digits ("GPT Image 3" is never
 * "GPT Image 2") and a word starting with every one- or two-character word of the text ("Nano
 * Banana X" is not "Nano Banana", "Nano Banana Pr" is "Nano Banana Pro"; an l there may stand
 * for an I, "HiDream-l1" is "HiDream I1"). Anything else comes back as read.
 */
export function snapModelName(text: string): string {
  const key = modelNameKey(text);
  if (key.length === 0) return text;
  const exact = CANONICAL_BY_KEY.get(key) ?? oneReadAsLetter(key);
  if (exact) return exact;
  const budget = allowedEdits(key.length);
  if (budget === 0) return text;
  const shortWords = wordsOf(text).filter((word) => word.length <= 2);
  let best: { canonical: string; distance: number } | null = null;
  let tied = false;
  for (const spelling of SPELLINGS) {
    if (digitsOf(spelling.key) !== digitsOf(key) || Math.abs(spelling.key.length - key.length) > budget) continue;
    if (!shortWords.every((word) => [...spelling.words].some((known) => sameGlyphs(known).startsWith(sameGlyphs(word))))) continue;
    // OCR reads "rn" as "m" in narrow and small type ("Midjoumey"): that pair is one edit, not two.
    const distance = Math.min(editDistance(key, spelling.key, budget), editDistance(withRnAsM(key), withRnAsM(spelling.key), budget));
    if (distance > budget || distance > allowedEdits(spelling.key.length)) continue;
    if (!best || distance < best.distance) {
      best = { canonical: spelling.canonical, distance };
      tied = false;
    } else if (distance === best.distance && spelling.canonical !== best.canonical) {
      tied = true;
    }
  }
  return best && !tied ? best.canonical : text;
}

/** Most letters l (or i) in a key tried as the digit 1 they may have been read from. */
const MAX_CONFUSABLE_LETTERS = 6;

/**
 * The catalogue's name when reading some of the key's letters l or i as the digit 1 gives
 * exactly one of its spellings ("flux-l-schnell", "Flux l Schnell"): OCR takes a 1 for an l
 * often. Only that way round: a digit read is never turned into a letter.
 */
function oneReadAsLetter(key: string): string | null {
  const positions = [...key].flatMap((character, index) => (character === 'l' || character === 'i' ? [index] : []));
  if (positions.length === 0 || positions.length > MAX_CONFUSABLE_LETTERS) return null;
  const found = new Set<string>();
  for (let mask = 1; mask < 1 << positions.length; mask++) {
    const characters = [...key];
    positions.forEach((position, bit) => {
      if (mask & (1 << bit)) characters[position] = '1';
    });
    const canonical = CANONICAL_BY_KEY.get(characters.join(''));
    if (canonical) found.add(canonical);
  }
  return found.size === 1 ? ([...found][0] ?? null) : null;
}

/** Levenshtein distance, giving up (returning limit + 1) once it must exceed `limit`. */
export function editDistance(first: string, second: string, limit = Number.POSITIVE_INFINITY): number {
  let previous = Array.from({ length: second.length + 1 }, (_, index) => index);
  for (let row = 1; row <= first.length; row++) {
    const current = [row];
    let rowMinimum = row;
    for (let column = 1; column <= second.length; column++) {
      const substitution = (previous[column - 1] ?? 0) + (first[row - 1] === second[column - 1] ? 0 : 1);
      const value = Math.min((previous[column] ?? 0) + 1, (current[column - 1] ?? 0) + 1, substitution);
      current.push(value);
      rowMinimum = Math.min(rowMinimum, value);
    }
    if (rowMinimum > limit) return limit + 1;
    previous = current;
  }
  return previous[second.length] ?? 0;
}
