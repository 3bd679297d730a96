import { describe, expect, it } from 'vitest';
import type { RgbaImage } from '../../lib/engine/types';
import { LabelReader } from '../../lib/worker/label-reader';
import type { LabelStage } from '../../lib/worker/labels';
import type { LabelWorkerReply, LabelWorkerRequest } from '../../lib/worker/protocol';

/** A label worker double: records what the reader posts and lets the test answer, or crash, as the label worker would. */
class ScriptedLabelWorker extends EventTarget {
  readonly posted: LabelWorkerRequest[] = [];
  terminated = false;
  postMessage(message: LabelWorkerRequest): void {
    this.posted.push(structuredClone(message));
  }
  terminate(): void {
    this.terminated = true;
  }
  answer(reply: LabelWorkerReply): void {
    this.dispatchEvent(new MessageEvent('message', { data: reply }));
  }
  crash(message: string): void {
    const event = new Event('error', { cancelable: true });
    Object.defineProperty(event, 'message', { value: message });
    this.dispatchEvent(event);
  }
}

const image: RgbaImage = { data: new Uint8ClampedArray([1, 2, 3, 255, 4, 5, 6, 255]), width: 2, height: 1 };
const panels: [number, number, number, number][] = [
  [0, 0, 1, 1],
  [1, 0, 1, 1],
];
const stage = (label: string): LabelStage => ({
  labels: [
    { label, labelBox: [0, 0, 1, 1], labelSource: 'ocr' },
    { label: null, labelBox: null, labelSource: null },
  ],
  backend: 'wasm',
  ocrMs: 12,
  modelLoadMs: 0,
  loadEndedAt: null,
});

/** A reader and every label worker it made, in order. */
function readerMakingWorkers() {
  const made: ScriptedLabelWorker[] = [];
  const reader = new LabelReader(() => {
    made.push(new ScriptedLabelWorker());
    return made.at(-1) as unknown as Worker;
  });
  return { made, reader };
}

const requestId = (worker: ScriptedLabelWorker | undefined, at = 0) => (worker?.posted.filter((message) => message.kind === 'read-labels')[at]?.id ?? NaN);

describe('the label worker, as the analysis worker uses it', () => {
  it('sends the pixels, panels and backend, and gives each request its own reply', async () => {
    const { made, reader } = readerMakingWorkers();
    const first = reader.read(image, panels, { backend: 'wasm' });
    const second = reader.read(image, panels, { backend: 'auto' });
    expect(made).toHaveLength(1);
    const worker = made[0] as ScriptedLabelWorker;
    expect(worker.posted).toEqual([
      { kind: 'read-labels', id: requestId(worker, 0), image, panels, backend: 'wasm' },
      { kind: 'read-labels', id: requestId(worker, 1), image, panels, backend: 'auto' },
    ]);
    expect(requestId(worker, 0)).not.toBe(requestId(worker, 1));

    worker.answer({ kind: 'labels', id: requestId(worker, 1), stage: stage('GPT Image 2') });
    worker.answer({ kind: 'failure', id: requestId(worker, 0), error: 'The OCR key file could not be loaded (HTTP 404).' });
    await expect(second).resolves.toEqual(stage('GPT Image 2'));
    await expect(first).rejects.toThrow('The OCR key file could not be loaded (HTTP 404).');
  });

  it('does not start a worker for a request cancelled before it was made', async () => {
    const { made, reader } = readerMakingWorkers();
    const controller = new AbortController();
    controller.abort();
    await expect(reader.read(image, panels, { backend: 'wasm', signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(made).toHaveLength(0);
    expect(reader.running).toBe(false);
  });

  it('rejects a cancelled request at once, tells the worker to drop it, and ignores its late reply', async () => {
    const { made, reader } = readerMakingWorkers();
    const controller = new AbortController();
    const cancelledRead = reader.read(image, panels, { backend: 'wasm', signal: controller.signal });
    const nextRead = reader.read(image, panels, { backend: 'wasm' });
    const worker = made[0] as ScriptedLabelWorker;
    controller.abort();
    await expect(cancelledRead).rejects.toMatchObject({ name: 'AbortError' });
    expect(worker.posted.at(-1)).toEqual({ kind: 'abort', id: requestId(worker, 0) });

    // The worker had already read it: that reply has no request any more, the next one still gets its own.
    worker.answer({ kind: 'labels', id: requestId(worker, 0), stage: stage('Nano Banana') });
    worker.answer({ kind: 'labels', id: requestId(worker, 1), stage: stage('Nano Banana Pro') });
    await expect(nextRead).resolves.toEqual(stage('Nano Banana Pro'));
    expect(worker.terminated).toBe(false);
  });

  it('fails the requests of a worker that crashes, and makes a new worker for the next card', async () => {
    const { made, reader } = readerMakingWorkers();
    const first = reader.read(image, panels, { backend: 'wasm' });
    const second = reader.read(image, panels, { backend: 'wasm' });
    const crashed = made[0] as ScriptedLabelWorker;
    crashed.crash('RangeError: WebAssembly.Memory(): could not allocate memory');
    await expect(first).rejects.toThrow('The label worker crashed: RangeError: WebAssembly.Memory(): could not allocate memory.');
    await expect(second).rejects.toThrow('The label worker crashed');
    expect(crashed.terminated).toBe(true);
    expect(reader.running).toBe(false);

    const next = reader.read(image, panels, { backend: 'wasm' });
    expect(made).toHaveLength(2);
    const replacement = made[1] as ScriptedLabelWorker;
    replacement.answer({ kind: 'labels', id: requestId(replacement), stage: stage('Flux Kontext Pro') });
    await expect(next).resolves.toEqual(stage('Flux Kontext Pro'));
    // A late reply from the crashed worker reaches nobody.
    crashed.answer({ kind: 'labels', id: requestId(replacement), stage: stage('GPT-4o') });
    expect(reader.running).toBe(true);
  });

  it('fails what is pending when stopped, and starts again on the next request', async () => {
    const { made, reader } = readerMakingWorkers();
    const pending = reader.read(image, panels, { backend: 'wasm' });
    reader.terminate();
    await expect(pending).rejects.toThrow('The label worker was stopped.');
    expect(made[0]?.terminated).toBe(true);
    void reader.read(image, panels, { backend: 'wasm' }).catch(() => undefined);
    expect(made).toHaveLength(2);
  });
});
