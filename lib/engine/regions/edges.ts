/**
 * Canny-style edges on luma and chroma: binomial (≈ Gaussian) blur, Sobel gradient, non-maximum suppression and
 * hysteresis with thresholds taken from the image's own gradient distribution, then the edge
 * pixels traced into chains. Pure TypeScript over Float32 buffers.
 */
import type { GrayImage } from '../types';
import type { ScratchArrays } from './scratch';

export interface EdgeMap {
  width: number;
  height: number;
  /** 1 on edge pixels after hysteresis. */
  edges: Uint8Array;
  /** Gradient components (Sobel on the blurred luma). */
  gradientX: Float32Array;
  gradientY: Float32Array;
}

export interface EdgeOptions {
  /** Binomial blur passes before the gradient (σ = √passes pixels). */
  blurPasses: number;
  /** High threshold: this quantile of the non-zero gradient magnitudes. */
  highQuantile: number;
  /** Low threshold as a share of the high one. */
  lowShare: number;
  /** Gradient magnitude (luma units per pixel) under which nothing is an edge, however flat the image. */
  minMagnitude: number;
}

const DEFAULT_OPTIONS: EdgeOptions = { blurPasses: 1, highQuantile: 0.8, lowShare: 0.45, minMagnitude: 12 };

/**
 * Binomial blur [1 4 6 4 1] / 16 along rows then columns (a Gaussian of σ = 1, unrolled),
 * `passes` times (σ = √passes); samples beyond the border repeat the edge pixel. With `scratch`,
 * its float32 slots `slot` to `slot + 2` hold the work and the result (valid until they are reused).
 */
export function binomialBlur(image: GrayImage, passes = 1, scratch?: { arrays: ScratchArrays; slot: number }): GrayImage {
  const { width, height } = image;
  let source = image.data;
  if (width === 0 || height === 0) return { data: source, width, height };
  const fresh = (index: number) => (scratch ? scratch.arrays.float32(scratch.slot + index, source.length) : new Float32Array(source.length));
  const rows = fresh(0);
  // Two buffers for the passes' outputs, taking turns (never the input's own).
  let spare: Float32Array | null = null;
  let outputs = 0;
  for (let pass = 0; pass < passes; pass++) {
    blurRows(source, rows, width, height);
    const out: Float32Array = spare && spare !== source ? spare : fresh(1 + outputs++);
    blurColumns(rows, out, width, height);
    spare = pass > 0 ? source : null;
    source = out;
  }
  return { data: source, width, height };
}

/** [1 4 6 4 1] / 16 along each row of `source` into `out`, the edge pixel repeated beyond the border. */
function blurRows(source: Float32Array, out: Float32Array, width: number, height: number): void {
  const last = width - 1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    if (width < 5) {
      for (let x = 0; x < width; x++) {
        const left2 = source[row + (x > 1 ? x - 2 : 0)] as number;
        const left1 = source[row + (x > 0 ? x - 1 : 0)] as number;
        const right1 = source[row + (x < last ? x + 1 : last)] as number;
        const right2 = source[row + (x < last - 1 ? x + 2 : last)] as number;
        out[row + x] = (left2 + 4 * left1 + 6 * (source[row + x] as number) + 4 * right1 + right2) * 0.0625;
      }
      continue;
    }
    const first = source[row] as number;
    const second = source[row + 1] as number;
    const third = source[row + 2] as number;
    out[row] = (first + 4 * first + 6 * first + 4 * second + third) * 0.0625;
    out[row + 1] = (first + 4 * first + 6 * second + 4 * third + (source[row + 3] as number)) * 0.0625;
    // Interior: a sliding window of five values, no clamping.
    let left2 = first;
    let left1 = second;
    let centre = third;
    let right1 = source[row + 3] as number;
    for (let x = 2; x < width - 2; x++) {
      const right2 = source[row + x + 2] as number;
      out[row + x] = (left2 + 4 * left1 + 6 * centre + 4 * right1 + right2) * 0.0625;
      left2 = left1;
      left1 = centre;
      centre = right1;
      right1 = right2;
    }
    const end = source[row + last] as number;
    const beforeEnd = source[row + last - 1] as number;
    const beforeBeforeEnd = source[row + last - 2] as number;
    out[row + last - 1] = ((source[row + last - 3] as number) + 4 * beforeBeforeEnd + 6 * beforeEnd + 4 * end + end) * 0.0625;
    out[row + last] = (beforeBeforeEnd + 4 * beforeEnd + 6 * end + 4 * end + end) * 0.0625;
  }
}

