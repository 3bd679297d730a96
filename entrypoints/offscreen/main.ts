import { listen, sendMessage } from '@/lib/messaging/runtime';
import { analyzeInWorker, analyzePairInWorker, createWorkerBridge } from '@/lib/worker/host';

// The offscreen document only hosts the analysis worker: Chrome's service worker cannot start one.
const bridge = createWorkerBridge();

listen('offscreen', {
  'offscreen-analyze': ({ progressId, ...request }) =>
    analyzeInWorker(bridge, request, {
      // Progress goes back to the background, which passes it to the frame that asked; losing it costs only the badge's progress text.
      onProgress: progressId ? (progress) => void sendMessage('engine-progress', { progressId, progress }).catch(() => undefined) : undefined,
    }),
  'offscreen-analyze-pair': (request) => analyzePairInWorker(bridge, request),
  'offscreen-ping': () => Promise.resolve({ ready: true as const }),
});
