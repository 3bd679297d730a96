import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { getCachedResult, MAX_CACHED_HEATMAPS, putCachedResult } from '../../lib/background/result-cache';
import { encodeHeatmap } from '../../lib/engine/heatmap-codec';
import { resultFromDetection, zeroTimings } from '../../lib/engine/result';
import type { AnalysisResult } from '../../lib/engine/types';

vi.mock('wxt/browser', () => ({ browser: fakeBrowser }));

const skinMap = encodeHeatmap({ data: Float32Array.from({ length: 16 }, (_, index) => index / 15), width: 4, height: 4, scale: 0.01 });

function card(hash: string, withHeatmaps: boolean): AnalysisResult {
  const result = resultFromDetection(
    `${hash}.webp`,
    { isComparison: true, layout: 'side-by-side', confidence: 0.9, grid: { rows: 1, cols: 2 }, panels: [[0, 0, 400, 400], [400, 0, 400, 400]], reason: null },
    { hash, width: 800, height: 400 },
    zeroTimings(),
  );
  if (withHeatmaps) result.panels = result.panels.map((panel) => ({ ...panel, heatmaps: { shadow: null, skin: skinMap, knit: null, ceramic: null } }));
  return result;
}

describe('the result cache', () => {
  beforeEach(() => fakeBrowser.reset());

  it('gives back a result with its heat maps, stored apart from it', async () => {
    await putCachedResult('h1', card('h1', true));
    expect(await getCachedResult('h1')).toEqual(card('h1', true));
    const stored = await fakeBrowser.storage.local.get(['result:h1', 'heatmaps:h1']);
    expect((stored['result:h1'] as AnalysisResult).panels[0]).not.toHaveProperty('heatmaps');
    expect(stored['heatmaps:h1']).toHaveLength(2);
  });

  it('keeps results without heat maps as they are', async () => {
    await putCachedResult('h2', card('h2', false));
    expect(await getCachedResult('h2')).toEqual(card('h2', false));
    expect(await fakeBrowser.storage.local.get('heatmap-index')).toEqual({});
  });

  it(`keeps the heat maps of the newest ${MAX_CACHED_HEATMAPS} cards only; older results stay, without maps`, async () => {
    for (let index = 0; index <= MAX_CACHED_HEATMAPS; index++) await putCachedResult(`c${index}`, card(`c${index}`, true));
    expect(await getCachedResult('c0')).toEqual(card('c0', false));
    expect(await getCachedResult(`c${MAX_CACHED_HEATMAPS}`)).toEqual(card(`c${MAX_CACHED_HEATMAPS}`, true));
    const all = await fakeBrowser.storage.local.get(null);
    expect(Object.keys(all).filter((key) => key.startsWith('heatmaps:'))).toHaveLength(MAX_CACHED_HEATMAPS);
    expect(all['heatmap-index']).toHaveLength(MAX_CACHED_HEATMAPS);
  }, 60_000);
});
