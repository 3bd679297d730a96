import { describe, expect, it } from 'vitest';
import { ProgressListeners } from '../../lib/messaging/progress-listeners';
import type { AnalysisProgress } from '../../lib/messaging/protocol';

const found = (modelsLoading: boolean): AnalysisProgress => ({ stage: 'card-found', modelsLoading });

describe('progress listeners', () => {
  it('hand progress to the request it names while that request runs, and to no one after it settles', async () => {
    const listeners = new ProgressListeners();
    const heard: string[] = [];
    let finish: (value: string) => void = () => undefined;
    const running = listeners.during('a', (progress) => heard.push(`a ${progress.modelsLoading}`), () => new Promise<string>((resolve) => (finish = resolve)));
    listeners.deliver('a', found(true));
    listeners.deliver('b', found(false));
    expect(heard).toEqual(['a true']);
    finish('done');
    await expect(running).resolves.toBe('done');
    listeners.deliver('a', found(false));
    expect(heard).toEqual(['a true']);
  });

  it('let a failed request go too', async () => {
    const listeners = new ProgressListeners();
    const heard: boolean[] = [];
    await expect(listeners.during('a', (progress) => heard.push(progress.modelsLoading), () => Promise.reject(new Error('HTTP 404')))).rejects.toThrow('HTTP 404');
    listeners.deliver('a', found(true));
    expect(heard).toEqual([]);
  });
});
