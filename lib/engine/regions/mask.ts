/**
 * Binary and soft masks over a panel (Uint8Array, 0-255, row-major): polygon rasterisation,
 * bounding boxes, counts, morphology and connected components. Pure TypeScript.
 */
import type { Box } from '../types';
import { ScratchArrays } from './scratch';
import type { RegionMask } from './types';

export interface Point {
  x: number;
  y: number;
}

/** A mask pixel at or above this counts as inside (RegionMask's convention). */
export const INSIDE = 128;

/**
 * Fills a closed polygon into `target` with `value`, even-odd rule, sampling pixel centres:
 * pixel (x, y) is inside when (x + 0.5, y + 0.5) is. Works for concave and self-touching outlines.
 */
export function fillPolygon(target: Uint8Array, width: number, height: number, polygon: readonly Point[], value = 255): void {
  if (polygon.length < 3) return;
  let top = Infinity;
  let bottom = -Infinity;
  for (const point of polygon) {
    top = Math.min(top, point.y);
    bottom = Math.max(bottom, point.y);
  }
  const firstRow = Math.max(0, Math.ceil(top - 0.5));
  const lastRow = Math.min(height - 1, Math.floor(bottom - 0.5));
  const crossings: number[] = [];
  for (let row = firstRow; row <= lastRow; row++) {
    const scanY = row + 0.5;
    crossings.length = 0;
    for (let index = 0; index < polygon.length; index++) {
      const start = polygon[index];
      const end = polygon[(index + 1) % polygon.length];
      if (!start || !end) continue;
      // Half-open in y so a vertex shared by two edges is counted once.
      if (start.y <= scanY === end.y <= scanY) continue;
      crossings.push(start.x + ((scanY - start.y) / (end.y - start.y)) * (end.x - start.x));
    }
    crossings.sort((a, b) => a - b);
    const rowOffset = row * width;
    for (let pair = 0; pair + 1 < crossings.length; pair += 2) {
      const from = Math.max(0, Math.ceil((crossings[pair] ?? 0) - 0.5));
      const to = Math.min(width - 1, Math.ceil((crossings[pair + 1] ?? 0) - 0.5) - 1);
      if (to >= from) target.fill(value, rowOffset + from, rowOffset + to + 1);
    }
  }
}

/**
 * The polygon grown by about `margin` pixels: each vertex moves `margin` out along the mean of
 * its two edges' outward normals (no mitre, so sharp eye corners do not spike), and thin curved
 * outlines such as brows grow evenly instead of folding over.
 */
export function growPolygon(polygon: readonly Point[], margin: number): Point[] {
  const count = polygon.length;
  if (count < 3 || margin === 0) return polygon.map((point) => ({ ...point }));
  let twiceArea = 0;
  for (let index = 0; index < count; index++) {
    const point = polygon[index] as Point;
    const next = polygon[(index + 1) % count] as Point;
    twiceArea += point.x * next.y - next.x * point.y;
  }
  const orientation = twiceArea >= 0 ? 1 : -1;
  const normalOf = (from: Point, to: Point) => {
    const dx = to.x - from.x;
    const dy = to.y - from.y;
    const length = Math.hypot(dx, dy) || 1;
    return { x: (orientation * dy) / length, y: (-orientation * dx) / length };
  };
  return polygon.map((point, index) => {
    const before = normalOf(polygon[(index + count - 1) % count] as Point, point);
    const after = normalOf(point, polygon[(index + 1) % count] as Point);
    const sumX = before.x + after.x;
    const sumY = before.y + after.y;
    const length = Math.hypot(sumX, sumY);
    if (length < 1e-9) return { x: point.x + before.x * margin, y: point.y + before.y * margin };
    const normalX = sumX / length;
    const normalY = sumY / length;
    return { x: point.x + normalX * margin, y: point.y + normalY * margin };
  });
}

/** Integer [left, top, right, bottom) bounds of a box clipped to the mask; the whole mask when there is no box. */
export function clippedBounds(width: number, height: number, within?: Box | null): [number, number, number, number] {
  if (!within) return [0, 0, width, height];
  const [x, y, boxWidth, boxHeight] = within;
  const left = Math.max(0, Math.floor(x));
  const top = Math.max(0, Math.floor(y));
  return [left, top, Math.max(left, Math.min(width, Math.ceil(x + boxWidth))), Math.max(top, Math.min(height, Math.ceil(y + boxHeight)))];
}

/**
 * Tight box of the pixels ≥ 128 and their count; box [0, 0, 0, 0] when there are none.
 * `within` (a box known to hold every inside pixel) limits the scan.
 */
