/**
 * Two separate pictures as the two panels of one card: they are set side by side, at one height,
 * with a plain gutter between them (lib/engine/pair.ts has the geometry). The engine analyses
 * these pixels with the panels known, and a saved pair keeps this picture as its card.
 * The canvas edge: runs in extension pages, workers and the service worker.
 */
import { canonicalModelName } from '../engine/model-names';
import { PAIR_GUTTER_COLOUR, pairLayout, type PairLayout } from '../engine/pair';
import type { AnalysisResult, RgbaImage } from '../engine/types';

export { PAIR_MAX_HEIGHT, pairLayout, type PairLayout } from '../engine/pair';

/** A model name from a file name ("nano-banana-pro.png" → "Nano Banana Pro"), or null when the catalogue does not know it. */
export function modelFromFileName(name: string): string | null {
  const stem = name.replace(/\.[a-z0-9]{2,5}$/i, '').replace(/[_]+/g, ' ').trim();
  return stem ? canonicalModelName(stem) : null;
}

/** "A vs B" when both files are named after known models: the caption the engine labels the panels from. */
export function pairCaption(firstName: string, secondName: string): string | null {
  const first = modelFromFileName(firstName);
  const second = modelFromFileName(secondName);
  return first && second && first !== second ? `${first} vs ${second}` : null;
}

/**
 * Why two files were not taken as one comparison card, in words for the person who dropped them
 * (the pair's analysis said `isComparison: false`).
 */
export function pairNotComparisonReason(result: Pick<AnalysisResult, 'reason' | 'verdict'>): string {
  switch (result.reason) {
    case 'unrelated-pictures':
      return 'the two pictures show different scenes, and their file names do not name two models (like nano-banana-pro.png), so nothing says they are one comparison.';
    case 'too-small':
      return 'one of the pictures is too small to be a panel.';
    case 'extreme-aspect':
      return 'one of the pictures is too long and thin to be a panel.';
    case 'uniform':
      return 'one of the pictures is nearly blank.';
    default:
      return result.verdict.summary;
  }
}

/** Draws the two pictures as one card on a canvas, first on the left (the one drawing both the engine and a save use). */
async function drawPair(first: Blob, second: Blob): Promise<{ canvas: OffscreenCanvas; context: OffscreenCanvasRenderingContext2D; layout: PairLayout; sizes: [PictureSize, PictureSize] }> {
  const bitmaps = await Promise.all([createImageBitmap(first), createImageBitmap(second)]);
  try {
    const [left, right] = bitmaps as [ImageBitmap, ImageBitmap];
    const layout = pairLayout(left, right);
    const canvas = new OffscreenCanvas(layout.width, layout.height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new Error('No 2D canvas is available to put the two pictures together.');
    context.fillStyle = PAIR_GUTTER_COLOUR;
    context.fillRect(0, 0, layout.width, layout.height);
    context.imageSmoothingQuality = 'high';
    context.drawImage(left, 0, 0, layout.widths[0], layout.height);
    context.drawImage(right, layout.widths[0] + layout.gutter, 0, layout.widths[1], layout.height);
    return { canvas, context, layout, sizes: [{ width: left.width, height: left.height }, { width: right.width, height: right.height }] };
  } finally {
    for (const bitmap of bitmaps) bitmap.close();
  }
}

export interface PictureSize {
  width: number;
  height: number;
}

/** The two pictures as one PNG card, first on the left: what the library keeps of a pair. */
export async function composePair(first: Blob, second: Blob): Promise<{ png: Blob; layout: PairLayout }> {
  const { canvas, layout } = await drawPair(first, second);
  return { png: await canvas.convertToBlob({ type: 'image/png' }), layout };
}

/** The two pictures as one card's pixels, for the engine; `sizes` are the pictures' own. */
export async function composePairPixels(first: Blob, second: Blob): Promise<{ image: RgbaImage; layout: PairLayout; sizes: [PictureSize, PictureSize] }> {
  const { context, layout, sizes } = await drawPair(first, second);
  const pixels = context.getImageData(0, 0, layout.width, layout.height);
  return { image: { data: pixels.data, width: pixels.width, height: pixels.height }, layout, sizes };
}
