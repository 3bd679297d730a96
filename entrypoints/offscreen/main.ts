import { listen } from '@/lib/messaging/runtime';
import { analyzeInWorker, analyzePairInWorker, createWorkerBridge } from '@/lib/worker/host';

// The offscreen document only hosts the analysis worker: Chrome's service worker cannot start one.
const bridge = createWorkerBridge();

listen('offscreen', {
  'offscreen-analyze': (request) => analyzeInWorker(bridge, request),
  'offscreen-analyze-pair': (request) => analyzePairInWorker(bridge, request),
  'offscreen-ping': () => Promise.resolve({ ready: true as const }),
});
