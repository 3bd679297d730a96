import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisReply } from '../../lib/messaging/protocol';
import { launchWithExtension, scratchDir, serveDemo, type Launched, type Served } from './harness';

const CARD = 'tests/fixtures/cards/minimaxir_pps_nanobanana_vs_nanobananapro_labeled.webp';
const CARD_URL = '/fixtures/cards/minimaxir_pps_nanobanana_vs_nanobananapro_labeled.webp';
const ENVELOPE = { sidelight: 1, name: 'analyze-image', target: 'background', request: { url: 'http://127.0.0.1/x.png', pageUrl: 'http://127.0.0.1/' } };

/** Another installed extension that tries to use Sidelight's messages. */
async function intruderExtension(): Promise<string> {
  const dir = join(await scratchDir('intruder'), 'extension');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'manifest.json'), JSON.stringify({ manifest_version: 3, name: 'Intruder', version: '1.0', background: { service_worker: 'intruder.js' } }));
  await writeFile(join(dir, 'intruder.js'), '// Messages are sent from the test through evaluate().\n');
  return dir;
}

describe('hostile pages, other extensions and a dying analysis context', () => {
  let server: Served;
  let browser: Launched;
  let intruder: Worker;
  let analyze: Page;
  let cardBase64: string;

  const analyzeBytes = (name: string) =>
    analyze.evaluate(
      ({ name: fileName, bytes }) => (globalThis as unknown as { sidelightAnalyzeBytes: (n: string, b: string, r: boolean) => Promise<AnalysisReply> }).sidelightAnalyzeBytes(fileName, bytes, true),
      { name, bytes: cardBase64 },
    );

  beforeAll(async () => {
    cardBase64 = (await readFile(CARD)).toString('base64');
    const strictPage = `<!doctype html><html><head><title>strict</title></head><body><h1>Strict CSP</h1><img src="${CARD_URL}" alt="card" width="880"></body></html>`;
    server = await serveDemo({
      routes: {
        '/strict/': (_request, response) => {
          response.writeHead(200, {
            'content-type': 'text/html',
            'content-security-policy': "default-src 'none'; img-src 'self'; style-src 'self'; script-src 'self'",
          });
          response.end(strictPage);
        },
      },
    });
    browser = await launchWithExtension({ otherExtensions: [await intruderExtension()] });
    intruder = browser.context.serviceWorkers().find((worker) => worker.url().endsWith('/intruder.js')) ?? (await browser.context.waitForEvent('serviceworker', { predicate: (worker) => worker.url().endsWith('/intruder.js') }));
    analyze = await browser.context.newPage();
    await analyze.goto(browser.extensionUrl('analyze.html'));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('ignores messages posted by a web page', async () => {
    const page = await browser.context.newPage();
    await page.goto(server.feedUrl);
    const reachable = await page.evaluate(async ({ envelope, id }) => {
      window.postMessage(envelope, '*');
      const runtime = (globalThis as unknown as { chrome?: { runtime?: { sendMessage?: (id: string, message: unknown) => Promise<unknown> } } }).chrome?.runtime;
      if (!runtime?.sendMessage) return 'no runtime';
      return runtime.sendMessage(id, envelope).then(() => 'answered', (error: Error) => `refused: ${error.message}`);
    }, { envelope: ENVELOPE, id: browser.extensionId });
    expect(reachable).not.toBe('answered');
    await page.close();
  });

  it('ignores messages from another extension', async () => {
    const answer = await intruder.evaluate(
      ({ envelope, id }) => chrome.runtime.sendMessage(id, envelope).then(() => 'answered', (error: Error) => `refused: ${error.message}`),
      { envelope: ENVELOPE, id: browser.extensionId },
    );
    expect(answer).toMatch(/^refused: /);
  });

  it('finishes a card whose offscreen document is closed mid-analysis, and the next one too', async () => {
    const inFlight = analyzeBytes('first.webp');
    await browser.serviceWorker.evaluate(async () => {
      // Wait until the document exists, then close it under the running analysis.
      for (let tries = 0; tries < 100 && (await chrome.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'] })).length === 0; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // The first card loads the OCR model for over a second: this lands inside the analysis.
      await new Promise((resolve) => setTimeout(resolve, 400));
      await chrome.offscreen.closeDocument();
    });
    expect((await inFlight).result).toMatchObject({ ok: true, isComparison: true });
    expect((await analyzeBytes('second.webp')).result).toMatchObject({ ok: true, isComparison: true });
  });

  it('analyses after the service worker is stopped, keeping its session statistics', async () => {
    const statsBefore = await analyze.evaluate(() => chrome.storage.session.get('stats'));
    const cdp = await browser.context.newCDPSession(analyze);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    const reply = await analyze.evaluate(
      (url) => (globalThis as unknown as { sidelightAnalyzeImage: (u: string) => Promise<AnalysisReply> }).sidelightAnalyzeImage(url),
      `${server.origin}${CARD_URL}`,
    );
    expect(reply.result).toMatchObject({ ok: true, isComparison: true });
    const statsAfter = (await analyze.evaluate(() => chrome.storage.session.get('stats'))) as { stats: { imagesAnalysed: number } };
    const before = (statsBefore as { stats?: { imagesAnalysed: number } }).stats?.imagesAnalysed ?? 0;
    expect(statsAfter.stats.imagesAnalysed).toBe(before + 1);
  });

  it('draws a styled overlay on a page with a strict CSP', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/strict/`);
    await expect.poll(() => page.locator('img').getAttribute('data-sidelight'), { timeout: 60_000 }).toBe('card');
    const badge = page.locator('sidelight-overlay button.badge');
    await expect.poll(() => badge.count()).toBe(1);
    // Styled by the shadow root's stylesheet: an unstyled button has no rounded corners.
    expect(await badge.evaluate((element) => getComputedStyle(element).borderRadius)).toBe('999px');
    await page.close();
  });
});
