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
