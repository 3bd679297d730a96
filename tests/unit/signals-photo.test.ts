import { describe, expect, it } from 'vitest';
import { cropRgba } from '../../lib/engine/image';
import { photoGate } from '../../lib/engine/signals/photo';
import { measurePanel } from '../../lib/engine/signals/registry';
import type { Box, RgbaImage } from '../../lib/engine/types';
import { loadFixture } from './decode';
import { cardRegionSpecs, photoRegionSpecs, regionMapsFromSpec } from './signals-regions';
import { colourImage, editInside, portrait } from './signals-synthetic';

/** Panels as the card detector splits them (tests/unit/detect.test.ts, ocr-label-strips.test.ts). */
const PANELS: Record<string, Box[]> = {
  'cards/minimaxir_counter_ui_nanobanana_vs_pro_labeled.webp': [[0, 41, 1141, 823], [1141, 0, 1227, 864]],
  'cards/minimaxir_chatgpt_two_gens_unlabeled.webp': [[0, 0, 512, 512], [512, 0, 512, 512]],
  'cards/minimaxir_ghibli_real_vs_nanobanana_unlabeled.webp': [[0, 0, 1042, 1024], [1042, 0, 1006, 1024]],
  'cards/minimaxir_pps_nanobanana_vs_nanobananapro_labeled.webp': [[0, 0, 864, 1184], [864, 0, 896, 1184]],
};

async function panel(file: string, index: number): Promise<RgbaImage> {
  const box = PANELS[file]?.[index];
  if (!box) throw new Error(`no panel ${index} for ${file}`);
  return cropRgba(await loadFixture(file), box);
}

describe('photo gate on real panels', () => {
  it.each([
    ['cards/minimaxir_counter_ui_nanobanana_vs_pro_labeled.webp', 0, 'UI screenshot (dark and white halves)'],
    ['cards/minimaxir_counter_ui_nanobanana_vs_pro_labeled.webp', 1, 'UI screenshot'],
    ['cards/minimaxir_chatgpt_two_gens_unlabeled.webp', 1, 'cartoon with paper grain'],
  ] as [string, number, string][])('%s panel %i is a graphic (%s)', async (file, index) => {
    const gate = photoGate(await panel(file, index));
    expect(gate).toMatchObject({ photo: false, gateReason: 'graphic' });
    expect(gate.evidence.shadedOfSmooth).toBeLessThan(0.35);
  });

  it.each([
    ['cards/minimaxir_ghibli_real_vs_nanobanana_unlabeled.webp', 0],
    ['cards/minimaxir_ghibli_real_vs_nanobanana_unlabeled.webp', 1],
    ['cards/minimaxir_pps_nanobanana_vs_nanobananapro_labeled.webp', 0],
    ['cards/minimaxir_pps_nanobanana_vs_nanobananapro_labeled.webp', 1],
  ] as [string, number][])('%s panel %i (a photo or photoreal render) is a photo', async (file, index) => {
    expect(photoGate(await panel(file, index))).toMatchObject({ photo: true, gateReason: null });
  });

  it.each(Object.keys(photoRegionSpecs()))('%s is a photo', async (file) => {
    const gate = photoGate(await loadFixture(file));
    expect(gate.photo).toBe(true);
    expect(gate.evidence.shadedOfSmooth).toBeGreaterThanOrEqual(0.45);
  });

  it('keeps a photo a photo when its shadows are crushed to black', async () => {
    const crushed = editInside(await loadFixture('photos/matplotlib_grace_hopper.jpg'), null, (value) => Math.max(0, ((value - 85) * 255) / 170));
    expect(photoGate(crushed).photo).toBe(true);
  });
});

describe('photo gate on synthetic graphics', () => {
  it('calls a bar chart on white a graphic', () => {
    const bars: [number, number, number, [number, number, number]][] = [
      [30, 60, 200, [66, 133, 244]],
      [90, 120, 120, [219, 68, 55]],
      [150, 180, 160, [244, 180, 0]],
    ];
    const chart = colourImage(256, 256, (x, y) => {
      if (y === 220 || x === 20) return [40, 40, 40];
      const bar = bars.find(([left, right, top]) => x >= left && x < right && y >= top && y < 220);
      return bar ? bar[3] : [255, 255, 255];
    });
    expect(photoGate(chart)).toMatchObject({ photo: false, gateReason: 'graphic' });
  });

  it('calls text on white a graphic', () => {
    const text = colourImage(320, 200, (x, y) => {
      const line = Math.floor(y / 24);
      const inLine = y % 24 >= 6 && y % 24 < 18 && line < 7;
      const glyph = Math.floor(x / 9) % 5 !== 4 && (x % 9 < 2 || (y % 24) % 6 < 2);
      return inLine && glyph && x > 16 && x < 300 ? [20, 20, 20] : [250, 250, 250];
    });
    expect(photoGate(text).photo).toBe(false);
  });

  it('gives every signal null and the reason graphic for a graphic panel, even with regions', async () => {
    const ui = await panel('cards/minimaxir_counter_ui_nanobanana_vs_pro_labeled.webp', 1);
    const scene = portrait();
    const result = measurePanel(ui, { ...scene.regions, width: ui.width, height: ui.height });
    expect(result).toMatchObject({ photo: false, gateReason: 'graphic', measurements: { shadow: null, skin: null, knit: null, ceramic: null } });
  });

  it('measures the signals of a photo panel whose regions are drawn', async () => {
    const spec = cardRegionSpecs()['cards/minimaxir_ghibli_real_vs_nanobanana_unlabeled.webp#0'];
    if (!spec) throw new Error('missing drawn regions');
    const result = measurePanel(await panel('cards/minimaxir_ghibli_real_vs_nanobanana_unlabeled.webp', 0), regionMapsFromSpec(spec));
    expect(result.photo).toBe(true);
    expect(result.measurements.shadow).not.toBeNull();
    expect(result.measurements.skin).not.toBeNull();
    expect(result.measurements.knit).not.toBeNull();
    expect(result.measurements.ceramic).toBeNull();
  });
});
