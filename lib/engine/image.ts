/** Pixel-buffer helpers shared by the engine: luma, area-averaging downscale, crops. */
import type { Box, GrayImage, RgbaImage } from './types';

/** Rec. 601 luma weights, the ones JPEG and most vision code use. */
const LUMA_RED = 0.299;
const LUMA_GREEN = 0.587;
const LUMA_BLUE = 0.114;

export function lumaOf(red: number, green: number, blue: number): number {
  return LUMA_RED * red + LUMA_GREEN * green + LUMA_BLUE * blue;
}

/** Rec. 601 luma (0-255) of every pixel; alpha is ignored. */
export function toLuma(img: RgbaImage): GrayImage {
  const pixelCount = img.width * img.height;
  const luma = new Float32Array(pixelCount);
  const rgba = img.data;
  for (let pixel = 0, offset = 0; pixel < pixelCount; pixel++, offset += 4) {
    luma[pixel] =
      LUMA_RED * (rgba[offset] ?? 0) + LUMA_GREEN * (rgba[offset + 1] ?? 0) + LUMA_BLUE * (rgba[offset + 2] ?? 0);
  }
  return { data: luma, width: img.width, height: img.height };
}

/**
 * Shrinks so the longer side is at most `maxSide`, averaging every source pixel that each
 * output pixel covers (a box filter, weighted by partial coverage at the edges).
 * `scale` is output size / source size (1 when the image already fits).
 */
export function downscaleToMax(img: RgbaImage, maxSide: number): { image: RgbaImage; scale: number } {
  const longSide = Math.max(img.width, img.height);
  if (longSide <= maxSide) {
    return { image: { data: new Uint8ClampedArray(img.data), width: img.width, height: img.height }, scale: 1 };
  }
  const scale = maxSide / longSide;
  const outWidth = Math.max(1, Math.round(img.width * scale));
  const outHeight = Math.max(1, Math.round(img.height * scale));
  const columnSpans = coverageSpans(img.width, outWidth);
  const rowSpans = coverageSpans(img.height, outHeight);

  // Horizontal pass into a float buffer, then vertical pass: separable box filter.
  const rowsShrunk = new Float32Array(outWidth * img.height * 4);
  for (let y = 0; y < img.height; y++) {
    const sourceRow = y * img.width * 4;
    const targetRow = y * outWidth * 4;
    for (let outX = 0; outX < outWidth; outX++) {
      accumulateSpan(img.data, sourceRow, 4, columnSpans[outX], rowsShrunk, targetRow + outX * 4);
    }
  }
  const out = new Uint8ClampedArray(outWidth * outHeight * 4);
  const rowStride = outWidth * 4;
  for (let outY = 0; outY < outHeight; outY++) {
    const span = rowSpans[outY];
    for (let column = 0; column < rowStride; column++) {
      let sum = 0;
      if (span) {
        for (let index = 0; index < span.sources.length; index++) {
          sum += (rowsShrunk[(span.sources[index] ?? 0) * rowStride + column] ?? 0) * (span.weights[index] ?? 0);
        }
      }
      out[outY * rowStride + column] = Math.round(sum);
    }
  }
  return { image: { data: out, width: outWidth, height: outHeight }, scale: outWidth / img.width };
}

/** Which source indices (and with what weight, summing to 1) make up each output index. */
interface CoverageSpan {
  sources: number[];
  weights: number[];
}

function coverageSpans(sourceLength: number, targetLength: number): CoverageSpan[] {
  const step = sourceLength / targetLength;
  const spans: CoverageSpan[] = [];
  for (let target = 0; target < targetLength; target++) {
    const start = target * step;
    const end = Math.min(sourceLength, start + step);
    const sources: number[] = [];
    const weights: number[] = [];
    for (let source = Math.floor(start); source < end; source++) {
      const covered = Math.min(end, source + 1) - Math.max(start, source);
      if (covered > 1e-9) {
        sources.push(source);
        weights.push(covered / (end - start));
      }
    }
    spans.push({ sources, weights });
  }
  return spans;
}

function accumulateSpan(
  source: Uint8ClampedArray,
  rowStart: number,
  channels: number,
  span: CoverageSpan | undefined,
  target: Float32Array,
  targetOffset: number,
): void {
  if (!span) return;
  for (let channel = 0; channel < channels; channel++) {
    let sum = 0;
    for (let index = 0; index < span.sources.length; index++) {
      sum += (source[rowStart + (span.sources[index] ?? 0) * channels + channel] ?? 0) * (span.weights[index] ?? 0);
    }
    target[targetOffset + channel] = sum;
  }
}

/**
 * Copies the pixels of `box`, clamped to the image; an empty box gives a 0x0 image. With `into`
 * (at least width × height × 4 bytes), the pixels are written over its start, and the crop's
 * data is that view of it.
 */
export function cropRgba(img: RgbaImage, box: Box, into?: Uint8ClampedArray): RgbaImage {
  const [boxX, boxY, boxWidth, boxHeight] = box;
  const left = clamp(Math.round(boxX), 0, img.width);
  const top = clamp(Math.round(boxY), 0, img.height);
  const right = clamp(Math.round(boxX + boxWidth), left, img.width);
  const bottom = clamp(Math.round(boxY + boxHeight), top, img.height);
  const width = right - left;
  const height = bottom - top;
  const length = width * height * 4;
  // Every byte of the view is written below: rows of width × 4 bytes, height of them.
  const out = into && into.length >= length ? into.subarray(0, length) : new Uint8ClampedArray(length);
  for (let y = 0; y < height; y++) {
    const sourceStart = ((top + y) * img.width + left) * 4;
    out.set(img.data.subarray(sourceStart, sourceStart + width * 4), y * width * 4);
  }
  return { data: out, width, height };
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/**
 * The k-th smallest (0-based) of the first `count` values of `values` (finite), by quickselect:
 * reorders them so that the k-th sits at index k, smaller or equal ones before it, larger or equal after.
 * Linear time: percentiles and per-tile medians of tens of thousands of samples need no full sort.
 */
export function selectInPlace(values: Float32Array, count: number, k: number): number {
  let left = 0;
  let right = count - 1;
  while (right > left) {
    // Median of three as the pivot, so sorted or constant runs do not go quadratic.
    const centre = (left + right) >> 1;
    const a = values[left] as number;
    const b = values[centre] as number;
    const c = values[right] as number;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let low = left;
    let high = right;
    while (low <= high) {
      while ((values[low] as number) < pivot) low++;
      while ((values[high] as number) > pivot) high--;
      if (low <= high) {
        const swap = values[low] as number;
        values[low] = values[high] as number;
        values[high] = swap;
        low++;
        high--;
      }
    }
    if (k <= high) right = high;
    else if (k >= low) left = low;
    else break;
  }
  return values[k] as number;
}
