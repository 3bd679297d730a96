import { browser } from 'wxt/browser';
import type { AnalysisReply, BytesRequest } from '../messaging/protocol';
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

/** Sends to the offscreen document, retrying while it is still starting its listener. */
async function askOffscreen(request: BytesRequest): Promise<AnalysisReply> {
  for (let attempt = 0; ; attempt++) {
    await ensureOffscreen();
    try {
      return await sendMessage('offscreen-analyze', request);
    } catch (error) {
      const notListening = error instanceof Error && /Receiving end does not exist|No Sidelight context/.test(error.message);
      if (!notListening || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

export async function analyzeWithEngine(request: BytesRequest): Promise<AnalysisReply> {
  if (engineHost() === 'offscreen') return askOffscreen(request);
  localBridge ??= import('../worker/host').then((host) => host.createWorkerBridge());
  const { analyzeInWorker } = await import('../worker/host');
  return analyzeInWorker(await localBridge, request);
}
