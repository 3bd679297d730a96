/** From decoded characters to label text: letter case and spaces the model got wrong between Latin words, NFKC, trimming. */
import type { Box } from '../types';
import { canonicalModelName, modelNameKey } from '../model-names';
import type { CtcDecoding, DecodedCharacter } from './ctc';

/** Where the decoded line sits in the source image, to map model frames back to pixels. */
export interface LineGeometry {
  /** Source x of the recognition crop's left edge. */
  cropX: number;
  /** Model input columns per source pixel (resize and stretch together). */
  inputColumnsPerPixel: number;
  /** Model input columns per output frame (the recogniser's horizontal downsampling). */
  inputColumnsPerFrame: number;
  /** Text line height in source pixels. */
  lineHeight: number;
  /** Glyph-free column runs inside the line, source x [start, end). */
  gaps: readonly (readonly [number, number])[];
  /** The line's glyphs, source boxes. */
  glyphs: readonly Box[];
}

/** A gap is a word gap when at least this share of the line height... */
const WORD_GAP_LINE_SHARE = 0.18;
/** ...and this many times the line's median gap (most gaps are between letters)... */
const WORD_GAP_MEDIAN_FACTOR = 2.5;
/** ...and this many pixels wider than it: at small sizes letter gaps of 1 and 2 px differ by quantisation alone. */
const WORD_GAP_MEDIAN_MARGIN_PX = 2;
/** With too few gaps for a median, a word gap is at least this share of the line height. */
const WORD_GAP_LINE_SHARE_ALONE = 0.3;
/** A wide gap where the model gave a space less than this probability is a wide letter gap (monospaced fonts)... */
const MIN_SPACE_DOUBT = 0.01;
/** ...and a word-sized gap where it gave a space at least this much is a word gap it half read. */
const SPACE_HINT = 0.1;
const LATIN_OR_DIGIT = /^[A-Za-z0-9]$/;

/**
 * The decoded text with a space inserted between two Latin letters or digits wherever the
 * image shows a word-sized gap between them that the model read as no space ("GPTImage 2").
 */
export function restoreWordGaps(decoding: CtcDecoding, line: LineGeometry): string {
  const threshold = wordGapThreshold(line);
  const frameToSourceX = sourceXOfFrame(line);
  let text = '';
  decoding.characters.forEach((character, index) => {
    const previous = decoding.characters[index - 1];
    if (previous && LATIN_OR_DIGIT.test(previous.text) && LATIN_OR_DIGIT.test(character.text)) {
      const from = frameToSourceX(previous.lastFrame);
      const to = frameToSourceX(character.firstFrame);
      const widest = Math.max(0, ...line.gaps.filter(([start, end]) => (start + end) / 2 >= from && (start + end) / 2 <= to).map(([start, end]) => end - start));
      if (isWordGap(widest, threshold, line.lineHeight, character.spaceBefore)) text += ' ';
    }
    text += character.text;
  });
  return text;
}

/**
 * A gap wide enough for a word gap is one unless the model ruled a space out there (a monospaced
 * r stands well clear of the d before it: "Seedream"); a narrower one still word-sized for the
 * line is one when the model half saw a space there (the l and the slanted A of "ModelA").
 */
function isWordGap(widest: number, threshold: number, lineHeight: number, spaceBefore: number | undefined): boolean {
  if (spaceBefore === undefined) return widest >= threshold;
  if (widest >= threshold) return spaceBefore >= MIN_SPACE_DOUBT;
  return spaceBefore >= SPACE_HINT && widest >= lineHeight * WORD_GAP_LINE_SHARE;
}

function wordGapThreshold(line: LineGeometry): number {
  const widths = line.gaps.map(([start, end]) => end - start).sort((a, b) => a - b);
  if (widths.length < 3) return line.lineHeight * WORD_GAP_LINE_SHARE_ALONE;
  const median = widths[Math.floor(widths.length / 2)] ?? 0;
  return Math.max(line.lineHeight * WORD_GAP_LINE_SHARE, median * WORD_GAP_MEDIAN_FACTOR, median + WORD_GAP_MEDIAN_MARGIN_PX + 0.5);
}