/**
 * [1 4 6 4 1] / 16 along each column of `rows` into `out`, the edge row repeated beyond the
 * border: down one column at a time with a sliding window of five values, so each value is read
 * once (Chromium runs this in Maglev, where every typed-array read costs).
 */
function blurColumns(rows: Float32Array, out: Float32Array, width: number, height: number): void {
  const lastRow = (height - 1) * width;
  for (let x = 0; x < width; x++) {
    // Rows y-2 … y+2 of this column for y = 0, the top row repeated above the image.
    let up2 = rows[x] as number;
    let up1 = up2;
    let centre = up2;
    let down1 = height > 1 ? (rows[width + x] as number) : up2;
    let down2 = height > 2 ? (rows[2 * width + x] as number) : (rows[lastRow + x] as number);
    for (let y = 0, index = x; y < height; y++, index += width) {
      out[index] = (up2 + 4 * up1 + 6 * centre + 4 * down1 + down2) * 0.0625;
      up2 = up1;
      up1 = centre;
      centre = down1;
      down1 = down2;
      // Row y+3, clamped to the last row.
      down2 = y + 3 < height ? (rows[index + 3 * width] as number) : (rows[lastRow + x] as number);
    }
  }
}

/**
 * Sobel gradient of `blurred` (divided by 8) at each interior pixel, written where it is
 * stronger than the one already there: a 3×3 window sliding along the row, three new values per pixel.
 */
function strongerGradient(blurred: Float32Array, width: number, height: number, gradientX: Float32Array, gradientY: Float32Array, magnitude: Float32Array): void {
  for (let y = 1; y < height - 1; y++) {
    const row = y * width;
    let topLeft = blurred[row - width] as number;
    let top = blurred[row - width + 1] as number;
    let left = blurred[row] as number;
    let centre = blurred[row + 1] as number;
    let bottomLeft = blurred[row + width] as number;
    let bottom = blurred[row + width + 1] as number;
    for (let x = 1; x < width - 1; x++) {
      const index = row + x;
      const topRight = blurred[index - width + 1] as number;
      const right = blurred[index + 1] as number;
      const bottomRight = blurred[index + width + 1] as number;
      const gx = (topRight + 2 * right + bottomRight - topLeft - 2 * left - bottomLeft) * 0.125;
      const gy = (bottomLeft + 2 * bottom + bottomRight - topLeft - 2 * top - topRight) * 0.125;
      topLeft = top;
      top = topRight;
      left = centre;
      centre = right;
      bottomLeft = bottom;
      bottom = bottomRight;
      const strength = Math.sqrt(gx * gx + gy * gy);
      if (strength <= (magnitude[index] as number)) continue;
      gradientX[index] = gx;
      gradientY[index] = gy;
      magnitude[index] = strength;
    }
  }
}

/**
 * strongerGradient for three channels in one pass over the pixels: the same comparisons in the
 * same order (each against the float32 the previous winner was stored as), one write per pixel;
 * each channel's 3×3 window slides along the row, three new values per pixel and channel.
 */
