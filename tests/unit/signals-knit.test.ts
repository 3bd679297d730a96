import { describe, expect, it } from 'vitest';
import { knitSignal, measureKnit } from '../../lib/engine/signals/knit';
import type { SignalMeasurement } from '../../lib/engine/signals/types';
import { loadFixture } from './decode';
import { photoRegionSpecs, regionMapsFromSpec } from './signals-regions';
import { blurInside, editInside, normal, portrait, rectMask, regionsWith, seeded } from './signals-synthetic';

function measured(result: SignalMeasurement | null): SignalMeasurement {
  if (!result) throw new Error('expected a measurement');
  return result;
}

const term = (result: SignalMeasurement | null, name: string): number => {
  const value = measured(result).evidence[name];
  if (value === undefined) throw new Error(`no evidence term ${name}`);
  return value;
};

describe('knit: each evidence term moves one way when only its property changes', () => {
  const scene = portrait();
  const knit = measureKnit(scene.image, scene.regions);

  it('textureToNoise falls, and the score with it, when the fabric is blurred', () => {
    const blurred = measureKnit(blurInside(scene.image, scene.garment, 2), scene.regions);
    expect(term(blurred, 'textureToNoise')).toBeLessThan(term(knit, 'textureToNoise') * 0.5);
    expect(measured(blurred).score).toBeLessThan(measured(knit).score - 20);
  });

  it('directionality is higher for ribs than for grain of the same strength with no direction', () => {
    const ribbed = portrait({ ribAmplitude: 12, garmentGrain: 2 });
    const isotropic = portrait({ ribAmplitude: 0, garmentGrain: 9 });
    expect(term(measureKnit(ribbed.image, ribbed.regions), 'directionality')).toBeGreaterThan(term(measureKnit(isotropic.image, isotropic.regions), 'directionality') + 0.2);
  });

  it('foldDetail falls when only the shadowed folds lose their texture', () => {
    const fold = rectMask(256, 256, 40, 176, 60, 80);
    const random = normal(seeded(5));
    const shadowed = editInside(scene.image, fold, (value) => value - 35);
    const withFolds = measureKnit(shadowed, scene.regions);
    const deadFolds = measureKnit(editInside(shadowed, fold, () => 35 + 0.3 * random()), scene.regions);
    expect(term(deadFolds, 'foldDetail')).toBeLessThan(term(withFolds, 'foldDetail') * 0.3);
    expect(Math.abs(term(deadFolds, 'textureToNoise') - term(withFolds, 'textureToNoise'))).toBeLessThan(0.25 * term(withFolds, 'textureToNoise'));
  });

  it('flatShare rises when part of a black knit goes flat (dark but not flat is what fabric does)', () => {
    const random = normal(seeded(6));
    const flattened = measureKnit(editInside(scene.image, rectMask(256, 256, 140, 176, 76, 80), () => 60 + 0.2 * random()), scene.regions);
    expect(term(knit, 'flatShare')).toBe(0);
    expect(term(flattened, 'flatShare')).toBeGreaterThan(0.3);
    expect(measured(flattened).score).toBeLessThan(measured(knit).score);
  });

  it('leaves crushed fabric to the shadow signal: clippedShare grows, and a garment crushed whole is not measurable', () => {
    const half = measureKnit(editInside(scene.image, rectMask(256, 256, 40, 176, 88, 80), () => 0), scene.regions);
    expect(term(half, 'clippedShare')).toBeGreaterThan(0.4);
    expect(Math.abs(term(half, 'textureToNoise') - term(knit, 'textureToNoise'))).toBeLessThan(0.3 * term(knit, 'textureToNoise'));
    expect(measureKnit(editInside(scene.image, scene.garment, () => 0), scene.regions)).toBeNull();
  });

  it('is null without a garment', () => {
    expect(measureKnit(scene.image, regionsWith(256, 256, {}))).toBeNull();
    expect(knitSignal.name).toBe('knit');
  });
});

describe('knit on a real photo with hand-drawn regions', () => {
  it('falls when the fleece of the mirror selfie is blurred', async () => {
    const file = 'photos/minimaxir_real_mirror_selfie.webp';
    const photo = await loadFixture(file);
    const regions = regionMapsFromSpec(photoRegionSpecs()[file] ?? { size: [photo.width, photo.height] });
    const clean = measured(measureKnit(photo, regions));
    const blurred = measured(measureKnit(blurInside(photo, regions.garment, 2), regions));
    expect(clean.score).toBeGreaterThan(70);
    expect(blurred.score).toBeLessThan(clean.score - 20);
  });
});
