import { beforeAll, describe, expect, it } from 'vitest';
import { FACE_OVAL, LEFT_EYE, LEFT_EYEBROW, LIPS, NOSTRILS, RIGHT_EYE, RIGHT_EYEBROW } from '../../lib/engine/regions/face-mesh';
import { belowChin, faceOvalMask, faceSkinMask, landmarkPoint, landmarkPolygon } from '../../lib/engine/regions/face-skin';
import { fillPolygon } from '../../lib/engine/regions/mask';
import { fitSkinModel, isGrayscale, isSkinLike, skinChroma, skinDistance } from '../../lib/engine/regions/skin-colour';
import type { RgbaImage } from '../../lib/engine/types';
import { loadRecordedPhoto, type RecordedPhoto } from './region-fixtures';

const PORTRAITS = ['skimage_astronaut.png', 'matplotlib_grace_hopper.jpg'];
const FEATURES = { LEFT_EYE, RIGHT_EYE, LEFT_EYEBROW, RIGHT_EYEBROW, LIPS, NOSTRILS };
/** Mesh points on plain skin: cheeks (50, 280), forehead centre (151), chin above the point (199). */
const SKIN_POINTS = [50, 280, 151, 199];

const photos = new Map<string, RecordedPhoto>();
beforeAll(async () => {
  for (const photo of PORTRAITS) photos.set(photo, await loadRecordedPhoto(photo));
});

function recorded(photo: string): { pixels: RgbaImage; landmarks: Float32Array } {
  const entry = photos.get(photo);
  if (!entry?.outputs.landmarks) throw new Error(`no landmarks recorded for ${photo}`);
  return { pixels: entry.pixels, landmarks: entry.outputs.landmarks };
}

const at = (mask: Uint8Array, width: number, { x, y }: { x: number; y: number }) => mask[Math.floor(y) * width + Math.floor(x)] ?? -1;

describe('face skin from the 478 landmarks (recorded model output on fixture portraits)', () => {
  it.each(PORTRAITS)('%s: no pixel of the eyes, brows, lips or nostrils is face skin', (photo) => {
    const { pixels, landmarks } = recorded(photo);
    const skin = faceSkinMask(landmarks, pixels.width, pixels.height);
    for (const [name, outline] of Object.entries(FEATURES)) {
      const feature = new Uint8Array(pixels.width * pixels.height);
      fillPolygon(feature, pixels.width, pixels.height, landmarkPolygon(landmarks, outline));
      const overlap = feature.reduce((sum, value, index) => sum + (value && skin[index] ? 1 : 0), 0);
      expect(feature.some(Boolean), `${name} has pixels`).toBe(true);
      expect(overlap, `${name} pixels in face skin`).toBe(0);
    }
    // Iris centres (468 left, 473 right).
    expect(at(skin, pixels.width, landmarkPoint(landmarks, 468))).toBe(0);
    expect(at(skin, pixels.width, landmarkPoint(landmarks, 473))).toBe(0);
  });

  it.each(PORTRAITS)('%s: cheeks, forehead and chin are face skin, and nothing outside the oval is', (photo) => {
    const { pixels, landmarks } = recorded(photo);
    const skin = faceSkinMask(landmarks, pixels.width, pixels.height);
    const oval = faceOvalMask(landmarks, pixels.width, pixels.height);
    for (const index of SKIN_POINTS) expect(at(skin, pixels.width, landmarkPoint(landmarks, index)), `landmark ${index}`).toBe(255);
    const outside = skin.reduce((sum, value, index) => sum + (value && !oval[index] ? 1 : 0), 0);
    expect(outside).toBe(0);
    const kept = skin.filter(Boolean).length / oval.filter(Boolean).length;
    // Eyes, brows, lips and nostrils take 10-25 % of the oval.
    expect(kept).toBeGreaterThan(0.75);
    expect(kept).toBeLessThan(0.9);
  });

  it('tells below the chin from above it along the face axis', () => {
    const { landmarks } = recorded('skimage_astronaut.png');
    const below = belowChin(landmarks);
    const chin = landmarkPoint(landmarks, 152);
    const forehead = landmarkPoint(landmarks, FACE_OVAL[0]);
    expect(below(chin.x, chin.y + 10)).toBe(true);
    expect(below(chin.x, chin.y - 10)).toBe(false);
    expect(below(forehead.x, forehead.y)).toBe(false);
  });
});

