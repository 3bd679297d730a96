/**
 * Pixel helpers the signals share: luma of native-resolution tiles inside a mask, box means,
 * robust statistics, a cheap block-averaged thumbnail, and the panel's own noise floor.
 */
import { ScratchArrays } from '../regions/scratch';
import type { RegionMask } from '../regions/types';
import { selectInPlace } from '../image';
import type { Box, RgbaImage } from '../types';

/** Mask values at or above this are inside the region (the contract's threshold). */
export const MASK_INSIDE = 128;

export function clamp01(value: number): number {
  return value < 0 ? 0 : value > 1 ? 1 : value;
}

export function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** Rec. 601 luma of the RGBA pixel at byte offset `offset`. */
export function lumaAtOffset(rgba: Uint8ClampedArray, offset: number): number {
  return 0.299 * (rgba[offset] ?? 0) + 0.587 * (rgba[offset + 1] ?? 0) + 0.114 * (rgba[offset + 2] ?? 0);
}

/** A luma window cut from the panel at native resolution; `box` is where it sits in the panel. */
export interface LumaWindow {
  data: Float32Array;
  width: number;
  height: number;
  box: Box;
}

/** Integer box clamped to a width × height grid; may come out empty. */
export function clampBox([x, y, width, height]: Box, gridWidth: number, gridHeight: number): Box {
  const left = Math.max(0, Math.floor(x));
  const top = Math.max(0, Math.floor(y));
  const right = Math.min(gridWidth, Math.ceil(x + width));
  const bottom = Math.min(gridHeight, Math.ceil(y + height));
  return [left, top, Math.max(0, right - left), Math.max(0, bottom - top)];
}

export function growBox([x, y, width, height]: Box, margin: number): Box {
  return [x - margin, y - margin, width + 2 * margin, height + 2 * margin];
}

/** Native-resolution luma of `box` (clamped to the panel). */
export function lumaWindow(panel: RgbaImage, box: Box): LumaWindow {
  const [, , width, height] = clampBox(box, panel.width, panel.height);
  return lumaWindowInto(panel, box, new Float32Array(width * height));
}

/**
 * `lumaWindow` written into `buffer` (at least the clamped box's width × height long), for per-tile loops
 * that reuse one buffer; the window's `data` is that buffer, indexed by the window's own width.
 */
export function lumaWindowInto(panel: RgbaImage, box: Box, buffer: Float32Array): LumaWindow {
  const clamped = clampBox(box, panel.width, panel.height);
  const [left, top, width, height] = clamped;
  const data = buffer;
  const rgba = panel.data;
  for (let row = 0; row < height; row++) lumaRowInto(rgba, ((top + row) * panel.width + left) * 4, data, row * width, width);
  return { data, width, height, box: clamped };
}

/**
 * `count` pixels' luma from byte offset `offset` of `rgba` into `data` from `start` (lumaAtOffset written out). A small
 * function called for every row: V8 optimises it sooner than a loop inside a large one (a session's first cards).
 */
export function lumaRowInto(rgba: Uint8ClampedArray, offset: number, data: Float32Array, start: number, count: number): void {
  for (let index = start, end = start + count; index < end; index++, offset += 4) data[index] = 0.299 * (rgba[offset] as number) + 0.587 * (rgba[offset + 1] as number) + 0.114 * (rgba[offset + 2] as number);
}

/**
 * Mean over a (2·radius+1)² square around every pixel, edges clamped: two running-sum passes,
 * so the cost does not grow with the radius. The clamped edges are handled apart from the
 * interior, so the interior's loops need no clamping; the sums run in the same order either way.
 */
