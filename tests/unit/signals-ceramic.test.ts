import { describe, expect, it } from 'vitest';
import { ceramicSignal, measureCeramic } from '../../lib/engine/signals/ceramic';
import type { SignalMeasurement } from '../../lib/engine/signals/types';
import type { RgbaImage } from '../../lib/engine/types';
import { loadFixture } from './decode';
import { photoRegionSpecs, regionMapsFromSpec } from './signals-regions';
import { blotches, blurInside, editInside, ellipseMask, greyImage, normal, rectMask, regionsWith, seeded } from './signals-synthetic';

function measured(result: SignalMeasurement | null): SignalMeasurement {
  if (!result) throw new Error('expected a measurement');
  return result;
}

const term = (result: SignalMeasurement | null, name: string): number => {
  const value = measured(result).evidence[name];
  if (value === undefined) throw new Error(`no evidence term ${name}`);
  return value;
};

interface TableOptions {
  /** Where the specular highlight sits, relative to the cup's centre (x, y in pixels). */
  highlight?: [number, number];
  highlightPeak?: number;
  contactShadow?: boolean;
  bodyBlotches?: number;
}

const SIZE = 256;
const cup = ellipseMask(SIZE, SIZE, 128, 120, 50, 40);

/** A cup lit from the left on a table that is brighter on the left: grainy glaze, a specular spot, a contact shadow. */
function table(options: TableOptions = {}): RgbaImage {
  const random = seeded(21);
  const gauss = normal(random);
  const mottle = blotches(random, SIZE, SIZE, 6);
  const [spotX, spotY] = options.highlight ?? [-22, -14];
  const peak = options.highlightPeak ?? 250;
  return greyImage(SIZE, SIZE, (x, y) => {
    if ((cup.data[y * SIZE + x] ?? 0) >= 128) {
      const shading = 180 - (25 * (x - 128)) / 50 + (options.bodyBlotches ?? 0) * mottle(x, y);
      const spot = Math.exp(-((x - 128 - spotX) ** 2 + (y - 120 - spotY) ** 2) / (2 * 5 * 5));
      return shading + (peak - shading) * spot + 3 * gauss();
    }
    const underCup = (options.contactShadow ?? true) && y >= 160 && y < 172 && Math.abs(x - 128) < 45;
    return (underCup ? 55 : 100) - (20 * (x - 128)) / 128 + 3 * gauss();
  });
}

const regions = regionsWith(SIZE, SIZE, { tabletop: [{ kind: 'cup', mask: cup }] });
const measureTable = (image: RgbaImage) => measureCeramic(image, regions);

describe('ceramic: each evidence term moves one way when only its property changes', () => {
  const clean = measureTable(table());

  it('rimSharpness falls, and the score with it, when the silhouette is blurred', () => {
    const rim = rectMask(SIZE, SIZE, 70, 72, 116, 96);
    const soft = measureTable(blurInside(table(), rim, 2, 2));
    expect(term(clean, 'rimSharpness')).toBeGreaterThan(0.5);
    expect(term(soft, 'rimSharpness')).toBeLessThan(term(clean, 'rimSharpness') - 0.2);
    expect(measured(soft).score).toBeLessThan(measured(clean).score - 10);
  });

  it('grainToNoise falls when the glaze loses its grain inside the rim', () => {
    const body = ellipseMask(SIZE, SIZE, 128, 120, 38, 28);
    const waxy = measureTable(blurInside(table(), body, 2, 2));
    expect(term(waxy, 'grainToNoise')).toBeLessThan(term(clean, 'grainToNoise') * 0.5);
  });

  it('grainToMottle falls when the matte body gets mushy blotches', () => {
    expect(term(measureTable(table({ bodyBlotches: 12 })), 'grainToMottle')).toBeLessThan(term(clean, 'grainToMottle') * 0.7);
  });

  it('specularRise falls when the highlight no longer rises towards white', () => {
    expect(term(measureTable(table({ highlightPeak: 205 })), 'specularRise')).toBeLessThan(term(clean, 'specularRise') - 0.3);
  });

  it('specularAgreement falls when the highlight sits on the side away from the light', () => {
    const against = measureTable(table({ highlight: [22, -14] }));
    expect(term(clean, 'specularAgreement')).toBeGreaterThan(0.7);
    expect(term(against, 'specularAgreement')).toBeLessThan(0.3);
  });

  it('contactShadow falls when nothing grounds the cup', () => {
    expect(term(clean, 'contactShadow')).toBeGreaterThan(0.2);
    expect(term(measureTable(table({ contactShadow: false })), 'contactShadow')).toBeLessThan(0.05);
  });

  it('is null without tabletop objects', () => {
    expect(measureCeramic(table(), regionsWith(SIZE, SIZE, {}))).toBeNull();
    expect(ceramicSignal.name).toBe('ceramic');
  });
});

describe('ceramic on a real photo with hand-drawn regions', () => {
  it('falls when the espresso cup and saucer go mushy (blur and contrast loss)', async () => {
    const file = 'photos/skimage_coffee.png';
    const photo = await loadFixture(file);
    const photoRegions = regionMapsFromSpec(photoRegionSpecs()[file] ?? { size: [photo.width, photo.height] });
    let mushy = photo;
    for (const object of photoRegions.tabletop ?? []) mushy = editInside(blurInside(mushy, object.mask, 2), object.mask, (value) => 128 + (value - 128) * 0.7);
    const before = measured(measureCeramic(photo, photoRegions));
    const after = measured(measureCeramic(mushy, photoRegions));
    expect(before.score).toBeGreaterThan(70);
    expect(after.score).toBeLessThan(before.score - 20);
  });
});
