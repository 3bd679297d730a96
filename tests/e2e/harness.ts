import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchWithExtension } from '../../scripts/lib/browser.mjs';
import { serveDemo } from '../../scripts/lib/serve.mjs';

export type Launched = Awaited<ReturnType<typeof launchWithExtension>>;
export type Served = Awaited<ReturnType<typeof serveDemo>>;
export { launchWithExtension, serveDemo };

export async function scratchDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `sidelight-${prefix}-`));
}