export function boxMean(
  source: Float32Array,
  width: number,
  height: number,
  radius: number,
  out = new Float32Array(width * height),
  horizontal = new Float32Array(width * height),
): Float32Array {
  const span = 2 * radius + 1;
  // Columns (rows) whose leaving and entering samples both lie inside the grid: [radius + 1, width − radius − 1).
  const columnsFrom = Math.min(width, radius + 1);
  const columnsTo = Math.max(columnsFrom, width - radius - 1);
  for (let row = 0; row < height; row++) {
    const base = row * width;
    const last = base + width - 1;
    let sum = 0;
    for (let offset = -radius; offset <= radius; offset++) sum += source[base + Math.min(width - 1, Math.max(0, offset))] as number;
    let column = 0;
    for (; column < columnsFrom; column++) {
      horizontal[base + column] = sum / span;
      sum += (source[Math.min(last, base + column + radius + 1)] as number) - (source[base + Math.max(0, column - radius)] as number);
    }
    for (; column < columnsTo; column++) {
      horizontal[base + column] = sum / span;
      sum += (source[base + column + radius + 1] as number) - (source[base + column - radius] as number);
    }
    for (; column < width; column++) {
      horizontal[base + column] = sum / span;
      sum += (source[Math.min(last, base + column + radius + 1)] as number) - (source[base + Math.max(0, column - radius)] as number);
    }
  }
  const rowsFrom = Math.min(height, radius + 1);
  const rowsTo = Math.max(rowsFrom, height - radius - 1);
  const lastRow = (height - 1) * width;
  const reach = (radius + 1) * width;
  const back = radius * width;
  for (let column = 0; column < width; column++) {
    let sum = 0;
    for (let offset = -radius; offset <= radius; offset++) sum += horizontal[Math.min(height - 1, Math.max(0, offset)) * width + column] as number;
    let row = 0;
    let index = column;
    for (; row < rowsFrom; row++, index += width) {
      out[index] = sum / span;
      sum += (horizontal[Math.min(lastRow + column, index + reach)] as number) - (horizontal[Math.max(column, index - back)] as number);
    }
    for (; row < rowsTo; row++, index += width) {
      out[index] = sum / span;
      sum += (horizontal[index + reach] as number) - (horizontal[index - back] as number);
    }
    for (; row < height; row++, index += width) {
      out[index] = sum / span;
      sum += (horizontal[Math.min(lastRow + column, index + reach)] as number) - (horizontal[Math.max(column, index - back)] as number);
    }
  }
  return out;
}

/**
 * `boxMean` at the pixels of `region` only ([left, top, width, height] within the grid), written to `out`
 * at the same indices as `boxMean` would (the rest of `out` is left as it was); `horizontal` is scratch
 * of the grid's size. For luma levels (0-255 as float32, as `lumaWindow` gives) the values are the very
 * same as `boxMean`'s: every running sum of such levels, and of their horizontal means stored as float32
 * (multiples of 2⁻³⁰ below 256), is exact, whichever pixel it starts from and in whichever order it adds.
 * Both passes run row by row (the vertical one keeps a running sum per column), each row in a small
 * function of its own: V8 optimises a small function that runs often sooner than a loop inside a large one.
 */
export function boxMeanIn(
  source: Float32Array,
  width: number,
  height: number,
  radius: number,
  [regionLeft, regionTop, regionWidth, regionHeight]: Box,
  out: Float32Array,
  horizontal: Float32Array,
): Float32Array {
  const regionRight = regionLeft + regionWidth;
  const regionBottom = regionTop + regionHeight;
  const lastRow = height - 1;
  // Horizontal means over the region's columns, on the rows its vertical sums reach (clamped to the grid).
  const rowsFrom = Math.max(0, regionTop - radius);
  const rowsTo = Math.min(lastRow, regionBottom - 1 + radius);
  for (let row = rowsFrom; row <= rowsTo; row++) horizontalMeans(source, row * width, width, radius, regionLeft, regionRight, horizontal);
  if (regionWidth <= 0) return out;
  // Vertical running sums, one per column of the region, started at the region's top row.
  const sums = new Float64Array(regionWidth);
  for (let offset = -radius; offset <= radius; offset++) addRow(horizontal, Math.min(lastRow, Math.max(0, regionTop + offset)) * width + regionLeft, sums, regionWidth, 1);
  const span = 2 * radius + 1;
  for (let row = regionTop; row < regionBottom; row++) {
    verticalMeans(sums, span, out, row * width + regionLeft, regionWidth);
    if (row + 1 < regionBottom) {
      addRow(horizontal, Math.min(lastRow, row + radius + 1) * width + regionLeft, sums, regionWidth, 1);
      addRow(horizontal, Math.max(0, row - radius) * width + regionLeft, sums, regionWidth, -1);
    }
  }
  return out;
}

