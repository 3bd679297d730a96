import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { analysisResultProblems } from '../../lib/engine/schema';
import type { AnalysisResult, Box } from '../../lib/engine/types';

const run = promisify(execFile);
const CARDS = 'tests/fixtures/cards';
const PORTRAITS = 'minimaxir_pps_nanobanana_vs_nanobananapro_labeled.webp';
const SCREENSHOTS = 'minimaxir_counter_ui_nanobanana_vs_pro_labeled.webp';

function within([x, y, width, height]: Box, [panelX, panelY, panelWidth, panelHeight]: Box): boolean {
  return x >= panelX && y >= panelY && x + width <= panelX + panelWidth && y + height <= panelY + panelHeight;
}

describe('region maps per panel in the results (sidelight analyze --json)', () => {
  let results: Map<string, AnalysisResult>;

  beforeAll(async () => {
    // One CLI run (one browser) for both cards.
    const output = await run('node', ['scripts/cli.mjs', 'analyze', '--json', `${CARDS}/${PORTRAITS}`, `${CARDS}/${SCREENSHOTS}`], { maxBuffer: 32 * 1024 * 1024 });
    results = new Map((JSON.parse(output.stdout) as { results: AnalysisResult[] }).results.map((result) => [result.file, result]));
  });

  it('finds a face with 478 landmarks in both portrait panels, inside each panel, with face skin and garment', () => {
    const result = results.get(PORTRAITS);
    expect(result?.panels).toHaveLength(2);
    for (const panel of result?.panels ?? []) {
      const regions = panel.regions;
      expect(regions?.face?.landmarks).toBe(478);
      expect(within(regions?.face?.box ?? [0, 0, 0, 0], panel.box)).toBe(true);
      for (const region of [regions?.faceSkin, regions?.garment]) {
        expect(region).not.toBeNull();
        expect(within(region?.box ?? [0, 0, 0, 0], panel.box)).toBe(true);
        expect(region?.pixels).toBeGreaterThan(0);
        expect(region?.confidence).toBeGreaterThan(0.5);
      }
      // Face skin sits inside the face's surroundings, the garment below it.
      expect(regions?.garment?.box[1] ?? 0).toBeGreaterThan(regions?.face?.box[1] ?? Infinity);
      expect(regions?.tabletop).toBeNull();
    }
  });

  it('finds no face in the UI screenshots', () => {
    const result = results.get(SCREENSHOTS);
    expect(result?.isComparison).toBe(true);
    for (const panel of result?.panels ?? []) {
      expect(panel.regions).not.toBeNull();
      expect(panel.regions?.face).toBeNull();
      expect(panel.regions?.faceSkin).toBeNull();
      expect(panel.regions?.garment).toBeNull();
    }
  });

  it('reports face and segmentation times, the MediaPipe backend, and the full schema', () => {
    for (const result of results.values()) {
      expect(analysisResultProblems(result)).toEqual([]);
      expect(result.backend.mediapipe).toBe('cpu');
      expect(result.timingsMs.face).toBeGreaterThan(0);
      expect(result.timingsMs.segment).toBeGreaterThan(0);
      expect(result.timingsMs.total).toBeGreaterThanOrEqual(result.timingsMs.face + result.timingsMs.segment);
    }
  });
});
