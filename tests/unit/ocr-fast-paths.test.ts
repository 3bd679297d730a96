import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../scripts/lib/seeded-random.mjs';
import { flatRegions, glyphBlobs, isInk, shrinkBand, type Band, type BandPixels, type Blob, type Region } from '../../lib/engine/ocr/label-strips';
import { recognitionInput } from '../../lib/engine/ocr/recognition-input';
import type { Box, RgbaImage } from '../../lib/engine/types';

/**
 * The label search's and the recognition input's hot loops (offsets kept on the fill's stacks,
 * block rows summed at once, per-column weights worked out once) against their plain
 * definitions, bit for bit, on seeded random inputs of awkward sizes: being faster must not
 * change a single value.
 */

type Random = () => number;

/** A picture of flat patches (a few levels of grain), smooth ramps and noise: what the flat-region search meets. */
function patchwork(random: Random, width: number, height: number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let index = 0; index < width * height; index++) {
    const noise = Math.floor(random() * 120);
    data.set([noise, 255 - noise, (noise * 7) % 256, 255], index * 4);
  }
  for (let patch = 0; patch < 12; patch++) {
    const patchWidth = 1 + Math.floor(random() * width * 0.7);
    const patchHeight = 1 + Math.floor(random() * height * 0.7);
    const left = Math.floor(random() * (width - patchWidth + 1));
    const top = Math.floor(random() * (height - patchHeight + 1));
    const colour = [random() * 255, random() * 255, random() * 255];
    const grain = [0, 3, 9, 20][Math.floor(random() * 4)] ?? 0;
    const ramp = random() < 0.3 ? (random() - 0.5) * 6 : 0;
    for (let y = top; y < top + patchHeight; y++) {
      for (let x = left; x < left + patchWidth; x++) {
        const offset = (y * width + x) * 4;
        for (let channel = 0; channel < 3; channel++) data[offset + channel] = (colour[channel] ?? 0) + (x - left) * ramp + (random() - 0.5) * grain;
      }
    }
  }
  return { data, width, height };
}

/** The band averaged over k×k blocks, block by block: the definition. */
function plainShrinkBand(image: RgbaImage, band: Band): BandPixels {
  const scale = Math.max(1, Math.round(band.width / 320));
  const width = Math.floor(band.width / scale);
  const height = Math.floor(band.height / scale);
  const rgb = new Uint8ClampedArray(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sums = [0, 0, 0];
      for (let dy = 0; dy < scale; dy++) {
        for (let dx = 0; dx < scale; dx++) {
          const offset = ((band.top + y * scale + dy) * image.width + band.left + x * scale + dx) * 4;
          for (let channel = 0; channel < 3; channel++) sums[channel] = (sums[channel] ?? 0) + (image.data[offset + channel] ?? 0);
        }
      }
      for (let channel = 0; channel < 3; channel++) rgb[(y * width + x) * 3 + channel] = (sums[channel] ?? 0) / (scale * scale);
    }
  }
  return { rgb, width, height, scale };
}

/** Flat-colour regions as defined: 4-connected fill, neighbours by position, every test one distance at a time. */
function plainFlatRegions({ rgb, width, height }: BandPixels, barrierRow: number | null, seedDistance: number): { labels: Int32Array; regions: Region[]; barrierHeld: boolean } {
  const labels = new Int32Array(width * height);
  const regions: Region[] = [];
  const minPixels = Math.max(16, Math.round(width * height * 0.002));
  const colourAt = (index: number) => [rgb[index * 3] ?? 0, rgb[index * 3 + 1] ?? 0, rgb[index * 3 + 2] ?? 0];
  const distance = (first: number[], second: number[]) => Math.max(...first.map((value, channel) => Math.abs(value - (second[channel] ?? 0))));
  let barrierHeld = false;
  let nextId = 1;
  for (let seedY = 0; seedY + 1 < height; seedY += 3) {
    for (let seedX = 0; seedX + 1 < width; seedX += 3) {
      const seedIndex = seedY * width + seedX;
      const seed = colourAt(seedIndex);
      const flat = [seedIndex + 1, seedIndex + width, seedIndex + width + 1].every((other) => distance(seed, colourAt(other)) <= 6);
      if (labels[seedIndex] !== 0 || !flat) continue;
      const id = nextId++;
      const region: Region = { id, pixels: 0, minX: seedX, maxX: seedX, minY: seedY, maxY: seedY, sum: [0, 0, 0] };
      const stack = [seedIndex];
      labels[seedIndex] = id;
      while (stack.length > 0) {
        const index = stack.pop() ?? 0;
        const x = index % width;
        const y = (index - x) / width;
        const colour = colourAt(index);
        region.pixels++;
        region.sum = [region.sum[0] + (colour[0] ?? 0), region.sum[1] + (colour[1] ?? 0), region.sum[2] + (colour[2] ?? 0)];
        region.minX = Math.min(region.minX, x);
        region.maxX = Math.max(region.maxX, x);
        region.minY = Math.min(region.minY, y);
        region.maxY = Math.max(region.maxY, y);
        for (const [neighbourX, neighbourY] of [
          [x - 1, y],
          [x + 1, y],
          [x, y - 1],
          [x, y + 1],
        ] as const) {
          if (neighbourX < 0 || neighbourY < 0 || neighbourX >= width || neighbourY >= height) continue;
          const neighbour = neighbourY * width + neighbourX;
          if (labels[neighbour] !== 0) continue;
          const neighbourColour = colourAt(neighbour);
          if (distance(neighbourColour, colour) > 16 || distance(neighbourColour, seed) > seedDistance) continue;
          if (barrierRow !== null && Math.max(y, neighbourY) === barrierRow && Math.min(y, neighbourY) === barrierRow - 1) {
            barrierHeld = true;
            continue;
          }
          labels[neighbour] = id;
          stack.push(neighbour);
        }
      }
      if (region.pixels >= minPixels) regions.push(region);
    }
  }
  return { labels, regions, barrierHeld };
}