/** One row of `boxMeanIn`'s horizontal pass: the means over columns [from, to) of the row starting at `base`, edges clamped. */
function horizontalMeans(source: Float32Array, base: number, width: number, radius: number, from: number, to: number, horizontal: Float32Array): void {
  const span = 2 * radius + 1;
  const last = base + width - 1;
  let sum = 0;
  for (let offset = -radius; offset <= radius; offset++) sum += source[Math.min(last, Math.max(base, base + from + offset))] as number;
  // Columns whose leaving and entering samples both lie inside the row need no clamping.
  const interiorFrom = Math.min(to, Math.max(from, radius));
  const interiorTo = Math.max(interiorFrom, Math.min(to, width - radius - 1));
  let column = from;
  for (; column < interiorFrom; column++) {
    horizontal[base + column] = sum / span;
    sum += (source[Math.min(last, base + column + radius + 1)] as number) - (source[base + Math.max(0, column - radius)] as number);
  }
  for (let index = base + column; column < interiorTo; column++, index++) {
    horizontal[index] = sum / span;
    sum += (source[index + radius + 1] as number) - (source[index - radius] as number);
  }
  for (; column < to; column++) {
    horizontal[base + column] = sum / span;
    sum += (source[Math.min(last, base + column + radius + 1)] as number) - (source[base + Math.max(0, column - radius)] as number);
  }
}

/** `sums[i] += sign × values[start + i]` for the region's columns: one row entering (+1) or leaving (−1) the vertical sums. */
function addRow(values: Float32Array, start: number, sums: Float64Array, count: number, sign: number): void {
  for (let column = 0; column < count; column++) sums[column] = (sums[column] as number) + sign * (values[start + column] as number);
}

/** One row of `boxMeanIn`'s vertical pass: each column's running sum / span, written from `start`. */
function verticalMeans(sums: Float64Array, span: number, out: Float32Array, start: number, count: number): void {
  for (let column = 0; column < count; column++) out[start + column] = (sums[column] as number) / span;
}

/** The q-quantile (0-1) of `values`, by sorting a copy; NaN when empty. */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float32Array.from(values).sort();
  const position = clamp01(q) * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  const weight = position - below;
  return (sorted[below] ?? 0) * (1 - weight) + (sorted[above] ?? 0) * weight;
}

export function median(values: ArrayLike<number>): number {
  return quantile(values, 0.5);
}

/**
 * Median of the first `count` values of `scratch` (finite values), reordering them in place (no copy:
 * for per-tile loops). The same value a sort would give: the middle one, or the mean of the middle two.
 */
export function medianInPlace(scratch: Float32Array, count: number): number {
  if (count === 0) return Number.NaN;
  const middle = count >> 1;
  const upper = selectInPlace(scratch, count, middle);
  if (count % 2 === 1) return upper;
  // After selection everything before `middle` is at most `upper`: the lower middle value is their largest.
  let lower = scratch[0] as number;
  for (let index = 1; index < middle; index++) if ((scratch[index] as number) > lower) lower = scratch[index] as number;
  return (lower + upper) / 2;
}

/** Bins per luma level in `LevelHistogram`. */
export const HISTOGRAM_BINS_PER_LEVEL = 4;

/** A histogram of 0-255 levels at a quarter-level resolution: quantiles of many pixels without sorting them. */
export class LevelHistogram {
  readonly counts = new Float64Array(256 * HISTOGRAM_BINS_PER_LEVEL + 1);
  total = 0;

  add(level: number): void {
    const bin = Math.max(0, Math.min(this.counts.length - 1, Math.round(level * HISTOGRAM_BINS_PER_LEVEL)));
    this.counts[bin] = (this.counts[bin] ?? 0) + 1;
    this.total++;
  }

