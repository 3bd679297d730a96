import { describe, expect, it } from 'vitest';
import {
  decodeHeatmap,
  decodeHeatmapLevels,
  encodeHeatmap,
  encodePanelHeatmaps,
  ENCODED_HEATMAP_MAX_SIDE,
  isEncodedHeatmap,
  packBits,
  poolHeatmap,
  unpackBits,
} from '../../lib/engine/heatmap-codec';
import { cropRgba } from '../../lib/engine/image';
import { judgeCard } from '../../lib/engine/judge';
import { resultFromDetection, zeroTimings } from '../../lib/engine/result';
import { analysisResultProblems } from '../../lib/engine/schema';
import type { Heatmap } from '../../lib/engine/signals/types';
import type { SignalName } from '../../lib/engine/types';
import { loadFixture } from './decode';
import { cardRegionSpecs, regionMapsFromSpec } from './signals-regions';

function heatmapOf(width: number, height: number, scale: number, cell: (x: number, y: number) => number): Heatmap {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = cell(x, y);
  return { data, width, height, scale };
}

describe('PackBits', () => {
  it.each<[string, number[], number[]]>([
    ['a single byte', [7], [0, 7]],
    ['a run', [5, 5, 5, 5], [253, 5]],
    ['literals then a run', [1, 2, 3, 9, 9], [2, 1, 2, 3, 255, 9]],
    ['a run then literals', [0, 0, 0, 4, 6], [254, 0, 1, 4, 6]],
  ])('codes %s exactly', (_label, input, packed) => {
    expect([...packBits(Uint8Array.from(input))]).toEqual(packed);
    expect([...unpackBits(Uint8Array.from(packed), input.length)]).toEqual(input);
  });

  it('splits runs and literal stretches longer than 128 and reads them back', () => {
    const bytes = new Uint8Array(700);
    for (let index = 0; index < 300; index++) bytes[index] = index % 7;
    bytes.fill(200, 300);
    const packed = packBits(bytes);
    expect([...unpackBits(packed, bytes.length)]).toEqual([...bytes]);
    // 300 literals = 3 headers + 300 bytes; 400 repeats = 4 runs of 2 bytes.
    expect(packed.length).toBe(303 + 8);
  });

  it.each<[string, number[], number]>([
    ['a literal cut short', [3, 1, 2], 4],
    ['a run with no byte', [250], 7],
    ['too few cells', [254, 1], 4],
    ['too many cells', [250, 1], 4],
  ])('refuses %s', (_label, packed, expected) => {
    expect(() => unpackBits(Uint8Array.from(packed), expected)).toThrow(/damaged/);
  });
});

describe('encoded heat maps', () => {
  it('keeps a small map cell for cell, to within one level in 255', () => {
    const heatmap = heatmapOf(40, 30, 0.25, (x, y) => (x > 10 && x < 20 && y > 5 ? 0.3 + x / 100 : 0));
    const encoded = encodeHeatmap(heatmap);
    expect(encoded).toMatchObject({ width: 40, height: 30, scale: 0.25 });
    const decoded = decodeHeatmap(encoded);
    decoded.data.forEach((value, index) => expect(Math.abs(value - (heatmap.data[index] ?? 0))).toBeLessThanOrEqual(0.5 / 255 + 1e-6));
  });

  it('max-pools a 128-cell map down to 64 cells on its long side, so a single hot cell survives', () => {
    const heatmap = heatmapOf(128, 90, 0.1, (x, y) => (x === 101 && y === 77 ? 0.8 : 0.1));
    const pooled = poolHeatmap(heatmap);
    expect(pooled).toMatchObject({ width: 64, height: 45, scale: 0.05 });
    expect(pooled.data[38 * 64 + 50]).toBeCloseTo(0.8, 6);
    expect(pooled.data[0]).toBeCloseTo(0.1, 6);
    const encoded = encodeHeatmap(heatmap);
    expect(Math.max(encoded.width, encoded.height)).toBe(ENCODED_HEATMAP_MAX_SIDE);
    expect(decodeHeatmapLevels(encoded)[38 * 64 + 50]).toBe(204);
  });

  it('clamps values outside 0-1 and codes an all-zero map in 64 bytes', () => {
    const encoded = encodeHeatmap(heatmapOf(64, 64, 1, (x) => (x === 0 ? 3 : x === 1 ? -2 : 0)));
    const levels = decodeHeatmapLevels(encoded);
    expect([levels[0], levels[1]]).toEqual([255, 0]);
    // 4096 zero cells: 32 runs of 128, two bytes each, 88 characters of base64.
    expect(encodeHeatmap(heatmapOf(64, 64, 1, () => 0)).cells).toHaveLength(88);
  });

  it.each<[string, unknown]>([
    ['a missing cells string', { width: 2, height: 2, scale: 1 }],
    ['a side over 64', { width: 65, height: 1, scale: 1, cells: encodeHeatmap(heatmapOf(65, 1, 1, () => 0)).cells }],
    ['a zero scale', { ...encodeHeatmap(heatmapOf(2, 2, 1, () => 0)), scale: 0 }],
    ['cells of the wrong size', { ...encodeHeatmap(heatmapOf(2, 2, 1, () => 0)), width: 3 }],
    ['cells that are not base64', { width: 1, height: 1, scale: 1, cells: '*&' }],
  ])('is refused with %s', (_label, value) => {
    expect(isEncodedHeatmap(value)).toBe(false);
  });
});

