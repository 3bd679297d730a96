import { describe, expect, it } from 'vitest';
import { failedResult, resultFromDetection, zeroTimings } from '../../lib/engine/result';
import { analysisResultProblems } from '../../lib/engine/schema';
import type { AnalysisResult } from '../../lib/engine/types';

const card = resultFromDetection(
  'card.webp',
  { isComparison: true, layout: 'side-by-side', confidence: 0.9, grid: { rows: 1, cols: 2 }, panels: [[0, 0, 100, 200], [100, 0, 100, 200]], reason: null },
  { hash: 'ab', width: 200, height: 200 },
  zeroTimings(),
);

describe('analysis results', () => {
  it('builds schema-valid results for a card and for a failure', () => {
    expect(analysisResultProblems(card)).toEqual([]);
    expect(analysisResultProblems(failedResult('x.png', 'corrupt', 'Damaged.'))).toEqual([]);
  });

  it('keeps every capability that has not run as null, never invented', () => {
    const [panel] = card.panels;
    expect(panel).toMatchObject({ label: null, labelBox: null, labelSource: null, photo: null, regions: null, realism: null });
    expect(panel?.signals).toEqual({ shadow: null, skin: null, knit: null, ceramic: null });
    expect(card.consistency.controlled).toBeNull();
    expect(card.verdict.winner).toBeNull();
  });

  it.each<[string, (result: AnalysisResult) => unknown]>([
    ['a missing field', (result) => ({ ...result, verdict: undefined })],
    ['a wrong layout', (result) => ({ ...result, layout: 'diagonal' })],
    ['a confidence above 1', (result) => ({ ...result, confidence: 1.5 })],
    ['a fractional box', (result) => ({ ...result, panels: [{ ...result.panels[0], box: [0.5, 0, 10, 10] }] })],
    ['a negative timing', (result) => ({ ...result, timingsMs: { ...result.timingsMs, decode: -1 } })],
    ['an unknown backend', (result) => ({ ...result, backend: { onnx: 'cuda', mediapipe: null } })],
  ])('reports %s', (_label, corrupt) => {
    expect(analysisResultProblems(corrupt(card)).length).toBeGreaterThan(0);
  });
});
