/**
 * Panel labels from the words around an image (the post's text or the image's alt text) for
 * cards whose pictures carry no readable label: "Nano Banana 2 vs Nano Banana Pro",
 * "left: Imagen 4, right: GPT Image 1", "Flux 1.1 Pro (left) and Midjourney v7 (right)".
 */
import { canonicalModelName, snapModelName } from '../model-names';
import { cleanLabelText } from './label-text';

/** An unknown name taken from running text has at most this many words (longer is a sentence). */
const MAX_UNKNOWN_NAME_WORDS = 3;
/** Ends a phrase: sentence punctuation (a dot only before a space), brackets, quotes, dashes between words. */
const PHRASE_BREAK = /[\n!?;:,|()[\]{}"“”«»]|\.(?=\s|$)|\s[-–—]\s/u;
const POSITIONS: Record<string, number> = { left: 0, top: 0, first: 0, right: 1, bottom: 1, second: 1 };

/** Two labels, first panel (left or top) first, or null when the text does not name both. */
export function labelsFromText(text: string): [string, string] | null {
  const normalized = text.normalize('NFKC');
  return positionalLabels(normalized) ?? versusLabels(normalized);
}

/** "left: A, right: B", "A on the left and B on the right", "A (left) / B (right)". */
function positionalLabels(text: string): [string, string] | null {
  const found: (string | null)[] = [null, null];
  const afterKeyword = /\b(left|right|top|bottom|first|second)\b\s*(?:image|panel|one|side)?\s*(?:[:=]|[-–—]\s|is\s)\s*([^\n,;|]+?)(?=\s*(?:[\n,;|]|\.(?:\s|$)|\band\b|\b(?:left|right|top|bottom|second)\b|$))/giu;
  for (const match of text.matchAll(afterKeyword)) assign(found, match[1], match[2]);
  if (!found[0] || !found[1]) {
    const beforeKeyword = /([^\n,;|()]+?)\s*(?:\(\s*|\bon the\s+|\bat the\s+)(left|right|top|bottom)\b\s*\)?/giu;
    for (const match of text.matchAll(beforeKeyword)) assign(found, match[2], trimLeadingConnective(match[1] ?? ''));
  }
  const [first, second] = found;
  return first && second && first !== second ? [first, second] : null;
}

function assign(found: (string | null)[], position: string | undefined, phrase: string | undefined): void {
  const index = POSITIONS[(position ?? '').toLowerCase()];
  if (index === undefined || found[index]) return;
  found[index] = nameFromPhrase(phrase ?? '', 'whole');
}

function trimLeadingConnective(phrase: string): string {
  return phrase.replace(/^\s*(?:and|vs\.?|versus|with)\s+/iu, '');
}

/** "A vs B", "A vs. B", "A versus B": the phrase right before and right after the one "vs". */
function versusLabels(text: string): [string, string] | null {
  const parts = text.split(/\s+(?:vs\.?|versus|v\.)\s+/iu);
  if (parts.length !== 2) return null;
  const before = (parts[0] ?? '').split(PHRASE_BREAK).at(-1) ?? '';
  const after = (parts[1] ?? '').split(PHRASE_BREAK)[0] ?? '';
  const first = nameFromPhrase(before, 'end');
  const second = nameFromPhrase(after, 'start');
  return first && second && first !== second ? [first, second] : null;
}

/**
 * A model name from a phrase: the longest catalogue name at the phrase's end (before "vs") or
 * start (after it), else the phrase itself when it is short enough to be a name.
 */
function nameFromPhrase(phrase: string, anchor: 'start' | 'end' | 'whole'): string | null {
  const words = cleanLabelText(phrase.replace(/[#@*_"'`“”‘’]/gu, ' ')).split(' ').filter(Boolean);
  if (words.length === 0) return null;
  for (let count = words.length; count >= 1; count--) {
    const candidates = anchor === 'start' ? [words.slice(0, count)] : anchor === 'end' ? [words.slice(-count)] : [words.slice(0, count), words.slice(-count)];
    for (const candidate of candidates) {
      const known = canonicalModelName(candidate.join(' '));
      if (known) return known;
    }
  }
  return words.length <= MAX_UNKNOWN_NAME_WORDS ? snapModelName(words.join(' ')) : null;
}