export function maskExtent(data: Uint8Array, width: number, height: number, within?: Box | null): { box: Box; pixels: number } {
  const [left, top, right, bottom] = clippedBounds(width, height, within);
  let minX = width;
  let minY = height;
  let maxX = -1;
  let maxY = -1;
  let pixels = 0;
  for (let y = top; y < bottom; y++) {
    const rowOffset = y * width;
    let rowPixels = 0;
    for (let x = left; x < right; x++) {
      if ((data[rowOffset + x] ?? 0) < INSIDE) continue;
      rowPixels++;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
    }
    if (rowPixels === 0) continue;
    pixels += rowPixels;
    if (y < minY) minY = y;
    maxY = y;
  }
  if (pixels === 0) return { box: [0, 0, 0, 0], pixels };
  return { box: [minX, minY, maxX - minX + 1, maxY - minY + 1], pixels };
}

/** Wraps mask data as a RegionMask, or null when fewer than `minPixels` pixels are inside. `within` as for maskExtent. */
export function regionMask(data: Uint8Array, width: number, height: number, confidence: number, minPixels = 1, within?: Box | null): RegionMask | null {
  const { box, pixels } = maskExtent(data, width, height, within);
  if (pixels < Math.max(1, minPixels)) return null;
  return { data, width, height, box, pixels, confidence: Math.min(1, Math.max(0, confidence)) };
}

/**
 * Zeroes every pixel of `target` where `cut` is inside. `within` (the masks' width and a box
 * known to hold every inside pixel of `cut`) limits the scan.
 */
export function subtractMask(target: Uint8Array, cut: Uint8Array | null, within?: { width: number; box: Box } | null): void {
  if (!cut) return;
  if (!within) {
    for (let index = 0; index < target.length; index++) if ((cut[index] ?? 0) >= INSIDE) target[index] = 0;
    return;
  }
  const { width } = within;
  const [left, top, right, bottom] = clippedBounds(width, Math.floor(target.length / width), within.box);
  for (let y = top; y < bottom; y++) {
    for (let index = y * width + left; index < y * width + right; index++) if ((cut[index] as number) >= INSIDE) target[index] = 0;
  }
}

/**
 * Square dilation (max filter) of a binary mask by `radius` pixels, separable. `within` (a box
 * known to hold every inside pixel) limits the work to that box grown by `radius`: nothing
 * outside it can be reached. With `scratch`, the result and the work are its uint8 slots 0 and 1
 * (valid until their next use).
 */
export function dilateMask(data: Uint8Array, width: number, height: number, radius: number, within?: Box | null, scratch?: ScratchArrays): Uint8Array {
  if (radius <= 0) return data.slice();
  const out = scratch ? scratch.uint8(0, data.length) : new Uint8Array(data.length);
  const extent = maskExtent(data, width, height, within);
  if (extent.pixels === 0) return out;
  const [boxX, boxY, boxWidth, boxHeight] = extent.box;
  const left = Math.max(0, boxX - radius);
  const right = Math.min(width, boxX + boxWidth + radius);
  const top = Math.max(0, boxY - radius);
  const bottom = Math.min(height, boxY + boxHeight + radius);
  // Horizontal pass over the rows that hold inside pixels: within radius after an inside pixel (forward), before it (backward).
  const rows = scratch ? scratch.uint8(1, data.length) : new Uint8Array(data.length);
  for (let y = boxY; y < boxY + boxHeight; y++) {
    const rowOffset = y * width;
    let lastInside = -Infinity;
    for (let x = left; x < right; x++) {
      if ((data[rowOffset + x] as number) >= INSIDE) lastInside = x;
      if (x - lastInside <= radius) rows[rowOffset + x] = 255;
    }
    lastInside = Infinity;
    for (let x = right - 1; x >= left; x--) {
      if ((data[rowOffset + x] as number) >= INSIDE) lastInside = x;
      if (lastInside - x <= radius) rows[rowOffset + x] = 255;
    }
  }
  // Vertical pass, a row at a time (each column's nearest inside row above, then below), so memory is read in order.
  const nearest = new Float64Array(right - left);
  nearest.fill(-Infinity);
  for (let y = top; y < bottom; y++) {
    const rowOffset = y * width;
    for (let x = left; x < right; x++) {
      if ((rows[rowOffset + x] as number) >= INSIDE) nearest[x - left] = y;
      if (y - (nearest[x - left] as number) <= radius) out[rowOffset + x] = 255;
    }
  }
  nearest.fill(Infinity);
  for (let y = bottom - 1; y >= top; y--) {
    const rowOffset = y * width;
    for (let x = left; x < right; x++) {
      if ((rows[rowOffset + x] as number) >= INSIDE) nearest[x - left] = y;
      if ((nearest[x - left] as number) - y <= radius) out[rowOffset + x] = 255;
    }
  }
  return out;
}

/** Square erosion by `radius` pixels: the complement's dilation. */
export function erodeMask(data: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  const inverted = data.map((value) => (value >= INSIDE ? 0 : 255));
  return dilateMask(inverted, width, height, radius).map((value) => (value >= INSIDE ? 0 : 255));
}