/** 8-connected ink blobs not touching the box's sides, with at least 3 pixels: the definition, neighbours by position. */
function plainGlyphBlobs(ink: Uint8Array, width: number, height: number): Blob[] {
  const seen = new Uint8Array(width * height);
  const blobs: Blob[] = [];
  for (let start = 0; start < ink.length; start++) {
    if (!ink[start] || seen[start]) continue;
    seen[start] = 1;
    const stack = [start];
    const blob: Blob = { minX: start % width, maxX: start % width, minY: Math.floor(start / width), maxY: Math.floor(start / width), pixels: 0 };
    while (stack.length > 0) {
      const index = stack.pop() ?? 0;
      const x = index % width;
      const y = Math.floor(index / width);
      blob.pixels++;
      blob.minX = Math.min(blob.minX, x);
      blob.maxX = Math.max(blob.maxX, x);
      blob.minY = Math.min(blob.minY, y);
      blob.maxY = Math.max(blob.maxY, y);
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const neighbourX = x + dx;
          const neighbourY = y + dy;
          if (neighbourX < 0 || neighbourY < 0 || neighbourX >= width || neighbourY >= height) continue;
          const neighbour = neighbourY * width + neighbourX;
          if (ink[neighbour] && !seen[neighbour]) {
            seen[neighbour] = 1;
            stack.push(neighbour);
          }
        }
      }
    }
    if (blob.minX > 0 && blob.minY > 0 && blob.maxX < width - 1 && blob.maxY < height - 1 && blob.pixels >= 3) blobs.push(blob);
  }
  return blobs;
}

/** Bilinear resampling to the recognition input as defined: every source position and weight worked out per output pixel. */
function plainRecognitionData(image: RgbaImage, [left, top, cropWidth, cropHeight]: Box, contentWidth: number, width: number): Float32Array {
  const height = 48;
  const plane = height * width;
  const data = new Float32Array(3 * plane);
  const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));
  for (let y = 0; y < height; y++) {
    const sourceY = clamp((y + 0.5) * (cropHeight / height) - 0.5, 0, cropHeight - 1);
    const y0 = Math.floor(sourceY);
    const y1 = Math.min(y0 + 1, cropHeight - 1);
    for (let x = 0; x < contentWidth; x++) {
      const sourceX = clamp((x + 0.5) * (cropWidth / contentWidth) - 0.5, 0, cropWidth - 1);
      const x0 = Math.floor(sourceX);
      const x1 = Math.min(x0 + 1, cropWidth - 1);
      const at = (row: number, column: number, channel: number) => image.data[((top + row) * image.width + left + column) * 4 + channel] ?? 0;
      for (let channel = 0; channel < 3; channel++) {
        const upper = at(y0, x0, channel) * (1 - (sourceX - x0)) + at(y0, x1, channel) * (sourceX - x0);
        const lower = at(y1, x0, channel) * (1 - (sourceX - x0)) + at(y1, x1, channel) * (sourceX - x0);
        const value = upper * (1 - (sourceY - y0)) + lower * (sourceY - y0);
        data[(2 - channel) * plane + y * width + x] = (value / 255 - 0.5) / 0.5;
      }
    }
  }
  return data;
}

