/// <reference lib="webworker" />
/**
 * A worker's request loop (the analysis worker's and the label worker's): requests run one at a
 * time in arrival order, each with an AbortController of its own; `{ kind: 'abort', id }` aborts a
 * queued request (its handler finds the signal aborted when its turn comes) or the running one.
 * Handlers answer their own failures.
 */
export function serveOneAtATime<Request extends { kind: string; id: number }>(
  scope: DedicatedWorkerGlobalScope,
  handle: (request: Exclude<Request, { kind: 'abort' }>, controller: AbortController) => Promise<void>,
): void {
  const controllers = new Map<number, AbortController>();
  let queue: Promise<void> = Promise.resolve();
  scope.addEventListener('message', (event: MessageEvent<Request>) => {
    const request = event.data;
    if (request.kind === 'abort') {
      controllers.get(request.id)?.abort();
      return;
    }
    const controller = new AbortController();
    controllers.set(request.id, controller);
    queue = queue
      .then(() => handle(request as Exclude<Request, { kind: 'abort' }>, controller))
      .catch(() => undefined)
      .finally(() => controllers.delete(request.id));
  });
}
