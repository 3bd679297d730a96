/** Test helpers: fixture photos with the model outputs recorded for them (tests/fixtures/model-outputs). */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { RegionModelOutputs } from '../../lib/engine/regions/build';
import type { Box, GrayImage, RgbaImage } from '../../lib/engine/types';
import { fixturePath, loadFixture } from './decode';

export interface RecordedPhoto {
  pixels: RgbaImage;
  outputs: RegionModelOutputs;
}

/** A one-channel PNG from tests/fixtures as 0-255 values. */
export async function loadGrayFixture(relPath: string): Promise<{ data: Uint8Array; width: number; height: number }> {
  const { data, info } = await sharp(fixturePath(relPath)).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

/**
 * A photo and what the MediaPipe models said about it, as written by
 * scripts/fixtures/capture-model-outputs.mjs: face box and score, 478 landmarks, person probability.
 */
export async function loadRecordedPhoto(photo: string): Promise<RecordedPhoto> {
  const stem = photo.replace(/\.[a-z]+$/, '');
  const recorded = JSON.parse(await readFile(fixturePath(`model-outputs/${stem}.landmarks.json`), 'utf8')) as {
    face: { box: Box; score: number } | null;
    landmarks: number[] | null;
  };
  const mask = await loadGrayFixture(`model-outputs/${stem}.person.png`);
  const person: GrayImage = { data: Float32Array.from(mask.data, (value) => value / 255), width: mask.width, height: mask.height };
  return {
    pixels: await loadFixture(`photos/${photo}`),
    outputs: { face: recorded.face, landmarks: recorded.landmarks ? Float32Array.from(recorded.landmarks) : null, person },
  };
}

/** The reference mask drawn by hand for a photo's region (scripts/fixtures/reference-masks.mjs). */
export function loadReferenceMask(photo: string, region: string): Promise<{ data: Uint8Array; width: number; height: number }> {
  return loadGrayFixture(`reference-masks/${photo.replace(/\.[a-z]+$/, '')}.${region}.png`);
}

/** A recorded photo at twice its size (nearest neighbour), its model outputs scaled with it: maps then work at a smaller size. */
export function doubledPhoto({ pixels, outputs }: RecordedPhoto): RecordedPhoto {
  const { width, height, data } = pixels;
  const out = new Uint8ClampedArray(width * height * 16);
  for (let y = 0; y < height * 2; y++) {
    for (let x = 0; x < width * 2; x++) {
      const from = ((y >> 1) * width + (x >> 1)) * 4;
      out.set(data.subarray(from, from + 4), (y * width * 2 + x) * 4);
    }
  }
  const { face, landmarks, person } = outputs;
  return {
    pixels: { width: width * 2, height: height * 2, data: out },
    outputs: { face: face ? { box: face.box.map((value) => value * 2) as Box, score: face.score } : null, landmarks: landmarks ? landmarks.map((value) => value * 2) : null, person },
  };
}