/** A 64×64 picture: the left half noisy skin colour, the right half the given colour. */
function halves(skin: [number, number, number], other: [number, number, number]): RgbaImage {
  const data = new Uint8ClampedArray(64 * 64 * 4);
  for (let pixel = 0; pixel < 64 * 64; pixel++) {
    const colour = pixel % 64 < 32 ? skin : other;
    const jitter = ((pixel * 7919) % 11) - 5;
    data.set([colour[0] + jitter, colour[1] + jitter, colour[2] + jitter, 255], pixel * 4);
  }
  return { data, width: 64, height: 64 };
}

const LEFT_HALF = Uint8Array.from({ length: 64 * 64 }, (_, pixel) => (pixel % 64 < 32 ? 255 : 0));

describe('skin-colour model (chroma Gaussian in YCbCr with a luminance band)', () => {
  const model = fitSkinModel(halves([200, 150, 120], [40, 160, 60]), LEFT_HALF);

  it.each<[string, [number, number, number], boolean]>([
    ['the fitted skin', [200, 150, 120], true],
    ['the same skin a little redder', [206, 148, 118], true],
    ['the same skin in shade (60 % luminance)', [120, 90, 72], true],
    ['the same skin in deep shadow (20 %)', [40, 30, 24], false],
    ['a green garment', [40, 160, 60], false],
    ['a blue sky', [90, 140, 220], false],
    ['an orange spacesuit', [230, 110, 50], false],
    ['a white shirt', [245, 245, 245], false],
  ])('%s: skin-like = %s', (_name, [red, green, blue], expected) => {
    expect(model).not.toBeNull();
    if (model) expect(isSkinLike(model, red, green, blue)).toBe(expected);
  });

  it('centres the chroma Gaussian on the skin, within 1 unit', () => {
    const { u, v } = skinChroma(200, 150, 120, 0);
    expect(model?.meanU).toBeCloseTo(u, 0);
    expect(model?.meanV).toBeCloseTo(v, 0);
    expect(model?.grayscale).toBe(false);
  });

  it('on a real face, keeps the face skin and refuses the spacesuit (astronaut)', () => {
    const { pixels, landmarks } = recorded('skimage_astronaut.png');
    const fitted = fitSkinModel(pixels, faceSkinMask(landmarks, pixels.width, pixels.height));
    if (!fitted) throw new Error('no model');
    const share = ([x, y, width, height]: [number, number, number, number]) => {
      let skinLike = 0;
      for (let row = y; row < y + height; row++)
        for (let column = x; column < x + width; column++) {
          const offset = (row * pixels.width + column) * 4;
          if (isSkinLike(fitted, pixels.data[offset] ?? 0, pixels.data[offset + 1] ?? 0, pixels.data[offset + 2] ?? 0)) skinLike++;
        }
      return skinLike / (width * height);
    };
    expect(share([200, 115, 20, 15])).toBeGreaterThan(0.9); // cheeks and nose
    expect(share([60, 330, 50, 50])).toBeLessThan(0.05); // orange sleeve
    // The warm grey backdrop is close to neutral, so a few of its pixels pass; the person mask keeps it out of the skin regions anyway.
    expect(share([380, 100, 40, 40])).toBeLessThan(0.15);
  });

  it('on a grayscale photo, judges by luminance alone', () => {
    const gray = halves([150, 150, 150], [60, 60, 60]);
    expect(isGrayscale(gray)).toBe(true);
    const grayModel = fitSkinModel(gray, LEFT_HALF);
    expect(grayModel?.grayscale).toBe(true);
    if (!grayModel) return;
    expect(skinDistance(grayModel, 10, 200, 10)).toBe(0);
    expect(isSkinLike(grayModel, 150, 150, 150)).toBe(true);
    expect(isSkinLike(grayModel, 20, 20, 20)).toBe(false);
  });

  it('needs 100 face pixels', () => {
    expect(fitSkinModel(halves([200, 150, 120], [0, 0, 0]), new Uint8Array(64 * 64).fill(255, 0, 99))).toBeNull();
  });
});
