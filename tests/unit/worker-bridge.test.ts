import { afterEach, describe, expect, it, vi } from 'vitest';
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
  terminated = false;
  terminate(): void {
    this.terminated = true;
  }
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

  describe('when idle', () => {
    afterEach(() => vi.useRealTimers());

    /** A bridge stopping its worker after `idleMs`, and every worker it made, in order. */
    const bridgeMakingWorkers = (idleMs: number) => {
      const made: ScriptedWorker[] = [];
      const bridge = new AnalysisWorkerBridge(() => {
        made.push(new ScriptedWorker());
        return made.at(-1) as unknown as Worker;
      }, idleMs);
      return { made, bridge };
    };

    it('stops the worker once nothing was asked for its idle time, and makes a new one for the next request', async () => {
      vi.useFakeTimers();
      const { made, bridge } = bridgeMakingWorkers(1000);
      const answer = (worker: ScriptedWorker) => worker.answer({ kind: 'result', id: worker.posted.at(-1)?.id as number, result, annotatedPng: null, modelLoadMs: 0 });

      const first = bridge.analyze('a.webp', new Uint8Array([1]), { render: false });
      // A long analysis is not idleness: nothing is stopped while a request is pending.
      vi.advanceTimersByTime(5000);
      expect(made[0]?.terminated).toBe(false);
      answer(made[0] as ScriptedWorker);
      await first;

      // A request inside the idle time keeps the same worker and starts the clock again after it.
      vi.advanceTimersByTime(900);
      const second = bridge.analyze('b.webp', new Uint8Array([2]), { render: false });
      answer(made[0] as ScriptedWorker);
      await second;
      vi.advanceTimersByTime(900);
      expect(made).toHaveLength(1);
      expect(made[0]?.terminated).toBe(false);
      expect(bridge.running).toBe(true);

      vi.advanceTimersByTime(100);
      expect(made[0]?.terminated).toBe(true);
      expect(bridge.running).toBe(false);

      const third = bridge.analyze('c.webp', new Uint8Array([3]), { render: false });
      expect(made).toHaveLength(2);
      answer(made[1] as ScriptedWorker);
      await expect(third).resolves.toMatchObject({ result });
    });

    it('makes no worker, and stops no idle clock, for a request cancelled before it starts; an error reply starts the clock too', async () => {
      vi.useFakeTimers();
      const { made, bridge } = bridgeMakingWorkers(1000);
      await expect(bridge.analyze('a.webp', new Uint8Array([1]), { render: false, signal: AbortSignal.abort() })).rejects.toThrow('cancelled');
      expect(made).toHaveLength(0);

      const failing = bridge.analyze('b.webp', new Uint8Array([2]), { render: false });
      const worker = made[0] as ScriptedWorker;
      worker.answer({ kind: 'failure', id: worker.posted.at(-1)?.id as number, error: 'The image could not be decoded.' });
      await expect(failing).rejects.toThrow('could not be decoded');
      vi.advanceTimersByTime(500);
      await expect(bridge.analyze('c.webp', new Uint8Array([3]), { render: false, signal: AbortSignal.abort() })).rejects.toThrow('cancelled');
      vi.advanceTimersByTime(500);
      expect(worker.terminated).toBe(true);
      expect(bridge.running).toBe(false);
    });
  });
});
