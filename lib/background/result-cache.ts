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

/** Content hashes by image address, so an address seen before (this page or an earlier visit) is not downloaded again. */
const URL_PREFIX = 'url:';
const URL_INDEX_KEY = 'url-index';
/** Oldest addresses are forgotten past this many; CDN addresses change often, so more than results. */
export const MAX_CACHED_URLS = 4000;

/** The cached result for an http(s) address analysed before, or null (unknown address, or its result was evicted). */
export async function getCachedResultForUrl(url: string): Promise<{ hash: string; result: AnalysisResult } | null> {
  const key = URL_PREFIX + url;
  const stored = await browser.storage.local.get(key);
  const hash = stored[key] as string | undefined;
  if (!hash) return null;
  const result = await getCachedResult(hash);
  return result ? { hash, result } : null;
}

/** The content hash last seen at an http(s) address, or null: a pair's key can be known before either picture is downloaded. */
export async function getUrlHash(url: string): Promise<string | null> {
  const key = URL_PREFIX + url;
  const stored = await browser.storage.local.get(key);
  return (stored[key] as string | undefined) ?? null;
}

// Index updates are chained so two tabs' writes never drop each other's entries (and so escape the bound).
let pendingUrlUpdate: Promise<unknown> = Promise.resolve();

export function putUrlHash(url: string, hash: string): Promise<void> {
  const update = pendingUrlUpdate.then(() => writeUrlHash(url, hash));
  pendingUrlUpdate = update.catch(() => undefined);
  return update;
}

async function writeUrlHash(url: string, hash: string): Promise<void> {
  const stored = await browser.storage.local.get(URL_INDEX_KEY);
  const index = ((stored[URL_INDEX_KEY] as string[] | undefined) ?? []).filter((entry) => entry !== url);
  index.push(url);
  const evicted = index.splice(0, Math.max(0, index.length - MAX_CACHED_URLS));
  await browser.storage.local.set({ [URL_PREFIX + url]: hash, [URL_INDEX_KEY]: index });
  if (evicted.length) await browser.storage.local.remove(evicted.map((entry) => URL_PREFIX + entry));
}
