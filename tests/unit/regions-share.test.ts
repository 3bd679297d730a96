import { describe, expect, it } from 'vitest';
import { judgeCard } from '../../lib/engine/judge';
import { buildRegionMaps } from '../../lib/engine/regions/build';
import { CLEAR_SIGNAL_GAP } from '../../lib/engine/verdict';
import { carryMask, shareRegions } from '../../lib/engine/regions/share';
import type { PanelRegionMaps, RegionMask } from '../../lib/engine/regions/types';
import { loadFixture } from './decode';
import { emptyRegionMaps, photoRegionSpecs, rasterize, regionMapsFromSpec } from './signals-regions';
import { loadRecordedPhoto } from './region-fixtures';
import { blurInside, editInside } from './signals-synthetic';

const ellipse = (cx: number, cy: number, rx: number, ry: number, width: number, height: number): RegionMask =>
  rasterize({ ellipses: [[cx, cy, rx, ry]] }, width, height);

const inside = (mask: RegionMask | null, x: number, y: number) => (mask?.data[y * mask.width + x] ?? 0) >= 128;

describe('carryMask: one region on a panel of another size', () => {
  it('keeps the region at the same relative position', () => {
    const mask = ellipse(50, 40, 20, 10, 200, 100);
    const carried = carryMask(mask, 400, 300);
    expect(carried.width).toBe(400);
    expect(carried.height).toBe(300);
    const [x, y, width, height] = carried.box;
    expect(Math.abs(x - 60)).toBeLessThanOrEqual(2);
    expect(Math.abs(y - 90)).toBeLessThanOrEqual(3);
    expect(Math.abs(width - 80)).toBeLessThanOrEqual(3);
    expect(Math.abs(height - 60)).toBeLessThanOrEqual(4);
    expect(carried.pixels / (400 * 300)).toBeCloseTo(mask.pixels / (200 * 100), 2);
  });

  it('returns the same mask when the sizes match', () => {
    const mask = ellipse(50, 40, 20, 10, 200, 100);
    expect(carryMask(mask, 200, 100)).toBe(mask);
  });
});

describe('shareRegions: one set of regions for two aligned panels', () => {
  const size = (width: number, height: number): PanelRegionMaps => emptyRegionMaps(width, height);

  it('carries a region found in one panel only onto the other', () => {
    const first = { ...size(200, 100), garment: ellipse(100, 70, 40, 20, 200, 100) };
    const second = size(300, 150);
    const [a, b] = shareRegions(first, second);
    expect(a.garment).toBe(first.garment);
    expect(b.garment?.width).toBe(300);
    expect(inside(b.garment, 150, 105)).toBe(true);
    expect(inside(b.garment, 20, 20)).toBe(false);
  });

  it('keeps the soft values of a shared mask outside both masks\' boxes, and counts its inside pixels by brute force', () => {
    const soft = (cx: number): RegionMask => {
      const mask = ellipse(cx, 50, 60, 30, 200, 100);
      // A soft rim (below 128, so outside the box) round the hard ellipse, as the background has one.
      for (let index = 0; index < mask.data.length; index++) if ((mask.data[index] as number) < 128) mask.data[index] = 40 + (index % 50);
      return mask;
    };
    const [first, second] = [soft(95), soft(105)];
    const [a, b] = shareRegions({ ...size(200, 100), background: first }, { ...size(200, 100), background: second });
    expect(a.background).toBe(b.background);
    const shared = a.background as RegionMask;
    let inBoth = 0;
    for (let index = 0; index < shared.data.length; index++) {
      expect(shared.data[index]).toBe(Math.min(first.data[index] as number, second.data[index] as number));
      if ((shared.data[index] as number) >= 128) inBoth++;
    }
    expect(shared.pixels).toBe(inBoth);
    expect(shared.box).toEqual([first.box[0] + 10, first.box[1], first.box[2] - 10, first.box[3]]);
  });

  it('lets each panel keep its own mask when the two masks\' boxes do not meet', () => {
    const first = { ...size(200, 100), garment: ellipse(40, 50, 30, 20, 200, 100) };
    const second = { ...size(200, 100), garment: ellipse(160, 50, 30, 20, 200, 100) };
    const [a, b] = shareRegions(first, second);
    expect(a.garment).toBe(first.garment);
    expect(b.garment).toBe(second.garment);
  });

  it('uses the intersection on both panels when the two masks agree', () => {
    const first = { ...size(200, 100), faceSkin: ellipse(100, 50, 30, 30, 200, 100) };
    const second = { ...size(200, 100), faceSkin: ellipse(108, 50, 30, 30, 200, 100) };
    const [a, b] = shareRegions(first, second);
    expect(a.faceSkin?.pixels).toBe(b.faceSkin?.pixels);
    expect(a.faceSkin?.pixels).toBeLessThan(first.faceSkin.pixels);
    // Inside the first only, inside the second only, inside both.
    expect(inside(a.faceSkin, 74, 50)).toBe(false);
    expect(inside(b.faceSkin, 134, 50)).toBe(false);
    expect(inside(a.faceSkin, 104, 50) && inside(b.faceSkin, 104, 50)).toBe(true);
  });

  it('leaves each panel its own region when the two masks do not agree', () => {
    const first = { ...size(200, 100), garment: ellipse(50, 50, 20, 20, 200, 100) };
    const second = { ...size(200, 100), garment: ellipse(150, 50, 20, 20, 200, 100) };
    const [a, b] = shareRegions(first, second);
    expect(a.garment).toBe(first.garment);
    expect(b.garment).toBe(second.garment);
  });

  it('matches tabletop objects one to one and carries the unmatched ones', () => {
    const cup = ellipse(50, 60, 20, 15, 200, 100);
    const bowl = ellipse(150, 60, 25, 15, 200, 100);
    const first = { ...size(200, 100), tabletop: [{ kind: 'cup', mask: cup }, { kind: 'bowl', mask: bowl }] };
    const second = { ...size(200, 100), tabletop: [{ kind: 'cup', mask: ellipse(52, 60, 20, 15, 200, 100) }] };
    const [a, b] = shareRegions(first, second);
    expect(a.tabletop?.map((object) => object.kind)).toEqual(['cup', 'bowl']);
    expect(b.tabletop?.map((object) => object.kind)).toEqual(['cup', 'bowl']);
    expect(b.tabletop?.[0]?.mask.pixels).toBe(a.tabletop?.[0]?.mask.pixels);
    expect(b.tabletop?.[1]?.mask.pixels).toBe(bowl.pixels);
  });

  it('keeps each panel its own face', () => {
    const first = { ...size(200, 100), face: { box: [80, 20, 40, 50] as [number, number, number, number], score: 0.9, landmarks: null } };
    const second = { ...size(200, 100), face: { box: [84, 22, 40, 50] as [number, number, number, number], score: 0.8, landmarks: null } };
    const [a, b] = shareRegions(first, second);
    expect(a.face).toBe(first.face);
    expect(b.face).toBe(second.face);
  });
});

