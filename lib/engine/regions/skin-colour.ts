/**
 * A skin-colour model fitted to one face: a Gaussian over chroma with a luminance band, so
 * skin in shade still counts while garments and backgrounds of another hue do not. Chroma is
 * full-range BT.601 YCbCr's (Cb − 128, Cr − 128), lifted to the face's median luminance for
 * pixels darker than it (`u`, `v` below): shade scales chroma down with Y, so shaded skin would
 * drift towards grey, while bright near-neutral things (white straps, walls) keep their raw,
 * small chroma and stay apart. On grayscale pictures chroma says nothing and the model falls
 * back to luminance alone (`grayscale: true`), which callers should trust less.
 */
import { selectInPlace } from '../image';
import type { Box, RgbaImage } from '../types';
import { clippedBounds, INSIDE } from './mask';
import { ScratchArrays } from './scratch';

export interface SkinModel {
  /** Mean chroma (Cb − 128, Cr − 128), shade-lifted to `referenceLuma`. */
  meanU: number;
  meanV: number;
  /** The face skin's median luminance: darker pixels have their chroma scaled up to it. */
  referenceLuma: number;
  /** Inverse chroma covariance [uu, uv, vv]. */
  inverseCovariance: [number, number, number];
  /** Accepted luminance (Y, 0-255), from the face skin's spread widened for shade and highlights. */
  lumaRange: [number, number];
  grayscale: boolean;
  /** Face-skin pixels the model was fitted to (after outliers were dropped). */
  samples: number;
}

/** Squared Mahalanobis distance in chroma under which a pixel is skin-like: χ²(2 dof) at 97.5 % (99 % lets gold and tan fabrics in, 95 % loses hands in shade). */
export const SKIN_DISTANCE_LIMIT = 7.38;
/** Chroma variance added to the fit (units²): JPEG chroma noise, and faces lit evenly enough to fit too tightly. */
const CHROMA_VARIANCE_FLOOR = 6;
/** Chroma is lifted at most from this luminance (darker pixels have too noisy a chroma to scale). */
const MIN_LIFT_LUMA = 32;
/** A panel is grayscale when 99 % of its pixels are within this chroma distance of neutral. */
const GRAYSCALE_CHROMA = 6;
const MIN_SAMPLES = 100;

export function chromaOf(red: number, green: number, blue: number): { y: number; cb: number; cr: number } {
  return {
    y: 0.299 * red + 0.587 * green + 0.114 * blue,
    cb: 128 - 0.168736 * red - 0.331264 * green + 0.5 * blue,
    cr: 128 + 0.5 * red - 0.418688 * green - 0.081312 * blue,
  };
}

/** Luminance and chroma (u, v) of a colour, lifted to `referenceLuma` when darker than it. */
export function skinChroma(red: number, green: number, blue: number, referenceLuma: number): { y: number; u: number; v: number } {
  const y = 0.299 * red + 0.587 * green + 0.114 * blue;
  const scale = y >= referenceLuma ? 1 : referenceLuma / Math.max(MIN_LIFT_LUMA, y);
  return { y, u: (-0.168736 * red - 0.331264 * green + 0.5 * blue) * scale, v: (0.5 * red - 0.418688 * green - 0.081312 * blue) * scale };
}

/** True when the picture carries no colour to speak of (a black-and-white photo, a sepia scan counts as colour). */
export function isGrayscale(pixels: RgbaImage): boolean {
  const total = pixels.width * pixels.height;
  const step = Math.max(1, Math.floor(total / 20_000));
  // Every sample counts towards the share: once more than 1 % of them all is coloured, the answer is known.
  const samples = Math.ceil(total / step);
  let sampled = 0;
  let coloured = 0;
  for (let pixel = 0; pixel < total; pixel += step) {
    const offset = pixel * 4;
    const red = pixels.data[offset] as number;
    const green = pixels.data[offset + 1] as number;
    const blue = pixels.data[offset + 2] as number;
    // chromaOf's Cb and Cr, without an object per sample.
    const cb = 128 - 0.168736 * red - 0.331264 * green + 0.5 * blue;
    const cr = 128 + 0.5 * red - 0.418688 * green - 0.081312 * blue;
    sampled++;
    if (Math.hypot(cb - 128, cr - 128) > GRAYSCALE_CHROMA && ++coloured > samples * 0.01) return false;
  }
  return coloured <= sampled * 0.01;
}

/** The value at `share` of the way through `values` sorted ascending (nearest rank); `values` is reordered. */
function percentile(values: Float32Array, share: number): number {
  if (values.length === 0) return 0;
  return selectInPlace(values, values.length, Math.min(values.length - 1, Math.max(0, Math.round((values.length - 1) * share))));
}

