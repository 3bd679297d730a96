/**
 * Label pills and text drawn over a panel, to cut out of every region. OCR reports the text's
 * box; the pill or bar round it is grown from there: the flat colour that rings the text,
 * flood-filled within a few line heights.
 */
import type { Box, RgbaImage } from '../types';
import { dilateMask, fillPolygon } from './mask';
import type { ScratchArrays } from './scratch';

/** How far the pill may reach beyond the text, in text-line heights. */
const REACH_LINES = 2.5;
/** Largest RGB distance from the ring's colour still counted as the pill. */
const PILL_COLOUR_DISTANCE = 40;
/** Share of the ring round the text that must share one colour for it to be a pill. */
const MIN_RING_AGREEMENT = 0.6;

/**
 * 255 over each label's text box and the flat background it sits on, 0 elsewhere; null when
 * there are no boxes. `boxes` are in panel pixels and may reach outside the panel. With `scratch`
 * the mask is one of its uint8 slots 0-2, valid until they are used again.
 */
export function labelCutoutMask(pixels: RgbaImage, boxes: readonly Box[], scratch?: ScratchArrays): Uint8Array | null {
  const { width, height } = pixels;
  const inside = boxes.filter(([x, y, boxWidth, boxHeight]) => boxWidth > 0 && boxHeight > 0 && x < width && y < height && x + boxWidth > 0 && y + boxHeight > 0);
  if (inside.length === 0) return null;
  const mask = scratch ? scratch.uint8(2, width * height) : new Uint8Array(width * height);
  // Every pixel the boxes and their pills can fill: the dilation below need look no further.
  let reachLeft = width;
  let reachTop = height;
  let reachRight = 0;
  let reachBottom = 0;
  for (const [boxX, boxY, boxWidth, boxHeight] of inside) {
    const gap = Math.max(2, Math.round(boxHeight * 0.3));
    const left = Math.max(0, Math.floor(boxX) - gap);
    const top = Math.max(0, Math.floor(boxY) - gap);
    const right = Math.min(width, Math.ceil(boxX + boxWidth) + gap);
    const bottom = Math.min(height, Math.ceil(boxY + boxHeight) + gap);
    fillPolygon(mask, width, height, [
      { x: left, y: top },
      { x: right, y: top },
      { x: right, y: bottom },
      { x: left, y: bottom },
    ]);
    const reach = Math.round(boxHeight * REACH_LINES);
    growPill(pixels, mask, [left, top, right - left, bottom - top], reach);
    reachLeft = Math.min(reachLeft, left - Math.max(0, reach));
    reachTop = Math.min(reachTop, top - Math.max(0, reach));
    reachRight = Math.max(reachRight, right + Math.max(0, reach));
    reachBottom = Math.max(reachBottom, bottom + Math.max(0, reach));
  }
  // A pixel of anti-aliasing round the pill's edge.
  return dilateMask(mask, width, height, 2, [reachLeft, reachTop, reachRight - reachLeft, reachBottom - reachTop], scratch);
}

/** Flood-fills the colour that rings `box` into `mask`, at most `reach` pixels beyond the box. */
function growPill(pixels: RgbaImage, mask: Uint8Array, [boxX, boxY, boxWidth, boxHeight]: Box, reach: number): void {
  const { width, height, data } = pixels;
  const ring: number[] = [];
  for (let x = boxX; x < boxX + boxWidth; x++) ring.push(boxY * width + x, (boxY + boxHeight - 1) * width + x);
  for (let y = boxY; y < boxY + boxHeight; y++) ring.push(y * width + boxX, y * width + boxX + boxWidth - 1);
  if (ring.length === 0) return;
  const channel = (offset: number) => [0, 1, 2].map((index) => data[offset * 4 + index] ?? 0);
  const colours = ring.map(channel);
  const [medianRed = 0, medianGreen = 0, medianBlue = 0] = [0, 1, 2].map((index) => colours.map((colour) => colour[index] ?? 0).sort((a, b) => a - b)[colours.length >> 1] ?? 0);
  // Called for every pixel the flood reaches: no arrays per call.
  const near = (offset: number) =>
    Math.hypot((data[offset * 4] ?? 0) - medianRed, (data[offset * 4 + 1] ?? 0) - medianGreen, (data[offset * 4 + 2] ?? 0) - medianBlue) <= PILL_COLOUR_DISTANCE;
  const agreeing = ring.filter(near);
  // Text straight on the picture, no flat background: the text box alone is cut.
  if (agreeing.length < ring.length * MIN_RING_AGREEMENT) return;
  const left = Math.max(0, boxX - reach);
  const right = Math.min(width - 1, boxX + boxWidth - 1 + reach);
  const top = Math.max(0, boxY - reach);
  const bottom = Math.min(height - 1, boxY + boxHeight - 1 + reach);
  const seen = new Uint8Array(width * height);
  const stack = agreeing.slice();
  for (const offset of stack) seen[offset] = 1;
  while (stack.length > 0) {
    const offset = stack.pop() ?? 0;
    mask[offset] = 255;
    const x = offset % width;
    const y = (offset - x) / width;
    // Left, right, up, down.
    for (let step = 0; step < 4; step++) {
      const nextX = step === 0 ? x - 1 : step === 1 ? x + 1 : x;
      const nextY = step === 2 ? y - 1 : step === 3 ? y + 1 : y;
      if (nextX < left || nextX > right || nextY < top || nextY > bottom) continue;
      const next = nextY * width + nextX;
      if (seen[next] || !near(next)) continue;
      seen[next] = 1;
      stack.push(next);
    }
  }
}