  /** The q-quantile (0-1), to a quarter level; NaN when empty. */
  quantile(q: number): number {
    if (this.total === 0) return Number.NaN;
    const target = clamp01(q) * (this.total - 1);
    let seen = 0;
    for (let bin = 0; bin < this.counts.length; bin++) {
      seen += this.counts[bin] ?? 0;
      if (seen > target) return bin / HISTOGRAM_BINS_PER_LEVEL;
    }
    return 255;
  }
}

/** Whether `mask` marks the panel pixel (x, y) as inside. */
export function inside(mask: RegionMask, x: number, y: number): boolean {
  return (mask.data[y * mask.width + x] ?? 0) >= MASK_INSIDE;
}

/**
 * Square tiles laid on a grid over the mask's box, kept where at least `minCoverage` of the tile is
 * inside; evenly thinned to at most `maxTiles`, so big regions cost no more than small ones while
 * every tile stays at native resolution.
 */
export function tilesInMask(mask: RegionMask, tileSize: number, maxTiles: number, minCoverage = 0.6): Box[] {
  const [boxX, boxY, boxWidth, boxHeight] = clampBox(mask.box, mask.width, mask.height);
  const tiles: Box[] = [];
  const maskData = mask.data;
  const step = Math.max(2, Math.floor(tileSize / 4));
  for (let top = boxY; top + tileSize <= boxY + boxHeight; top += tileSize) {
    for (let left = boxX; left + tileSize <= boxX + boxWidth; left += tileSize) {
      let covered = 0;
      let probes = 0;
      for (let y = top + step / 2; y < top + tileSize; y += step) {
        for (let x = left + step / 2; x < left + tileSize; x += step) {
          probes++;
          if ((maskData[Math.floor(y) * mask.width + Math.floor(x)] as number) >= MASK_INSIDE) covered++;
        }
      }
      if (covered >= minCoverage * probes) tiles.push([left, top, tileSize, tileSize]);
    }
  }
  if (tiles.length <= maxTiles) return tiles;
  const kept: Box[] = [];
  const stride = tiles.length / maxTiles;
  for (let index = 0; index < maxTiles; index++) {
    const tile = tiles[Math.floor(index * stride)];
    if (tile) kept.push(tile);
  }
  return kept;
}

/**
 * Index tables of the thumbnail and the key light, kept from one call to the next (fresh arrays cost the worker page
 * faults and garbage collections); each function here takes what it needs and is done with it before it returns.
 */
const PIXELS_SCRATCH = new ScratchArrays();

/** Whether this machine stores a 32-bit word's lowest byte first (every browser's platform does): RGBA bytes read as one word. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** A small colour and luma copy of the panel: each cell averages up to 4×4 evenly spread source pixels. */
export interface Thumbnail {
  red: Float32Array;
  green: Float32Array;
  blue: Float32Array;
  luma: Float32Array;
  width: number;
  height: number;
  /** Thumbnail size / panel size. */
  scale: number;
}

