/** From decoded characters to label text: spaces the model dropped between Latin words, NFKC, trimming. */
import type { CtcDecoding } from './ctc';

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
}

/** A gap is a word gap when at least this share of the line height... */
const WORD_GAP_LINE_SHARE = 0.18;
/** ...and this many times the line's median gap (most gaps are between letters)... */
const WORD_GAP_MEDIAN_FACTOR = 2.5;
/** ...and this many pixels wider than it: at small sizes letter gaps of 1 and 2 px differ by quantisation alone. */
const WORD_GAP_MEDIAN_MARGIN_PX = 2;
/** With too few gaps for a median, a word gap is at least this share of the line height. */
const WORD_GAP_LINE_SHARE_ALONE = 0.3;
const LATIN_OR_DIGIT = /^[A-Za-z0-9]$/;

/**
 * The decoded text with a space inserted between two Latin letters or digits wherever the
 * image shows a word-sized gap between them that the model read as no space ("GPTImage 2").
 */
export function restoreWordGaps(decoding: CtcDecoding, line: LineGeometry): string {
  const threshold = wordGapThreshold(line);
  const frameToSourceX = (frame: number) => line.cropX + ((frame + 0.5) * line.inputColumnsPerFrame) / line.inputColumnsPerPixel;
  let text = '';
  decoding.characters.forEach((character, index) => {
    const previous = decoding.characters[index - 1];
    if (previous && LATIN_OR_DIGIT.test(previous.text) && LATIN_OR_DIGIT.test(character.text)) {
      const from = frameToSourceX(previous.lastFrame);
      const to = frameToSourceX(character.firstFrame);
      const widest = Math.max(0, ...line.gaps.filter(([start, end]) => (start + end) / 2 >= from && (start + end) / 2 <= to).map(([start, end]) => end - start));
      if (widest >= threshold) text += ' ';
    }
    text += character.text;
  });
  return text;
}

function wordGapThreshold(line: LineGeometry): number {
  const widths = line.gaps.map(([start, end]) => end - start).sort((a, b) => a - b);
  if (widths.length < 3) return line.lineHeight * WORD_GAP_LINE_SHARE_ALONE;
  const median = widths[Math.floor(widths.length / 2)] ?? 0;
  return Math.max(line.lineHeight * WORD_GAP_LINE_SHARE, median * WORD_GAP_MEDIAN_FACTOR, median + WORD_GAP_MEDIAN_MARGIN_PX + 0.5);
}

/** NFKC (full-width forms to ASCII), one space between words, no margins. */
export function cleanLabelText(text: string): string {
  return text.normalize('NFKC').replace(/\s+/gu, ' ').trim();
}
