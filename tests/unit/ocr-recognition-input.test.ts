import { describe, expect, it } from 'vitest';
import { RECOGNITION_HEIGHT, RECOGNITION_MIN_WIDTH, recognitionInput } from '../../lib/engine/ocr/recognition-input';
import type { RgbaImage } from '../../lib/engine/types';

/** Normalised values are exact up to float32 rounding. */
const TOLERANCE_DIGITS = 5;

function solidImage(width: number, height: number, rgb: [number, number, number]): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let offset = 0; offset < data.length; offset += 4) data.set([...rgb, 255], offset);
  return { data, width, height };
}

function valueAt(input: ReturnType<typeof recognitionInput>, plane: number, y: number, x: number): number {
  const [, , height, width] = input.dims;
  return input.data[plane * height * width + y * width + x] ?? Number.NaN;
}

describe('recognitionInput', () => {
  it('resizes to height 48, keeps the aspect, stretches 1.25× and pads to a multiple of 8', () => {
    const image = solidImage(1000, 200, [255, 255, 255]);
    const input = recognitionInput(image, [100, 50, 400, 60]);
    // 400 × 48/60 = 320, × 1.25 = 400.
    expect(input.contentWidth).toBe(400);
    expect(input.dims).toEqual([1, 3, RECOGNITION_HEIGHT, 400]);
    expect(input.data).toHaveLength(3 * 48 * 400);
    expect(input.xScale).toBeCloseTo(1, 6);
  });

  it('pads short lines on the right with zeros up to the minimum width', () => {
    const input = recognitionInput(solidImage(100, 40, [255, 255, 255]), [0, 0, 100, 40]);
    expect(input.contentWidth).toBe(150);
    expect(input.dims[3]).toBe(RECOGNITION_MIN_WIDTH);
    expect(valueAt(input, 0, 10, 149)).toBeCloseTo(1, TOLERANCE_DIGITS);
    expect(valueAt(input, 0, 10, 150)).toBe(0);
    expect(valueAt(input, 2, 47, RECOGNITION_MIN_WIDTH - 1)).toBe(0);
  });

  it('normalises (x/255 − 0.5)/0.5 in BGR plane order', () => {
    const input = recognitionInput(solidImage(200, 50, [255, 0, 51]), [0, 0, 200, 50]);
    expect(valueAt(input, 0, 20, 20)).toBeCloseTo(51 / 127.5 - 1, TOLERANCE_DIGITS);
    expect(valueAt(input, 1, 20, 20)).toBeCloseTo(-1, TOLERANCE_DIGITS);
    expect(valueAt(input, 2, 20, 20)).toBeCloseTo(1, TOLERANCE_DIGITS);
  });

  it('reads only the crop, bilinearly', () => {
    const image = solidImage(40, 10, [0, 0, 0]);
    // Right half white: the left crop stays black, a crop across the edge has a ramp.
    for (let y = 0; y < 10; y++) for (let x = 20; x < 40; x++) image.data.set([255, 255, 255, 255], (y * 40 + x) * 4);
    const left = recognitionInput(image, [0, 0, 20, 10], { stretch: 1, minWidth: 8 });
    expect(Math.max(...left.data.subarray(0, left.contentWidth))).toBeCloseTo(-1, TOLERANCE_DIGITS);
    const across = recognitionInput(image, [10, 0, 20, 10], { stretch: 1, minWidth: 8 });
    const row = Array.from(across.data.subarray(0, across.contentWidth));
    expect(row[0]).toBeCloseTo(-1, TOLERANCE_DIGITS);
    expect(row.at(-1)).toBeCloseTo(1, TOLERANCE_DIGITS);
    expect(row.every((value, index) => index === 0 || value >= (row[index - 1] ?? -1))).toBe(true);
  });

  it('clamps boxes that reach past the image and squeezes very long lines to the maximum width', () => {
    const input = recognitionInput(solidImage(3000, 40, [255, 255, 255]), [-10, -5, 4000, 60], { maxWidth: 800 });
    expect(input.contentWidth).toBe(800);
    expect(input.dims[3]).toBe(800);
  });
});
