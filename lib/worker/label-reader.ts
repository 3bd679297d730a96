import type { PanelRegionMaps } from '../engine/regions/types';
import type { PanelSignals } from '../engine/signals/registry';
import type { Thumbnail } from '../engine/signals/pixels';
import type { BackendPreference, Box, RgbaImage } from '../engine/types';
import type { LabelStage } from './labels';
import type { LabelWorkerReply, LabelWorkerRequest } from './protocol';

interface Pending {
  resolve: (reply: Exclude<LabelWorkerReply, { kind: 'failure' }>) => void;
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
  async read(image: RgbaImage, panels: readonly Box[], options: { backend: BackendPreference; signal?: AbortSignal }): Promise<LabelStage> {
    // Copied, not transferred: the analysis worker goes on with the same pixels.
    const reply = await this.ask((id) => ({ kind: 'read-labels', id, image: { data: image.data, width: image.width, height: image.height }, panels: [...panels], backend: options.backend }), options.signal);
    if (reply.kind !== 'labels') throw new Error('The label worker answered a label request with something else.');
    return reply.stage;
  }

  /** One panel's photo gate and signals (lib/engine/judge.ts `measureJudgedPanel`), measured on the label worker. */
  async measure(panel: RgbaImage, regions: PanelRegionMaps | null, thumbnail: Thumbnail, signal?: AbortSignal): Promise<PanelSignals> {
    const reply = await this.ask((id) => ({ kind: 'measure-panel', id, panel: { data: panel.data, width: panel.width, height: panel.height }, regions, thumbnail }), signal);
    if (reply.kind !== 'measured') throw new Error('The label worker answered a measuring request with something else.');
    return reply.signals;
  }

  private ask(request: (id: number) => LabelWorkerRequest, signal: AbortSignal | undefined): Promise<Exclude<LabelWorkerReply, { kind: 'failure' }>> {
    if (signal?.aborted) return Promise.reject(cancelled());
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        if (!this.pending.delete(id)) return;
        worker.postMessage({ kind: 'abort', id } satisfies LabelWorkerRequest);
        reject(cancelled());
      };
      const settled = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (reply) => (settled(), resolve(reply)),
        reject: (error) => (settled(), reject(error)),
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.postMessage(request(id));
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
    if (reply.kind === 'failure') pending.reject(new Error(reply.error));
    else pending.resolve(reply);
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