function strongestGradientOfThree(
  [first, second, third]: [Float32Array, Float32Array, Float32Array],
  width: number,
  height: number,
  gradientX: Float32Array,
  gradientY: Float32Array,
  magnitude: Float32Array,
): void {
  for (let y = 1; y < height - 1; y++) {
    const row = y * width;
    // Per channel (1, 2, 3): the left and middle columns of the window: top, centre row, bottom.
    let topLeft1 = first[row - width] as number;
    let left1 = first[row] as number;
    let bottomLeft1 = first[row + width] as number;
    let top1 = first[row - width + 1] as number;
    let bottom1 = first[row + width + 1] as number;
    let middle1 = first[row + 1] as number;
    let topLeft2 = second[row - width] as number;
    let left2 = second[row] as number;
    let bottomLeft2 = second[row + width] as number;
    let top2 = second[row - width + 1] as number;
    let bottom2 = second[row + width + 1] as number;
    let middle2 = second[row + 1] as number;
    let topLeft3 = third[row - width] as number;
    let left3 = third[row] as number;
    let bottomLeft3 = third[row + width] as number;
    let top3 = third[row - width + 1] as number;
    let bottom3 = third[row + width + 1] as number;
    let middle3 = third[row + 1] as number;
    for (let index = row + 1; index < row + width - 1; index++) {
      const topRight1 = first[index - width + 1] as number;
      const right1 = first[index + 1] as number;
      const bottomRight1 = first[index + width + 1] as number;
      const topRight2 = second[index - width + 1] as number;
      const right2 = second[index + 1] as number;
      const bottomRight2 = second[index + width + 1] as number;
      const topRight3 = third[index - width + 1] as number;
      const right3 = third[index + 1] as number;
      const bottomRight3 = third[index + width + 1] as number;
      const gx1 = (topRight1 + 2 * right1 + bottomRight1 - topLeft1 - 2 * left1 - bottomLeft1) * 0.125;
      const gy1 = (bottomLeft1 + 2 * bottom1 + bottomRight1 - topLeft1 - 2 * top1 - topRight1) * 0.125;
      const gx2 = (topRight2 + 2 * right2 + bottomRight2 - topLeft2 - 2 * left2 - bottomLeft2) * 0.125;
      const gy2 = (bottomLeft2 + 2 * bottom2 + bottomRight2 - topLeft2 - 2 * top2 - topRight2) * 0.125;
      const gx3 = (topRight3 + 2 * right3 + bottomRight3 - topLeft3 - 2 * left3 - bottomLeft3) * 0.125;
      const gy3 = (bottomLeft3 + 2 * bottom3 + bottomRight3 - topLeft3 - 2 * top3 - topRight3) * 0.125;
      topLeft1 = top1;
      top1 = topRight1;
      left1 = middle1;
      middle1 = right1;
      bottomLeft1 = bottom1;
      bottom1 = bottomRight1;
      topLeft2 = top2;
      top2 = topRight2;
      left2 = middle2;
      middle2 = right2;
      bottomLeft2 = bottom2;
      bottom2 = bottomRight2;
      topLeft3 = top3;
      top3 = topRight3;
      left3 = middle3;
      middle3 = right3;
      bottomLeft3 = bottom3;
      bottom3 = bottomRight3;
      // Channel after channel, a stronger one replacing the stored (float32) winner.
      let best = 0;
      let bestX = 0;
      let bestY = 0;
      let won = false;
      const strength1 = Math.sqrt(gx1 * gx1 + gy1 * gy1);
      if (!(strength1 <= best)) {
        bestX = gx1;
        bestY = gy1;
        best = Math.fround(strength1);
        won = true;
      }
      const strength2 = Math.sqrt(gx2 * gx2 + gy2 * gy2);
      if (!(strength2 <= best)) {
        bestX = gx2;
        bestY = gy2;
        best = Math.fround(strength2);
        won = true;
      }
      const strength3 = Math.sqrt(gx3 * gx3 + gy3 * gy3);
      if (!(strength3 <= best)) {
        bestX = gx3;
        bestY = gy3;
        best = Math.fround(strength3);
        won = true;
      }
      if (!won) continue;
      gradientX[index] = bestX;
      gradientY[index] = bestY;
      magnitude[index] = best;
    }
  }
}

/** tan(22.5°) and tan(67.5°): the borders between the four gradient directions of non-maximum suppression. */
const TAN_22 = 0.41421356;
const TAN_67 = 2.41421356;

/**
 * Canny edges of one or more channels of the same size: at each pixel the channel with the
 * strongest gradient gives its direction and magnitude (so a red cup on brown wood, close in
 * luma, still has an outline in chroma). With `scratch` every array, the returned map's
 * included, is one of its slots: valid until the next call with the same `scratch`.
 */
