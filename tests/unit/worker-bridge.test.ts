import { describe, expect, it } from 'vitest';
import type { AnalysisResult } from '../../lib/engine/types';
import type { AnalysisProgress } from '../../lib/messaging/protocol';
import { AnalysisWorkerBridge } from '../../lib/worker/bridge';
import type { WorkerReply, WorkerRequest } from '../../lib/worker/protocol';

/** A worker double: records what the bridge posts and lets the test answer as the analysis worker would. */
class ScriptedWorker extends EventTarget {
  readonly posted: WorkerRequest[] = [];
  postMessage(message: WorkerRequest): void {
    this.posted.push(message);
  }
  terminate(): void {}
  answer(reply: WorkerReply): void {
    this.dispatchEvent(new MessageEvent('message', { data: reply }));
  }
}

const result = { file: 'card.webp', ok: true } as AnalysisResult;

describe('the analysis worker bridge', () => {
  it('hands progress to the request it belongs to, before its result, and ignores progress on other requests', async () => {
    const worker = new ScriptedWorker();
    const bridge = new AnalysisWorkerBridge(() => worker as unknown as Worker);
    const heard: AnalysisProgress[] = [];
    const settled: string[] = [];
    const analysis = bridge.analyze('card.webp', new Uint8Array([1, 2, 3]), { render: false, onProgress: (progress) => heard.push(progress) }).then(() => settled.push('result'));
    const id = worker.posted[0]?.id as number;

    worker.answer({ kind: 'progress', id: id + 1, progress: { stage: 'card-found', modelsLoading: false } });
    worker.answer({ kind: 'progress', id, progress: { stage: 'card-found', modelsLoading: true } });
    await Promise.resolve();
    expect(heard).toEqual([{ stage: 'card-found', modelsLoading: true }]);
    expect(settled).toEqual([]);

    worker.answer({ kind: 'result', id, result, annotatedPng: null, modelLoadMs: 0 });
    await analysis;
    expect(settled).toEqual(['result']);
    // Progress after the result has no request to go to.
    worker.answer({ kind: 'progress', id, progress: { stage: 'card-found', modelsLoading: false } });
    expect(heard).toHaveLength(1);
  });
});