/** The fit's samples, deviations and histogram, reused from fit to fit (two per panel; none outlives it). */
const FIT_SCRATCH = new ScratchArrays();
const FIT_SLOTS = { us: 0, vs: 1, lumas: 2, deviations: 3, keptLumas: 4 } as const;

/** Median of values in −400…400 to a tenth, by histogram (sorting tens of thousands of values per call costs more). */
function median(values: Float32Array): number {
  const bins = 8001;
  const histogram = FIT_SCRATCH.uint32(0, bins);
  for (const value of values) {
    const bin = Math.min(bins - 1, Math.max(0, Math.round((value + 400) * 10)));
    histogram[bin] = (histogram[bin] ?? 0) + 1;
  }
  let rank = (values.length - 1) >> 1;
  let bin = 0;
  while (bin < bins - 1 && rank >= (histogram[bin] ?? 0)) rank -= histogram[bin++] ?? 0;
  return bin / 10 - 400;
}

/** At most this many face pixels are sampled (evenly) for the fit. */
const MAX_SAMPLES = 40_000;

/**
 * Fits the model to the pixels of `region` (the face skin). Two robust passes: a median/MAD box
 * drops hair, glasses and shadows, then a Gaussian fit drops what lies beyond the χ² limit.
 * Null when fewer than 100 pixels are left.
 */
export function fitSkinModel(pixels: RgbaImage, region: Uint8Array, grayscale = isGrayscale(pixels), within?: Box | null): SkinModel | null {
  const [left, top, right, bottom] = clippedBounds(pixels.width, pixels.height, within);
  let inside = 0;
  for (let y = top; y < bottom; y++) for (let pixel = y * pixels.width + left; pixel < y * pixels.width + right; pixel++) if ((region[pixel] ?? 0) >= INSIDE) inside++;
  if (inside < MIN_SAMPLES) return null;
  const stride = Math.max(1, Math.ceil(inside / MAX_SAMPLES));
  const count = Math.ceil(inside / stride);
  const us = FIT_SCRATCH.float32(FIT_SLOTS.us, count);
  const vs = FIT_SCRATCH.float32(FIT_SLOTS.vs, count);
  const lumas = FIT_SCRATCH.float32(FIT_SLOTS.lumas, count);
  let taken = 0;
  // Every stride-th inside pixel, in scan order.
  let seen = 0;
  for (let row = top; row < bottom && taken < count; row++) {
    for (let pixel = row * pixels.width + left; pixel < row * pixels.width + right && taken < count; pixel++) {
      if ((region[pixel] ?? 0) < INSIDE || seen++ % stride !== 0) continue;
      const offset = pixel * 4;
      const red = pixels.data[offset] ?? 0;
      const green = pixels.data[offset + 1] ?? 0;
      const blue = pixels.data[offset + 2] ?? 0;
      // skinChroma with no lift (reference luma 0: the scale is 1), without an object per sample.
      lumas[taken] = 0.299 * red + 0.587 * green + 0.114 * blue;
      us[taken] = -0.168736 * red - 0.331264 * green + 0.5 * blue;
      vs[taken] = 0.5 * red - 0.418688 * green - 0.081312 * blue;
      taken++;
    }
  }
  const referenceLuma = median(lumas.subarray(0, taken));
  for (let index = 0; index < taken; index++) {
    const luma = lumas[index] ?? 0;
    if (luma >= referenceLuma) continue;
    const lift = referenceLuma / Math.max(MIN_LIFT_LUMA, luma);
    us[index] = (us[index] ?? 0) * lift;
    vs[index] = (vs[index] ?? 0) * lift;
  }

  const medianU = median(us);
  const medianV = median(vs);
  const medianY = referenceLuma;
  const madU = Math.max(1.5, median(deviationsFrom(us, medianU)));
  const madV = Math.max(1.5, median(deviationsFrom(vs, medianV)));
  const madY = Math.max(4, median(deviationsFrom(lumas, medianY)));
  // Pass 1: a box of 3 MADs (≈ 2 σ) round the median in chroma, 4 in luminance.
  const kept = FIT_SCRATCH.uint8(0, taken);
  for (let index = 0; index < taken; index++) {
    kept[index] =
      Math.abs((us[index] ?? 0) - medianU) <= 3 * madU && Math.abs((vs[index] ?? 0) - medianV) <= 3 * madV && Math.abs((lumas[index] ?? 0) - medianY) <= 4 * madY ? 1 : 0;
  }
  let model = gaussianOver(kept, us, vs);
  // Pass 2: refit on what the first Gaussian accepts.
  let keptCount = 0;
  for (let index = 0; index < taken; index++) {
    if (kept[index] && mahalanobis(model, us[index] ?? 0, vs[index] ?? 0) > SKIN_DISTANCE_LIMIT) kept[index] = 0;
    keptCount += kept[index] ?? 0;
  }
  if (keptCount < MIN_SAMPLES / stride) return null;
  model = gaussianOver(kept, us, vs);

  const keptLumas = FIT_SCRATCH.float32(FIT_SLOTS.keptLumas, keptCount);
  for (let index = 0, next = 0; index < taken; index++) if (kept[index]) keptLumas[next++] = lumas[index] ?? 0;
  const low = percentile(keptLumas, 0.05);
  const high = percentile(keptLumas, 0.95);
  // Skin in shade is much darker than the lit face; highlights a little brighter.
  const lumaRange: [number, number] = [Math.max(0, low * 0.45), Math.min(255, high + 0.35 * (high - low) + 12)];
  return { ...model, referenceLuma, lumaRange, grayscale, samples: keptCount * stride };
}

