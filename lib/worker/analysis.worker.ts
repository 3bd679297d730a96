/// <reference lib="webworker" />
import { analyzeBytes } from './analyze-bytes';
import type { WorkerReply, WorkerRequest } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

const controllers = new Map<number, AbortController>();
// One image at a time: the engine shares the worker's thread and the model sessions.
let queue: Promise<void> = Promise.resolve();

function reply(message: WorkerReply, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

async function run(request: Extract<WorkerRequest, { kind: 'analyze' }>, controller: AbortController): Promise<void> {
  try {
    if (controller.signal.aborted) throw new DOMException('The analysis was cancelled.', 'AbortError');
    const { result, annotatedPng, modelLoadMs } = await analyzeBytes(request.name, new Uint8Array(request.bytes), {
      render: request.render,
      backend: request.backend,
      signal: controller.signal,
    });
    reply({ kind: 'result', id: request.id, result, annotatedPng, modelLoadMs }, annotatedPng ? [annotatedPng] : []);
  } catch (error) {
    reply({ kind: 'failure', id: request.id, error: error instanceof Error ? error.message : String(error) });
  } finally {
    controllers.delete(request.id);
  }
}

self.addEventListener('message', (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  if (request.kind === 'abort') {
    controllers.get(request.id)?.abort();
    return;
  }
  const controller = new AbortController();
  controllers.set(request.id, controller);
  queue = queue.then(() => run(request, controller));
});
