import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RgbaImage } from '../../lib/engine/types';
import type { LabelStage } from '../../lib/worker/labels';
import type { LabelWorkerReply, LabelWorkerRequest } from '../../lib/worker/protocol';

/** Each call to the label stage, held until the test lets it finish. */
const calls: { panels: readonly unknown[]; signal?: AbortSignal; finish: (stage: LabelStage) => void; fail: (error: Error) => void }[] = [];
vi.mock('../../lib/worker/labels', () => ({
  readLabelsInWorker: (_image: RgbaImage, panels: readonly unknown[], options: { signal?: AbortSignal }) =>
    new Promise<LabelStage>((finish, fail) => calls.push({ panels, signal: options.signal, finish, fail })),
}));

/** The label worker's global scope: what it posts back is recorded. */
class WorkerScope extends EventTarget {
  readonly replies: LabelWorkerReply[] = [];
  postMessage(message: LabelWorkerReply): void {
    this.replies.push(message);
  }
  send(request: LabelWorkerRequest): void {
    this.dispatchEvent(new MessageEvent('message', { data: request }));
  }
}

const scope = new WorkerScope();
const image: RgbaImage = { data: new Uint8ClampedArray(4), width: 1, height: 1 };
const stage = (ocrMs: number): LabelStage => ({ labels: [], backend: null, ocrMs, modelLoadMs: 0, loadEndedAt: null });
const read = (id: number): LabelWorkerRequest => ({ kind: 'read-labels', id, image, panels: [[0, 0, id, 1]], backend: 'wasm' });
/** Lets the worker's promise chain run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the label worker', () => {
  beforeAll(async () => {
    vi.stubGlobal('self', scope);
    await import('../../lib/worker/labels.worker');
  });
  afterAll(() => vi.unstubAllGlobals());

  it('reads one card at a time, drops a request cancelled while queued, and stops a running one it is told to', async () => {
    scope.send(read(1));
    scope.send(read(2));
    scope.send(read(3));
    await settle();
    expect(calls.map((call) => call.panels)).toEqual([[[0, 0, 1, 1]]]);

    // The second card's analysis is cancelled while the first card is read: its labels are never read.
    scope.send({ kind: 'abort', id: 2 });
    calls[0]?.finish(stage(40));
    await settle();
    expect(calls.map((call) => call.panels)).toEqual([[[0, 0, 1, 1]], [[0, 0, 3, 1]]]);
    expect(scope.replies.slice(0, 2)).toEqual([
      { kind: 'labels', id: 1, stage: stage(40) },
      { kind: 'failure', id: 2, error: expect.stringMatching(/abort/i) },
    ]);

    // The third is running: cancelling it reaches the label stage through its signal.
    scope.send({ kind: 'abort', id: 3 });
    expect(calls[1]?.signal?.aborted).toBe(true);
    calls[1]?.fail(new DOMException('The operation was aborted.', 'AbortError'));
    await settle();
    expect(scope.replies[2]).toEqual({ kind: 'failure', id: 3, error: 'The operation was aborted.' });
  });

  it('answers a failed read with its error and goes on with the next card', async () => {
    scope.replies.length = 0;
    scope.send(read(4));
    scope.send(read(5));
    await settle();
    calls[2]?.fail(new Error('The OCR key file could not be loaded (HTTP 404).'));
    await settle();
    calls[3]?.finish(stage(55));
    await settle();
    expect(scope.replies).toEqual([
      { kind: 'failure', id: 4, error: 'The OCR key file could not be loaded (HTTP 404).' },
      { kind: 'labels', id: 5, stage: stage(55) },
    ]);
  });
});
