/**
 * Each panel's label: find the label strips, recognise them with the model the caller supplies,
 * decode, set letter case by glyph height, restore lost word gaps, snap near-misses to the model-name catalogue, put back
 * the spaces of generic labels ("ModelA" is "Model A"). A card with no readable label gets its labels
 * from its caption later (`withCaptionLabels`, after the cache).
 */
import { snapModelName, withGenericLabelSpaces } from '../model-names';
import type { AnalysisResult, Box, PanelResult, RgbaImage } from '../types';
import { ctcGreedyDecode, type CtcDecoding } from './ctc';
import { findLabelStrips, type LabelStrip } from './label-strips';
import { catalogueNameWithLetters, cleanLabelText, restoreInitialI, restoreLetterCase, restoreLetterI, restoreLetterO, restoreWordGaps, withoutStrayMarks, type LineGeometry } from './label-text';
import { labelsFromText } from './post-text';
import { recognitionInput, type RecognitionInput } from './recognition-input';

/** The recogniser's `[1, frames, classes]` probabilities for one line. */
export interface RecognitionOutput {
  probabilities: Float32Array;
  frames: number;
  classes: number;
}

/** A loaded recogniser and its alphabet (class k ≥ 1 is `keys[k − 1]`). */
export interface LineRecognizer {
  keys: readonly string[];
  recognize(input: RecognitionInput): Promise<RecognitionOutput>;
}

export type PanelLabel = Pick<PanelResult, 'label' | 'labelBox' | 'labelSource'>;

export interface LabelReading {
  labels: PanelLabel[];
  /** Lines handed to the recogniser (0 when no strip was found: the model was not needed). */
  linesRecognized: number;
}

/** Lines read with a lower mean character probability are noise, not labels. */
const MIN_LINE_CONFIDENCE = 0.6;
/** How far (line heights) a line read unsure is widened for its second reading, across and along. */
const RETRY_MARGIN_X = 1;
const RETRY_MARGIN_Y = 0.25;

const NO_LABEL: PanelLabel = { label: null, labelBox: null, labelSource: null };

export async function readPanelLabels(
  image: RgbaImage,
  panels: readonly Box[],
  options: {
    /** Called once, only when a label strip was found: cards without labels never load the model. */
    loadRecognizer: () => Promise<LineRecognizer>;
    signal?: AbortSignal;
  },
): Promise<LabelReading> {
  const strips = findLabelStrips(image, panels);
  const labels: PanelLabel[] = [];
  let recognizer: LineRecognizer | null = null;
  let linesRecognized = 0;
  for (const strip of strips) {
    if (!strip) {
      labels.push(NO_LABEL);
      continue;
    }
    options.signal?.throwIfAborted();
    recognizer ??= await options.loadRecognizer();
    let reading = await readLine(image, strip, recognizer);
    linesRecognized++;
    // A short word read unsure ("Old" as "old" at 0.54, or "l") often reads sure with more of its
    // surroundings: once more, wider by a line height each side and a quarter line up and down.
    if (reading.confidence < MIN_LINE_CONFIDENCE) {
      options.signal?.throwIfAborted();
      const again = await readLine(image, { ...strip, cropBox: widenedCrop(strip, image) }, recognizer);
      linesRecognized++;
      if (again.confidence >= MIN_LINE_CONFIDENCE) reading = again;
    }
    const readable = reading.confidence >= MIN_LINE_CONFIDENCE && /[\p{L}\p{N}]/u.test(reading.text);
    labels.push(readable ? { label: catalogueNameWithLetters(reading.text) ?? withGenericLabelSpaces(snapModelName(reading.text)), labelBox: strip.textBox, labelSource: 'ocr' } : NO_LABEL);
  }
  return { labels, linesRecognized };
}

/** One strip recognised and decoded: its text before snapping and the mean character probability. */
async function readLine(image: RgbaImage, strip: LabelStrip, recognizer: LineRecognizer): Promise<{ text: string; confidence: number }> {
  const input = recognitionInput(image, strip.cropBox);
  const output = await recognizer.recognize(input);
  const decoding = ctcGreedyDecode(output.probabilities, output.frames, output.classes, recognizer.keys);
  return { text: lineText(decoding, strip, input, output.frames), confidence: decoding.confidence };
}

/** A strip's crop grown by RETRY_MARGIN_X line heights each side and RETRY_MARGIN_Y up and down, past its background, within the image. */
function widenedCrop(strip: LabelStrip, image: RgbaImage): Box {
  const [x, y, width, height] = strip.cropBox;
  const marginX = Math.round(strip.lineHeight * RETRY_MARGIN_X);
  const marginY = Math.round(strip.lineHeight * RETRY_MARGIN_Y);
  const left = Math.max(0, x - marginX);
  const top = Math.max(0, y - marginY);
  return [left, top, Math.min(image.width, x + width + marginX) - left, Math.min(image.height, y + height + marginY) - top];
}

/** Labels parsed from the alt text (about this very image) or else the post text; two panels only. */
export function labelsFromCaption(panelCount: number, altText?: string | null, postText?: string | null): PanelLabel[] | null {
  if (panelCount !== 2) return null;
  for (const [text, source] of [
    [altText, 'alt-text'],
    [postText, 'post-text'],
  ] as const) {
    const parsed = text ? labelsFromText(text) : null;
    if (parsed) return parsed.map((label) => ({ label, labelBox: null, labelSource: source }));
  }
  return null;
}

/**
 * A card whose labels could not be read gets them from its caption, when the caption names two
 * models. Applied after the result cache, so one post's caption never sticks to the same image elsewhere.
 */
export function withCaptionLabels(result: AnalysisResult, altText?: string | null, postText?: string | null): AnalysisResult {
  if (!result.isComparison || result.panels.some((panel) => panel.label !== null)) return result;
  const labels = labelsFromCaption(result.panels.length, altText, postText);
  if (!labels) return result;
  return { ...result, panels: result.panels.map((panel, index) => ({ ...panel, ...labels[index] })) };
}

/**
 * One recognised line's text before snapping: a stem read as 1 beside a flagged 1 made an I, letter
 * case set by glyph height and lost word gaps restored (all from the strip's geometry), an O read as 0
 * among letters put back, an l that no English word begins with made an I, then cleaned, without
 * stray marks at its ends.
 */
export function lineText(decoding: CtcDecoding, strip: LabelStrip, input: RecognitionInput, frames: number): string {
  const line: LineGeometry = {
    cropX: strip.cropBox[0],
    inputColumnsPerPixel: input.xScale,
    inputColumnsPerFrame: input.dims[3] / frames,
    lineHeight: strip.lineHeight,
    gaps: strip.gaps,
    glyphs: strip.glyphs,
  };
  return withoutStrayMarks(cleanLabelText(restoreInitialI(restoreLetterO(restoreWordGaps(restoreLetterCase(restoreLetterI(decoding, line), line), line)))));
}