export function thumbnail(panel: RgbaImage, maxSide: number): Thumbnail {
  const scale = Math.min(1, maxSide / Math.max(panel.width, panel.height));
  const width = Math.max(1, Math.round(panel.width * scale));
  const height = Math.max(1, Math.round(panel.height * scale));
  const size = width * height;
  const red = new Float32Array(size);
  const green = new Float32Array(size);
  const blue = new Float32Array(size);
  const luma = new Float32Array(size);
  const cellWidth = panel.width / width;
  const cellHeight = panel.height / height;
  const samplesX = Math.max(1, Math.min(4, Math.floor(cellWidth)));
  const samplesY = Math.max(1, Math.min(4, Math.floor(cellHeight)));
  // Where each cell's samples sit: byte offsets of the columns, row starts of the rows.
  const sampleColumns = PIXELS_SCRATCH.int32(0, width * samplesX);
  for (let column = 0; column < width; column++) {
    for (let sx = 0; sx < samplesX; sx++) sampleColumns[column * samplesX + sx] = Math.min(panel.width - 1, Math.floor(column * cellWidth + ((sx + 0.5) * cellWidth) / samplesX)) * 4;
  }
  const sampleRows = PIXELS_SCRATCH.int32(1, height * samplesY);
  for (let row = 0; row < height; row++) {
    for (let sy = 0; sy < samplesY; sy++) sampleRows[row * samplesY + sy] = Math.min(panel.height - 1, Math.floor(row * cellHeight + ((sy + 0.5) * cellHeight) / samplesY)) * panel.width * 4;
  }
  const count = samplesX * samplesY;
  const rgba = panel.data;
  if (LITTLE_ENDIAN && rgba.byteOffset % 4 === 0) {
    // Whole pixels as 32-bit words: red and blue summed in one word's two 16-bit halves, green (and alpha) in another.
    // At most 16 samples of 255 per cell, so no half overflows; the integer sums, and so the means, are the same.
    // Signed words: an opaque pixel is a small negative integer, unboxed in V8's lower tiers (unsigned, a heap number per read).
    const pixels = new Int32Array(rgba.buffer, rgba.byteOffset, panel.width * panel.height);
    for (let row = 0; row < height; row++) {
      for (let column = 0; column < width; column++) {
        let redBlue = 0;
        let greenAlpha = 0;
        if (samplesX === 4) {
          // Four samples per row (every panel of 512 pixels and more), written out.
          const first = 4 * column;
          const column0 = (sampleColumns[first] as number) >> 2;
          const column1 = (sampleColumns[first + 1] as number) >> 2;
          const column2 = (sampleColumns[first + 2] as number) >> 2;
          const column3 = (sampleColumns[first + 3] as number) >> 2;
          for (let sy = 0; sy < samplesY; sy++) {
            const rowStart = (sampleRows[row * samplesY + sy] as number) >> 2;
            const pixel0 = pixels[rowStart + column0] as number;
            const pixel1 = pixels[rowStart + column1] as number;
            const pixel2 = pixels[rowStart + column2] as number;
            const pixel3 = pixels[rowStart + column3] as number;
            redBlue += (pixel0 & 0x00ff00ff) + (pixel1 & 0x00ff00ff) + (pixel2 & 0x00ff00ff) + (pixel3 & 0x00ff00ff);
            greenAlpha += ((pixel0 >>> 8) & 0x00ff00ff) + ((pixel1 >>> 8) & 0x00ff00ff) + ((pixel2 >>> 8) & 0x00ff00ff) + ((pixel3 >>> 8) & 0x00ff00ff);
          }
        } else {
          for (let sy = 0; sy < samplesY; sy++) {
            const rowStart = (sampleRows[row * samplesY + sy] as number) >> 2;
            for (let sample = column * samplesX, end = sample + samplesX; sample < end; sample++) {
              const pixel = pixels[rowStart + ((sampleColumns[sample] as number) >> 2)] as number;
              redBlue += pixel & 0x00ff00ff;
              greenAlpha += (pixel >>> 8) & 0x00ff00ff;
            }
          }
        }
        const index = row * width + column;
        red[index] = (redBlue & 0xffff) / count;
        green[index] = (greenAlpha & 0xffff) / count;
        blue[index] = (redBlue >>> 16) / count;
        luma[index] = 0.299 * (red[index] as number) + 0.587 * (green[index] as number) + 0.114 * (blue[index] as number);
      }
    }
    return { red, green, blue, luma, width, height, scale: width / panel.width };
  }
  for (let row = 0; row < height; row++) {
    for (let column = 0; column < width; column++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sy = 0; sy < samplesY; sy++) {
        const rowStart = sampleRows[row * samplesY + sy] as number;
        for (let sx = 0; sx < samplesX; sx++) {
          const offset = rowStart + (sampleColumns[column * samplesX + sx] as number);
          r += rgba[offset] as number;
          g += rgba[offset + 1] as number;
          b += rgba[offset + 2] as number;
        }
      }
      const index = row * width + column;
      red[index] = r / count;
      green[index] = g / count;
      blue[index] = b / count;
      luma[index] = 0.299 * (red[index] as number) + 0.587 * (green[index] as number) + 0.114 * (blue[index] as number);
    }
  }
  return { red, green, blue, luma, width, height, scale: width / panel.width };
}

