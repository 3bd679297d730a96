import { readFile } from 'node:fs/promises';

export interface LoggedRequest {
  url: string;
  method: string | null;
  /** The requesting origin; Chromium writes "not an origin" for its own requests. */
  initiator: string | null;
}

interface NetLog {
  constants: { logEventTypes: Record<string, number> };
  events: { type: number; params?: { url?: string; method?: string; initiator?: string } }[];
}

/** Every URL request Chromium started, from `--log-net-log`: pages, service workers, offscreen documents and workers alike. */
export async function readNetLogRequests(path: string): Promise<LoggedRequest[]> {
  let text = await readFile(path, 'utf8');
  // A browser that did not shut down cleanly leaves the events array open.
  if (!text.trimEnd().endsWith('}')) text = `${text.trimEnd().replace(/,$/, '')}]}`;
  const log = JSON.parse(text) as NetLog;
  const startJob = log.constants.logEventTypes.URL_REQUEST_START_JOB;
  return log.events
    .filter((event) => event.type === startJob && event.params?.url)
    .map((event) => ({ url: event.params?.url ?? '', method: event.params?.method ?? null, initiator: event.params?.initiator ?? null }));
}
