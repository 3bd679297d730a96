import { browser } from 'wxt/browser';
import type { AnalysisProgress, AnalysisReply, BytesRequest, PairBytesRequest } from '../messaging/protocol';
import { ProgressListeners } from '../messaging/progress-listeners';
import { sendMessage } from '../messaging/runtime';
import type { AnalysisWorkerBridge } from '../worker/bridge';

const OFFSCREEN_PATH = '/offscreen.html';
// Creation is in flight at most once; this is a promise, not state to keep across restarts.
let offscreenCreation: Promise<void> | null = null;
let localBridge: Promise<AnalysisWorkerBridge> | null = null;

/** Where the analysis worker lives: Chrome's offscreen document, or (Firefox) this background page itself. */
export function engineHost(): 'offscreen' | 'background-page' {
  return browser.offscreen ? 'offscreen' : 'background-page';
}

async function offscreenExists(): Promise<boolean> {
  const contexts = await browser.runtime.getContexts({
    contextTypes: ['OFFSCREEN_DOCUMENT'],
    documentUrls: [browser.runtime.getURL(OFFSCREEN_PATH)],
  });
  return contexts.length > 0;
}

async function ensureOffscreen(): Promise<void> {
  if (await offscreenExists()) return;
  offscreenCreation ??= browser.offscreen
    .createDocument({
      url: OFFSCREEN_PATH,
      reasons: ['WORKERS'],
      justification: 'Runs the image analysis worker off the page and off the service worker.',
    })
    .catch(async (error: unknown) => {
      // Two callers can race past offscreenExists(); only one document may exist.
      if (!(await offscreenExists())) throw error;
    })
    .finally(() => {
      offscreenCreation = null;
    });
  await offscreenCreation;
}

const NOT_LISTENING_YET = /Receiving end does not exist|No Sidelight context/;
// The document went away mid-analysis (closed, crashed): analysis is idempotent, so it is redone once.
const HOST_WENT_AWAY = /message channel closed|message port closed|closed before fully loading/i;

/** Sends to the offscreen document, waiting while it starts its listener and recreating it if it dies. */
async function askOffscreen(send: () => Promise<AnalysisReply>): Promise<AnalysisReply> {
  let restarts = 0;
  for (let attempt = 0; ; attempt++) {
    await ensureOffscreen();
    try {
      return await send();
    } catch (error) {
      const message = error instanceof Error ? error.message : '';
      if (HOST_WENT_AWAY.test(message) && restarts++ < 1) continue;
      if (!NOT_LISTENING_YET.test(message) || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** Progress listeners of the requests in flight at the offscreen document, by the id their request carries. */
const progressListeners = new ProgressListeners();

/** An `engine-progress` message from the offscreen document: handed to its request's listener, if still waiting. */
export function deliverEngineProgress(progressId: string, progress: AnalysisProgress): void {
  progressListeners.deliver(progressId, progress);
}

export async function analyzeWithEngine(request: BytesRequest, onProgress?: (progress: AnalysisProgress) => void): Promise<AnalysisReply> {
  if (engineHost() === 'offscreen') {
    if (!onProgress) return askOffscreen(() => sendMessage('offscreen-analyze', request));
    const progressId = crypto.randomUUID();
    return progressListeners.during(progressId, onProgress, () => askOffscreen(() => sendMessage('offscreen-analyze', { ...request, progressId })));
  }
  localBridge ??= import('../worker/host').then((host) => host.createWorkerBridge());
  const { analyzeInWorker } = await import('../worker/host');
  return analyzeInWorker(await localBridge, request, { onProgress });
}

/** Two pictures as one card (lib/worker/analyze-pair.ts), wherever the worker lives. */
export async function analyzePairWithEngine(request: PairBytesRequest): Promise<AnalysisReply> {
  if (engineHost() === 'offscreen') return askOffscreen(() => sendMessage('offscreen-analyze-pair', request));
  localBridge ??= import('../worker/host').then((host) => host.createWorkerBridge());
  const { analyzePairInWorker } = await import('../worker/host');
  return analyzePairInWorker(await localBridge, request);
}
