import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { launchWithExtension } from '../../scripts/lib/browser.mjs';
import { serveDemo } from '../../scripts/lib/serve.mjs';
import { extensionWithTestPage } from '../../scripts/lib/test-page.mjs';

export type Launched = Awaited<ReturnType<typeof launchWithExtension>>;
export type Served = Awaited<ReturnType<typeof serveDemo>>;
export { launchWithExtension, serveDemo };

export interface TestPage {
  browser: Launched;
  page: Page;
  /** Uncaught errors of the page, in order. */
  pageErrors: string[];
  /** Closes the browser and removes the extension copy. */
  close(): Promise<void>;
}

/**
 * A test-only extension page (tests/e2e/pages/<name>, bundled into a copy of the built extension)
 * open in a fresh browser and ready (`body[data-ready]`). `launch` adds switches or a net log;
 * `onPage` sees the page before it navigates (e.g. to record its requests).
 */
export async function openTestPage(
  name: string,
  launch: Omit<NonNullable<Parameters<typeof launchWithExtension>[0]>, 'extensionDir'> = {},
  onPage?: (page: Page) => void,
): Promise<TestPage> {
  const extension = await extensionWithTestPage({ pageDir: `tests/e2e/pages/${name}`, name });
  let browser: Launched | null = null;
  try {
    browser = await launchWithExtension({ ...launch, extensionDir: extension.extensionDir });
    const page = await browser.context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    onPage?.(page);
    await page.goto(browser.extensionUrl(extension.pagePath));
    await page.waitForSelector('body[data-ready]', { state: 'attached' });
    const launched = browser;
    return {
      browser: launched,
      page,
      pageErrors,
      async close() {
        await launched.close();
        await extension.remove();
      },
    };
  } catch (error) {
    await browser?.close();
    await extension.remove();
    throw error;
  }
}

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
