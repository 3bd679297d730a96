import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestPage, type TestPage } from './harness';
import type { BackendComparison, OnnxCheckApi } from './pages/onnx-check/main';

const CARD = 'tests/fixtures/cards/minimaxir_pps_nanobanana_vs_nanobananapro_labeled.webp';
/**
 * Float32 kernels on two backends differ in summation order, not in meaning: the recogniser's
 * softmax probabilities may differ by this much, and the most likely class of every frame
 * (what CTC decoding reads) must be the same.
 */
const MAX_PROBABILITY_DIFF = 1e-3;

// The headless machines here have no GPU; --enable-unsafe-webgpu gives Chromium's software adapter
// (SwiftShader), slow but a real WebGPU device: the same kernels a hardware adapter runs.
describe('ONNX on WebGPU equals ONNX on WASM (OCR recogniser, software adapter)', () => {
  let opened: TestPage;
  let page: Page;
  let comparison: BackendComparison;
  let pageErrors: string[];

  beforeAll(async () => {
    opened = await openTestPage('onnx-check', { extraArgs: ['--enable-unsafe-webgpu'] });
    ({ page, pageErrors } = opened);
    const card = (await readFile(join(CARD))).toString('base64');
    comparison = await page.evaluate((image) => (globalThis as unknown as { sidelightOnnxCheck: OnnxCheckApi }).sidelightOnnxCheck.compare(image), card);
    console.info(`WebGPU vs WASM: ${comparison.lines} lines ${JSON.stringify(comparison.shapes)}, max |Δp| ${comparison.maxAbsDiff.toExponential(2)}, same class in ${(100 * comparison.argmaxAgreement).toFixed(1)} % of frames`);
  });

  afterAll(() => opened?.close());

  it('has a software WebGPU adapter to test on', () => {
    expect(comparison.adapter).toEqual({ present: true, fallback: true });
  });

  it('runs the recogniser on each backend it was asked for', () => {
    expect(comparison.wasm.backend).toBe('wasm');
    expect(comparison.webgpu.backend).toBe('webgpu');
    expect(comparison.lines).toBe(2);
  });

  it(`gives the same probabilities within ${MAX_PROBABILITY_DIFF} and the same class in every frame`, () => {
    expect(comparison.shapes.every(([frames, classes]) => frames > 10 && classes === 6625)).toBe(true);
    expect(comparison.maxAbsDiff).toBeLessThanOrEqual(MAX_PROBABILITY_DIFF);
    expect(comparison.argmaxAgreement).toBe(1);
  });

  it('reads the same labels on both backends', () => {
    const read = (labels: BackendComparison['wasm']['labels']) => labels.map((label) => label.label);
    expect(read(comparison.wasm.labels)).toEqual(['Nano Banana', 'Nano Banana Pro']);
    expect(read(comparison.webgpu.labels)).toEqual(read(comparison.wasm.labels));
    expect(pageErrors).toEqual([]);
  });
});