/**
 * Labels the 4-connected components of the inside pixels within `within` (the whole mask when
 * absent). Returns the label image over that box (0 = outside, 1..n), the box's bounds, and
 * each component's pixel count (index 0 unused). With `scratch`, the labels are its int32 slot 0
 * (valid until the next call with it).
 */
export function connectedComponents(
  data: Uint8Array,
  width: number,
  height: number,
  within?: Box | null,
  scratch?: ScratchArrays,
): { labels: Int32Array; sizes: number[]; bounds: [number, number, number, number] } {
  const bounds = clippedBounds(width, height, within);
  const [left, top, right, bottom] = bounds;
  const boxWidth = right - left;
  const total = boxWidth * (bottom - top);
  const labels = scratch ? scratch.int32(0, total) : new Int32Array(total);
  const sizes: number[] = [0];
  const stack = scratch ? scratch.int32(1, total) : new Int32Array(total);
  const binary = scratch ? scratch.uint8(0, total) : new Uint8Array(total);
  for (let y = top; y < bottom; y++) {
    const rowOffset = y * width;
    const localOffset = (y - top) * boxWidth - left;
    for (let x = left; x < right; x++) if ((data[rowOffset + x] ?? 0) >= INSIDE) binary[localOffset + x] = 1;
  }
  const inside = (local: number) => binary[local] === 1;
  for (let start = 0; start < total; start++) {
    if (labels[start] !== 0 || !inside(start)) continue;
    const label = sizes.length;
    let size = 0;
    let depth = 0;
    labels[start] = label;
    stack[depth++] = start;
    while (depth > 0) {
      const index = stack[--depth] ?? 0;
      size++;
      const x = index % boxWidth;
      if (x > 0 && labels[index - 1] === 0 && inside(index - 1)) {
        labels[index - 1] = label;
        stack[depth++] = index - 1;
      }
      if (x < boxWidth - 1 && labels[index + 1] === 0 && inside(index + 1)) {
        labels[index + 1] = label;
        stack[depth++] = index + 1;
      }
      if (index >= boxWidth && labels[index - boxWidth] === 0 && inside(index - boxWidth)) {
        labels[index - boxWidth] = label;
        stack[depth++] = index - boxWidth;
      }
      if (index + boxWidth < total && labels[index + boxWidth] === 0 && inside(index + boxWidth)) {
        labels[index + boxWidth] = label;
        stack[depth++] = index + boxWidth;
      }
    }
    sizes.push(size);
  }
  return { labels, sizes, bounds };
}

/** The labelling's work arrays, reused from panel to panel by dropSmallComponents (its labels never leave it). */
const COMPONENT_SCRATCH = new ScratchArrays();

/** Clears the components smaller than `minPixels`, in place; `within` as for connectedComponents. */
export function dropSmallComponents(data: Uint8Array, width: number, height: number, minPixels: number, within?: Box | null): void {
  if (minPixels <= 1) return;
  const { labels, sizes, bounds } = connectedComponents(data, width, height, within, COMPONENT_SCRATCH);
  const [left, top, right, bottom] = bounds;
  const boxWidth = right - left;
  if (!sizes.some((size, label) => label > 0 && size < minPixels)) return;
  for (let y = top, local = 0; y < bottom; y++) {
    const rowOffset = y * width + left;
    for (let x = 0; x < boxWidth; x++, local++) {
      const label = labels[local] as number;
      if (label > 0 && (sizes[label] as number) < minPixels) data[rowOffset + x] = 0;
    }
  }
}

/**
 * The columns [from, to) of row `y` within [left, right) where `test` holds, for a test that is
 * monotone along a row (a half-plane such as belowChin: each step of its arithmetic rounds
 * monotonically, so the float result is monotone in x too). Found with `test` itself, at the
 * row's ends and by bisection between them: each pixel is judged as a call per pixel would judge it.
 */
export function passingColumns(test: (x: number, y: number) => boolean, y: number, left: number, right: number): [number, number] {
  if (right <= left) return [left, left];
  const first = test(left, y);
  const last = test(right - 1, y);
  if (first === last) return first ? [left, right] : [left, left];
  // The first column whose answer is `last`: `low` answers `first`, `high` answers `last`.
  let low = left;
  let high = right - 1;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (test(middle, y) === last) high = middle;
    else low = middle;
  }
  return last ? [high, right] : [left, high];
}

/** Intersection over union of two masks of the same size (inside = ≥ 128); 0 when both are empty. */
export function maskIou(first: Uint8Array, second: Uint8Array): number {
  let both = 0;
  let either = 0;
  for (let index = 0; index < first.length; index++) {
    const a = (first[index] ?? 0) >= INSIDE;
    const b = (second[index] ?? 0) >= INSIDE;
    if (a && b) both++;
    if (a || b) either++;
  }
  return either === 0 ? 0 : both / either;
}
