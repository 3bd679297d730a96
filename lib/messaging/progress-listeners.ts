import type { AnalysisProgress } from './protocol';

/**
 * Progress listeners of requests in flight, by the id each request carries (the background's
 * request to the offscreen document, the content script's ticket): a listener is set for the
 * time its request runs and gone when it settles, so progress that comes late goes nowhere.
 */
export class ProgressListeners {
  private readonly listeners = new Map<string, (progress: AnalysisProgress) => void>();

  /** Hands progress to the listener of the request named `id`, if it is still waiting. */
  deliver(id: string, progress: AnalysisProgress): void {
    this.listeners.get(id)?.(progress);
  }

  /** Runs a request with `listener` hearing the progress sent for `id` until the request settles. */
  async during<T>(id: string, listener: (progress: AnalysisProgress) => void, request: () => Promise<T>): Promise<T> {
    this.listeners.set(id, listener);
    try {
      return await request();
    } finally {
      this.listeners.delete(id);
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
