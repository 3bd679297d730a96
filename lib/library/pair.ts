/**
 * Two separate pictures analysed as the two panels of one card: they are set side by side, at one
 * height, with a plain gutter between them, the way comparison cards are made, and the engine
 * reads the result as any card (it finds the gutter, so each panel is exactly one picture).
 * The canvas edge: runs in extension pages and workers.
 */
import { canonicalModelName } from '../engine/model-names';

/** Panels are drawn this tall at most (the engine gains nothing from more), and never enlarged. */
export const PAIR_MAX_HEIGHT = 1024;
/** The gutter: a share of the panel height, at least a few pixels, in a colour photos rarely have at their edge. */
const GUTTER_SHARE = 0.03;
const MIN_GUTTER = 8;
const GUTTER_COLOUR = '#ffffff';

export interface PairLayout {
  height: number;
  gutter: number;
  /** Width of each picture once scaled to `height`. */
  widths: [number, number];
  width: number;
}

/** Where each picture goes: both at the smaller height (capped), side by side with a gutter. */
export function pairLayout(first: { width: number; height: number }, second: { width: number; height: number }, maxHeight = PAIR_MAX_HEIGHT): PairLayout {
  const height = Math.max(1, Math.min(maxHeight, first.height, second.height));
  const widths: [number, number] = [Math.max(1, Math.round((first.width * height) / first.height)), Math.max(1, Math.round((second.width * height) / second.height))];
  const gutter = Math.max(MIN_GUTTER, Math.round(height * GUTTER_SHARE));
  return { height, gutter, widths, width: widths[0] + gutter + widths[1] };
}

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

/** The two pictures as one PNG card, first on the left. */
export async function composePair(first: Blob, second: Blob): Promise<{ png: Blob; layout: PairLayout }> {
  const bitmaps = await Promise.all([createImageBitmap(first), createImageBitmap(second)]);
  try {
    const [left, right] = bitmaps as [ImageBitmap, ImageBitmap];
    const layout = pairLayout(left, right);
    const canvas = new OffscreenCanvas(layout.width, layout.height);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('No 2D canvas is available to put the two pictures together.');
    context.fillStyle = GUTTER_COLOUR;
    context.fillRect(0, 0, layout.width, layout.height);
    context.imageSmoothingQuality = 'high';
    context.drawImage(left, 0, 0, layout.widths[0], layout.height);
    context.drawImage(right, layout.widths[0] + layout.gutter, 0, layout.widths[1], layout.height);
    return { png: await canvas.convertToBlob({ type: 'image/png' }), layout };
  } finally {
    for (const bitmap of bitmaps) bitmap.close();
  }
}