export function cannyEdges(channels: GrayImage | readonly GrayImage[], options: Partial<EdgeOptions> = {}, scratch?: ScratchArrays): EdgeMap {
  const { blurPasses, highQuantile, lowShare, minMagnitude } = { ...DEFAULT_OPTIONS, ...options };
  const list = Array.isArray(channels) ? (channels as readonly GrayImage[]) : [channels as GrayImage];
  const { width, height } = list[0] ?? { width: 0, height: 0 };
  const floats = (slot: number) => (scratch ? scratch.float32(slot, width * height) : new Float32Array(width * height));
  const gradientX = floats(0);
  const gradientY = floats(1);
  const magnitude = floats(2);
  // Float32 slots 4 onwards: three per channel for its blur.
  const blurred = list.map((channel, index) => binomialBlur(channel, blurPasses, scratch ? { arrays: scratch, slot: 4 + 3 * index } : undefined).data);
  if (blurred.length === 3) strongestGradientOfThree(blurred as [Float32Array, Float32Array, Float32Array], width, height, gradientX, gradientY, magnitude);
  else for (const channel of blurred) strongerGradient(channel, width, height, gradientX, gradientY, magnitude);

  // Non-maximum suppression along the gradient, quantised to 4 directions; a histogram of the survivors for the thresholds.
  const thin = floats(3);
  const histogram = new Uint32Array(1024);
  let survivors = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const index = y * width + x;
      const value = magnitude[index] as number;
      if (value === 0) continue;
      const gx = gradientX[index] as number;
      const gy = gradientY[index] as number;
      const absX = Math.abs(gx);
      const absY = Math.abs(gy);
      let step: number;
      if (absY <= absX * TAN_22) step = 1;
      else if (absY >= absX * TAN_67) step = width;
      else step = gx * gy > 0 ? width + 1 : width - 1;
      if (value >= (magnitude[index + step] as number) && value > (magnitude[index - step] as number)) {
        thin[index] = value;
        const bucket = Math.min(1023, Math.floor(value * 4));
        histogram[bucket] = (histogram[bucket] as number) + 1;
        survivors++;
      }
    }
  }
  let rank = Math.floor((survivors - 1) * highQuantile);
  let bin = 0;
  while (bin < 1023 && rank >= (histogram[bin] ?? 0)) rank -= histogram[bin++] ?? 0;
  const high = Math.max(minMagnitude, bin / 4);
  const low = high * lowShare;
  const edges = scratch ? scratch.uint8(0, width * height) : new Uint8Array(width * height);
  const stack = scratch ? scratch.int32(0, width * height) : new Int32Array(width * height);
  for (let index = 0; index < thin.length; index++) {
    if ((thin[index] ?? 0) < high || edges[index]) continue;
    edges[index] = 1;
    let depth = 0;
    stack[depth++] = index;
    while (depth > 0) {
      const current = stack[--depth] ?? 0;
      const x = current % width;
      for (let dy = -width; dy <= width; dy += width) {
        for (let dx = x > 0 ? -1 : 0; dx <= (x < width - 1 ? 1 : 0); dx++) {
          const next = current + dy + dx;
          if (next < 0 || next >= thin.length || edges[next] || (thin[next] ?? 0) < low) continue;
          edges[next] = 1;
          stack[depth++] = next;
        }
      }
    }
  }
  return { width, height, edges, gradientX, gradientY };
}

/** Neighbour offsets (x, then y), the 4-connected ones first so chains follow straight steps before diagonal ones. */
const STEP_XS = Int8Array.from([1, 0, -1, 0, 1, -1, -1, 1]);
const STEP_YS = Int8Array.from([0, 1, 0, -1, 1, 1, -1, -1]);

