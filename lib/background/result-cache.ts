import { browser } from 'wxt/browser';
import type { AnalysisResult } from '../engine/types';

/** Results by image content hash, in extension storage so a service-worker restart keeps them. */
const RESULT_PREFIX = 'result:';
const INDEX_KEY = 'result-index';
/** Oldest results are dropped past this many, so the cache stays small. */
export const MAX_CACHED_RESULTS = 2000;

export async function getCachedResult(hash: string): Promise<AnalysisResult | null> {
  const key = RESULT_PREFIX + hash;
  const stored = await browser.storage.local.get(key);
  return (stored[key] as AnalysisResult | undefined) ?? null;
}

export async function putCachedResult(hash: string, result: AnalysisResult): Promise<void> {
  const key = RESULT_PREFIX + hash;
  const stored = await browser.storage.local.get(INDEX_KEY);
  const index = ((stored[INDEX_KEY] as string[] | undefined) ?? []).filter((entry) => entry !== hash);
  index.push(hash);
  const evicted = index.splice(0, Math.max(0, index.length - MAX_CACHED_RESULTS));
  await browser.storage.local.set({ [key]: result, [INDEX_KEY]: index });
  if (evicted.length) await browser.storage.local.remove(evicted.map((entry) => RESULT_PREFIX + entry));
}
