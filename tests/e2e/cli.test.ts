import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeHeatmap } from '../../lib/engine/heatmap-codec';
import { pairKey, pairLayout, pairPanelBoxes } from '../../lib/engine/pair';
import { UNRELATED_PICTURES } from '../../lib/engine/result';
import { analysisResultProblems } from '../../lib/engine/schema';
import type { AnalysisResult } from '../../lib/engine/types';
import { scratchDir } from './harness';

const run = promisify(execFile);
const CLI = 'scripts/cli.mjs';
const CARD = 'tests/fixtures/cards/minimaxir_pps_nanobanana_vs_nanobananapro_labeled.webp';
const PHOTO = 'tests/fixtures/photos/skimage_coffee.png';
// A controlled comparison (the same scene twice), whose two pictures meet at x = 1042: cut apart, they are a related pair.
const CONTROLLED_CARD = 'tests/fixtures/cards/minimaxir_ghibli_real_vs_nanobanana_unlabeled.webp';
const CONTROLLED_SEAM = 1042;
// Two photos of different scenes, named after no model: an unrelated pair.
const CAT = 'tests/fixtures/photos/skimage_chelsea.png';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

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

describe('sidelight analyze --pair', () => {
  let scratch: string;
  let outDir: string;
  let halves: [string, string];
  let stderr: string;
  let results: AnalysisResult[];

  beforeAll(async () => {
    scratch = await scratchDir('cli-pair');
    outDir = join(scratch, 'out');
    const { width, height } = await sharp(CONTROLLED_CARD).metadata();
    halves = [join(scratch, 'real-left.png'), join(scratch, 'generated-right.png')];
    await sharp(CONTROLLED_CARD).extract({ left: 0, top: 0, width: CONTROLLED_SEAM, height }).png().toFile(halves[0]);
    await sharp(CONTROLLED_CARD).extract({ left: CONTROLLED_SEAM, top: 0, width: width - CONTROLLED_SEAM, height }).png().toFile(halves[1]);
    const corrupt = join(scratch, 'corrupt.jpg');
    await writeFile(corrupt, (await sharp(await readFile(PHOTO)).jpeg().toBuffer()).subarray(0, 500));
    const files = [...halves, CAT, PHOTO, PHOTO, corrupt, join(scratch, 'missing.png'), PHOTO];
    let stdout: string;
    ({ stdout, stderr } = await run('node', [CLI, 'analyze', '--json', '--pair', '--out', outDir, ...files], { maxBuffer: 32 * 1024 * 1024 }));
    results = (JSON.parse(stdout) as { results: AnalysisResult[] }).results;
  });

  it('takes the files two at a time: one result per pair, named after both, in order, each with the full schema', () => {
    expect(results.map((result) => result.file)).toEqual([
      'real-left.png + generated-right.png',
      'skimage_chelsea.png + skimage_coffee.png',
      'skimage_coffee.png + corrupt.jpg',
      'missing.png + skimage_coffee.png',
    ]);
    expect(stderr).toContain('[1/4] real-left.png + generated-right.png');
    for (const result of results) expect(analysisResultProblems(result)).toEqual([]);
  });

  it('makes the two halves of a card one card whose panels are exactly the two files', async () => {
    const [card] = results;
    const bytes = await Promise.all(halves.map((path) => readFile(path)));
    const sizes = await Promise.all(halves.map(async (path) => sharp(path).metadata()));
    const layout = pairLayout(sizes[0] as { width: number; height: number }, sizes[1] as { width: number; height: number });
    expect(card).toMatchObject({ ok: true, isComparison: true, layout: 'side-by-side', grid: { rows: 1, cols: 2 }, size: { width: layout.width, height: layout.height } });
    expect(card?.panels.map((panel) => panel.box)).toEqual(pairPanelBoxes(layout));
    expect(card?.source).toEqual({
      kind: 'pair',
      images: [
        { file: 'real-left.png', hash: sha256(bytes[0] as Buffer), width: CONTROLLED_SEAM, height: 1024 },
        { file: 'generated-right.png', hash: sha256(bytes[1] as Buffer), width: 2048 - CONTROLLED_SEAM, height: 1024 },
      ],
    });
    expect(card?.hash).toBe(await pairKey(sha256(bytes[0] as Buffer), sha256(bytes[1] as Buffer)));
    // The same scene twice: the audit finds one setup, which is what keeps an unlabelled pair a card.
    expect(card?.consistency.controlled).toBe(true);
  });

  it('says an unrelated pair is no comparison, and why', () => {
    const unrelated = results[1];
    expect(unrelated).toMatchObject({ ok: true, isComparison: false, reason: 'unrelated-pictures', panels: [], verdict: { summary: UNRELATED_PICTURES } });
    expect(unrelated?.source?.kind).toBe('pair');
  });

  it('names the picture that is corrupt or missing', () => {
    const [, , corrupt, missing] = results;
    expect(corrupt).toMatchObject({ ok: false, reason: 'corrupt' });
    expect(corrupt?.error).toMatch(/second picture \(corrupt\.jpg\).*could not be decoded/);
    expect(missing).toMatchObject({ ok: false, reason: 'unreadable' });
    expect(missing?.error).toMatch(/first picture \(missing\.png\).*no such file/);
  });

  it('writes the pair card annotated and its JSON with --out, named after both files', async () => {
    const written = await readdir(outDir);
    expect(written).toEqual(expect.arrayContaining(['real-left+generated-right.json', 'real-left+generated-right.annotated.png', 'skimage_chelsea+skimage_coffee.json']));
    const saved = JSON.parse(await readFile(join(outDir, 'real-left+generated-right.json'), 'utf8')) as AnalysisResult;
    expect(saved.source?.kind).toBe('pair');
    const annotated = await sharp(join(outDir, 'real-left+generated-right.annotated.png')).metadata();
    expect(annotated.width).toBe(results[0]?.size?.width);
  });

  it('prints why an unrelated pair is no comparison without --json', async () => {
    const { stdout } = await run('node', [CLI, 'analyze', '--pair', CAT, PHOTO]);
    expect(stdout.trim()).toMatch(/^skimage_chelsea\.png \+ skimage_coffee\.png: not a comparison \(unrelated-pictures\): the two pictures show different scenes, and their file names do not name two models/);
  });

  it('ends an unrelated pair after its faces with the audit the whole pipeline gives, and analyses the same pictures in full when their names label both', async () => {
    // One run, one browser: the second pair is the same two pictures (the same pair key, so the
    // first's result is in the cache) under names that label both panels.
    const named = [join(scratch, 'nano-banana-pro.png'), join(scratch, 'gpt-image-1.png')];
    await writeFile(named[0] as string, await readFile(CAT));
    await writeFile(named[1] as string, await readFile(PHOTO));
    const { stdout } = await run('node', [CLI, 'analyze', '--json', '--pair', CAT, PHOTO, ...named], { maxBuffer: 32 * 1024 * 1024 });
    const [unrelated, labelled] = (JSON.parse(stdout) as { results: AnalysisResult[] }).results;
    expect(unrelated).toMatchObject({ ok: true, isComparison: false, reason: 'unrelated-pictures', panels: [] });
    // Stopped after the faces: no region maps or signals ran.
    expect(unrelated?.timingsMs.signals).toBe(0);
    expect(unrelated?.timingsMs.face).toBeGreaterThan(0);
    expect(unrelated?.consistency.controlled).toBe(false);
    expect(labelled).toMatchObject({ ok: true, isComparison: true, hash: unrelated?.hash });
    expect(labelled?.panels.map((panel) => [panel.label, panel.labelSource])).toEqual([
      ['Nano Banana Pro', 'post-text'],
      ['GPT Image 1', 'post-text'],
    ]);
    expect(labelled?.timingsMs.segment).toBeGreaterThan(0);
    // The audit after the faces alone is the audit of the whole pipeline.
    expect(unrelated?.consistency).toEqual(labelled?.consistency);
  });

  it.each([
    [[CAT], '1 file given'],
    [[CAT, PHOTO, CARD], '3 files given'],
  ])('refuses a number of files that is not pairs, with exit code 2', async (files, count) => {
    const failure = await run('node', [CLI, 'analyze', '--pair', ...files]).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain(`--pair takes the files two at a time, left then right: ${count}`);
  });
});
