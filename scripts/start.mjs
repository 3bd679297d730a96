#!/usr/bin/env node
// npm start: build, serve the demo feed on 127.0.0.1, open Chromium with Sidelight on it.
// Without a display it runs headless and writes a screenshot and a summary to out/.
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { launchWithExtension } from './lib/browser.mjs';
import { scrollAndSettle } from './lib/feed.mjs';
import { run } from './lib/proc.mjs';
import { serveDemo } from './lib/serve.mjs';
import { analyzeUrlsInExtension } from './lib/extension-client.mjs';

const headless = process.argv.includes('--headless') || !process.env.DISPLAY;
const outDir = resolve('out');

if (!process.argv.includes('--no-build')) await run('node', ['scripts/build.mjs', '--chrome-only']);
const server = await serveDemo({ port: Number(process.env.PORT ?? 0) });
console.log(`Demo feed: ${server.feedUrl}`);
const browser = await launchWithExtension({ headless });
try {
  const page = await browser.context.newPage();
  await page.goto(server.feedUrl);
  if (!headless) {
    console.log('Chromium is open with Sidelight loaded; close the window to stop.');
    await new Promise((done) => browser.context.on('close', done));
  } else {
    const images = await scrollAndSettle(page);
    await mkdir(outDir, { recursive: true });
    const screenshot = resolve(outDir, 'demo-feed.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    const replies = await analyzeUrlsInExtension(browser, images.map((image) => image.src));
    const rows = images.map((image, index) => ({ ...image, result: replies[index]?.result ?? null }));
    const table = summaryTable(rows);
    await writeFile(resolve(outDir, 'summary.md'), table);
    await writeFile(resolve(outDir, 'summary.json'), JSON.stringify(rows, null, 2));
    console.log(`\n${table}`);
    console.log(`Screenshot: ${screenshot}`);
    console.log(`Summary:    ${resolve(outDir, 'summary.md')} (and summary.json)`);
  }
} finally {
  await browser.close().catch(() => {});
  await server.close();
}

function summaryTable(rows) {
  const lines = [
    '| image | state | layout | confidence | panels (x, y, w, h) | verdict |',
    '|---|---|---|---|---|---|',
  ];
  for (const { src, state, reason, result } of rows) {
    const name = decodeURIComponent(new URL(src).pathname.split('/').pop() ?? src);
    const panels = result?.panels.map((panel) => `[${panel.box.join(', ')}]`).join(' ') || '–';
    const confidence = typeof result?.confidence === 'number' ? result.confidence.toFixed(2) : '–';
    lines.push(`| ${name} | ${state ?? 'skipped'}${reason ? ` (${reason})` : ''} | ${result?.layout ?? '–'} | ${confidence} | ${panels} | ${result?.verdict.summary ?? '–'} |`);
  }
  return `${lines.join('\n')}\n`;
}
