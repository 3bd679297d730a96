#!/usr/bin/env node
// npm run bench:mediapipe: cold and warm times of the MediaPipe tasks (lib/models/mediapipe.ts)
// in an extension page of the built extension, headless Chromium, CPU delegate. Prints a
// Markdown table for docs/models.md. Needs `node scripts/build.mjs` first.
import { readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { launchWithExtension } from './lib/browser.mjs';
import { formatSummary, summarize } from './lib/stats.mjs';
import { extensionWithTestPage } from './lib/test-page.mjs';

const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 5);
const WARM_RUNS = Number(process.env.BENCH_WARM_RUNS ?? 20);
const PHOTOS = ['skimage_astronaut.png', 'matplotlib_grace_hopper.jpg'];
const log = (line) => process.stderr.write(`bench: ${line}\n`);

/** The calls measured (see `measure`), in the order a cold page first makes them. */
const TASKS = ['face, short range', 'face, full range', 'person segmentation', 'face landmarks (detector + mesh)'];

const images = Object.fromEntries(await Promise.all(PHOTOS.map(async (name) => [name, (await readFile(join('tests/fixtures/photos', name))).toString('base64')])));
const extension = await extensionWithTestPage({ pageDir: 'tests/e2e/pages/model-check', name: 'model-check' });

/** Milliseconds of one call of TASKS[taskIndex], as timed inside the page. @param {import('playwright-core').Page} page */
const measure = (page, taskIndex, image, kind) =>
  page.evaluate(
    async ([index, imageBase64, imageKind]) => {
      const api = globalThis.sidelightModelCheck;
      const reply = await [
        () => api.faces(imageBase64, imageKind, 'short'),
        () => api.faces(imageBase64, imageKind, 'full'),
        () => api.person(imageBase64, imageKind),
        () => api.landmarks(imageBase64, imageKind),
      ][index]();
      return reply.ms;
    },
    [taskIndex, image, kind],
  );

const cold = TASKS.map(() => []);
const warm = Object.fromEntries(['bitmap', 'imagedata'].map((kind) => [kind, TASKS.map(() => [])]));
try {
  for (let run = 0; run < COLD_RUNS; run++) {
    // A fresh browser and profile each time: nothing compiled or cached.
    const browser = await launchWithExtension({ extensionDir: extension.extensionDir });
    try {
      const page = await browser.context.newPage();
      await page.goto(browser.extensionUrl(extension.pagePath));
      await page.waitForSelector('body[data-ready]', { state: 'attached' });
      for (const [index] of TASKS.entries()) cold[index].push(await measure(page, index, images[PHOTOS[0]], 'bitmap'));
      if (run === 0) {
        for (const kind of ['bitmap', 'imagedata'])
          for (const [index] of TASKS.entries())
            for (let repeat = 0; repeat < WARM_RUNS; repeat++)
              for (const name of PHOTOS) warm[kind][index].push(await measure(page, index, images[name], kind));
      }
    } finally {
      await browser.close();
    }
    log(`run ${run + 1}/${COLD_RUNS}`);
  }
} finally {
  await extension.remove();
}

const cpu = cpus()[0]?.model ?? 'unknown CPU';
const lines = [
  `Headless Chromium, ${cpus().length} cores (${cpu}), CPU delegate (XNNPACK), ${new Date().toISOString().slice(0, 10)}.`,
  `Cold: first call in a fresh browser (runtime compile + task creation + first inference), ${COLD_RUNS} browsers, in this order.`,
  `Warm: ${WARM_RUNS} rounds over ${PHOTOS.join(' (512×512) and ')} (512×600); median (IQR, n).`,
  '',
  '| task | cold, ms | warm, ImageBitmap, ms | warm, ImageData, ms |',
  '|---|---|---|---|',
  ...TASKS.map((task, index) =>
    `| ${task} | ${formatSummary(summarize(cold[index]), 0)} | ${formatSummary(summarize(warm.bitmap[index]))} | ${formatSummary(summarize(warm.imagedata[index]))} |`,
  ),
];
console.log(lines.join('\n'));
