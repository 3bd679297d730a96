/**
 * Synthetic panels for the signal tests: a seeded generator, grey and colour images drawn from a
 * function, edits inside a mask, and a small portrait scene (noisy wall, textured face, knit garment)
 * whose properties the tests change one at a time.
 */
import type { PanelRegionMaps, RegionMask } from '../../lib/engine/regions/types';
import type { RgbaImage } from '../../lib/engine/types';
import { emptyRegionMaps, rasterize } from './signals-regions';
import { seededRandom } from '../../scripts/lib/seeded-random.mjs';

export const seeded = seededRandom;

/** Standard normal draws (Box-Muller). */
export function normal(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(Math.max(1e-12, random()))) * Math.cos(2 * Math.PI * random());
}

/** A field of smooth random blotches (bilinear interpolation of a coarse random grid), about -1 to 1. */
export function blotches(random: () => number, width: number, height: number, cell: number): (x: number, y: number) => number {
  const columns = Math.ceil(width / cell) + 2;
  const rows = Math.ceil(height / cell) + 2;
  const grid = Array.from({ length: columns * rows }, () => random() * 2 - 1);
  return (x, y) => {
    const gx = x / cell;
    const gy = y / cell;
    const x0 = Math.floor(gx);
    const y0 = Math.floor(gy);
    const fx = gx - x0;
    const fy = gy - y0;
    const at = (column: number, row: number) => grid[Math.min(rows - 1, row) * columns + Math.min(columns - 1, column)] ?? 0;
    return (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy) + (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy;
  };
}

export function greyImage(width: number, height: number, luma: (x: number, y: number) => number): RgbaImage {
  return colourImage(width, height, (x, y) => {
    const value = luma(x, y);
    return [value, value, value];
  });
}

export function colourImage(width: number, height: number, colour: (x: number, y: number) => [number, number, number]): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [red, green, blue] = colour(x, y);
      const offset = (y * width + x) * 4;
      data[offset] = Math.round(red);
      data[offset + 1] = Math.round(green);
      data[offset + 2] = Math.round(blue);
      data[offset + 3] = 255;
    }
  }
  return { data, width, height };
}

/** A copy with every colour channel of the pixels inside `mask` (all pixels when null) passed through `edit`. */
export function editInside(image: RgbaImage, mask: RegionMask | null, edit: (value: number, x: number, y: number) => number): RgbaImage {
  const data = new Uint8ClampedArray(image.data);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (mask && (mask.data[y * mask.width + x] ?? 0) < 128) continue;
      const offset = (y * image.width + x) * 4;
      for (let channel = 0; channel < 3; channel++) data[offset + channel] = Math.round(edit(image.data[offset + channel] ?? 0, x, y));
    }
  }
  return { data, width: image.width, height: image.height };
}

/** A copy with a (2r+1)² box blur applied inside the mask (all pixels when null), `passes` times. */
export function blurInside(image: RgbaImage, mask: RegionMask | null, radius: number, passes = 2): RgbaImage {
  let current = image;
  for (let pass = 0; pass < passes; pass++) {
    const source = current;
    current = { data: new Uint8ClampedArray(source.data), width: source.width, height: source.height };
    const data = current.data;
    for (let y = 0; y < image.height; y++) {
      for (let x = 0; x < image.width; x++) {
        if (mask && (mask.data[y * mask.width + x] ?? 0) < 128) continue;
        for (let channel = 0; channel < 3; channel++) {
          let sum = 0;
          let count = 0;
          for (let dy = -radius; dy <= radius; dy++) {
            for (let dx = -radius; dx <= radius; dx++) {
              const sx = Math.min(image.width - 1, Math.max(0, x + dx));
              const sy = Math.min(image.height - 1, Math.max(0, y + dy));
              sum += source.data[(sy * image.width + sx) * 4 + channel] ?? 0;
              count++;
            }
          }
          data[(y * image.width + x) * 4 + channel] = Math.round(sum / count);
        }
      }
    }
  }
  return current;
}

export const ellipseMask = (width: number, height: number, cx: number, cy: number, rx: number, ry: number): RegionMask =>
  rasterize({ ellipses: [[cx, cy, rx, ry]] }, width, height);

export const rectMask = (width: number, height: number, x: number, y: number, w: number, h: number): RegionMask =>
  rasterize({ rects: [[x, y, w, h]] }, width, height);

export function regionsWith(width: number, height: number, parts: Partial<PanelRegionMaps>): PanelRegionMaps {
  return { ...emptyRegionMaps(width, height), ...parts };
}

/** The synthetic portrait: 256 × 256, an unevenly lit noisy grey wall, a shaded and textured face, a ribbed dark knit below. */
export interface Portrait {
  image: RgbaImage;
  regions: PanelRegionMaps;
  face: RegionMask;
  garment: RegionMask;
}

export interface PortraitOptions {
  seed?: number;
  /** Grain of the wall, levels (standard deviation). */
  wallNoise?: number;
  /** Skin grain and pore texture, levels. */
  skinGrain?: number;
  /** Mid-scale skin detail (blotches a few pixels across), levels. */
  skinMidBand?: number;
  /** Left-to-right shading across the face, levels either side of its mean. */
  faceShading?: number;
  faceLevel?: number;
  garmentLevel?: number;
  /** Rib amplitude of the knit, levels; ribs run vertically every `ribPeriod` pixels. */
  ribAmplitude?: number;
  ribPeriod?: number;
  garmentGrain?: number;
}

export function portrait(options: PortraitOptions = {}): Portrait {
  const size = 256;
  const random = seeded(options.seed ?? 7);
  const gauss = normal(random);
  const mid = blotches(random, size, size, 4);
  // The wall is unevenly lit, as real walls are: smooth blotches a few tens of pixels across.
  const light = blotches(seeded((options.seed ?? 7) + 1), size, size, 24);
  const face = ellipseMask(size, size, 128, 96, 44, 56);
  const garment = rectMask(size, size, 40, 176, 176, 80);
  const faceLevel = options.faceLevel ?? 160;
  const image = greyImage(size, size, (x, y) => {
    if ((face.data[y * size + x] ?? 0) >= 128) {
      const shading = (options.faceShading ?? 30) * ((x - 128) / 44);
      return faceLevel + shading + (options.skinMidBand ?? 6) * mid(x, y) + (options.skinGrain ?? 4) * gauss();
    }
    if ((garment.data[y * size + x] ?? 0) >= 128) {
      const rib = (options.ribAmplitude ?? 12) * Math.sin((2 * Math.PI * x) / (options.ribPeriod ?? 6));
      return (options.garmentLevel ?? 70) + rib + (options.garmentGrain ?? 3) * gauss();
    }
    return 120 + 14 * light(x, y) + (options.wallNoise ?? 2) * gauss();
  });
  const faceBox: [number, number, number, number] = [84, 40, 88, 112];
  return {
    image,
    face,
    garment,
    regions: regionsWith(size, size, { face: { box: faceBox, score: 1, landmarks: null }, faceSkin: face, garment }),
  };
}