/** Tile side for texture statistics, native pixels. */
export const TEXTURE_TILE = 16;
/** Mid-tone range where grain is judged: clipped tiles have no grain to show. */
const NOISE_TILE_MIN_LUMA = 24;
const NOISE_TILE_MAX_LUMA = 232;
/** The flattest share of background tiles whose grain stands for the panel's noise. */
const NOISE_FLOOR_QUANTILE = 0.25;
/** Grid size for the noise-floor tiles: enough to find flat patches, cheap on big panels. */
const NOISE_GRID = 12;
/** Levels at or beyond which a pixel is clipped: a tile holding one is no measure of grain. */
const CLIPPED_LOW = 8;
const CLIPPED_HIGH = 250;

/** Below this the panel is treated as noise-free (e.g. a synthetic image): avoids dividing by zero. */
export const MIN_NOISE_FLOOR = 0.35;

/**
 * The panel's own grain: median |fine residual| of the flattest quarter of mid-tone tiles outside
 * the given regions, leaving out any tile with a clipped pixel (a tone curve that crushes part of a
 * tile would otherwise pass for a smoother image). Skin or fabric smoother than the wall behind it is smoothed; this is the yardstick.
 */
export function panelNoiseFloor(panel: RgbaImage, excluded: (x: number, y: number) => boolean): number {
  const tileValues: number[] = [];
  const side = TEXTURE_TILE + 2;
  const stepX = Math.max(TEXTURE_TILE, Math.floor(panel.width / NOISE_GRID));
  const stepY = Math.max(TEXTURE_TILE, Math.floor(panel.height / NOISE_GRID));
  const luma = new Float32Array(side * side);
  const columnSums = new Float64Array(side);
  const residuals = new Float32Array(TEXTURE_TILE * TEXTURE_TILE);
  for (let top = 0; top + side <= panel.height; top += stepY) {
    for (let left = 0; left + side <= panel.width; left += stepX) {
      if (excluded(left + side / 2, top + side / 2)) continue;
      const grain = tileGrain(panel, left, top, luma, columnSums, residuals);
      if (grain >= 0) tileValues.push(grain);
    }
  }
  if (tileValues.length === 0) return MIN_NOISE_FLOOR;
  return Math.max(MIN_NOISE_FLOOR, quantile(tileValues, NOISE_FLOOR_QUANTILE));
}

/**
 * One noise-floor tile at (left, top): the median |luma − 3×3 mean| over its inner pixels, or −1 when it holds a clipped
 * pixel or its mean lies outside the mid-tones. A function of its own, called for every tile: V8 optimises a small
 * function that runs often sooner than the loop of a large one, which matters on a session's first cards.
 */
function tileGrain(panel: RgbaImage, left: number, top: number, luma: Float32Array, columnSums: Float64Array, residuals: Float32Array): number {
  const side = TEXTURE_TILE + 2;
  const rgba = panel.data;
  let sum = 0;
  for (let row = 0; row < side; row++) {
    let offset = ((top + row) * panel.width + left) * 4;
    for (let column = 0, index = row * side; column < side; column++, offset += 4, index++) {
      const value = 0.299 * (rgba[offset] as number) + 0.587 * (rgba[offset + 1] as number) + 0.114 * (rgba[offset + 2] as number);
      // A clipped pixel leaves the whole tile out: the rest of its levels are not needed.
      if (value <= CLIPPED_LOW || value >= CLIPPED_HIGH) return -1;
      luma[index] = value;
      sum += value;
    }
  }
  const tileMean = sum / (side * side);
  if (tileMean < NOISE_TILE_MIN_LUMA || tileMean > NOISE_TILE_MAX_LUMA) return -1;
  let count = 0;
  for (let row = 1; row < side - 1; row++) {
    // The 3×3 sums from column sums of three rows. Sums of float32 luma levels (multiples of 2⁻²⁷ below 256) are
    // exact in doubles, so any order of adding the nine gives the very same sum.
    for (let column = 0, index = row * side; column < side; column++, index++) {
      columnSums[column] = (luma[index - side] as number) + (luma[index] as number) + (luma[index + side] as number);
    }
    let previous = columnSums[0] as number;
    let current = columnSums[1] as number;
    for (let column = 1, index = row * side + 1; column < side - 1; column++, index++) {
      const next = columnSums[column + 1] as number;
      residuals[count++] = Math.abs((luma[index] as number) - (previous + current + next) / 9);
      previous = current;
      current = next;
    }
  }
  return medianInPlace(residuals, count);
}