describe('judgeCard with shared regions', () => {
  it('judges a mushy cup on the clean cup’s region when the models missed it, and picks the clean panel', async () => {
    const file = 'photos/skimage_coffee.png';
    const panel = await loadFixture(file);
    const regions = regionMapsFromSpec(photoRegionSpecs()[file] ?? { size: [panel.width, panel.height] });
    const cup = regions.tabletop?.[0]?.mask ?? null;
    expect(cup).not.toBeNull();
    const mushy = blurInside(panel, cup, 3);
    // The degraded panel's models found no tabletop object: without sharing, ceramic would be missing there.
    const missed: PanelRegionMaps = { ...regions, tabletop: null };
    const judged = judgeCard({ panel, regions }, { panel: mushy, regions: missed }, 'side-by-side');
    expect(judged.consistency.controlled).not.toBe(false);
    const [clean, degraded] = judged.panels.map((result) => result.signals.ceramic?.score ?? null);
    expect(clean).not.toBeNull();
    expect(degraded).not.toBeNull();
    expect(clean as number).toBeGreaterThan(degraded as number);
    expect(judged.verdict.winner).toBe(0);
  });

  it('keeps each panel its own regions when the panels are different pictures', async () => {
    const brick = await loadFixture('photos/skimage_brick.png');
    const gravel = await loadFixture('photos/skimage_gravel.png');
    const garment = ellipse(brick.width / 2, brick.height / 2, brick.width / 4, brick.height / 4, brick.width, brick.height);
    const judged = judgeCard(
      { panel: brick, regions: { ...emptyRegionMaps(brick.width, brick.height), garment } },
      { panel: gravel, regions: emptyRegionMaps(gravel.width, gravel.height) },
      'side-by-side',
    );
    expect(judged.consistency.controlled).toBe(false);
    expect(judged.panels[0].signals.knit).not.toBeNull();
    expect(judged.panels[1].signals.knit).toBeNull();
  });

  it('compares fabric on what is visible in both panels: a crushed sweater does not gain knit texture', async () => {
    // Grace Hopper's dark uniform with the region models' own garment (recorded outputs): crushing
    // the shadows blacks out most of it, and the few bright folds left must not outscore the clean panel.
    const recorded = await loadRecordedPhoto('matplotlib_grace_hopper.jpg');
    const regions = buildRegionMaps(recorded.pixels, recorded.outputs);
    expect(regions.garment).not.toBeNull();
    const crushed = editInside(recorded.pixels, null, (value) => Math.max(0, ((value - 70) * 255) / 185));
    const judged = judgeCard({ panel: recorded.pixels, regions }, { panel: crushed, regions }, 'side-by-side');
    const [clean, dark] = judged.panels.map((result) => result.signals.knit?.score ?? null);
    expect(clean).not.toBeNull();
    expect(dark).not.toBeNull();
    expect((dark as number) - (clean as number)).toBeLessThan(CLEAR_SIGNAL_GAP);
    expect(judged.verdict.winner).toBe(0);
  });
});

