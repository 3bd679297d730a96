// Test-only pages inside the built extension, without touching the product build: copy
// .output/chrome-mv3 to a scratch folder and bundle a page (HTML + TypeScript, with Vite, the
// bundler WXT uses) into it. The page then runs at chrome-extension://<id>/<name>/index.html, with
// the extension's own CSP and files (public/ included), like any extension page would.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { EXTENSION_DIR } from './browser.mjs';

/**
 * @param {{ pageDir: string, name: string, extensionDir?: string }} options
 *   pageDir: folder holding the page's index.html (repository-relative); name: its folder in the copy
 * @returns {Promise<{ extensionDir: string, pagePath: string, remove: () => Promise<void> }>}
 */
export async function extensionWithTestPage({ pageDir, name, extensionDir = EXTENSION_DIR }) {
  const scratch = await mkdtemp(join(tmpdir(), 'sidelight-test-extension-'));
  const copy = join(scratch, 'extension');
  await cp(extensionDir, copy, { recursive: true });
  await build({
    configFile: false,
    root: resolve(pageDir),
    base: './',
    logLevel: 'warn',
    build: { outDir: join(copy, name), emptyOutDir: true, minify: false, reportCompressedSize: false, chunkSizeWarningLimit: 4096 },
  });
  return { extensionDir: copy, pagePath: `${name}/index.html`, remove: () => rm(scratch, { recursive: true, force: true }) };
}
