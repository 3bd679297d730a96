import { describe, expect, it } from 'vitest';
import { detectCard } from '../../lib/engine/detect';
import type { CardDetection, RgbaImage } from '../../lib/engine/types';
import { loadFixture } from './decode';
import { seededRandom } from '../../scripts/lib/seeded-random.mjs';

// Seeded (mulberry32) so a failure can be replayed from its seed.
const random = seededRandom;

function noiseImage(next: () => number, width: number, height: number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  const flat = next() < 0.3;
  const base = [next() * 255, next() * 255, next() * 255];
  for (let index = 0; index < data.length; index += 4) {
    data[index] = flat ? (base[0] ?? 0) : next() * 255;
    data[index + 1] = flat ? (base[1] ?? 0) : next() * 255;
    data[index + 2] = flat ? (base[2] ?? 0) : next() * 255;
    data[index + 3] = next() < 0.05 ? 0 : 255;
  }
  return { data, width, height };
}

/** A crop of a real photo or card with blocks of noise, stripes and flat bands painted over it. */
function mutate(next: () => number, source: RgbaImage): RgbaImage {
  const width = Math.max(1, Math.floor(source.width * (0.2 + next() * 0.8)));
  const height = Math.max(1, Math.floor(source.height * (0.2 + next() * 0.8)));
  const left = Math.floor(next() * (source.width - width));
  const top = Math.floor(next() * (source.height - height));
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * source.width + left) * 4;
    data.set(source.data.subarray(from, from + width * 4), y * width * 4);
  }
  for (let edit = Math.floor(next() * 6); edit > 0; edit--) {
    const vertical = next() < 0.5;
    const position = Math.floor(next() * (vertical ? width : height));
    const thickness = 1 + Math.floor(next() * 12);
    const value = next() * 255;
    for (let a = position; a < Math.min(position + thickness, vertical ? width : height); a++) {
      for (let b = 0; b < (vertical ? height : width); b++) {
        const offset = ((vertical ? b : a) * width + (vertical ? a : b)) * 4;
        data[offset] = data[offset + 1] = data[offset + 2] = next() < 0.1 ? next() * 255 : value;
      }
    }
  }
  return { data, width, height };
}

function checkSane(image: RgbaImage, detection: CardDetection): void {
  expect(detection.confidence).toBeGreaterThanOrEqual(0);
  expect(detection.confidence).toBeLessThanOrEqual(1);
  expect(detection.isComparison).toBe(detection.panels.length === 2);
  if (!detection.isComparison) expect(detection.reason).not.toBeNull();
  for (const [x, y, w, h] of detection.panels) {
    for (const value of [x, y, w, h]) expect(Number.isInteger(value)).toBe(true);
    expect(x).toBeGreaterThanOrEqual(0);
    expect(y).toBeGreaterThanOrEqual(0);
    expect(w).toBeGreaterThan(0);
    expect(h).toBeGreaterThan(0);
    expect(x + w).toBeLessThanOrEqual(image.width);
    expect(y + h).toBeLessThanOrEqual(image.height);
  }
}

describe('card splitter fuzz (bounded: 8 s per table)', () => {
  const BUDGET_MS = 8_000;

  it('never throws on random images of random sizes, and every box lies inside the image', () => {
    const next = random(20261126);
    const started = performance.now();
    let count = 0;
    for (; count < 3000 && performance.now() - started < BUDGET_MS; count++) {
      const width = 1 + Math.floor(next() ** 2 * 700);
      const height = 1 + Math.floor(next() ** 2 * 700);
      const image = noiseImage(next, width, height);
      checkSane(image, detectCard(image));
    }
    expect(count).toBeGreaterThan(100);
  }, 30_000);

  it('never throws on mutated crops of real cards and photos, and every box lies inside the image', async () => {
    const sources = await Promise.all(
      ['cards/minimaxir_pps_nanobanana_vs_nanobananapro_labeled.webp', 'cards/minimaxir_counter_ui_nanobanana_vs_pro_labeled.webp', 'photos/skimage_coffee.png', 'photos/skimage_brick.png'].map(loadFixture),
    );
    const next = random(7);
    const started = performance.now();
    let count = 0;
    for (; count < 2000 && performance.now() - started < BUDGET_MS; count++) {
      const source = sources[count % sources.length];
      if (!source) continue;
      const image = mutate(next, source);
      checkSane(image, detectCard(image));
    }
    expect(count).toBeGreaterThan(50);
  }, 30_000);
});
