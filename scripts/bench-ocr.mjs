#!/usr/bin/env node
// OCR timing: the label stage of the extension's own engine on the labelled fixture cards, in
// headless Chromium. Cold = model loading in a fresh browser; warm = `timingsMs.ocr` afterwards.
// Usage: npm run bench:ocr [-- --backend auto|wasm|webgpu]; BENCH_RUNS browsers (default 3),
// BENCH_REPEATS warm passes over the cards per browser (default 5). Prints a Markdown table.
// --stages: time each stage per strip instead (scripts/lib/ocr-stages.mjs); --stages --original
// also runs the recogniser as the npm package ships it, in turn with the shipped (rewritten) one.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { basename, join } from 'node:path';
import { EXTENSION_DIR, launchWithExtension } from './lib/browser.mjs';
import { analyzeFilesInExtension } from './lib/extension-client.mjs';
import { benchOcrStages } from './lib/ocr-stages.mjs';

const CARDS = ['minimaxir_pps_nanobanana_vs_nanobananapro_labeled.webp', 'minimaxir_counter_ui_nanobanana_vs_pro_labeled.webp'];
const runs = Number(process.env.BENCH_RUNS ?? 3);
const repeats = Number(process.env.BENCH_REPEATS ?? 5);
const backendFlag = process.argv.indexOf('--backend');
const backend = backendFlag === -1 ? 'auto' : (process.argv[backendFlag + 1] ?? 'auto');

if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) {
  process.stderr.write('bench-ocr: build the extension first (npm run build)\n');
  process.exit(1);
}

if (process.argv.includes('--stages')) {
  const report = await benchOcrStages({ cards: CARDS, runs, repeats, original: process.argv.includes('--original'), log: (line) => process.stderr.write(`${line}\n`) });
  process.stdout.write(report);
  process.exit(0);
}

const inputs = await Promise.all(CARDS.map(async (file) => ({ name: file, bytes: await readFile(join('tests/fixtures/cards', file)) })));
const loads = [];
const firstCards = [];
const warm = [];
const backends = new Set();
for (let run = 0; run < runs; run++) {
  const browser = await launchWithExtension({ headless: true });
  try {
    // render: true bypasses the background's content-hash cache, so every pass reaches the worker.
    const [first, ...rest] = await analyzeFilesInExtension(browser, inputs, { render: true, backend });
    loads.push(first.modelLoadMs ?? 0);
    firstCards.push(first.result.timingsMs.ocr);
    for (const reply of rest) warm.push(reply.result.timingsMs.ocr);
    for (let pass = 0; pass < repeats; pass++) {
      for (const reply of await analyzeFilesInExtension(browser, inputs, { render: true, backend })) {
        warm.push(reply.result.timingsMs.ocr);
        backends.add(reply.result.backend.onnx);
      }
    }
  } finally {
    await browser.close();
  }
  process.stderr.write(`bench-ocr: run ${run + 1}/${runs} done\n`);
}

function quantile(sorted, share) {
  const position = (sorted.length - 1) * share;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const format = (value) => value.toFixed(0);
  return `${format(quantile(sorted, 0.5))} ms (IQR ${format(quantile(sorted, 0.25))}–${format(quantile(sorted, 0.75))}, min ${format(sorted[0])}, max ${format(sorted.at(-1))}, n=${sorted.length})`;
}

const cpuModel = cpus()[0]?.model.trim() ?? 'unknown CPU';
process.stdout.write(
  [
    `OCR of both labels, ${CARDS.map((file) => basename(file)).join(' and ')}; backend requested ${backend}, used ${[...backends].join(', ')};`,
    `${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpuModel}, \`node scripts/bench-ocr.mjs\` (BENCH_RUNS=${runs}, BENCH_REPEATS=${repeats}).`,
    '',
    '| measure | median (spread) |',
    '|---|---|',
    `| Model load, cold (session, key file, one warm-up run) | ${summary(loads)} |`,
    `| OCR of a card, first card after loading | ${summary(firstCards)} |`,
    `| OCR of a card, warm (\`timingsMs.ocr\`) | ${summary(warm)} |`,
    '',
  ].join('\n'),
);
