import { readFile } from 'node:fs/promises';
import type { RequestListener } from 'node:http';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisReply } from '../../lib/messaging/protocol';
import { badImageCorpus } from './bad-images';
import { launchWithExtension, serveDemo, type Launched, type Served } from './harness';

const CARD = 'tests/fixtures/cards/minimaxir_pps_nanobanana_vs_nanobananapro_labeled.webp';

/** Expected result state per bad input: always a clear reason, never a crash. */
const EXPECTED: Record<string, { ok: boolean; reason?: string }> = {
  'truncated.jpg': { ok: false, reason: 'corrupt' },
  'empty.png': { ok: false, reason: 'empty' },
  'one-pixel.png': { ok: true, reason: 'too-small' },
  'huge-header.png': { ok: false, reason: 'too-large' },
  'drawing.svg': { ok: false, reason: 'unsupported-format' },
  'animated.gif': { ok: true, reason: 'uniform' },
  'cmyk.jpg': { ok: true, reason: 'uniform' },
  'deep.png': { ok: true, reason: 'uniform' },
  'page.html': { ok: false, reason: 'not-an-image' },
  'garbage.bin': { ok: false, reason: 'not-an-image' },
  'missing.png': { ok: false, reason: 'fetch-failed' },
  'server-error.png': { ok: false, reason: 'fetch-failed' },
};

describe('bad and hostile input through the whole extension', () => {
  let server: Served;
  let browser: Launched;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const corpus = await badImageCorpus();
    const card = await readFile(CARD);
    const routes: Record<string, RequestListener> = {
      '/bad/missing.png': (_request, response) => {
        response.writeHead(404, { 'content-type': 'text/plain' });
        response.end('not found');
      },
      '/bad/server-error.png': (_request, response) => {
        response.writeHead(500, { 'content-type': 'text/html' });
        response.end('<h1>oops</h1>');
      },
      '/bad/card.webp': (_request, response) => {
        response.writeHead(200, { 'content-type': 'image/webp' });
        response.end(card);
      },
    };
    for (const [name, { bytes, contentType }] of Object.entries(corpus)) {
      routes[`/bad/${name}`] = (_request, response) => {
        response.writeHead(200, { 'content-type': contentType });
        response.end(bytes);
      };
    }
    server = await serveDemo({ routes });
    browser = await launchWithExtension();
    page = await browser.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(browser.extensionUrl('analyze.html'));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const analyzeUrl = (url: string) =>
    page.evaluate((imageUrl) => (globalThis as unknown as { sidelightAnalyzeImage: (url: string) => Promise<AnalysisReply> }).sidelightAnalyzeImage(imageUrl), url);

  it.each(Object.entries(EXPECTED))('%s gives a clear result state', async (name, expected) => {
    const { result } = await analyzeUrl(`${server.origin}/bad/${name}`);
    expect(result.ok).toBe(expected.ok);
    expect(result.reason).toBe(expected.reason);
    if (!result.ok) expect(result.error).toMatch(/\w{3,}/);
  });

  it('still analyses a real card after all of them', async () => {
    const { result } = await analyzeUrl(`${server.origin}/bad/card.webp`);
    expect(result.ok).toBe(true);
    expect(result.isComparison).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it('answers the same image bytes from the content-hash cache, under another URL too', async () => {
    const first = await analyzeUrl(`${server.origin}/fixtures/cards/minimaxir_pps_nanobanana_vs_nanobananapro_labeled.webp`);
    const again = await analyzeUrl(`${server.origin}/bad/card.webp`);
    expect(again.cached).toBe(true);
    expect(again.result.panels).toEqual(first.result.panels);
    expect(again.result.file).toBe('card.webp');
  });
});