/** |value − centre| of each value, as float32 (what `values.map` would give), in the fit's deviations slot. */
function deviationsFrom(values: Float32Array, centre: number): Float32Array {
  const deviations = FIT_SCRATCH.float32(FIT_SLOTS.deviations, values.length);
  for (let index = 0; index < values.length; index++) deviations[index] = Math.abs((values[index] as number) - centre);
  return deviations;
}

function gaussianOver(kept: Uint8Array, us: Float32Array, vs: Float32Array): Pick<SkinModel, 'meanU' | 'meanV' | 'inverseCovariance'> {
  let sumU = 0;
  let sumV = 0;
  let count = 0;
  for (let index = 0; index < kept.length; index++) {
    if (!kept[index]) continue;
    sumU += us[index] ?? 0;
    sumV += vs[index] ?? 0;
    count++;
  }
  count = Math.max(1, count);
  const meanU = sumU / count;
  const meanV = sumV / count;
  let xx = 0;
  let xy = 0;
  let yy = 0;
  for (let index = 0; index < kept.length; index++) {
    if (!kept[index]) continue;
    const dx = (us[index] ?? 0) - meanU;
    const dy = (vs[index] ?? 0) - meanV;
    xx += dx * dx;
    xy += dx * dy;
    yy += dy * dy;
  }
  xx = xx / count + CHROMA_VARIANCE_FLOOR;
  xy /= count;
  yy = yy / count + CHROMA_VARIANCE_FLOOR;
  const determinant = xx * yy - xy * xy;
  return { meanU, meanV, inverseCovariance: [yy / determinant, -xy / determinant, xx / determinant] };
}

function mahalanobis(model: Pick<SkinModel, 'meanU' | 'meanV' | 'inverseCovariance'>, u: number, v: number): number {
  const dx = u - model.meanU;
  const dy = v - model.meanV;
  const [xx, xy, yy] = model.inverseCovariance;
  return dx * dx * xx + 2 * dx * dy * xy + dy * dy * yy;
}

/** Squared chroma distance of a colour from the model (0 on grayscale models: chroma is not used). */
export function skinDistance(model: SkinModel, red: number, green: number, blue: number): number {
  if (model.grayscale) return 0;
  const { u, v } = skinChroma(red, green, blue, model.referenceLuma);
  return mahalanobis(model, u, v);
}

/** Whether a colour could be this face's skin: chroma within the χ² limit (colour photos) and luminance in band. */
export function isSkinLike(model: SkinModel, red: number, green: number, blue: number, distanceLimit = SKIN_DISTANCE_LIMIT): boolean {
  const luma = 0.299 * red + 0.587 * green + 0.114 * blue;
  if (luma < model.lumaRange[0] || luma > model.lumaRange[1]) return false;
  return skinDistance(model, red, green, blue) <= distanceLimit;
}

/**
 * `isSkinLike` as a test over an RGBA buffer's pixel offsets, with the model's constants
 * hoisted: the region maps run it on every person pixel.
 */
export function skinTest(
  model: SkinModel,
  data: Uint8ClampedArray,
  distanceLimit = SKIN_DISTANCE_LIMIT,
): (offset: number) => boolean {
  const [low, high] = model.lumaRange;
  const [xx, xy, yy] = model.inverseCovariance;
  const { meanU, meanV, grayscale, referenceLuma } = model;
  return (offset) => {
    const red = data[offset] ?? 0;
    const green = data[offset + 1] ?? 0;
    const blue = data[offset + 2] ?? 0;
    const luma = 0.299 * red + 0.587 * green + 0.114 * blue;
    if (luma < low || luma > high) return false;
    if (grayscale) return true;
    const scale = luma >= referenceLuma ? 1 : referenceLuma / (luma > MIN_LIFT_LUMA ? luma : MIN_LIFT_LUMA);
    const dx = (-0.168736 * red - 0.331264 * green + 0.5 * blue) * scale - meanU;
    const dy = (0.5 * red - 0.418688 * green - 0.081312 * blue) * scale - meanV;
    return dx * dx * xx + 2 * dx * dy * xy + dy * dy * yy <= distanceLimit;
  };
}