/**
 * Traces edge pixels into chains of 8-connected pixels (ordered x, y pairs). Chains start at
 * end points first, then on closed loops; a junction ends one chain and starts another.
 * The chains are views into two arrays of points shared by all of them (a panel has hundreds
 * of chains: hundreds of small arrays each, and their collection, in Chromium's baseline tiers).
 * `scratch` lends its uint8 slot 1 for the pixels visited and its int32 slots 1 and 2 for the
 * points: then the chains are valid until the next call with the same `scratch`.
 */
export function traceEdgeChains(map: EdgeMap, minLength: number, scratch?: ScratchArrays): { xs: Int32Array; ys: Int32Array }[] {
  const { width, height, edges } = map;
  const area = width * height;
  const visited = scratch ? scratch.uint8(1, area) : new Uint8Array(area);
  // Every edge pixel joins at most one chain, so the chains fit in one array of pixels per coordinate.
  const pointXs = scratch ? scratch.int32(1, area) : new Int32Array(area);
  const pointYs = scratch ? scratch.int32(2, area) : new Int32Array(area);
  let used = 0;
  const chains: { xs: Int32Array; ys: Int32Array }[] = [];
  // The two walks from a start pixel, as growable buffers reused for every chain.
  let forward = new Int32Array(512);
  let backward = new Int32Array(512);

  const grow = (buffer: Int32Array) => {
    const larger = new Int32Array(buffer.length * 2);
    larger.set(buffer);
    return larger;
  };

  /** Walks from (x, y) over unvisited edge pixels, the first free step each time; leaves x, y pairs in `forward` (or `backward`) and returns their count. */
  const walk = (startX: number, startY: number, intoForward: boolean): number => {
    let path = intoForward ? forward : backward;
    let length = 0;
    let x = startX;
    let y = startY;
    for (;;) {
      let moved = false;
      for (let step = 0; step < 8; step++) {
        const nextX = x + (STEP_XS[step] as number);
        const nextY = y + (STEP_YS[step] as number);
        if (nextX < 0 || nextY < 0 || nextX >= width || nextY >= height) continue;
        const next = nextY * width + nextX;
        if (edges[next] !== 1 || visited[next]) continue;
        visited[next] = 1;
        if (length + 2 > path.length) {
          path = grow(path);
          if (intoForward) forward = path;
          else backward = path;
        }
        path[length++] = nextX;
        path[length++] = nextY;
        x = nextX;
        y = nextY;
        moved = true;
        break;
      }
      if (!moved) return length / 2;
    }
  };

  const traceFrom = (x: number, y: number) => {
    visited[y * width + x] = 1;
    const ahead = walk(x, y, true);
    const behind = walk(x, y, false);
    const count = behind + 1 + ahead;
    if (count < minLength) return;
    // The backward walk reversed, the start, then the forward walk.
    for (let point = 0; point < behind; point++) {
      pointXs[used + behind - 1 - point] = backward[point * 2] as number;
      pointYs[used + behind - 1 - point] = backward[point * 2 + 1] as number;
    }
    pointXs[used + behind] = x;
    pointYs[used + behind] = y;
    for (let point = 0; point < ahead; point++) {
      pointXs[used + behind + 1 + point] = forward[point * 2] as number;
      pointYs[used + behind + 1 + point] = forward[point * 2 + 1] as number;
    }
    chains.push({ xs: pointXs.subarray(used, used + count), ys: pointYs.subarray(used, used + count) });
    used += count;
  };

  for (const endpointsOnly of [true, false]) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const index = y * width + x;
        if (edges[index] !== 1 || visited[index]) continue;
        if (endpointsOnly && neighbourCount(edges, width, height, x, y) !== 1) continue;
        traceFrom(x, y);
      }
    }
  }
  return chains;
}

/** Edge pixels among the 8 neighbours of (x, y). */
function neighbourCount(edges: Uint8Array, width: number, height: number, x: number, y: number): number {
  let count = 0;
  for (let dy = -1; dy <= 1; dy++) {
    const row = y + dy;
    if (row < 0 || row >= height) continue;
    for (let dx = -1; dx <= 1; dx++) {
      const column = x + dx;
      if ((dx === 0 && dy === 0) || column < 0 || column >= width) continue;
      if (edges[row * width + column] === 1) count++;
    }
  }
  return count;
}
