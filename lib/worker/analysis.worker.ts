/// <reference lib="webworker" />
import { analyzeBytes } from './analyze-bytes';
import { analyzePairBytes, type PairPicture } from './analyze-pair';
import { serveOneAtATime } from './one-at-a-time';
import type { WorkerPicture, WorkerReply, WorkerRequest } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

function reply(message: WorkerReply, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

async function run(request: Exclude<WorkerRequest, { kind: 'abort' }>, controller: AbortController): Promise<void> {
  try {
    if (controller.signal.aborted) throw new DOMException('The analysis was cancelled.', 'AbortError');
    const options = { render: request.render, backend: request.backend, signal: controller.signal };
    // Progress only for single images: most two-picture posts pass detection and are then found unrelated.
    const { result, annotatedPng, modelLoadMs } =
      request.kind === 'analyze-pair'
        ? await analyzePairBytes(request.name, [toPicture(request.pictures[0]), toPicture(request.pictures[1])], { ...options, evidence: request.evidence })
        : await analyzeBytes(request.name, new Uint8Array(request.bytes), {
            ...options,
            onProgress: (progress) => reply({ kind: 'progress', id: request.id, progress }),
          });
    reply({ kind: 'result', id: request.id, result, annotatedPng, modelLoadMs }, annotatedPng ? [annotatedPng] : []);
  } catch (error) {
    reply({ kind: 'failure', id: request.id, error: error instanceof Error ? error.message : String(error) });
  }
}

function toPicture(picture: WorkerPicture): PairPicture {
  return { name: picture.name, bytes: new Uint8Array(picture.bytes) };
}

// One image at a time: the engine shares the worker's thread and the model sessions.
serveOneAtATime<WorkerRequest>(self, run);
