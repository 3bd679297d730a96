#!/usr/bin/env node
// npm run bench:library: the library page with 2,000 saved cards in headless Chromium with the
// built extension: time to first paint of the grid, search latency per keystroke, scrolling, and
// opening the model audit (every card's analysis read and aggregated).
// Fills the library through its own ZIP import (synthetic cards made from the fixture photos, so
// the thumbnails are real), then writes docs/library-performance.md.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import sharp from 'sharp';
import { EXTENSION_DIR, launchWithExtension } from './lib/browser.mjs';
import { ensureChromium } from './lib/chromium.mjs';
import { run } from './lib/proc.mjs';
import { formatSummary, summarize } from './lib/stats.mjs';
import { seededRandom } from './lib/seeded-random.mjs';

const CARDS = Number(process.env.BENCH_LIBRARY_CARDS ?? 2000);
const OPEN_RUNS = Number(process.env.BENCH_LIBRARY_RUNS ?? 10);
const AUDIT_RUNS = 6;
const TARGETS = { firstPaintMs: 500, searchMs: 100 };
const log = (line) => process.stderr.write(`bench-library: ${line}\n`);

const MODELS = ['Nano Banana', 'Nano Banana Pro', 'GPT Image 1', 'Midjourney v7', 'Imagen 4', 'Flux 1.1 Pro', 'Seedream 4', 'Ideogram 3', 'Qwen Image', 'Recraft v3', 'Stable Diffusion 3.5', 'Hunyuan Image'];
const SITES = ['x.com', 'reddit.com', 'bsky.app', 'threads.net', 'instagram.com', 'mastodon.social', 'pinterest.com', 'facebook.com'];
const WORDS = ['portrait', 'barista', 'castle', 'sweater', 'espresso', 'street', 'mirror', 'selfie', 'knit', 'ceramic', 'mug', 'shadow', 'window', 'light', 'hands', 'skin', 'studio', 'rain', 'neon', 'forest', 'dog', 'kitchen', 'vintage', 'film'];
/** Keystroke by keystroke, as a user types them. Each prefix is one measured search. */
const TYPED = ['nano banana pro', 'reddit', 'castle', '@author_12', 'midjourney knit', 'zzz nothing'];

// Seeded, so every run benchmarks the same library.
const random = seededRandom;

/** The fixture photos as 360×360 RGB, from which every synthetic card takes two shifted 320×320 panels. */
async function panelSources() {
  const dir = 'tests/fixtures/photos';
  const names = readdirSync(dir).filter((name) => /\.(png|jpe?g|webp)$/i.test(name));
  return Promise.all(names.map((name) => sharp(join(dir, name)).removeAlpha().toColourspace('srgb').resize(360, 360, { fit: 'cover' }).raw().toBuffer()));
}

async function syntheticCardImage(sources, index) {
  const width = 640;
  const height = 320;
  const pixels = Buffer.alloc(width * height * 3);
  for (const [panel, source] of [sources[index % sources.length], sources[(index * 7 + 3) % sources.length]].entries()) {
    const dx = (index * 13 + panel * 5) % 40;
    const dy = Math.floor(index / 40 + panel * 11) % 40;
    for (let y = 0; y < height; y++) {
      source.copy(pixels, (y * width + panel * 320) * 3, ((y + dy) * 360 + dx) * 3, ((y + dy) * 360 + dx + 320) * 3);
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 80 }).toBuffer();
}

function syntheticAnalysis(next, hash, index) {
  const labels = [MODELS[Math.floor(next() * MODELS.length)], MODELS[Math.floor(next() * MODELS.length)]];
  const signal = () => (next() < 0.8 ? { score: Math.round(next() * 1000) / 10, evidence: { share: Math.round(next() * 100) / 100 } } : null);
  const panels = [0, 1].map((panel) => ({
    box: [panel * 320, 0, 320, 320],
    label: next() < 0.9 ? labels[panel] : null,
    labelBox: null,
    labelSource: 'ocr',
    photo: true,
    gateReason: null,
    regions: null,
    signals: { shadow: signal(), skin: signal(), knit: signal(), ceramic: signal() },
    realism: Math.round(next() * 100),
  }));
  const winner = next() < 0.3 ? null : next() < 0.5 ? 0 : 1;
  const controlled = next() < 0.6 ? true : next() < 0.5 ? false : null;
  return {
    file: `card-${index}.jpg`,
    ok: true,
    error: null,
    reason: null,
    isComparison: true,
    layout: 'side-by-side',
    confidence: Math.round((0.6 + next() * 0.4) * 100) / 100,
    grid: { rows: 1, cols: 2 },
    panels,
    consistency: { identity: next(), pose: next(), framing: next(), lighting: next(), controlled },
    verdict: { winner, summary: winner === null ? 'No clear winner.' : `Panel ${winner === 0 ? 'A' : 'B'} reads as more real.` },
    backend: { onnx: 'wasm', mediapipe: 'cpu' },
    timingsMs: { total: 200, decode: 20, detect: 30, ocr: 60, face: 40, segment: 30, signals: 20 },
    hash,
    size: { width: 640, height: 320 },
  };
}