/** Longest side of a heatmap, in cells: enough for the overlay, small in the result. */
const HEATMAP_MAX_SIDE = 128;

/** A coarse heat grid over the panel; painting keeps the worst value per cell. */
export class HeatGrid {
  readonly data: Float32Array;
  readonly width: number;
  readonly height: number;
  readonly scale: number;

  constructor(panelWidth: number, panelHeight: number) {
    this.scale = Math.min(1, HEATMAP_MAX_SIDE / Math.max(1, panelWidth, panelHeight));
    this.width = Math.max(1, Math.round(panelWidth * this.scale));
    this.height = Math.max(1, Math.round(panelHeight * this.scale));
    this.data = new Float32Array(this.width * this.height);
  }

  /** Raises every cell under the panel box `[x, y, width, height]` to at least `heat` (0-1). */
  paint(box: Box, heat: number): void {
    this.paintBox(box[0], box[1], box[2], box[3], heat);
  }

  /** `paint` with the box as four numbers: no array per call, for loops that paint many small boxes. */
  paintBox(x: number, y: number, width: number, height: number, heat: number): void {
    const value = clamp01(heat);
    const left = Math.max(0, Math.floor(x * this.scale));
    const top = Math.max(0, Math.floor(y * this.scale));
    const right = Math.min(this.width, Math.max(left + 1, Math.ceil((x + width) * this.scale)));
    const bottom = Math.min(this.height, Math.max(top + 1, Math.ceil((y + height) * this.scale)));
    for (let row = top; row < bottom; row++) {
      for (let column = left; column < right; column++) {
        const index = row * this.width + column;
        if ((this.data[index] ?? 0) < value) this.data[index] = value;
      }
    }
  }

  toHeatmap(): { data: Float32Array; width: number; height: number; scale: number } {
    return { data: this.data, width: this.width, height: this.height, scale: this.scale };
  }
}

/** Weighted mean of the terms' credibilities as a 0-100 score, one decimal; 50 when no term applied. */
export function scoreFromTerms(terms: ({ value: number; weight: number } | null)[]): number {
  let sum = 0;
  let weights = 0;
  for (const term of terms) {
    if (!term || !Number.isFinite(term.value)) continue;
    sum += clamp01(term.value) * term.weight;
    weights += term.weight;
  }
  return weights === 0 ? 50 : Math.round((1000 * sum) / weights) / 10;
}

/**
 * How a ratio against a yardstick (texture / the panel's grain) becomes credibility, on a log
 * scale: one half at `even`, 1 at `octaves` doublings above it, 0 at as many halvings below. Halving the ratio always
 * costs the same, whether the panel started rich or poor in texture.
 */
export function logCredibility(ratio: number, even: number, octaves = 2): number {
  if (!(ratio > 0)) return 0;
  return clamp01(0.5 + Math.log2(ratio / even) / (2 * octaves));
}

/**
 * How a "more is better" ratio becomes credibility: 0 at 0, one half at `half`, approaching 1 slowly
 * (r / (r + half)), so the term keeps ranking two panels even when both are good.
 */
export function saturating(ratio: number, half: number): number {
  return ratio <= 0 ? 0 : ratio / (ratio + half);
}

/**
 * Direction the light comes from, as the rank-weighted brightness centroid of the given pixels
 * around their centre: x right, y down, each about -1 to 1 (a full left-to-right ramp gives x = 1).
 * Ranks, not levels, so a tone curve (crushed shadows, lifted blacks) does not move it.
 */
