import type { AnalysisResult } from '../engine/types';
import type { AnalysisProgress, PairEvidence } from '../messaging/protocol';
import type { AnalyzeOptions, WorkerPicture, WorkerReply, WorkerRequest } from './protocol';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface WorkerAnalysis {
  result: AnalysisResult;
  annotatedPng: ArrayBuffer | null;
  modelLoadMs: number;
}

interface Pending {
  resolve: (value: WorkerAnalysis) => void;
  reject: (error: Error) => void;
  onProgress?: (progress: AnalysisProgress) => void;
}

/**
 * How long the worker stays with nothing to do before it is stopped: its models, WebAssembly
 * memories and canvases (most of the extension's memory, docs/performance.md) go with it, and the
 * next card starts a new one (a cold start). A feed shows its cards minutes apart at most while
 * someone reads it, so a reader who stopped gets the memory back.
 */
export const WORKER_IDLE_MS = 120_000;

/**
 * The host side of the analysis worker: numbered requests, abortable, and a worker that dies
 * (crash, out of memory) is replaced on the next request instead of taking the host down with it.
 * A worker idle for `idleMs` is stopped and made again on the next request.
 */
export class AnalysisWorkerBridge {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private idleTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly createWorker: () => Worker,
    private readonly idleMs = WORKER_IDLE_MS,
  ) {}

  /** Whether a worker is running now (stopped when idle, made on the next request). */
  get running(): boolean {
    return this.worker !== null;
  }

  analyze(
    name: string,
    bytes: Uint8Array,
    options: AnalyzeOptions & { signal?: AbortSignal; onProgress?: (progress: AnalysisProgress) => void },
  ): Promise<WorkerAnalysis> {
    const buffer = bytes.slice().buffer;
    const { render, backend } = options;
    return this.request({ kind: 'analyze', name, bytes: buffer, render, backend }, [buffer], options.signal, options.onProgress);
  }

  private request(
    message: DistributiveOmit<Exclude<WorkerRequest, { kind: 'abort' }>, 'id'>,
    transfer: Transferable[],
    signal?: AbortSignal,
    onProgress?: (progress: AnalysisProgress) => void,
  ): Promise<WorkerAnalysis> {
    // Cancelled before it started: no worker is made or kept for it.
    if (signal?.aborted) return Promise.reject(new DOMException('The analysis was cancelled.', 'AbortError'));
    this.ensureWorker();
    this.clearIdleTimer();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      signal?.addEventListener('abort', () => this.post({ kind: 'abort', id }), { once: true });
      // Cancelled or not, a request settles with the worker's reply; the idle clock starts then.
      this.post({ ...message, id } as WorkerRequest, transfer);
    });
  }

  /** Two pictures of one post as one card, first on the left. */
  analyzePair(
    name: string,
    pictures: readonly [{ name: string; bytes: Uint8Array }, { name: string; bytes: Uint8Array }],
    options: AnalyzeOptions & { signal?: AbortSignal; evidence?: PairEvidence },
  ): Promise<WorkerAnalysis> {
    const [first, second] = pictures.map((picture) => ({ name: picture.name, bytes: picture.bytes.slice().buffer })) as [WorkerPicture, WorkerPicture];
    const { render, backend, evidence } = options;
    return this.request({ kind: 'analyze-pair', name, pictures: [first, second], render, backend, evidence }, [first.bytes, second.bytes], options.signal);
  }

  terminate(): void {
    this.clearIdleTimer();
    this.worker?.terminate();
    this.failAll('The analysis worker was stopped.');
    this.worker = null;
  }

  private clearIdleTimer(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  /** Starts the idle clock once nothing is pending; a request before it runs out stops it. */
  private startIdleTimer(): void {
    if (this.pending.size || !this.worker) return;
    this.clearIdleTimer();
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.pending.size) return;
      this.worker?.terminate();
      this.worker = null;
    }, this.idleMs);
  }

  private post(message: WorkerRequest, transfer: Transferable[] = []): void {
    this.worker?.postMessage(message, transfer);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.createWorker();
    worker.addEventListener('message', (event: MessageEvent<WorkerReply>) => this.settle(event.data));
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.failAll(`The analysis worker crashed: ${event.message || 'unknown error'}.`);
      worker.terminate();
      if (this.worker === worker) this.worker = null;
    });
    this.worker = worker;
    return worker;
  }

  private settle(reply: WorkerReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    if (reply.kind === 'progress') {
      pending.onProgress?.(reply.progress);
      return;
    }
    this.pending.delete(reply.id);
    if (reply.kind === 'result') pending.resolve({ result: reply.result, annotatedPng: reply.annotatedPng, modelLoadMs: reply.modelLoadMs });
    else pending.reject(new Error(reply.error));
    this.startIdleTimer();
  }

  private failAll(message: string): void {
    for (const pending of this.pending.values()) pending.reject(new Error(message));
    this.pending.clear();
  }
}