describe('label search fast paths', () => {
  it('shrinks a band to the same block means as the definition, at every block size', () => {
    for (const [bandWidth, bandHeight, left, top] of [
      [17, 13, 0, 0],
      [480, 37, 5, 3],
      [801, 61, 11, 2],
      [1131, 29, 1, 7],
      [1699, 23, 0, 1],
    ] as const) {
      const random = seededRandom(bandWidth * 31 + bandHeight);
      const image = patchwork(random, left + bandWidth + 3, top + bandHeight + 2);
      const band: Band = { left, top, width: bandWidth, height: bandHeight, edgeY: top + Math.floor(bandHeight / 2) };
      const fast = shrinkBand(image, band);
      const plain = plainShrinkBand(image, band);
      expect(fast.scale, `${bandWidth}×${bandHeight}`).toBe(plain.scale);
      expect([fast.width, fast.height]).toEqual([plain.width, plain.height]);
      expect(Buffer.from(fast.rgb).equals(Buffer.from(plain.rgb)), `${bandWidth}×${bandHeight}`).toBe(true);
    }
  });

  it('finds the same flat regions and labels as the definition, with and without a barrier', () => {
    let regionsSeen = 0;
    let barriersHeld = 0;
    for (const [width, height] of [
      [41, 23],
      [320, 57],
      [97, 96],
      [2, 2],
      [5, 31],
    ] as const) {
      const random = seededRandom(width * 131 + height);
      const image = patchwork(random, width, height);
      const rgb = new Uint8ClampedArray(width * height * 3);
      for (let index = 0; index < width * height; index++) rgb.set(image.data.subarray(index * 4, index * 4 + 3), index * 3);
      const pixels: BandPixels = { rgb, width, height, scale: 1 };
      for (const seedDistance of [24, 12]) {
        for (const barrierRow of [null, 0, 1, Math.floor(height / 2), height - 1, height]) {
          const fast = flatRegions(pixels, { barrierRow, seedDistance });
          const plain = plainFlatRegions(pixels, barrierRow, seedDistance);
          const context = `${width}×${height}, barrier ${barrierRow}, seed distance ${seedDistance}`;
          expect(fast.regions, context).toEqual(plain.regions);
          expect(fast.barrierHeld, context).toBe(plain.barrierHeld);
          expect(Buffer.from(fast.labels.buffer).equals(Buffer.from(plain.labels.buffer)), context).toBe(true);
          regionsSeen += plain.regions.length;
          if (plain.barrierHeld) barriersHeld++;
        }
      }
    }
    // The inputs exercise what they are meant to: regions found, barriers that held.
    expect(regionsSeen).toBeGreaterThan(20);
    expect(barriersHeld).toBeGreaterThan(3);
  });

  it('finds the same glyph blobs as the definition', () => {
    let blobsSeen = 0;
    for (const [width, height, density] of [
      [64, 20, 0.1],
      [333, 41, 0.15],
      [7, 7, 0.3],
      [1, 9, 0.5],
      [120, 3, 0.2],
    ] as const) {
      const random = seededRandom(width * 17 + height);
      const ink = new Uint8Array(width * height);
      // Clumps: each pixel inks with the density, more often beside an inked neighbour above or to the left.
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const besideInk = (x > 0 && ink[y * width + x - 1] === 1) || (y > 0 && ink[(y - 1) * width + x] === 1);
          ink[y * width + x] = random() < (besideInk ? density + 0.25 : density / 4) ? 1 : 0;
        }
      }
      const plain = plainGlyphBlobs(ink, width, height);
      expect(glyphBlobs(ink, width, height), `${width}×${height}`).toEqual(plain);
      blobsSeen += plain.length;
    }
    expect(blobsSeen).toBeGreaterThan(10);
  });

  it('tells ink from background exactly as the largest channel distance does, ties included', () => {
    const random = seededRandom(64);
    const data = new Uint8ClampedArray(4 * 4000);
    for (let index = 0; index < data.length; index++) data[index] = Math.floor(random() * 256);
    let inked = 0;
    for (let pixel = 0; pixel < 4000; pixel++) {
      const offset = pixel * 4;
      // Every fourth background lies exactly 64 levels from one of the pixel's channels.
      const channel = pixel % 3;
      const background: [number, number, number] = [random() * 255, random() * 255, random() * 255];
      if (pixel % 4 === 0) background[channel] = (data[offset + channel] ?? 0) + (pixel % 8 === 0 ? 64 : -64);
      const largest = Math.max(...[0, 1, 2].map((index) => Math.abs((data[offset + index] ?? 0) - background[index as 0 | 1 | 2])));
      expect(isInk(data, offset, background, 64), `pixel ${pixel}`).toBe(largest >= 64);
      if (largest >= 64) inked++;
    }
    expect(inked).toBeGreaterThan(500);
    expect(inked).toBeLessThan(3900);
  });
});

describe('recognition input fast path', () => {
  it('resamples every line to the same input as the definition, bit for bit', () => {
    const random = seededRandom(48);
    const image = patchwork(random, 211, 97);
    for (const box of [
      [0, 0, 211, 97],
      [13, 40, 150, 19],
      [200, 90, 11, 7],
      [5, 5, 1, 1],
      [37, 11, 173, 30],
    ] as Box[]) {
      const input = recognitionInput(image, box);
      const plain = plainRecognitionData(image, box, input.contentWidth, input.dims[3]);
      expect(Buffer.from(input.data.buffer).equals(Buffer.from(plain.buffer)), `box ${box.join(',')}`).toBe(true);
    }
  });
});