/** A library export (the page's own format) holding `count` synthetic cards. */
async function syntheticExport(count) {
  const sources = await panelSources();
  const next = random(7);
  const files = {};
  const cards = [];
  const started = Date.UTC(2026, 0, 1);
  for (let index = 0; cards.length < count; index++) {
    const bytes = await syntheticCardImage(sources, index);
    const hash = createHash('sha256').update(bytes).digest('hex');
    if (files[`originals/${hash}.jpg`]) continue;
    files[`originals/${hash}.jpg`] = [new Uint8Array(bytes), { level: 0 }];
    const site = SITES[Math.floor(next() * SITES.length)];
    const text = Array.from({ length: 6 + Math.floor(next() * 10) }, () => WORDS[Math.floor(next() * WORDS.length)]).join(' ');
    cards.push({
      hash,
      mime: 'image/jpeg',
      original: `originals/${hash}.jpg`,
      annotated: null,
      postUrl: `https://${site}/post/${index}`,
      pageUrl: `https://${site}/home`,
      site,
      author: `@author_${Math.floor(next() * 150)}`,
      postText: text,
      savedAt: started + index * 3_600_000,
      updatedAt: started + index * 3_600_000,
      notes: next() < 0.1 ? 'worth a second look' : '',
      tags: next() < 0.2 ? [WORDS[Math.floor(next() * WORDS.length)]] : [],
      analysis: syntheticAnalysis(next, hash, index),
    });
  }
  const index = { format: 'sidelight-library', version: 1, resultSchemaVersion: 1, exportedAt: new Date().toISOString(), cards };
  files['sidelight-library.json'] = strToU8(JSON.stringify(index));
  return zipSync(files);
}

