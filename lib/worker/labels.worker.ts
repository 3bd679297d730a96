/// <reference lib="webworker" />
// The label worker: started by the analysis worker (lib/worker/label-reader.ts), it holds the
// recogniser (lib/models/ocr.ts, the only user of onnxruntime-web) and reads a card's labels on
// the second core while the analysis worker runs the face pass and segmentation.
import { readLabelsInWorker } from './labels';
import { serveOneAtATime } from './one-at-a-time';
import type { LabelWorkerReply, LabelWorkerRequest } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

function reply(message: LabelWorkerReply): void {
  self.postMessage(message);
}

async function read(request: Extract<LabelWorkerRequest, { kind: 'read-labels' }>, controller: AbortController): Promise<void> {
  try {
    // Cancelled while queued: dropped without touching the model.
    controller.signal.throwIfAborted();
    const stage = await readLabelsInWorker(request.image, request.panels, { backend: request.backend, signal: controller.signal });
    reply({ kind: 'labels', id: request.id, stage });
  } catch (error) {
    reply({ kind: 'failure', id: request.id, error: error instanceof Error ? error.message : String(error) });
  }
}

// One card at a time: the recogniser's session runs one call at a time anyway.
serveOneAtATime<LabelWorkerRequest>(self, read);
