import { storage } from 'wxt/utils/storage';

/** What the popup shows for this browser session; in session storage so a service-worker restart keeps it. */
export interface SessionStats {
  imagesAnalysed: number;
  cardsFound: number;
  failures: number;
  cacheHits: number;
  /** Sum of engine time (timingsMs.total) over fresh analyses, for the average. */
  analysisMsTotal: number;
  freshAnalyses: number;
  backend: { onnx: string | null; mediapipe: string | null };
}

export const EMPTY_STATS: SessionStats = {
  imagesAnalysed: 0,
  cardsFound: 0,
  failures: 0,
  cacheHits: 0,
  analysisMsTotal: 0,
  freshAnalyses: 0,
  backend: { onnx: null, mediapipe: null },
};

export const statsItem = storage.defineItem<SessionStats>('session:stats', { fallback: EMPTY_STATS });

// Updates are chained so two tabs' results never overwrite each other's counts.
let pendingUpdate: Promise<unknown> = Promise.resolve();

export function recordAnalysis(entry: { ok: boolean; isComparison: boolean | null; cached: boolean; totalMs: number; backend: SessionStats['backend'] }): Promise<void> {
  const update = pendingUpdate.then(async () => {
    const stats = await statsItem.getValue();
    await statsItem.setValue({
      imagesAnalysed: stats.imagesAnalysed + 1,
      cardsFound: stats.cardsFound + (entry.isComparison ? 1 : 0),
      failures: stats.failures + (entry.ok ? 0 : 1),
      cacheHits: stats.cacheHits + (entry.cached ? 1 : 0),
      analysisMsTotal: stats.analysisMsTotal + (entry.cached || !entry.ok ? 0 : entry.totalMs),
      freshAnalyses: stats.freshAnalyses + (entry.cached || !entry.ok ? 0 : 1),
      backend: entry.backend.onnx || entry.backend.mediapipe ? entry.backend : stats.backend,
    });
  });
  pendingUpdate = update.catch(() => undefined);
  return update;
}
