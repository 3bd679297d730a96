import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { launchWithExtension } from '../../scripts/lib/browser.mjs';
import { serveDemo } from '../../scripts/lib/serve.mjs';

export type Launched = Awaited<ReturnType<typeof launchWithExtension>>;
export type Served = Awaited<ReturnType<typeof serveDemo>>;
export { launchWithExtension, serveDemo };

export async function scratchDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `sidelight-${prefix}-`));
}

/** Pixels with any opacity in a canvas the extension drew from the result's own numbers (never tainted). */
export function paintedPixels(canvas: Locator): Promise<number> {
  return canvas.evaluate((element: HTMLCanvasElement) => {
    const data = element.getContext('2d')?.getImageData(0, 0, element.width, element.height).data ?? new Uint8ClampedArray();
    let count = 0;
    for (let index = 3; index < data.length; index += 4) if ((data[index] ?? 0) > 0) count++;
    return count;
  });
}
