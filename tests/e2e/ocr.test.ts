import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisResult } from '../../lib/engine/types';

const run = promisify(execFile);
const CARDS = 'tests/fixtures/cards';
const LABELLED = ['minimaxir_pps_nanobanana_vs_nanobananapro_labeled.webp', 'minimaxir_counter_ui_nanobanana_vs_pro_labeled.webp'];
const UNLABELLED = ['minimaxir_ghibli_real_vs_nanobanana_unlabeled.webp', 'minimaxir_chatgpt_two_gens_unlabeled.webp'];

describe('panel labels read by OCR in the extension (sidelight analyze --json)', () => {
  let results: Map<string, AnalysisResult>;
  let stderr: string;

  beforeAll(async () => {
    // One CLI run (one browser) for every card; the unlabelled ones first, so the model loads on a labelled one.
    const files = [...UNLABELLED, ...LABELLED].map((file) => `${CARDS}/${file}`);
    const output = await run('node', ['scripts/cli.mjs', 'analyze', '--json', ...files], { maxBuffer: 32 * 1024 * 1024 });
    stderr = output.stderr;
    results = new Map((JSON.parse(output.stdout) as { results: AnalysisResult[] }).results.map((result) => [result.file, result]));
  });

  it.each(LABELLED)('reads "Nano Banana" (left) and "Nano Banana Pro" (right) on %s', (file) => {
    const result = results.get(file);
    expect(result?.isComparison).toBe(true);
    expect(result?.panels.map((panel) => [panel.label, panel.labelSource])).toEqual([
      ['Nano Banana', 'ocr'],
      ['Nano Banana Pro', 'ocr'],
    ]);
    expect(result?.backend.onnx).toBe('wasm');
    expect(result?.timingsMs.ocr).toBeGreaterThan(0);
  });

  it.each(LABELLED)('ties each label box to its own panel on %s', (file) => {
    for (const panel of results.get(file)?.panels ?? []) {
      const [labelX, labelY, labelWidth, labelHeight] = panel.labelBox ?? [-1, -1, 0, 0];
      const [x, y, width, height] = panel.box;
      expect(labelX).toBeGreaterThanOrEqual(x);
      expect(labelX + labelWidth).toBeLessThanOrEqual(x + width);
      // Inside the panel's lower quarter or in the margin under it.
      expect(labelY).toBeGreaterThanOrEqual(y + height * 0.75);
      expect(labelHeight).toBeGreaterThan(0);
    }
  });

  it.each(UNLABELLED)('reads no label on %s and never runs the model for it', (file) => {
    const result = results.get(file);
    expect(result?.isComparison).toBe(true);
    expect(result?.panels.map((panel) => [panel.label, panel.labelBox, panel.labelSource])).toEqual([
      [null, null, null],
      [null, null, null],
    ]);
    expect(result?.backend.onnx).toBeNull();
  });

  it('reports model loading once, on stderr, outside the files’ timings', () => {
    expect(stderr.match(/models loaded in \d+ ms \(onnx: wasm\)/g)).toHaveLength(1);
  });
});