/**
 * A 0 in a word of Latin letters is the letter O the model took for a digit ("0ld" is "Old"):
 * upper case at the start of a word or among capitals, else lower case. Before that, a 1 between
 * a letter (or such a 0) and a lower-case letter is the letter l ("01d", "O1d" are "Old"); a 1 at
 * either end of a word ("v1", "1st") stays. Words with any other digit ("3.0", "v10", "o3") are
 * left alone.
 */
export function restoreLetterO(text: string): string {
  return text.replace(/[A-Za-z0-9]+/g, (read) => {
    const word = read.replace(/(?<=[A-Za-z0])1(?=[a-z])/g, 'l');
    if (!word.includes('0') || /[1-9]/.test(word) || !/[A-Za-z]/.test(word)) return word;
    const capitals = !/[a-z]/.test(word);
    return [...word].map((character, index) => (character !== '0' ? character : index === 0 || capitals ? 'O' : 'o')).join('');
  });
}

/**
 * An l that begins a word of lower-case letters before a consonant other than l or y is the capital
 * I, its bare stem the same glyph in most sans-serif and many serif faces ("Orca lmage" is "Orca
 * Image", "ldeogram" is "Ideogram"): no English word begins so. Words without a vowel after the
 * two ("lcm", "ltx") are letters, not words, and stay.
 */
export function restoreInitialI(text: string): string {
  return text.replace(/(?<![A-Za-z0-9])l(?=[bcdfghjkmnpqrstvwxz][a-z]*[aeiou][a-z]*(?![A-Za-z0-9]))/g, 'I');
}

/**
 * A line read without the marks that stand at either end of it: no model name begins or ends with
 * a dash, dot, colon or quote, and a speck of the picture or a bar's rounded corner beside the text
 * is read as one ("—Old", "Kestrel XL·"). Marks inside the line stay ("DALL·E 3", "Flux.1").
 */
export function withoutStrayMarks(text: string): string {
  return text.replace(STRAY_MARKS_AT_ENDS, '');
}