describe('heat maps of a real card', () => {
  const file = 'cards/minimaxir_pps_nanobanana_vs_nanobananapro_labeled.webp';

  it('travel compact, read back to the signals’ own maps, and pass the schema check', async () => {
    const image = await loadFixture(file);
    const specs = cardRegionSpecs();
    const panels = [0, 1].map((index) => {
      const spec = specs[`${file}#${index}`];
      if (!spec) throw new Error(`no regions for panel ${index}`);
      return { box: spec.panel, judged: { panel: cropRgba(image, spec.panel), regions: regionMapsFromSpec(spec) } };
    });
    const [a, b] = panels as [(typeof panels)[number], (typeof panels)[number]];
    const judgement = judgeCard(a.judged, b.judged, 'side-by-side');

    let encodedBytes = 0;
    let measured = 0;
    const encodedPanels = judgement.heatmaps.map((heatmaps) => {
      const encoded = encodePanelHeatmaps(heatmaps);
      for (const name of Object.keys(heatmaps) as SignalName[]) {
        const original = heatmaps[name];
        const sent = encoded[name];
        expect(sent === null).toBe(original === null);
        if (!original || !sent) continue;
        measured++;
        encodedBytes += JSON.stringify(sent).length;
        // Every original cell is at most its pooled cell (max-pooling), and the hottest cell survives.
        const decoded = decodeHeatmap(sent);
        const factor = original.width / decoded.width;
        let hottest = 0;
        for (let y = 0; y < original.height; y++) {
          for (let x = 0; x < original.width; x++) {
            const value = original.data[y * original.width + x] ?? 0;
            hottest = Math.max(hottest, value);
            const pooled = decoded.data[Math.floor(y / Math.ceil(factor)) * decoded.width + Math.floor(x / Math.ceil(factor))] ?? 0;
            expect(pooled).toBeGreaterThanOrEqual(value - 0.5 / 255 - 1e-6);
          }
        }
        expect(Math.max(...decoded.data)).toBeCloseTo(hottest, 2);
      }
      return encoded;
    });
    // The portraits have face skin and garments: at least two signals on each panel.
    expect(measured).toBeGreaterThanOrEqual(4);
    // Compact: under 6 kB a map on average in JSON (a raw 64×64 float grid is ~30 kB of JSON).
    expect(encodedBytes / measured).toBeLessThan(6000);

    const result = resultFromDetection(
      file,
      { isComparison: true, layout: 'side-by-side', confidence: 0.9, grid: { rows: 1, cols: 2 }, panels: [a.box, b.box], reason: null },
      { hash: 'ab', width: image.width, height: image.height },
      zeroTimings(),
    );
    result.panels = result.panels.map((panel, index) => ({ ...panel, ...judgement.panels[index], heatmaps: encodedPanels[index] }));
    expect(analysisResultProblems(JSON.parse(JSON.stringify(result)))).toEqual([]);
    const broken = { ...result, panels: [{ ...result.panels[0], heatmaps: { ...encodedPanels[0], skin: { width: 2, height: 2, scale: 1, cells: 'AAAA' } } }] };
    expect(analysisResultProblems(broken)).toEqual(['result.panels[0].heatmaps']);
  }, 60_000);
});
