import type { BackendPreference, Box, RgbaImage } from '../engine/types';
import type { LabelStage } from './labels';
import type { LabelWorkerReply, LabelWorkerRequest } from './protocol';

interface Pending {
  resolve: (stage: LabelStage) => void;
  reject: (error: Error) => void;
}

const cancelled = () => new DOMException('The analysis was cancelled.', 'AbortError');

/**
 * The analysis worker's side of the label worker (lib/worker/labels.worker.ts): it sends a card's
 * pixels and panels and gets each panel's label back while the analysis worker goes on with the
 * face pass. A label worker that fails to start or dies fails the requests it held (their cards get
 * no labels, as with a model that fails to load) and is made again for the next card. It lives as
 * long as the analysis worker: stopping that one (lib/worker/bridge.ts, idle or crashed) stops it too.
 */
export class LabelReader {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly createWorker: () => Worker) {}

  /** Whether a label worker is running now (made on the first request, again after a crash). */
  get running(): boolean {
    return this.worker !== null;
  }

  /**
   * Each panel's label, read on the label worker. Cancelling rejects at once with an AbortError and
   * tells the label worker, which drops the request if it has not started it.
   */
  read(image: RgbaImage, panels: readonly Box[], options: { backend: BackendPreference; signal?: AbortSignal }): Promise<LabelStage> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(cancelled());
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<LabelStage>((resolve, reject) => {
      const onAbort = () => {
        if (!this.pending.delete(id)) return;
        worker.postMessage({ kind: 'abort', id } satisfies LabelWorkerRequest);
        reject(cancelled());
      };
      const settled = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (stage) => (settled(), resolve(stage)),
        reject: (error) => (settled(), reject(error)),
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      // Copied, not transferred: the analysis worker goes on with the same pixels.
      const request: LabelWorkerRequest = { kind: 'read-labels', id, image: { data: image.data, width: image.width, height: image.height }, panels: [...panels], backend: options.backend };
      worker.postMessage(request);
    });
  }

  terminate(): void {
    this.worker?.terminate();
    this.worker = null;
    this.failAll('The label worker was stopped.');
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.createWorker();
    worker.addEventListener('message', (event: MessageEvent<LabelWorkerReply>) => this.settle(event.data));
    // A script that does not load, an uncaught error or running out of memory: the next card gets a new worker.
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      if (this.worker === worker) this.worker = null;
      worker.terminate();
      this.failAll(`The label worker crashed: ${event.message || 'unknown error'}.`);
    });
    worker.addEventListener('messageerror', () => this.failAll('The label worker sent a message that could not be read.'));
    this.worker = worker;
    return worker;
  }

  private settle(reply: LabelWorkerReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (reply.kind === 'labels') pending.resolve(reply.stage);
    else pending.reject(new Error(reply.error));
  }

  private failAll(message: string): void {
    const failed = [...this.pending.values()];
    this.pending.clear();
    for (const pending of failed) pending.reject(new Error(message));
  }
}

/** The label worker as the analysis worker starts it: on its first card (a card without label strips never loads the recogniser in it). */
export function createLabelReader(): LabelReader {
  return new LabelReader(() => new Worker(new URL('./labels.worker.ts', import.meta.url), { type: 'module', name: 'sidelight-labels' }));
}