const STRAY_MARKS_AT_ENDS = /^[\s·•‧∙.,:;_|~'"`‘’“”\-‐‑‒–—―]+|[\s·•‧∙.,:;_|~'"`‘’“”\-‐‑‒–—―]+$/gu;

/** NFKC (full-width forms to ASCII), one space between words, no margins. */
export function cleanLabelText(text: string): string {
  return text.normalize('NFKC').replace(/\s+/gu, ' ').trim();
}

function sourceXOfFrame(line: LineGeometry): (frame: number) => number {
  return (frame) => line.cropX + ((frame + 0.5) * line.inputColumnsPerFrame) / line.inputColumnsPerPixel;
}

/** Each character's glyph (index into `line.glyphs`, -1 for none) and how many characters share each glyph. */
function glyphsOfCharacters(decoding: CtcDecoding, line: LineGeometry): { glyphOf: number[]; charactersPerGlyph: Map<number, number> } {
  const frameToSourceX = sourceXOfFrame(line);
  // Each character's glyph: the one under its frames, give or take half a frame (a dash or a dot has none).
  const halfFrame = line.inputColumnsPerFrame / line.inputColumnsPerPixel / 2;
  const glyphOf = decoding.characters.map((character) => {
    const x = frameToSourceX((character.firstFrame + character.lastFrame) / 2);
    let nearest = -1;
    let nearestDistance = halfFrame;
    line.glyphs.forEach(([left, , width], index) => {
      const distance = Math.max(0, left - x, x - (left + width));
      if (distance <= nearestDistance) {
        nearest = index;
        nearestDistance = distance;
      }
    });
    return nearest;
  });
  const charactersPerGlyph = new Map<number, number>();
  for (const glyph of glyphOf) if (glyph >= 0) charactersPerGlyph.set(glyph, (charactersPerGlyph.get(glyph) ?? 0) + 1);
  return { glyphOf, charactersPerGlyph };
}

/** A glyph no wider than this share of its height is a bare stem (an I or an l in sans-serif type)... */
const STEM_WIDTH_SHARE = 0.3;
/** ...and a 1 of the same line at least this many times wider shows the font's 1 has a flag or a foot. */
const FIGURE_ONE_WIDTH_FACTOR = 2;

/**
 * A 1 whose glyph is a bare stem, in a line whose other 1 is far wider (the font's 1 has a flag
 * or a foot), is the capital I the model took for a digit ("HiDream 11" is "HiDream I1"). Only
 * characters with a glyph of their own are judged; where every 1 looks alike (a font whose 1 is a
 * stem too) nothing changes.
 */
export function restoreLetterI(decoding: CtcDecoding, line: LineGeometry): CtcDecoding {
  if (line.glyphs.length === 0 || decoding.characters.filter((character) => character.text === '1').length < 2) return decoding;
  const { glyphOf, charactersPerGlyph } = glyphsOfCharacters(decoding, line);
  const widthShares = decoding.characters.map((character, index) => {
    const glyph = glyphOf[index] ?? -1;
    const box = character.text === '1' && glyph >= 0 && charactersPerGlyph.get(glyph) === 1 ? line.glyphs[glyph] : undefined;
    return box ? box[2] / Math.max(1, box[3]) : null;
  });
  const widestOne = Math.max(0, ...widthShares.filter((share): share is number => share !== null));
  const characters = decoding.characters.map((character, index): DecodedCharacter => {
    const share = widthShares[index];
    return share != null && share <= STEM_WIDTH_SHARE && widestOne >= share * FIGURE_ONE_WIDTH_FACTOR ? { ...character, text: 'I' } : character;
  });
  return { ...decoding, characters, text: characters.map((character) => character.text).join('') };
}

/** Whether the character at `index` follows a digit and a decimal point ("3.0"): a digit, whatever its height. */
function afterDecimalPoint(characters: readonly DecodedCharacter[], index: number): boolean {
  return /^[.,]$/.test(characters[index - 1]?.text ?? '') && /^[0-9]$/.test(characters[index - 2]?.text ?? '');
}

/** Letters whose lower and upper case differ only in size: the glyph's height tells them apart, the model often cannot. */
const SAME_SHAPE_LETTERS = /^[CcOoSsVvWwXxZz]$/;
/** Letters that stand at cap or ascender height in every Latin font: the line's yardstick for "tall". */
const TALL_LETTERS = /^[ABDEFGHIKLMNPRTUYbdfhkl]$/;
/**
 * Height above the baseline, as a share of the tall letters': at least this is upper case (caps and
 * round overshoots: 0.9-1.0 in the fonts' outlines; a round capital's top and bottom rows, where the
 * curve runs flat, are faint and fall under the ink threshold: an O of Liberation Mono Bold at 37 px
 * measured 0.857)...
 */
const UPPER_CASE_SHARE = 0.84;
/** ...at most this is lower case (x-heights: 0.6-0.75 of the ascenders across common fonts). */
const LOWER_CASE_SHARE = 0.78;
/** Below this height of the tall letters (source pixels), one pixel of quantisation blurs the two. */
const MIN_TALL_HEIGHT_PX = 8;
/** Letters at x-height in every Latin font (no ascender, no descender, no upper case of the same shape). */
const SHORT_LETTERS = /^[aemnru]$/;
/** Tall letters and x-height this close (source pixels) cannot tell a letter's case. */
const MIN_CASE_GAP_PX = 2;

/**
 * The decoding with the case of c, o, s, v, w, x, z set by the height of each one's glyph
 * ("old" to "Old" when the O stands as tall as the l and d), and a 0 standing no taller than
 * the line's lower-case letters read as o ("GPT-40" to "GPT-4o") when the line's other digits
 * stand tall (lining figures; old-style figures are x-height, and are left alone). Only
 * characters that have a glyph of their own are judged, and only against tall letters read in
 * the same line; anything unclear is kept as read.
 */
export function restoreLetterCase(decoding: CtcDecoding, line: LineGeometry): CtcDecoding {
  if (line.glyphs.length === 0) return decoding;
  const { glyphOf, charactersPerGlyph } = glyphsOfCharacters(decoding, line);
  // Each character's height above the baseline, where it has a glyph of its own.
  const bottoms = line.glyphs.map(([, top, , height]) => top + height).sort((a, b) => a - b);
  const baseline = bottoms[Math.floor(bottoms.length / 2)] ?? 0;
  const heights = glyphOf.map((glyph) => {
    const box = glyph >= 0 && charactersPerGlyph.get(glyph) === 1 ? line.glyphs[glyph] : undefined;
    return box ? baseline - box[1] : null;
  });
  // Touching tall letters ("ld" in a bold face) make one glyph: its height is theirs, so it measures "tall" too.
  const onlyTallLetters = new Map<number, boolean>();
  decoding.characters.forEach((character, index) => {
    const glyph = glyphOf[index] ?? -1;
    if (glyph >= 0) onlyTallLetters.set(glyph, (onlyTallLetters.get(glyph) ?? true) && TALL_LETTERS.test(character.text));
  });
  // A glyph of several letters counts once.
  const tallHeights = [...onlyTallLetters].flatMap(([glyph, onlyTall]) => {
    const box = onlyTall ? line.glyphs[glyph] : undefined;
    return box ? [baseline - box[1]] : [];
  });
  const tall = tallHeights.sort((a, b) => a - b)[Math.floor(tallHeights.length / 2)];
  if (tall === undefined || tall < MIN_TALL_HEIGHT_PX) return decoding;
  const shares = heights.map((height) => (height === null ? null : height / tall));
  const liningFigures = decoding.characters.some((character, index) => /^[1-9]$/.test(character.text) && (shares[index] ?? 0) >= UPPER_CASE_SHARE);
  // Where the line has letters that are lower case whatever the font, their height is the x-height to compare with.
  const shortHeights = decoding.characters.flatMap((character, index) => {
    const height = heights[index];
    return SHORT_LETTERS.test(character.text) && height != null ? [height] : [];
  });
  const xHeight = shortHeights.sort((a, b) => a - b)[Math.floor(shortHeights.length / 2)];
  const characters = decoding.characters.map((character, index): DecodedCharacter => {
    const share = shares[index];
    const height = heights[index];
    if (share == null || height == null) return character;
    if (SAME_SHAPE_LETTERS.test(character.text)) {
      if (xHeight !== undefined) {
        // Nearer the line's own x-height or its tall letters; too close to tell (a pixel apart) keeps it as read.
        if (tall - xHeight < MIN_CASE_GAP_PX) return character;
        const fromShort = Math.abs(height - xHeight);
        const fromTall = Math.abs(tall - height);
        if (fromShort < fromTall) return { ...character, text: character.text.toLowerCase() };
        if (fromTall < fromShort) return { ...character, text: character.text.toUpperCase() };
        return character;
      }
      if (share >= UPPER_CASE_SHARE) return { ...character, text: character.text.toUpperCase() };
      if (share <= LOWER_CASE_SHARE) return { ...character, text: character.text.toLowerCase() };
    } else if (character.text === '0' && liningFigures && share <= LOWER_CASE_SHARE && !afterDecimalPoint(decoding.characters, index)) {
      return { ...character, text: 'o' };
    }
    return character;
  });
  return { ...decoding, characters, text: characters.map((character) => character.text).join('') };
}

/** Most digits 0 and 1 of a line tried as the letters they may have been read from. */
const MAX_CONFUSABLE_DIGITS = 4;
/** The letters a recogniser reads as each digit: a round O as 0, a bare stem (I, l) as 1. */
const LETTERS_READ_AS: Record<string, readonly string[]> = { '0': ['o'], '1': ['i', 'l'] };

/**
 * The catalogue's name when the line, read as it is, names no model but reading some of its 0s
 * and 1s as the letters O, I or l gives exactly one of its spellings ("HiDream 11" is "HiDream
 * I1", "gpt40" is "GPT-4o"): in many fonts the letter and the digit are one glyph, and the model
 * takes either for the other. Null otherwise: the line keeps its digits, and any other text is
 * never made into a name.
 */
export function catalogueNameWithLetters(text: string): string | null {
  const key = modelNameKey(text);
  if (canonicalModelName(key) !== null) return null;
  const positions = [...key].flatMap((character, index) => (character in LETTERS_READ_AS ? [index] : []));
  if (positions.length === 0 || positions.length > MAX_CONFUSABLE_DIGITS) return null;
  const found = new Set<string>();
  const tryFrom = (characters: string[], next: number): void => {
    if (next === positions.length) {
      const canonical = canonicalModelName(characters.join(''));
      if (canonical !== null) found.add(canonical);
      return;
    }
    const position = positions[next] ?? 0;
    const digit = key[position] ?? '';
    for (const replacement of [digit, ...(LETTERS_READ_AS[digit] ?? [])]) {
      characters[position] = replacement;
      tryFrom(characters, next + 1);
    }
    characters[position] = digit;
  };
  tryFrom([...key], 0);
  return found.size === 1 ? ([...found][0] ?? null) : null;
}
