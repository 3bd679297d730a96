/**
 * The signals' fast paths held to their plain definitions: each rewritten loop (unrolled, clamped
 * apart, computed on part of a window, selection instead of sorting) must give the very same bits
 * as the straightforward code it replaced, on real photo pixels and on random levels.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { rankNormalised } from '../../lib/engine/audit';
import { photoGate } from '../../lib/engine/signals/photo';
import {
  boxMean,
  boxMeanIn,
  clampBox,
  keyLightDirection,
  lumaAtOffset,
  lumaWindow,
  lumaWindowInto,
  medianInPlace,
  thumbnail,
  type LumaWindow,
} from '../../lib/engine/signals/pixels';
import { selectInPlace } from '../../lib/engine/image';
import type { Box, RgbaImage } from '../../lib/engine/types';
import { buildRegionMaps } from '../../lib/engine/regions/build';
import { loadFixture } from './decode';
import { loadRecordedPhoto } from './region-fixtures';

/** Deterministic levels in [0, 1): a small linear congruential generator. */
function levels(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** The mean over the clamped (2r+1)² square as two plain passes: each sum taken afresh, no running sums, no split edges. */
function plainBoxMean(source: Float32Array, width: number, height: number, radius: number): Float32Array {
  const span = 2 * radius + 1;
  const horizontal = new Float32Array(source.length);
  const out = new Float32Array(source.length);
  for (let row = 0; row < height; row++) {
    for (let column = 0; column < width; column++) {
      let sum = 0;
      for (let offset = -radius; offset <= radius; offset++) sum += source[row * width + Math.min(width - 1, Math.max(0, column + offset))] ?? 0;
      horizontal[row * width + column] = sum / span;
    }
  }
  for (let row = 0; row < height; row++) {
    for (let column = 0; column < width; column++) {
      let sum = 0;
      for (let offset = -radius; offset <= radius; offset++) sum += horizontal[Math.min(height - 1, Math.max(0, row + offset)) * width + column] ?? 0;
      out[row * width + column] = sum / span;
    }
  }
  return out;
}

/** Random luma levels as the signals see them: Rec. 601 of random 8-bit RGB, stored as float32. */
function randomLumaWindow(width: number, height: number, seed: number): Float32Array {
  const next = levels(seed);
  const rgba = new Uint8ClampedArray(4);
  return Float32Array.from({ length: width * height }, () => {
    rgba[0] = next() * 256;
    rgba[1] = next() * 256;
    rgba[2] = next() * 256;
    return lumaAtOffset(rgba, 0);
  });
}

describe('signals fast paths: the same bits as the plain definitions', () => {
  let photo: RgbaImage;
  beforeAll(async () => {
    photo = await loadFixture('photos/skimage_astronaut.png');
  });

  /** Windows of the astronaut photo, some clamped at its edges, with the tiles the signals would read in them. */
  function photoWindows(): LumaWindow[] {
    const boxes: Box[] = [
      [-6, -6, 22, 22],
      [200, 80, 22, 22],
      [photo.width - 12, photo.height - 15, 22, 22],
      [100, 300, 24, 24],
      [photo.width - 20, 40, 20, 20],
      [0, 0, 3, 2],
    ];
    return boxes.map((box) => lumaWindow(photo, box));
  }

  it('boxMean equals the plain two-pass mean, on photo windows and random levels, for every radius the signals use', () => {
    const windows = [
      ...photoWindows().map((window) => [window.data, window.width, window.height] as const),
      ...[
        [22, 22],
        [7, 5],
        [1, 1],
        [2, 9],
        [40, 3],
      ].map(([width, height], index) => [randomLumaWindow(width as number, height as number, index + 1), width as number, height as number] as const),
    ];
    for (const [data, width, height] of windows) {
      for (const radius of [1, 3, 4]) expect(Array.from(boxMean(data, width, height, radius))).toEqual(Array.from(plainBoxMean(data, width, height, radius)));
    }
  });

  it('boxMeanIn equals boxMean at every pixel of the region, also where the window is clamped by the panel edge', () => {
    const next = levels(7);
    for (const window of photoWindows()) {
      for (const radius of [1, 3, 4]) {
        const whole = boxMean(window.data, window.width, window.height, radius);
        for (let trial = 0; trial < 6; trial++) {
          const left = Math.floor(next() * window.width);
          const top = Math.floor(next() * window.height);
          const region = clampBox([left, top, 1 + Math.floor(next() * window.width), 1 + Math.floor(next() * window.height)], window.width, window.height);
          const out = new Float32Array(window.data.length).fill(-1);
          boxMeanIn(window.data, window.width, window.height, radius, region, out, new Float32Array(window.data.length));
          const [regionLeft, regionTop, regionWidth, regionHeight] = region;
          for (let y = regionTop; y < regionTop + regionHeight; y++) {
            for (let x = regionLeft; x < regionLeft + regionWidth; x++) expect(out[y * window.width + x]).toBe(whole[y * window.width + x]);
          }
        }
      }
    }
  });

  it('thumbnail reads whole pixels as words (an aligned buffer) to the same means as byte by byte (an unaligned one)', async () => {
    for (const file of ['photos/skimage_astronaut.png', 'cards/minimaxir_ghibli_real_vs_nanobanana_unlabeled.webp', 'photos/skimage_camera.png']) {
      const image = await loadFixture(file);
      // The same pixels one byte into a larger buffer: no 32-bit view possible, so the byte loop runs.
      const shifted = new Uint8ClampedArray(image.data.length + 1);
      shifted.set(image.data, 1);
      const unaligned: RgbaImage = { data: shifted.subarray(1), width: image.width, height: image.height };
      expect(unaligned.data.byteOffset % 4).not.toBe(0);
      // 4×4 samples per cell, fewer (37: up to 4 but uneven cells), one (a side above the image's: every pixel).
      for (const side of [128, 37, 300, Math.max(image.width, image.height)]) {
        const words = thumbnail(image, side);
        const bytes = thumbnail(unaligned, side);
        expect([words.width, words.height, words.scale]).toEqual([bytes.width, bytes.height, bytes.scale]);
        for (const channel of ['red', 'green', 'blue', 'luma'] as const) {
          const mismatch = words[channel].findIndex((value, index) => value !== bytes[channel][index]);
          expect(mismatch, `${file} at ${side}: ${channel}`).toBe(-1);
        }
      }
    }
  });

  it('skin texture tiles read from one region holding every window are the same as read window by window', async () => {
    const { scanTexture } = await import('../../lib/engine/signals/skin');
    const recorded = await loadRecordedPhoto('skimage_astronaut.png');
    const regions = buildRegionMaps(recorded.pixels, recorded.outputs);
    // The astronaut's face and body skin, and a large block reaching the photo's edges (thinned tiles, windows clamped).
    const block = new Uint8Array(photo.width * photo.height);
    for (let y = 0; y < 400; y++) block.fill(255, y * photo.width + 200, y * photo.width + photo.width);
    const masks = [regions.faceSkin, regions.otherSkin, { data: block, width: photo.width, height: photo.height, box: [200, 0, photo.width - 200, 400] as Box, pixels: 400 * (photo.width - 200), confidence: 1 }];
    for (const mask of masks) {
      if (!mask) throw new Error('the astronaut has face and body skin');
      const read = (grouping: 'region' | 'tiles') => {
        const texture = { tileTexture: [], tileMicroContrast: [], tileLuma: [], tileShading: [], tiles: [] };
        scanTexture(photo, mask, texture, grouping);
        return texture;
      };
      const region = read('region');
      expect(region.tiles.length).toBeGreaterThanOrEqual(4);
      expect(read('tiles')).toEqual(region);
    }
  });

  it("the audit's ranks are each value's mean rank among its ties, as the comparator sort's order gives them", () => {
    /** The definition written plainly: indices sorted by value, tie runs walked in that order. */
    function plainRanks(values: Float64Array): Float64Array {
      const count = values.length;
      const order = Array.from({ length: count }, (_, index) => index).sort((a, b) => (values[a] ?? 0) - (values[b] ?? 0));
      const ranks = new Float64Array(count);
      for (let start = 0; start < count; ) {
        let end = start;
        while (end + 1 < count && values[order[end + 1] ?? 0] === values[order[start] ?? 0]) end++;
        for (let position = start; position <= end; position++) ranks[order[position] ?? 0] = (start + end) / 2 / Math.max(1, count - 1) - 0.5;
        start = end + 1;
      }
      return ranks;
    }
    const next = levels(23);
    for (const [count, distinct] of [[1024, 0], [1024, 12], [1, 0], [2, 1], [37, 3]] as [number, number][]) {
      // Continuous values, or few distinct levels (many ties, as a flat picture gives).
      const values = Float64Array.from({ length: count }, () => (distinct === 0 ? next() * 255 : Math.floor(next() * distinct) * 20));
      expect(Array.from(rankNormalised(values, count))).toEqual(Array.from(plainRanks(values)));
    }
  });

  it('lumaWindowInto fills a reused buffer with what lumaWindow returns', () => {
    const buffer = new Float32Array(24 * 24).fill(Number.NaN);
    for (const box of [[-6, -6, 22, 22], [300, 200, 24, 24], [photo.width - 5, photo.height - 9, 24, 24]] as Box[]) {
      const fresh = lumaWindow(photo, box);
      const reused = lumaWindowInto(photo, box, buffer);
      expect(reused.box).toEqual(fresh.box);
      expect([reused.width, reused.height]).toEqual([fresh.width, fresh.height]);
      expect(Array.from(buffer.subarray(0, fresh.width * fresh.height))).toEqual(Array.from(fresh.data));
    }
  });

  it('medianInPlace and selectInPlace give what sorting gives, with ties, runs and every length up to 300', () => {
    const next = levels(11);
    for (let count = 1; count <= 300; count++) {
      const kind = count % 3;
      // Random levels, few distinct levels (ties), and a sorted run (a quickselect's worst case without a good pivot).
      const values = Float32Array.from({ length: count }, (_, index) => (kind === 0 ? next() * 40 : kind === 1 ? Math.floor(next() * 4) : index / 3));
      const sorted = Float32Array.from(values).sort();
      const middle = count >> 1;
      const expected = count % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
      expect(medianInPlace(Float32Array.from(values), count)).toBe(expected);
      const k = Math.floor(next() * count);
      expect(selectInPlace(Float32Array.from(values), count, k)).toBe(sorted[k]);
    }
    // Only the first `count` values count.
    expect(medianInPlace(Float32Array.from([5, 1, 3, 0, 0, 0]), 3)).toBe(3);
    expect(medianInPlace(new Float32Array(4), 0)).toBeNaN();
  });

  it('keyLightDirection is the rank-weighted centroid as the plain per-pixel definition computes it, with and without a pixel filter', async () => {
    /** The definition written plainly: indices in a list, each pixel's bin looked up again where it is needed. */
    function plainKeyLight(luma: Float32Array, width: number, height: number, include?: (index: number) => boolean): [number, number] {
      const indices: number[] = [];
      for (let index = 0; index < width * height; index++) if (!include || include(index)) indices.push(index);
      if (indices.length < 2) return [0, 0];
      let centreX = 0;
      let centreY = 0;
      for (const index of indices) {
        centreX += index % width;
        centreY += Math.floor(index / width);
      }
      centreX /= indices.length;
      centreY /= indices.length;
      let extentX = 0;
      let extentY = 0;
      for (const index of indices) {
        extentX = Math.max(extentX, Math.abs((index % width) - centreX));
        extentY = Math.max(extentY, Math.abs(Math.floor(index / width) - centreY));
      }
      const bins = 256 * 4 + 1;
      const binOf = (value: number) => Math.max(0, Math.min(bins - 1, Math.round(value * 4)));
      const counts = new Float64Array(bins);
      for (const index of indices) counts[binOf(luma[index] ?? 0)]! += 1;
      const sharedRank = new Float64Array(bins);
      let below = 0;
      for (let bin = 0; bin < bins; bin++) {
        sharedRank[bin] = (below + ((counts[bin] ?? 0) - 1) / 2) / (indices.length - 1) - 0.5;
        below += counts[bin] ?? 0;
      }
      let x = 0;
      let y = 0;
      for (const index of indices) {
        const weight = sharedRank[binOf(luma[index] ?? 0)] ?? 0;
        x += (weight * ((index % width) - centreX)) / Math.max(1, extentX);
        y += (weight * (Math.floor(index / width) - centreY)) / Math.max(1, extentY);
      }
      return [(6 * x) / indices.length, (6 * y) / indices.length];
    }
    for (const file of ['photos/skimage_astronaut.png', 'photos/skimage_coffee.png', 'cards/minimaxir_counter_ui_nanobanana_vs_pro_labeled.webp']) {
      const small = thumbnail(await loadFixture(file), 128);
      expect(keyLightDirection(small.luma, small.width, small.height)).toEqual(plainKeyLight(small.luma, small.width, small.height));
      const upperLeft = (index: number) => index % small.width < small.width / 2 && index < (small.width * small.height) / 2;
      expect(keyLightDirection(small.luma, small.width, small.height, upperLeft)).toEqual(plainKeyLight(small.luma, small.width, small.height, upperLeft));
    }
    expect(keyLightDirection(new Float32Array([10]), 1, 1)).toEqual([0, 0]);
  });

  it('photoGate counts flat and shaded pixels as the plain 3×3 loop does, on photos, a cartoon and a UI screenshot', async () => {
    const files = ['photos/skimage_astronaut.png', 'photos/skimage_brick.png', 'cards/minimaxir_chatgpt_two_gens_unlabeled.webp', 'cards/minimaxir_counter_ui_nanobanana_vs_pro_labeled.webp'];
    for (const file of files) {
      const image = await loadFixture(file);
      const small = thumbnail(image, 128);
      const { luma, width, height } = small;
      let counted = 0;
      let flat = 0;
      let shaded = 0;
      for (let row = 1; row < height - 1; row++) {
        for (let column = 1; column < width - 1; column++) {
          const index = row * width + column;
          const centre = luma[index] ?? 0;
          if (centre < 16) continue;
          counted++;
          let low = centre;
          let high = centre;
          for (let dy = -1; dy <= 1; dy++) {
            for (let dx = -1; dx <= 1; dx++) {
              const value = luma[index + dy * width + dx] ?? 0;
              low = Math.min(low, value);
              high = Math.max(high, value);
            }
          }
          if (high - low <= 3) flat++;
          const gradientX = ((luma[index + 1] ?? 0) - (luma[index - 1] ?? 0)) / 2;
          const gradientY = ((luma[index + width] ?? 0) - (luma[index - width] ?? 0)) / 2;
          const gradientSquared = gradientX * gradientX + gradientY * gradientY;
          if (gradientSquared > 1 && gradientSquared < 100) shaded++;
        }
      }
      const round3 = (value: number) => Math.round(value * 1000) / 1000;
      const gate = photoGate(image, small);
      expect(gate.evidence).toEqual({ flatShare: round3(flat / counted), shadedShare: round3(shaded / counted), shadedOfSmooth: round3(shaded / (shaded + flat)) });
    }
  });
});
