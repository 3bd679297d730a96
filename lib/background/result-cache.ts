import { browser } from 'wxt/browser';
import type { AnalysisResult, PanelResult } from '../engine/types';

/** Results by image content hash, in extension storage so a service-worker restart keeps them. */
const RESULT_PREFIX = 'result:';
const INDEX_KEY = 'result-index';
/** Heat maps are kept apart, under a tighter bound: they are most of a card's bytes (up to ~45 kB). */
const HEATMAP_PREFIX = 'heatmaps:';
const HEATMAP_INDEX_KEY = 'heatmap-index';
/** Oldest results are dropped past this many, so the cache stays small. */
export const MAX_CACHED_RESULTS = 2000;
/** Oldest cards' heat maps are dropped past this many (their results stay; the overlay then has no maps to draw). */
export const MAX_CACHED_HEATMAPS = 200;

type PanelHeatmaps = NonNullable<PanelResult['heatmaps']> | null;

export async function getCachedResult(hash: string): Promise<AnalysisResult | null> {
  const key = RESULT_PREFIX + hash;
  const heatmapKey = HEATMAP_PREFIX + hash;
  const stored = await browser.storage.local.get([key, heatmapKey]);
  const result = stored[key] as AnalysisResult | undefined;
  if (!result) return null;
  const heatmaps = stored[heatmapKey] as PanelHeatmaps[] | undefined;
  if (!heatmaps) return result;
  return { ...result, panels: result.panels.map((panel, index) => (heatmaps[index] ? { ...panel, heatmaps: heatmaps[index] } : panel)) };
}

/** Appends `hash` to a stored index, drops the oldest past `max`, and returns the entries dropped. */
function bounded(index: string[] | undefined, hash: string, max: number): { index: string[]; evicted: string[] } {
  const entries = (index ?? []).filter((entry) => entry !== hash);
  entries.push(hash);
  return { index: entries, evicted: entries.splice(0, Math.max(0, entries.length - max)) };
}

export async function putCachedResult(hash: string, result: AnalysisResult): Promise<void> {
  const heatmaps = result.panels.map((panel) => panel.heatmaps ?? null);
  const hasHeatmaps = heatmaps.some((panel) => panel !== null);
  const bare = { ...result, panels: result.panels.map(({ heatmaps: _drawn, ...panel }) => panel) };
  const stored = await browser.storage.local.get([INDEX_KEY, HEATMAP_INDEX_KEY]);
  const results = bounded(stored[INDEX_KEY] as string[] | undefined, hash, MAX_CACHED_RESULTS);
  const writes: Record<string, unknown> = { [RESULT_PREFIX + hash]: bare, [INDEX_KEY]: results.index };
  const removals = results.evicted.flatMap((entry) => [RESULT_PREFIX + entry, HEATMAP_PREFIX + entry]);
  if (hasHeatmaps) {
    const maps = bounded(stored[HEATMAP_INDEX_KEY] as string[] | undefined, hash, MAX_CACHED_HEATMAPS);
    writes[HEATMAP_PREFIX + hash] = heatmaps;
    writes[HEATMAP_INDEX_KEY] = maps.index;
    removals.push(...maps.evicted.map((entry) => HEATMAP_PREFIX + entry));
  }
  await browser.storage.local.set(writes);
  if (removals.length) await browser.storage.local.remove(removals);
}
