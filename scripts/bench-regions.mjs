#!/usr/bin/env node
// npm run bench:regions: the pipeline's region stage (lib/worker/regions: face detection, face
// landmarks, person segmentation, region maps) per panel, in an extension page of the built
// extension, headless Chromium, CPU delegate. Prints a Markdown table for docs/models.md.
// Needs `node scripts/build.mjs` first. The page that calls the region stage is bundled from this working
// tree (tests/e2e/pages/region-check) into a copy of the built extension, so the region code measured is the
// tree's, whatever SIDELIGHT_EXTENSION_DIR points at: to compare two versions, run it from two trees.
import { readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import sharp from 'sharp';
import { launchWithExtension } from './lib/browser.mjs';
import { formatSummary, summarize } from './lib/stats.mjs';
import { extensionWithTestPage } from './lib/test-page.mjs';

const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 3);
const WARM_RUNS = Number(process.env.BENCH_WARM_RUNS ?? 8);
const CARD = 'tests/fixtures/cards/minimaxir_pps_nanobanana_vs_nanobananapro_labeled.webp';
const log = (line) => process.stderr.write(`bench: ${line}\n`);

/** Panels as the pipeline sees them: the two panels of a labelled card at native size, and two photos. */
const PANELS = [
  { name: 'card panel A (864×1184)', source: CARD, crop: { left: 0, top: 0, width: 864, height: 1184 } },
  { name: 'card panel B (896×1184)', source: CARD, crop: { left: 864, top: 0, width: 896, height: 1184 } },
  { name: 'skimage_astronaut.png (512×512)', source: 'tests/fixtures/photos/skimage_astronaut.png' },
  { name: 'skimage_coffee.png (600×400, no face)', source: 'tests/fixtures/photos/skimage_coffee.png' },
];

const images = await Promise.all(
  PANELS.map(async ({ source, crop }) => {
    const bytes = await readFile(source);
    return (crop ? await sharp(bytes).extract(crop).png().toBuffer() : bytes).toString('base64');
  }),
);
const extension = await extensionWithTestPage({ pageDir: 'tests/e2e/pages/region-check', name: 'region-check' });
const regions = (page, image) => page.evaluate((imageBase64) => globalThis.sidelightRegionCheck.regions(imageBase64, null, false), image);

const cold = { load: [], face: [], segment: [] };
const warm = PANELS.map(() => ({ face: [], segment: [], maps: [], total: [] }));
/** Segment time of the four panels together, per pass over them in the one page: how the JIT's warm-up shows. */
const segmentByPass = [];
try {
  for (let run = 0; run < COLD_RUNS; run++) {
    // A fresh browser and profile each time: nothing compiled or cached.
    const browser = await launchWithExtension({ extensionDir: extension.extensionDir });
    try {
      const page = await browser.context.newPage();
      await page.goto(browser.extensionUrl(extension.pagePath));
      await page.waitForSelector('body[data-ready]', { state: 'attached' });
      const first = await regions(page, images[0]);
      cold.load.push(first.modelLoadMs);
      cold.face.push(first.faceMs);
      cold.segment.push(first.segmentMs);
      if (run === 0) {
        // The full-range detector loads on the first panel without a short-range face.
        let firstPass = 0;
        for (const image of images) firstPass += (await regions(page, image)).segmentMs;
        segmentByPass.push(firstPass);
        for (let round = 0; round < WARM_RUNS; round++) {
          let pass = 0;
          for (const [index, image] of images.entries()) {
            const reply = await regions(page, image);
            warm[index].face.push(reply.faceMs);
            warm[index].segment.push(reply.segmentMs);
            warm[index].maps.push(reply.mapsMs);
            warm[index].total.push(reply.ms);
            pass += reply.segmentMs;
          }
          segmentByPass.push(pass);
        }
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
  `Cold: first region stage in a fresh browser on card panel A, ${COLD_RUNS} browsers: model load (short-range detector, landmarker, segmenter, each run once on a blank image) ${formatSummary(summarize(cold.load), 0)} ms, then face ${formatSummary(summarize(cold.face), 0)} ms and segment ${formatSummary(summarize(cold.segment), 0)} ms.`,
  `Warm: ${WARM_RUNS} rounds; median (IQR, n), ms per panel, decoding excluded.`,
  '',
  '| panel | face (detection + landmarks) | segment (segmentation + maps) | of which maps | whole stage |',
  '|---|---|---|---|---|',
  ...PANELS.map(
    ({ name }, index) =>
      `| ${name} | ${formatSummary(summarize(warm[index].face))} | ${formatSummary(summarize(warm[index].segment))} | ${formatSummary(summarize(warm[index].maps))} | ${formatSummary(summarize(warm[index].total))} |`,
  ),
  '',
  `Segment time of the four panels together, pass by pass in the one page (the first pass, before the ${WARM_RUNS} rounds above, is each panel's second call): ${segmentByPass.map((ms) => ms.toFixed(0)).join(', ')} ms.`,
];
console.log(lines.join('\n'));
