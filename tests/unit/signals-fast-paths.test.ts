/**
 * The signals' fast paths held to their plain definitions: each rewritten loop (unrolled, clamped
 * apart, computed on part of a window, selection instead of sorting) must give the very same bits
 * as the straightforward code it replaced, on real photo pixels and on random levels.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { rankNormalised } from '../../lib/engine/audit';
import { photoGate } from '../../lib/engine/signals/photo';
import { scanGarment, type GarmentTile } from '../../lib/engine/signals/knit';
import {
  boxMean,
  boxMeanIn,
  clampBox,
  HeatGrid,
  inside,
  keyLightDirection,
  LevelHistogram,
  logCredibility,
  lumaAtOffset,
  lumaWindow,
  lumaWindowInto,
  medianInPlace,
  MIN_NOISE_FLOOR,
  panelNoiseFloor,
  quantile,
  thumbnail,
  tilesInMask,
  type LumaWindow,
} from '../../lib/engine/signals/pixels';
import { scanFrame, scanSkin } from '../../lib/engine/signals/shadow';
import type { PanelRegionMaps, RegionMask } from '../../lib/engine/regions/types';
import { selectInPlace } from '../../lib/engine/image';
import type { Box, RgbaImage } from '../../lib/engine/types';
import { buildRegionMaps } from '../../lib/engine/regions/build';
import { loadFixture } from './decode';
import { loadRecordedPhoto } from './region-fixtures';
import { photoRegionSpecs, regionMapsFromSpec, type PanelRegionSpec } from './signals-regions';

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

describe('signals per-tile kernels: the same bits as the plain per-pixel definitions', () => {
  /** Luma levels as the signals store them (float32). */
  function plainLuma(panel: RgbaImage, x: number, y: number): number {
    return Math.fround(lumaAtOffset(panel.data, (y * panel.width + x) * 4));
  }

  /** The definition written plainly: every tile's levels read one by one, the 3×3 mean from its nine levels, medians by sorting. */
  function plainNoiseFloor(panel: RgbaImage, excluded: (x: number, y: number) => boolean): number {
    const side = 18;
    const medians: number[] = [];
    for (let top = 0; top + side <= panel.height; top += Math.max(16, Math.floor(panel.height / 12))) {
      for (let left = 0; left + side <= panel.width; left += Math.max(16, Math.floor(panel.width / 12))) {
        if (excluded(left + side / 2, top + side / 2)) continue;
        const level = (column: number, row: number) => plainLuma(panel, left + column, top + row);
        let sum = 0;
        let clipped = false;
        for (let row = 0; row < side; row++) {
          for (let column = 0; column < side; column++) {
            sum += level(column, row);
            if (level(column, row) <= 8 || level(column, row) >= 250) clipped = true;
          }
        }
        const mean = sum / (side * side);
        if (clipped || mean < 24 || mean > 232) continue;
        const residuals: number[] = [];
        for (let row = 1; row < side - 1; row++) {
          for (let column = 1; column < side - 1; column++) {
            let neighbourhood = 0;
            for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) neighbourhood += level(column + dx, row + dy);
            residuals.push(Math.fround(Math.abs(level(column, row) - neighbourhood / 9)));
          }
        }
        residuals.sort((a, b) => a - b);
        const middle = residuals.length >> 1;
        medians.push(residuals.length % 2 === 1 ? (residuals[middle] as number) : ((residuals[middle - 1] as number) + (residuals[middle] as number)) / 2);
      }
    }
    return medians.length === 0 ? MIN_NOISE_FLOOR : Math.max(MIN_NOISE_FLOOR, quantile(medians, 0.25));
  }

  /** Fixture photos with their hand-drawn regions, as they are and with their shadows crushed (clipped tiles, crushed skin). */
  const photos: { name: string; panel: RgbaImage; regions: PanelRegionMaps }[] = [];
  beforeAll(async () => {
    const specs = photoRegionSpecs();
    for (const file of ['photos/skimage_astronaut.png', 'photos/matplotlib_grace_hopper.jpg', 'photos/skimage_camera.png', 'photos/minimaxir_real_mirror_selfie.webp']) {
      const panel = await loadFixture(file);
      const regions = regionMapsFromSpec(specs[file] as PanelRegionSpec);
      photos.push({ name: file, panel, regions }, { name: `${file} crushed`, panel: crushShadows(panel, 60), regions });
    }
  }, 60_000);
  const photosWithRegions = () => photos;

  /** A curve that drives the darkest `blackPoint` levels to black (as the degradation bench's crushed shadows). */
  function crushShadows(image: RgbaImage, blackPoint: number): RgbaImage {
    const table = new Uint8ClampedArray(256);
    for (let level = 0; level < 256; level++) table[level] = Math.round((255 * Math.max(0, level - blackPoint)) / (255 - blackPoint));
    const data = new Uint8ClampedArray(image.data.length);
    for (let index = 0; index < data.length; index++) data[index] = index % 4 === 3 ? (image.data[index] as number) : (table[image.data[index] as number] as number);
    return { data, width: image.width, height: image.height };
  }

  it('panelNoiseFloor equals the plain per-tile median of |luma − 3×3 mean|, with and without excluded regions', async () => {
    for (const { name, panel, regions } of photosWithRegions()) {
      const face = regions.face?.box ?? [0, 0, 0, 0];
      const outsideFace = (x: number, y: number) => x >= face[0] && x < face[0] + face[2] && y >= face[1] && y < face[1] + face[3];
      for (const excluded of [() => false, outsideFace]) expect(panelNoiseFloor(panel, excluded), name).toBe(plainNoiseFloor(panel, excluded));
    }
    const brick = await loadFixture('photos/skimage_brick.png');
    expect(panelNoiseFloor(brick, () => false)).toBe(plainNoiseFloor(brick, () => false));
  }, 60_000);

  it("the shadow signal's skin and frame scans equal the plain per-pixel definitions", async () => {
    for (const { name, panel, regions } of photosWithRegions()) {
      const masks = [regions.faceSkin, regions.otherSkin].filter((mask): mask is RegionMask => mask !== null);
      expect(masks.length, name).toBeGreaterThan(0);
      // The kernels.
      const heat = new HeatGrid(panel.width, panel.height);
      const channels = { red: new Float64Array(256), green: new Float64Array(256), blue: new Float64Array(256) };
      const scan = { luma: new LevelHistogram(), crushed: 0, dark: 0, darkWithDetail: 0 };
      for (const mask of masks) scanSkin(panel, mask, scan, channels, heat);
      const frame = scanFrame(panel, regions, channels, heat);
      // The plain definitions: each window cut fresh, each pixel's 3×3 range from its nine levels, histograms by their own methods.
      const plainHeat = new HeatGrid(panel.width, panel.height);
      const plainChannels = [new Float64Array(256), new Float64Array(256), new Float64Array(256)];
      const count = (x: number, y: number) => {
        for (let channel = 0; channel < 3; channel++) plainChannels[channel]![panel.data[(y * panel.width + x) * 4 + channel] ?? 0]! += 1;
      };
      const plain = { luma: new LevelHistogram(), crushed: 0, dark: 0, darkWithDetail: 0 };
      for (const mask of masks) {
        for (const tile of tilesInMask(mask, 16, 120, 0.25)) {
          let pixels = 0;
          let crushed = 0;
          for (let y = Math.max(1, tile[1]); y < Math.min(tile[1] + 16, panel.height - 1); y++) {
            for (let x = Math.max(1, tile[0]); x < Math.min(tile[0] + 16, panel.width - 1); x++) {
              if (!inside(mask, x, y)) continue;
              const level = plainLuma(panel, x, y);
              let low = level;
              let high = level;
              for (let dy = -1; dy <= 1; dy++) {
                for (let dx = -1; dx <= 1; dx++) {
                  low = Math.min(low, plainLuma(panel, x + dx, y + dy));
                  high = Math.max(high, plainLuma(panel, x + dx, y + dy));
                }
              }
              plain.luma.add(level);
              pixels++;
              if (level <= 8 && high - low <= 2) crushed++;
              if (level < 85) {
                plain.dark++;
                if (high - low > 2) plain.darkWithDetail++;
                count(x, y);
              }
            }
          }
          plain.crushed += crushed;
          if (pixels > 0) plainHeat.paint(tile, crushed / pixels / 0.05);
        }
      }
      const step = Math.max(1, Math.floor(Math.max(panel.width, panel.height) / 128));
      const plainFrame = { samples: 0, crushed: 0, blown: 0 };
      for (let y = 1; y < panel.height - 1; y += step) {
        for (let x = 1; x < panel.width - 1; x += step) {
          const level = lumaAtOffset(panel.data, (y * panel.width + x) * 4);
          plainFrame.samples++;
          let low = level;
          let high = level;
          for (let dy = -1; dy <= 1; dy++) {
            for (let dx = -1; dx <= 1; dx++) {
              low = Math.min(low, lumaAtOffset(panel.data, ((y + dy) * panel.width + x + dx) * 4));
              high = Math.max(high, lumaAtOffset(panel.data, ((y + dy) * panel.width + x + dx) * 4));
            }
          }
          if ((level <= 8 || level >= 250) && high - low <= 2) {
            if (level <= 8) plainFrame.crushed++;
            else plainFrame.blown++;
            plainHeat.paint([x - step / 2, y - step / 2, step, step], 1);
          }
          if (level < 85 && !masks.some((mask) => inside(mask, x, y))) count(x, y);
        }
      }
      expect([scan.crushed, scan.dark, scan.darkWithDetail, scan.luma.total], name).toEqual([plain.crushed, plain.dark, plain.darkWithDetail, plain.luma.total]);
      expect(Array.from(scan.luma.counts), name).toEqual(Array.from(plain.luma.counts));
      expect([channels.red, channels.green, channels.blue].map((histogram) => Array.from(histogram)), name).toEqual(plainChannels.map((histogram) => Array.from(histogram)));
      expect(frame, name).toEqual(plainFrame);
      expect(Array.from(heat.data), name).toEqual(Array.from(plainHeat.data));
    }
  }, 60_000);

  it("the knit signal's garment tiles equal the plain per-tile definition (window, 3×3 mean, residuals, structure tensor)", async () => {
    let tilesSeen = 0;
    for (const { name, panel, regions } of photosWithRegions()) {
      const garment = regions.garment;
      if (!garment) continue;
      const noiseFloor = 1.3;
      const heat = new HeatGrid(panel.width, panel.height);
      const tiles = scanGarment(panel, regions, noiseFloor, heat);
      const plainHeat = new HeatGrid(panel.width, panel.height);
      const plainTiles: GarmentTile[] = [];
      for (const tile of tilesInMask(garment, 16, 80, 0.6)) {
        const window = lumaWindow(panel, [tile[0] - 2, tile[1] - 2, 20, 20]);
        const smooth = plainBoxMean(window.data, window.width, window.height, 1);
        const residual = window.data.map((level, index) => level - (smooth[index] ?? 0));
        const values: number[] = [];
        let clipped = 0;
        let counted = 0;
        let lumaSum = 0;
        for (let y = tile[1]; y < tile[1] + 16; y++) {
          for (let x = tile[0]; x < tile[0] + 16; x++) {
            if (!inside(garment, x, y)) continue;
            const index = (y - window.box[1]) * window.width + (x - window.box[0]);
            const level = window.data[index] ?? 0;
            counted++;
            lumaSum += level;
            if (level <= 8 || level >= 250) clipped++;
            else values.push(Math.abs(residual[index] ?? 0));
          }
        }
        if (counted === 0) continue;
        let xx = 0;
        let yy = 0;
        let xy = 0;
        for (let row = 1; row < window.height - 1; row++) {
          for (let column = 1; column < window.width - 1; column++) {
            const at = (dx: number, dy: number) => residual[(row + dy) * window.width + column + dx] ?? 0;
            const gradientX = (at(1, 0) - at(-1, 0)) / 2;
            const gradientY = (at(0, 1) - at(0, -1)) / 2;
            xx += gradientX * gradientX;
            yy += gradientY * gradientY;
            xy += gradientX * gradientY;
          }
        }
        const isClipped = clipped / counted > 0.5 || values.length < 16;
        values.sort((a, b) => a - b);
        const middle = values.length >> 1;
        const texture = isClipped ? 0 : values.length % 2 === 1 ? (values[middle] as number) : ((values[middle - 1] as number) + (values[middle] as number)) / 2;
        const coherence = xx + yy <= 1e-9 ? 0 : Math.sqrt((xx - yy) * (xx - yy) + 4 * xy * xy) / (xx + yy);
        plainTiles.push({ texture, coherence, meanLuma: lumaSum / counted, clipped: isClipped });
        if (!isClipped) plainHeat.paint(tile, 1 - logCredibility(texture / noiseFloor, 1));
      }
      expect(plainTiles.length, name).toBeGreaterThan(0);
      tilesSeen += plainTiles.length;
      expect(tiles, name).toEqual(plainTiles);
      expect(Array.from(heat.data), name).toEqual(Array.from(plainHeat.data));
    }
    expect(tilesSeen).toBeGreaterThan(100);
  }, 60_000);

  it("the skin signal's tile sums equal the plain per-tile definition (a window per tile, whole-window means)", async () => {
    const { scanTexture } = await import('../../lib/engine/signals/skin');
    for (const { name, panel, regions } of photosWithRegions()) {
      for (const mask of [regions.faceSkin, regions.otherSkin]) {
        if (!mask) continue;
        const texture = { tileTexture: [] as number[], tileMicroContrast: [] as number[], tileLuma: [] as number[], tileShading: [] as number[], tiles: [] as Box[] };
        scanTexture(panel, mask, texture);
        const plain = { tileTexture: [] as number[], tileMicroContrast: [] as number[], tileLuma: [] as number[], tileShading: [] as number[], tiles: [] as Box[] };
        for (const tile of tilesInMask(mask, 10, 120, 0.5)) {
          const window = lumaWindow(panel, [tile[0] - 6, tile[1] - 6, 22, 22]);
          const { width, height } = window;
          const fine = plainBoxMean(window.data, width, height, 1);
          const coarse = plainBoxMean(window.data, width, height, 3);
          const sums = [0, 0, 0, 0];
          let count = 0;
          for (let y = tile[1]; y < tile[1] + 10; y++) {
            for (let x = tile[0]; x < tile[0] + 10; x++) {
              if (!inside(mask, x, y)) continue;
              const column = x - window.box[0];
              const row = y - window.box[1];
              const index = row * width + column;
              const level = window.data[index] ?? 0;
              if (level <= 8 || level >= 250) continue;
              const slope = (from: number, to: number, at: (position: number) => number) => (to > from ? Math.abs(at(to) - at(from)) / (to - from) : 0);
              const across = slope(Math.max(0, column - 3), Math.min(width - 1, column + 3), (position) => coarse[row * width + position] ?? 0);
              const down = slope(Math.max(0, row - 3), Math.min(height - 1, row + 3), (position) => coarse[position * width + column] ?? 0);
              sums[0]! += Math.abs(level - (fine[index] ?? 0));
              sums[1]! += Math.abs((fine[index] ?? 0) - (coarse[index] ?? 0));
              sums[2]! += level;
              sums[3]! += across + down;
              count++;
            }
          }
          if (count < 10) continue;
          plain.tileTexture.push(sums[0]! / count);
          plain.tileMicroContrast.push(sums[1]! / count);
          plain.tileLuma.push(sums[2]! / count);
          plain.tileShading.push(sums[3]! / count);
          plain.tiles.push(tile);
        }
        expect(plain.tiles.length, name).toBeGreaterThanOrEqual(4);
        expect(texture, name).toEqual(plain);
      }
    }
  }, 60_000);
});