export function keyLightDirection(luma: ArrayLike<number>, width: number, height: number, include?: (index: number) => boolean): [number, number] {
  if (!include) return keyLightOfGrid(luma, width, height);
  const size = width * height;
  const indices = PIXELS_SCRATCH.int32(0, size);
  let count = 0;
  for (let index = 0; index < size; index++) if (!include || include(index)) indices[count++] = index;
  if (count < 2) return [0, 0];
  let centreX = 0;
  let centreY = 0;
  for (let at = 0; at < count; at++) {
    const index = indices[at] as number;
    centreX += index % width;
    centreY += Math.floor(index / width);
  }
  centreX /= count;
  centreY /= count;
  let extentX = 0;
  let extentY = 0;
  for (let at = 0; at < count; at++) {
    const index = indices[at] as number;
    extentX = Math.max(extentX, Math.abs((index % width) - centreX));
    extentY = Math.max(extentY, Math.abs(Math.floor(index / width) - centreY));
  }
  // Ranks by counting (quarter-level bins): pixels in one bin share its mean rank, so a flat crushed area weighs nothing either way.
  const bins = 256 * HISTOGRAM_BINS_PER_LEVEL + 1;
  const binOfIndex = PIXELS_SCRATCH.int32(1, count);
  const counts = new Float64Array(bins);
  for (let at = 0; at < count; at++) {
    const bin = Math.max(0, Math.min(bins - 1, Math.round((luma[indices[at] as number] ?? 0) * HISTOGRAM_BINS_PER_LEVEL)));
    binOfIndex[at] = bin;
    counts[bin] = (counts[bin] as number) + 1;
  }
  const sharedRank = sharedRanksOfBins(counts, count);
  let x = 0;
  let y = 0;
  const spanX = Math.max(1, extentX);
  const spanY = Math.max(1, extentY);
  for (let at = 0; at < count; at++) {
    const index = indices[at] as number;
    const weight = sharedRank[binOfIndex[at] as number] as number;
    x += (weight * ((index % width) - centreX)) / spanX;
    y += (weight * (Math.floor(index / width) - centreY)) / spanY;
  }
  return [(6 * x) / count, (6 * y) / count];
}

/** Each bin's rank (−0.5 to 0.5) shared by the pixels in it: the mean of the ranks they span. */
function sharedRanksOfBins(counts: Float64Array, count: number): Float64Array {
  const sharedRank = new Float64Array(counts.length);
  let below = 0;
  for (let bin = 0; bin < counts.length; bin++) {
    const binCount = counts[bin] as number;
    sharedRank[bin] = (below + (binCount - 1) / 2) / (count - 1) - 0.5;
    below += binCount;
  }
  return sharedRank;
}

/**
 * `keyLightDirection` over every pixel, walked by row and column: no index list, no division per pixel (what a
 * session's first cards run in V8's lower tiers). Centre and extents in closed form: integer sums are exact, and
 * the farthest column and row from the centre are the grid's first or last.
 */
function keyLightOfGrid(luma: ArrayLike<number>, width: number, height: number): [number, number] {
  const count = width * height;
  if (count < 2) return [0, 0];
  const centreX = (height * ((width * (width - 1)) / 2)) / count;
  const centreY = (width * ((height * (height - 1)) / 2)) / count;
  const extentX = Math.max(Math.abs(0 - centreX), Math.abs(width - 1 - centreX));
  const extentY = Math.max(Math.abs(0 - centreY), Math.abs(height - 1 - centreY));
  const bins = 256 * HISTOGRAM_BINS_PER_LEVEL + 1;
  const binOfIndex = PIXELS_SCRATCH.int32(1, count);
  const counts = new Float64Array(bins);
  for (let index = 0; index < count; index++) {
    const bin = Math.max(0, Math.min(bins - 1, Math.round((luma[index] ?? 0) * HISTOGRAM_BINS_PER_LEVEL)));
    binOfIndex[index] = bin;
    counts[bin] = (counts[bin] as number) + 1;
  }
  const sharedRank = sharedRanksOfBins(counts, count);
  let x = 0;
  let y = 0;
  const spanX = Math.max(1, extentX);
  const spanY = Math.max(1, extentY);
  for (let row = 0, index = 0; row < height; row++) {
    for (let column = 0; column < width; column++, index++) {
      const weight = sharedRank[binOfIndex[index] as number] as number;
      x += (weight * (column - centreX)) / spanX;
      y += (weight * (row - centreY)) / spanY;
    }
  }
  return [(6 * x) / count, (6 * y) / count];
}
