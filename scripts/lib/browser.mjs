import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { ensureChromium } from './chromium.mjs';

/** The built extension; SIDELIGHT_EXTENSION_DIR points the benchmarks at another build (to compare two builds in turn). */
export const EXTENSION_DIR = process.env.SIDELIGHT_EXTENSION_DIR
  ? resolve(process.env.SIDELIGHT_EXTENSION_DIR)
  : resolve(fileURLToPath(new URL('../../.output/chrome-mv3', import.meta.url)));

/**
 * Launches the system Chromium with the built extension in a fresh profile and waits for its
 * service worker. `netLog` records every request the browser makes, extension contexts included.
 * `otherExtensions` loads more unpacked extensions beside it (tests of messages from other extensions).
 * `extraArgs` adds Chromium switches (e.g. `--enable-unsafe-webgpu` for the WebGPU check).
 * `disableFeatures` switches off more Chromium features (e.g. `LocalNetworkAccessChecks` for pages
 * served at a site's address by a test that point at images on 127.0.0.1).
 * `profile` reuses a profile folder (kept on close) instead of a fresh one: a second launch on it finds
 * what the first left, such as V8's code cache.
 * @param {{ headless?: boolean, netLog?: string, extensionDir?: string, otherExtensions?: string[], extraArgs?: string[], disableFeatures?: string[], profile?: string, log?: (line: string) => void }} [options]
 */
export async function launchWithExtension({ headless = true, netLog, extensionDir = EXTENSION_DIR, otherExtensions = [], extraArgs = [], disableFeatures = [], profile, log } = {}) {
  const executablePath = ensureChromium({ log });
  const profileDir = profile ?? (await mkdtemp(join(tmpdir(), 'sidelight-profile-')));
  const args = [
    `--disable-extensions-except=${[extensionDir, ...otherExtensions].join(',')}`,
    `--load-extension=${[extensionDir, ...otherExtensions].join(',')}`,
    ...commonArgs(disableFeatures),
  ];
  if (netLog) args.push(`--log-net-log=${netLog}`, '--net-log-capture-mode=Default');
  args.push(...extraArgs);
  const context = await chromium.launchPersistentContext(profileDir, { executablePath, headless, args, viewport: { width: 1280, height: 900 } });
  const ours = (worker) => worker.url().endsWith('/background.js');
  const serviceWorker = context.serviceWorkers().find(ours) ?? (await context.waitForEvent('serviceworker', { predicate: ours, timeout: 30_000 }));
  const extensionId = new URL(serviceWorker.url()).host;
  return {
    context,
    serviceWorker,
    extensionId,
    profileDir,
    extensionUrl: (path) => `chrome-extension://${extensionId}/${path.replace(/^\//, '')}`,
    async close() {
      await context.close();
      if (!profile) await rm(profileDir, { recursive: true, force: true });
    },
  };
}

/** The switches every launch here shares, so that a run without the extension differs from one with it in nothing else. */
function commonArgs(disableFeatures = []) {
  return [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-default-apps',
    '--no-first-run',
    '--no-default-browser-check',
    `--disable-features=${['Translate', 'OptimizationHints', 'MediaRouter', ...disableFeatures].join(',')}`,
  ];
}

/**
 * The same browser as launchWithExtension (fresh persistent profile, same switches and viewport)
 * without any extension: the baseline of the page-cost benchmark.
 * @param {{ headless?: boolean, log?: (line: string) => void }} [options]
 */
export async function launchWithoutExtension({ headless = true, log } = {}) {
  const executablePath = ensureChromium({ log });
  const profileDir = await mkdtemp(join(tmpdir(), 'sidelight-profile-'));
  const context = await chromium.launchPersistentContext(profileDir, { executablePath, headless, args: commonArgs(), viewport: { width: 1280, height: 900 } });
  return {
    context,
    profileDir,
    async close() {
      await context.close();
      await rm(profileDir, { recursive: true, force: true });
    },
  };
}
