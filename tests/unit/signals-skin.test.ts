import { describe, expect, it } from 'vitest';
import { measureSkin, skinSignal } from '../../lib/engine/signals/skin';
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

const skinOf = (options: Parameters<typeof portrait>[0]) => {
  const scene = portrait(options);
  return measureSkin(scene.image, scene.regions);
};

describe('skin: each evidence term moves one way when only its property changes', () => {
  it('textureToNoise falls when the skin loses grain, and the score with it', () => {
    const grainy = skinOf({ skinGrain: 5 });
    const smooth = skinOf({ skinGrain: 1 });
    expect(term(smooth, 'textureToNoise')).toBeLessThan(term(grainy, 'textureToNoise') * 0.6);
    expect(measured(smooth).score).toBeLessThan(measured(grainy).score - 10);
  });

  it('textureToNoise falls when the same skin sits in a grainier image (what the noise predicts)', () => {
    expect(term(skinOf({ wallNoise: 5 }), 'textureToNoise')).toBeLessThan(term(skinOf({ wallNoise: 2 }), 'textureToNoise') * 0.6);
  });

  it('fineToMid falls when fine grain goes and mid-scale detail stays (edge-preserving smoothing)', () => {
    expect(term(skinOf({ skinGrain: 1.5, skinMidBand: 6 }), 'fineToMid')).toBeLessThan(term(skinOf({ skinGrain: 5, skinMidBand: 6 }), 'fineToMid') * 0.7);
  });

  it('microContrast falls when the mid-scale detail flattens', () => {
    expect(term(skinOf({ skinMidBand: 1 }), 'microContrast')).toBeLessThan(term(skinOf({ skinMidBand: 10 }), 'microContrast') * 0.7);
  });

  it('highlightTexture falls when the lit side of the face turns glassy', () => {
    const scene = portrait({ faceShading: 40 });
    const random = normal(seeded(9));
    // The brightest side keeps its level but loses its grain: a waxy highlight.
    const waxy = editInside(scene.image, scene.face, (value, x) => (x >= 150 ? 160 + (40 * (x - 128)) / 44 + 0.2 * random() : value));
    const before = measureSkin(scene.image, scene.regions);
    const after = measureSkin(waxy, scene.regions);
    expect(term(after, 'highlightTexture')).toBeLessThan(term(before, 'highlightTexture') * 0.6);
    expect(measured(after).score).toBeLessThan(measured(before).score);
  });

  it('boundaryCrispness falls when the skin-to-fabric edge (an off-shoulder neckline) is blurred', () => {
    const scene = portrait();
    const shoulder = rectMask(256, 256, 40, 150, 176, 26);
    const random = normal(seeded(4));
    const withShoulder = editInside(scene.image, shoulder, () => 165 + 4 * random());
    const regions = regionsWith(256, 256, { ...scene.regions, otherSkin: shoulder });
    const crisp = measureSkin(withShoulder, regions);
    const soft = measureSkin(blurInside(withShoulder, rectMask(256, 256, 40, 168, 176, 16), 2), regions);
    expect(term(crisp, 'boundaryCrispness')).toBeGreaterThan(0.4);
    expect(term(soft, 'boundaryCrispness')).toBeLessThan(term(crisp, 'boundaryCrispness') - 0.15);
    expect(measured(soft).score).toBeLessThan(measured(crisp).score);
    expect(measured(measureSkin(scene.image, scene.regions)).evidence.boundaryCrispness).toBeUndefined();
  });

  it('does not rise when only a tone curve stretches the skin (crushed shadows), and still falls when the skin is smoothed', () => {
    // A face with relief (cheeks, brows, the nose: shading that changes over a dozen pixels) on a flat, processed
    // background whose grain sits at the 8-bit floor, where the panel's grain does not follow a curve.
    const face = (seed: number) => {
      const scene = portrait({ seed, wallNoise: 0.3, skinGrain: 2 });
      const relief = (x: number, y: number) => 14 * (Math.sin((2 * Math.PI * x) / 12) + Math.sin((2 * Math.PI * y) / 12));
      return { ...scene, image: editInside(scene.image, scene.face, (value, x, y) => value + relief(x, y)) };
    };
    // Identical copies: the same face drawn with other grain and blotches.
    const copies = [1, 2, 3, 4, 5, 6].map((seed) => measured(measureSkin(face(seed).image, face(seed).regions)).score);
    const noise = Math.max(...copies) - Math.min(...copies);
    expect(noise).toBeLessThan(6);
    for (const seed of [1, 2, 3]) {
      const scene = face(seed);
      const clean = measured(measureSkin(scene.image, scene.regions));
      // The bench's crushed-shadows curve over the whole panel (black point 52 and 85: a gain of 1.26 and 1.5 at the skin's levels).
      for (const blackPoint of [52, 85]) {
        const curved = editInside(scene.image, null, (value) => (255 * Math.max(0, value - blackPoint)) / (255 - blackPoint));
        const after = measured(measureSkin(curved, scene.regions));
        // The curve stretched the skin: its shading slope grew with its grain.
        expect(after.evidence.shadingSlope).toBeGreaterThan((clean.evidence.shadingSlope ?? 0) * 1.2);
        expect(after.score).toBeLessThanOrEqual(clean.score + noise);
      }
      // Smoothing the same face still costs it: a small blur takes the grain and leaves the relief.
      const smoothed = measured(measureSkin(blurInside(scene.image, scene.face, 1, 2), scene.regions));
      expect(smoothed.score).toBeLessThan(clean.score - 10);
    }
  });

  it('pulls the score towards 50 when the face is too small to show texture', () => {
    const scene = portrait({ skinGrain: 1 });
    const tiny = regionsWith(256, 256, { ...scene.regions, face: { box: [84, 40, 20, 30], score: 1, landmarks: null } });
    const full = measured(measureSkin(scene.image, scene.regions)).score;
    const small = measured(measureSkin(scene.image, tiny)).score;
    expect(term(measureSkin(scene.image, tiny), 'faceHeightPx')).toBe(30);
    expect(Math.abs(small - 50)).toBeLessThan(Math.abs(full - 50));
  });

  it('judges the face skin on its own: smoothing the face is not hidden by a smoother arm beside it', () => {
    // An arm of real but finer-grained skin beside the face (as a phone's own processing leaves a hand or a neck).
    const arm = rectMask(256, 256, 218, 100, 34, 150);
    const random = normal(seeded(21));
    const withArm = (options: Parameters<typeof portrait>[0]) => {
      const scene = portrait(options);
      return { image: editInside(scene.image, arm, () => 150 + 2.5 * random()), regions: regionsWith(256, 256, { ...scene.regions, otherSkin: arm }), bare: scene };
    };
    // Only the face's grain changes (5 → 3: smoothed, still grainier than the arm).
    const clean = withArm({ skinGrain: 5 });
    const smoothed = withArm({ skinGrain: 3 });
    const drop = measured(measureSkin(clean.image, clean.regions)).score - measured(measureSkin(smoothed.image, smoothed.regions)).score;
    const dropWithoutArm = measured(measureSkin(clean.bare.image, clean.bare.regions)).score - measured(measureSkin(smoothed.bare.image, smoothed.bare.regions)).score;
    expect(dropWithoutArm).toBeGreaterThan(8);
    expect(Math.abs(drop - dropWithoutArm)).toBeLessThan(1);
    // The arm is reported beside the face, not scored.
    expect(term(measureSkin(clean.image, clean.regions), 'bodyTextureToNoise')).toBeLessThan(term(measureSkin(clean.image, clean.regions), 'textureToNoise'));
    expect(measured(measureSkin(clean.bare.image, clean.bare.regions)).evidence.bodyScore).toBeUndefined();
  });

  it('judges body skin when the face shows none', () => {
    const scene = portrait();
    const arm = rectMask(256, 256, 218, 100, 34, 150);
    const random = normal(seeded(22));
    const grainy = editInside(scene.image, arm, () => 150 + 5 * random());
    const smooth = blurInside(grainy, arm, 1, 2);
    const armOnly = regionsWith(256, 256, { face: scene.regions.face, otherSkin: arm });
    expect(measured(measureSkin(smooth, armOnly)).score).toBeLessThan(measured(measureSkin(grainy, armOnly)).score - 10);
    expect(measured(measureSkin(grainy, armOnly)).evidence.bodyScore).toBeUndefined();
  });

  it('is null without skin regions', () => {
    expect(measureSkin(portrait().image, regionsWith(256, 256, {}))).toBeNull();
    expect(skinSignal.name).toBe('skin');
  });
});

describe('skin on a real photo with hand-drawn regions', () => {
  it('falls when the astronaut’s face is smoothed', async () => {
    const file = 'photos/skimage_astronaut.png';
    const photo = await loadFixture(file);
    const regions = regionMapsFromSpec(photoRegionSpecs()[file] ?? { size: [photo.width, photo.height] });
    const smoothed = blurInside(photo, regions.faceSkin, 1, 2);
    const clean = measured(measureSkin(photo, regions));
    const degraded = measured(measureSkin(smoothed, regions));
    expect(degraded.score).toBeLessThan(clean.score - 10);
    expect(degraded.evidence.textureToNoise).toBeLessThan((clean.evidence.textureToNoise ?? 0) * 0.7);
  });
});
