import { describe, expect, it } from 'vitest';
import { measureShadow, shadowSignal } from '../../lib/engine/signals/shadow';
import type { SignalMeasurement } from '../../lib/engine/signals/types';
import { loadFixture } from './decode';
import { photoRegionSpecs, regionMapsFromSpec } from './signals-regions';
import { editInside, ellipseMask, normal, portrait, rectMask, regionsWith, seeded } from './signals-synthetic';

function measured(result: SignalMeasurement | null): SignalMeasurement {
  if (!result) throw new Error('expected a measurement');
  return result;
}

const evidence = (result: SignalMeasurement | null, term: string): number => {
  const value = measured(result).evidence[term];
  if (value === undefined) throw new Error(`no evidence term ${term}`);
  return value;
};

describe('shadow: each evidence term moves one way when only its property changes', () => {
  const base = portrait();

  it('skinCrushedShare rises, and the score falls, as more of the face is crushed to flat black', () => {
    const crushedShares = [0, 0.1, 0.3].map((share) => {
      const edited = editInside(base.image, base.face, (value, x) => (x < 84 + share * 88 ? 0 : value));
      return measureShadow(edited, base.regions);
    });
    const shares = crushedShares.map((result) => evidence(result, 'skinCrushedShare'));
    expect(shares[0]).toBe(0);
    expect(shares[1]).toBeGreaterThan(0.03);
    expect(shares[2]).toBeGreaterThan(shares[1] ?? 1);
    const scores = crushedShares.map((result) => measured(result).score);
    expect(scores[1]).toBeLessThan(scores[0] ?? 0);
    expect(scores[2]).toBeLessThan(scores[1] ?? 0);
  });

  it('skinShadowFloor falls when the face shadows sink towards black under the same mid-tones', () => {
    const gentle = measureShadow(portrait({ faceShading: 20 }).image, base.regions);
    const deep = measureShadow(portrait({ faceShading: 150 }).image, base.regions);
    expect(evidence(deep, 'skinShadowFloor')).toBeLessThan(evidence(gentle, 'skinShadowFloor') - 0.1);
    expect(measured(deep).score).toBeLessThan(measured(gentle).score);
  });

  it('skinDarkDetail falls when the dark side of the face loses its grain but keeps its level', () => {
    const dark = portrait({ faceLevel: 60, faceShading: 20 });
    // Dark pixels replaced by a smooth ramp of the same tones: no grain, no crushing.
    const flattened = editInside(dark.image, dark.face, (value, x) => (value < 85 ? 50 + (x - 84) / 8 : value));
    expect(evidence(measureShadow(dark.image, dark.regions), 'skinDarkDetail')).toBeGreaterThan(0.9);
    expect(evidence(measureShadow(flattened, dark.regions), 'skinDarkDetail')).toBeLessThan(0.5);
  });

  it('frameCrushedShare rises when a dark background is clipped to flat black, but not when it is only dark', () => {
    const background = rectMask(256, 256, 0, 0, 256, 40);
    const random = normal(seeded(3));
    const dark = editInside(base.image, background, () => 20 + 3 * random());
    const clipped = editInside(base.image, background, () => 0);
    expect(evidence(measureShadow(dark, base.regions), 'frameCrushedShare')).toBe(0);
    expect(evidence(measureShadow(clipped, base.regions), 'frameCrushedShare')).toBeGreaterThan(0.1);
    expect(measured(measureShadow(clipped, base.regions)).score).toBeLessThan(measured(measureShadow(dark, base.regions)).score);
  });

  it('frameBlownShare rises when part of the frame is blown to flat white', () => {
    const blown = editInside(base.image, rectMask(256, 256, 0, 0, 256, 40), () => 255);
    expect(evidence(measureShadow(base.image, base.regions), 'frameBlownShare')).toBe(0);
    expect(evidence(measureShadow(blown, base.regions), 'frameBlownShare')).toBeGreaterThan(0.1);
  });

  it('darkCombedShare rises when a shadow stretch combs levels out of the dark tones', () => {
    const dark = portrait({ faceLevel: 60, faceShading: 25, garmentLevel: 40 });
    const stretched = editInside(dark.image, null, (value) => Math.min(255, Math.round(value * 1.6)));
    expect(evidence(measureShadow(dark.image, dark.regions), 'darkCombedShare')).toBeLessThan(0.05);
    expect(evidence(measureShadow(stretched, dark.regions), 'darkCombedShare')).toBeGreaterThan(0.2);
  });

  it('does not penalise a dark scene for being dark: a uniformly dimmer portrait keeps its score within 5 points', () => {
    const dim = editInside(base.image, null, (value) => value * 0.45);
    const bright = measured(measureShadow(base.image, base.regions)).score;
    const darker = measured(measureShadow(dim, base.regions)).score;
    expect(Math.abs(bright - darker)).toBeLessThan(5);
  });

  it('is null without skin regions, and paints its heatmap where the face is crushed', () => {
    expect(measureShadow(base.image, regionsWith(256, 256, {}))).toBeNull();
    const crushed = editInside(base.image, ellipseMask(256, 256, 100, 96, 14, 20), () => 0);
    const { heatmap } = measured(measureShadow(crushed, base.regions));
    const cell = (x: number, y: number) => heatmap.data[Math.floor(y * heatmap.scale) * heatmap.width + Math.floor(x * heatmap.scale)] ?? 0;
    expect(cell(100, 96)).toBeGreaterThan(0.9);
    expect(cell(150, 96)).toBeLessThan(0.1);
    expect(shadowSignal.name).toBe('shadow');
  });
});

describe('shadow on a real photo with hand-drawn regions', () => {
  it('falls when a curve drives the darkest third of Grace Hopper to black', async () => {
    const file = 'photos/matplotlib_grace_hopper.jpg';
    const photo = await loadFixture(file);
    const regions = regionMapsFromSpec(photoRegionSpecs()[file] ?? { size: [photo.width, photo.height] });
    const crushed = editInside(photo, null, (value) => Math.max(0, ((value - 85) * 255) / 170));
    const clean = measured(measureShadow(photo, regions));
    const degraded = measured(measureShadow(crushed, regions));
    expect(clean.score).toBeGreaterThan(85);
    expect(degraded.score).toBeLessThan(clean.score - 20);
    expect(degraded.evidence.frameCrushedShare).toBeGreaterThan(clean.evidence.frameCrushedShare ?? 1);
  });
});
