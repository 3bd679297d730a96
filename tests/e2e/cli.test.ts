import { execFile } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeHeatmap } from '../../lib/engine/heatmap-codec';
import { analysisResultProblems } from '../../lib/engine/schema';
import type { AnalysisResult } from '../../lib/engine/types';
import { scratchDir } from './harness';

const run = promisify(execFile);
const CLI = 'scripts/cli.mjs';
const CARD = 'tests/fixtures/cards/minimaxir_pps_nanobanana_vs_nanobananapro_labeled.webp';
const PHOTO = 'tests/fixtures/photos/skimage_coffee.png';

describe('sidelight analyze --json', () => {
  let outDir: string;
  let stdout: string;
  let stderr: string;
  let results: AnalysisResult[];

  beforeAll(async () => {
    const scratch = await scratchDir('cli');
    outDir = join(scratch, 'out');
    const corrupt = join(scratch, 'corrupt.jpg');
    const photo = await readFile(PHOTO);
    await writeFile(corrupt, (await sharp(photo).jpeg().toBuffer()).subarray(0, 500));
    ({ stdout, stderr } = await run('node', [CLI, 'analyze', '--json', '--out', outDir, CARD, PHOTO, corrupt, join(scratch, 'missing.png')], {
      maxBuffer: 32 * 1024 * 1024,
    }));
    results = (JSON.parse(stdout) as { results: AnalysisResult[] }).results;
  });

  it('prints one JSON document on stdout, version 1, one result per file in order', () => {
    const document = JSON.parse(stdout) as { version: number; results: unknown[] };
    expect(document.version).toBe(1);
    expect(results.map((result) => result.file)).toEqual([
      'minimaxir_pps_nanobanana_vs_nanobananapro_labeled.webp',
      'skimage_coffee.png',
      'corrupt.jpg',
      'missing.png',
    ]);
    expect(stderr).toContain('[1/4]');
  });

  it('gives every result the full schema', () => {
    for (const result of results) expect(analysisResultProblems(result)).toEqual([]);
  });

  it('carries a heat map for exactly the signals that ran on each panel of the card', () => {
    const [card, photo] = results;
    for (const panel of card?.panels ?? []) {
      for (const name of ['shadow', 'skin', 'knit', 'ceramic'] as const) {
        const heatmap = panel.heatmaps?.[name] ?? null;
        expect(heatmap === null).toBe(panel.signals[name] === null);
        if (heatmap) expect(Math.max(...decodeHeatmap(heatmap).data)).toBeLessThanOrEqual(1);
      }
    }
    expect(card?.panels.some((panel) => panel.heatmaps)).toBe(true);
    expect(photo?.panels).toEqual([]);
  });

  it('finds the card, its two panels left to right, and rejects the photo', () => {
    const [card, photo] = results;
    expect(card?.ok).toBe(true);
    expect(card?.isComparison).toBe(true);
    expect(card?.layout).toBe('side-by-side');
    expect(card?.grid).toEqual({ rows: 1, cols: 2 });
    expect(card?.panels).toHaveLength(2);
    const [left, right] = card?.panels ?? [];
    expect(left && right && left.box[0] < right.box[0]).toBe(true);
    expect(photo?.isComparison).toBe(false);
    expect(photo?.panels).toEqual([]);
    expect(card?.timingsMs.total).toBeGreaterThan(0);
  });

  it('reports unreadable files with a clear error and keeps going', () => {
    const [, , corrupt, missing] = results;
    expect(corrupt).toMatchObject({ ok: false, reason: 'corrupt' });
    expect(missing).toMatchObject({ ok: false, reason: 'unreadable' });
    expect(missing?.error).toMatch(/no such file/);
  });

  it('writes the annotated PNG and JSON per file with --out', async () => {
    const written = (await readdir(outDir)).sort();
    expect(written).toContain('minimaxir_pps_nanobanana_vs_nanobananapro_labeled.annotated.png');
    expect(written).toContain('missing.json');
    const annotated = await sharp(join(outDir, 'minimaxir_pps_nanobanana_vs_nanobananapro_labeled.annotated.png')).metadata();
    expect(annotated.format).toBe('png');
    expect(annotated.width).toBe(1760);
    expect(annotated.height).toBeGreaterThan(1184);
  });

  it('exits with 2 and usage on stderr for a usage error', async () => {
    const failure = await run('node', [CLI, 'analyze', '--backend', 'cuda', CARD]).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain('Usage: sidelight analyze');
  });
});