/** Installed before the library page's own scripts: marks when the grid first paints, and when its visible thumbnails have. */
function paintProbe() {
  const afterNextPaint = (callback) => requestAnimationFrame(() => setTimeout(callback, 0));
  const probe = { gridMs: null, thumbnailsMs: null, allCardsMs: null };
  Object.assign(window, { __libraryProbe: probe });
  const visibleTiles = () =>
    [...document.querySelectorAll('[data-testid="library-grid"] .tile')].filter((tile) => {
      const box = tile.getBoundingClientRect();
      return box.bottom > 0 && box.top < innerHeight;
    });
  const check = () => {
    const tiles = visibleTiles();
    if (probe.gridMs === null && tiles.length) {
      probe.gridMs = -1;
      afterNextPaint(() => (probe.gridMs = performance.now()));
    }
    const images = tiles.map((tile) => tile.querySelector('img'));
    if (probe.thumbnailsMs === null && tiles.length && images.every((image) => image?.complete && image.naturalWidth > 0)) {
      probe.thumbnailsMs = -1;
      afterNextPaint(() => (probe.thumbnailsMs = performance.now()));
    }
    const count = document.querySelector('[data-testid="library-count"]')?.textContent ?? '';
    if (probe.allCardsMs === null && /^\d+ cards?$/.test(count)) {
      probe.allCardsMs = -1;
      afterNextPaint(() => (probe.allCardsMs = performance.now()));
    }
    if (probe.thumbnailsMs === null || probe.allCardsMs === null) requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}

/** One keystroke: set the search box as typing does, then wait for the grid to show that search and paint. */
function typeAndWait(text) {
  return new Promise((resolve) => {
    const input = document.querySelector('input.search');
    const grid = document.querySelector('[data-testid="library-grid"]');
    const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
    const started = performance.now();
    setValue.call(input, text);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    const painted = () => resolve({ ms: performance.now() - started, count: Number(grid.dataset.count) });
    const waitForQuery = () => (grid.dataset.query === text ? requestAnimationFrame(() => setTimeout(painted, 0)) : requestAnimationFrame(waitForQuery));
    waitForQuery();
  });
}

/** Records every animation frame's interval until stopped (the page's own frame clock). */
function recordFrames() {
  const recorder = { intervals: [], stop: false };
  Object.assign(window, { __frameRecorder: recorder });
  let last = performance.now();
  const frame = (now) => {
    recorder.intervals.push(now - last);
    last = now;
    if (!recorder.stop) requestAnimationFrame(frame);
  };
  requestAnimationFrame((now) => {
    last = now;
    requestAnimationFrame(frame);
  });
}

/** Scrolls the grid top to bottom with the mouse wheel, as a user would, and returns the page's frame intervals. */
async function wheelThroughGrid(page) {
  const box = await page.locator('[data-testid="library-grid"]').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.evaluate(recordFrames);
  const atBottom = () => page.evaluate(() => {
    const grid = document.querySelector('[data-testid="library-grid"]');
    return grid.scrollTop + grid.clientHeight >= grid.scrollHeight - 1;
  });
  let wheels = 0;
  while (wheels < 2000) {
    for (let burst = 0; burst < 10; burst++, wheels++) await page.mouse.wheel(0, 240);
    if (await atBottom()) break;
  }
  return page.evaluate(() => {
    window.__frameRecorder.stop = true;
    return window.__frameRecorder.intervals;
  });
}

/** Clicks the "Model audit" tab and waits for the frame after its chart is drawn. */
function openAuditAndWait() {
  return new Promise((resolve) => {
    const started = performance.now();
    document.getElementById('library-tab-audit').click();
    const wait = () => {
      const audit = document.querySelector('[data-testid="library-audit"]');
      if (!audit || !document.querySelector('[data-testid="audit-chart"] .audit-row')) return requestAnimationFrame(wait);
      requestAnimationFrame(() => setTimeout(() => resolve({ ms: performance.now() - started, counted: Number(audit.dataset.counted), models: document.querySelectorAll('[data-testid="audit-chart"] .audit-row').length }), 0));
    };
    wait();
  });
}

/** Back to the cards (the audit tab unmounts, so the next open reads the library again). */
function showCards() {
  return new Promise((resolve) => {
    document.getElementById('library-tab-cards').click();
    const wait = () => (document.querySelector('[data-testid="library-grid"]') ? requestAnimationFrame(() => resolve()) : requestAnimationFrame(wait));
    wait();
  });
}

const pass = (value, target) => (value <= target ? 'met' : '**MISSED**');

async function main() {
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json')) || process.argv.includes('--build')) await run('node', ['scripts/build.mjs', '--chrome-only']);

  const loadBefore = loadavg()[0];
  log(`making ${CARDS} synthetic cards from the fixture photos…`);
  const zipPath = join(await mkdtemp(join(tmpdir(), 'sidelight-bench-library-')), 'library.zip');
  await writeFile(zipPath, await syntheticExport(CARDS));

  const browser = await launchWithExtension({ log });
  try {
    const version = execFileSync(ensureChromium({ log }), ['--version'], { encoding: 'utf8' }).trim().replace(/^Chromium\s*/, '');
    const fill = await browser.context.newPage();
    await fill.setViewportSize({ width: 1280, height: 900 });
    await fill.goto(browser.extensionUrl('library.html'));
    log('importing them through the library page…');
    const importStarted = Date.now();
    await fill.getByTestId('library-import').setInputFiles(zipPath);
    await fill.locator('.notice', { hasText: `${CARDS} added` }).waitFor({ timeout: 600_000 });
    const importSeconds = (Date.now() - importStarted) / 1000;
    await fill.close();

    log(`opening the library ${OPEN_RUNS + 1} times (the first is a warm-up)…`);
    const grid = [];
    const thumbnails = [];
    const allCards = [];
    for (let runIndex = 0; runIndex <= OPEN_RUNS; runIndex++) {
      const page = await browser.context.newPage();
      await page.addInitScript(paintProbe);
      await page.goto(browser.extensionUrl('library.html'));
      await page.waitForFunction(() => window.__libraryProbe?.thumbnailsMs > 0 && window.__libraryProbe?.allCardsMs > 0, null, { timeout: 60_000 });
      const probe = await page.evaluate(() => window.__libraryProbe);
      if (runIndex > 0) {
        grid.push(probe.gridMs);
        thumbnails.push(probe.thumbnailsMs);
        allCards.push(probe.allCardsMs);
      }
      await page.close();
    }

    log('searching and scrolling…');
    const page = await browser.context.newPage();
    await page.goto(browser.extensionUrl('library.html'));
    await page.waitForFunction((count) => Number(document.querySelector('[data-testid="library-grid"]')?.dataset.count) === count, CARDS);
    const keystrokes = [];
    const counts = {};
    for (let round = 0; round < 3; round++) {
      for (const query of TYPED) {
        for (let length = 1; length <= query.length; length++) {
          const { ms, count } = await page.evaluate(typeAndWait, query.slice(0, length));
          keystrokes.push(ms);
          counts[query] = count;
          await page.waitForTimeout(40);
        }
        await page.evaluate(typeAndWait, '');
      }
    }
    const frames = await wheelThroughGrid(page);

    log('opening the model audit…');
    const auditOpens = [];
    let auditShape = { counted: 0, models: 0 };
    for (let runIndex = 0; runIndex <= AUDIT_RUNS; runIndex++) {
      const opened = await page.evaluate(openAuditAndWait);
      if (runIndex > 0) auditOpens.push(opened.ms);
      auditShape = opened;
      await page.evaluate(showCards);
      await page.waitForTimeout(100);
    }

    const gridSummary = summarize(grid);
    const searchSummary = summarize(keystrokes);
    const frameSummary = summarize(frames);
    const longFrames = frames.filter((ms) => ms > 50).length;
    const date = new Date().toISOString().slice(0, 10);
    const load = `${loadBefore.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end`;
    const cpu = cpus();
    const range = (summary, digits = 0) => `${summary.min.toFixed(digits)}–${summary.max.toFixed(digits)}`;
    const report = `# Library performance

Measured by \`npm run bench:library\` on ${date}: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, Chromium ${version}, headless,
the built extension (\`.output/chrome-mv3\`), a 1280×900 window. \`BENCH_LIBRARY_CARDS\` and \`BENCH_LIBRARY_RUNS\` change the counts.
Machine load (1-minute load average, ${cpu.length} cores): ${load}; other work on the machine inflates every figure.

The library holds ${CARDS} synthetic saved cards: 640×320 JPEG two-panel cards cut from the fixture photos (so every
thumbnail is a real one, made by the page), with random labels, sites, authors, post text, signals and verdicts. They
go in through the library's own ZIP import, which took ${importSeconds.toFixed(1)} s (hashing, thumbnails, writes).

| measure | median (IQR, n) | min–max | target |
|---|---|---|---|
| Grid first paint (navigation → first frame with tiles) | ${formatSummary(gridSummary, 0, ' ms')} | ${range(gridSummary)} ms | ≤ ${TARGETS.firstPaintMs} ms: ${pass(gridSummary.median, TARGETS.firstPaintMs)} |
| Visible thumbnails painted | ${formatSummary(summarize(thumbnails), 0, ' ms')} | ${range(summarize(thumbnails))} ms | |
| Whole library read (search and filters cover all ${CARDS}) | ${formatSummary(summarize(allCards), 0, ' ms')} | ${range(summarize(allCards))} ms | |
| Search, per keystroke (input → grid repainted) | ${formatSummary(searchSummary, 1, ' ms')} | ${range(searchSummary, 1)} ms | ≤ ${TARGETS.searchMs} ms: ${pass(searchSummary.median, TARGETS.searchMs)} |
| Scrolling the whole grid with the wheel, frame interval | ${formatSummary(frameSummary, 1, ' ms')} | ${range(frameSummary, 1)} ms | frames over 50 ms: ${longFrames} of ${frames.length} |
| Model audit opened (tab click → chart drawn) | ${formatSummary(summarize(auditOpens), 0, ' ms')} | ${range(summarize(auditOpens))} ms | none set |

How each figure is taken:
- First paint: a fresh tab opens \`library.html\`; a probe installed before the page's scripts records
  \`performance.now()\` (time since navigation start) one frame after the first tile is in the viewport,
  and again once every visible tile's thumbnail has loaded. The first screen comes from a small indexed
  read of the newest cards; the whole library is read next (the count shows it), then search and filters
  cover every card. The first open after the browser starts is a warm-up and is not counted.
- Search: the search box is typed into one character at a time (${TYPED.map((query) => `"${query}"`).join(', ')}; 3 passes,
  ${keystrokes.length} keystrokes), measured from the input event to the frame after the grid shows that search.
  Final result counts: ${Object.entries(counts).map(([query, count]) => `"${query}" ${count}`).join(', ')}.
- Scrolling: the mouse wheel (240 px a notch, as fast as the browser takes the events) scrolls the grid top to
  bottom while the page records every animation frame's interval.
- Model audit: the "Model audit" tab is clicked (${AUDIT_RUNS} times after a warm-up, back to the cards in between);
  each open reads every live card's analysis in one IndexedDB transaction, aggregates wins per model and author,
  and draws the chart (${auditShape.counted} controlled comparisons counted, ${auditShape.models} models charted).
  Measured from the click to the frame after the chart is drawn.
`;
    await writeFile('docs/library-performance.md', report);
    process.stdout.write(report);
  } finally {
    await browser.close();
  }
}

await main();
