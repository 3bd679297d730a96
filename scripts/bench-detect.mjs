#!/usr/bin/env node
// npm run bench:detect: card detection, panel splitting and label reading, measured on the real
// cards and photos of tests/fixtures and on cards and non-cards composed from the fixture photos
// (scripts/bench-detect.ts, loaded through Vite's module runner). Detection runs in Node; labels
// and OCR speed come from the built extension's analyze page in headless Chromium (WASM), the same
// pipeline as `sidelight analyze`. Prints the tables and rewrites the measured part of docs/accuracy.md.
//
//   --seed N        the generator's seed (default: a fresh random one, printed, so a run can be repeated)
//   --cards N       composed cards (default 240)
//   --negatives N   composed non-cards (default 160)
//   --runs N        timed detection runs per image (default 5)
//   --no-browser    skip the label pass (no label or OCR rows)
//   --dump DIR      write every case that missed something to DIR (image + what was expected and found)
//   --no-write      print only; leave docs/accuracy.md alone
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';
import { EXTENSION_DIR, launchWithExtension } from './lib/browser.mjs';
import { analyzeFilesInExtension } from './lib/extension-client.mjs';
import { summarize } from './lib/stats.mjs';

const DOC = 'docs/accuracy.md';
const START = '<!-- bench:detect:start -->';
const END = '<!-- bench:detect:end -->';
const TARGETS = { f1: 0.98, layout: 0.98, iou: 0.95, iouShare: 0.95, labels: 0.95, rejectMs: 5, detectMs: 30, ocrMs: 100 };
/** Cards sent to one analyze page; a fresh page per batch keeps its memory flat. */
const BROWSER_BATCH = 16;

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] !== undefined ? process.argv[index + 1] : fallback;
}

const log = (line) => process.stderr.write(`bench:detect: ${line}\n`);
const percent = (part, whole) => (whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)} %`);
const verdictOf = (met) => (met ? 'met' : '**missed**');
const fixed = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

const seed = Number(option('seed', randomInt(1, 2 ** 31)));
const DEFAULT_CARDS = 240;
const DEFAULT_NEGATIVES = 160;
const cardCount = Number(option('cards', DEFAULT_CARDS));
const negativeCount = Number(option('negatives', DEFAULT_NEGATIVES));
const runs = Number(option('runs', 5));
const dumpDir = option('dump', null);
const useBrowser = !process.argv.includes('--no-browser');
const write = !process.argv.includes('--no-write');

const { module: bench } = await runnerImport(fileURLToPath(new URL('./bench-detect.ts', import.meta.url)), { configFile: false, logLevel: 'error' });
const loadAtStart = loadavg()[0];
log(`seed ${seed}; ${cardCount} composed cards, ${negativeCount} composed non-cards; fonts: ${bench.installedFonts().join(', ')}`);

const composeStarted = performance.now();
const cases = await bench.buildSuite({ seed, cards: cardCount, negatives: negativeCount, log });
/** The command that builds this same suite again: the seed, and the counts where they are not the defaults. */
const repeatCommand = ['npm run bench:detect -- --seed', String(seed), ...(cardCount !== DEFAULT_CARDS ? ['--cards', String(cardCount)] : []), ...(negativeCount !== DEFAULT_NEGATIVES ? ['--negatives', String(negativeCount)] : [])].join(' ');
log(`${cases.length} images composed in ${((performance.now() - composeStarted) / 1000).toFixed(0)} s`);
const detections = await bench.detectAll(cases, runs);
log('detection done');

// ---------------------------------------------------------------------------------------------
// Labels in the browser

/** Per case index: the extension's result (cards with a label bar, unlabelled cards for false labels, real cards). */
const browserResults = new Map();
if (useBrowser) {
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) {
    log('build the extension first: node scripts/build.mjs --chrome-only');
    process.exit(1);
  }
  const wanted = cases.map((benchCase, index) => ({ benchCase, index })).filter(({ benchCase }) => benchCase.truth.isComparison);
  const browser = await launchWithExtension({ headless: true });
  try {
    const started = performance.now();
    for (let from = 0; from < wanted.length; from += BROWSER_BATCH) {
      const batch = wanted.slice(from, from + BROWSER_BATCH);
      const replies = await analyzeFilesInExtension(
        browser,
        batch.map(({ benchCase, index }) => ({ name: `${index}-${benchCase.name}`, bytes: benchCase.bytes })),
        { render: false, backend: 'wasm' },
      );
      replies.forEach((reply, offset) => browserResults.set(batch[offset].index, reply.result));
      log(`browser: ${Math.min(from + BROWSER_BATCH, wanted.length)}/${wanted.length} cards (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }
  } finally {
    await browser.close();
  }
}
const loadAtEnd = loadavg()[0];

// ---------------------------------------------------------------------------------------------
// Scores

const GROUPS = ['real card', 'composed card', 'real photo', 'single photo', 'photo with structure', 'grid', 'screenshot', 'meme'];
let truePositives = 0;
let falsePositives = 0;
let falseNegatives = 0;
const perGroup = new Map(GROUPS.map((group) => [group, { cases: 0, right: 0 }]));
const cardIous = [];
let layoutRight = 0;
let cardTotal = 0;
let gridTotal = 0;
let gridShapeRight = 0;
let labelTotal = 0;
let labelExact = 0;
let labelCards = 0;
let labelCardsExact = 0;
let spuriousLabels = 0;
let unlabelledPanels = 0;
const rejectMs = [];
const detectMs = [];
const rejectCpuMs = [];
const detectCpuMs = [];
const ocrMs = [];
const browserDetectMs = [];
const browserDisagreements = [];
const misses = [];

cases.forEach((benchCase, index) => {
  const { truth } = benchCase;
  const { detection, ms, cpuMs } = detections[index];
  const problems = [];
  const group = perGroup.get(benchCase.group);
  group.cases++;
  if (truth.isComparison) {
    cardTotal++;
    detectMs.push(ms);
    detectCpuMs.push(cpuMs);
    if (detection.isComparison) truePositives++;
    else {
      falseNegatives++;
      problems.push(`missed (${detection.reason}, grid ${detection.grid ? `${detection.grid.rows}×${detection.grid.cols}` : '–'})`);
    }
    const layoutOk = detection.isComparison && detection.layout === truth.layout;
    if (layoutOk) layoutRight++;
    else if (detection.isComparison) problems.push(`layout ${detection.layout}`);
    const worst = layoutOk ? Math.min(...truth.panels.map((box, panel) => bench.iou(box, detection.panels[panel] ?? [0, 0, 0, 0]))) : 0;
    cardIous.push(worst);
    if (layoutOk && worst < TARGETS.iou) problems.push(`panel IoU ${worst.toFixed(3)}: found ${detection.panels.map((box) => `[${box.join(',')}]`).join(' ')}, expected ${truth.panels.map((box) => `[${box.join(',')}]`).join(' ')}`);
    if (problems.length === 0) group.right++;
  } else {
    if (detection.isComparison) {
      falsePositives++;
      problems.push(`called a ${detection.layout} card (${detection.panels.map((box) => `[${box.join(',')}]`).join(' ')})`);
    } else {
      rejectMs.push(ms);
      rejectCpuMs.push(cpuMs);
    }
    if (truth.grid) {
      gridTotal++;
      const shapeOk = !detection.isComparison && detection.grid?.rows === truth.grid.rows && detection.grid?.cols === truth.grid.cols;
      if (shapeOk) gridShapeRight++;
      else problems.push(`grid ${detection.grid ? `${detection.grid.rows}×${detection.grid.cols}` : 'not found'} (expected ${truth.grid.rows}×${truth.grid.cols})`);
    }
    if (problems.length === 0) group.right++;
  }

  const result = browserResults.get(index);
  if (result) {
    if (result.isComparison !== detection.isComparison) browserDisagreements.push(benchCase.name);
    if (result.isComparison) browserDetectMs.push(result.timingsMs.detect);
    const read = (result.panels ?? []).map((panel) => panel.label);
    if (truth.labels) {
      labelCards++;
      let exact = 0;
      truth.labels.forEach((expected, panel) => {
        labelTotal++;
        if (read[panel] === expected) exact++;
      });
      labelExact += exact;
      if (exact === truth.labels.length) labelCardsExact++;
      else problems.push(`labels read ${read.length ? read.map((label) => (label === null ? 'none' : `“${label}”`)).join(' / ') : '(not a card)'}, expected “${truth.labels.join('” / “')}”`);
      if (result.isComparison && read.some((label) => label !== null)) ocrMs.push(result.timingsMs.ocr);
    } else if (result.isComparison) {
      unlabelledPanels += read.length;
      const spurious = read.filter((label) => label !== null);
      spuriousLabels += spurious.length;
      if (spurious.length > 0) problems.push(`labels read on a card without labels: “${spurious.join('” / “')}”`);
    }
  }
  if (problems.length > 0) misses.push({ benchCase, index, problems, detection });
});

const precision = truePositives / Math.max(1, truePositives + falsePositives);
const recall = truePositives / Math.max(1, truePositives + falseNegatives);
const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
const layoutShare = layoutRight / Math.max(1, cardTotal);
const meanIou = cardIous.reduce((sum, value) => sum + value, 0) / Math.max(1, cardIous.length);
const worstIou = Math.min(...cardIous);
const iouShare = cardIous.filter((value) => value >= TARGETS.iou).length / Math.max(1, cardIous.length);
const labelShare = labelExact / Math.max(1, labelTotal);
const reject = summarize(rejectMs);
const detect = summarize(detectMs);
const rejectCpu = summarize(rejectCpuMs);
const detectCpu = summarize(detectCpuMs);
const ocr = summarize(ocrMs);
const browserDetect = summarize(browserDetectMs);

if (dumpDir) {
  await mkdir(dumpDir, { recursive: true });
  for (const miss of misses) {
    const base = join(dumpDir, `${miss.index}-${miss.benchCase.name.replace(/[^\w.-]+/g, '_')}`);
    await writeFile(`${base}.img`, miss.benchCase.bytes);
    await writeFile(`${base}.json`, JSON.stringify({ description: miss.benchCase.description, problems: miss.problems, truth: miss.benchCase.truth, detection: miss.detection, browser: browserResults.get(miss.index) ?? null }, null, 2));
  }
  log(`wrote ${misses.length} misses to ${dumpDir}`);
}

// ---------------------------------------------------------------------------------------------
// Report

const ms = (summary) => (summary.n ? `${fixed(summary.median)} ms (IQR ${fixed(summary.p25)}–${fixed(summary.p75)}, max ${fixed(summary.max)}, n=${summary.n})` : 'n/a');
const groupsTable = [
  '| images | count | right |',
  '|---|---|---|',
  ...GROUPS.map((group) => {
    const { cases: count, right } = perGroup.get(group);
    return `| ${group}${group.includes('card') ? 's' : group === 'grid' ? 's and triptychs' : group.endsWith('photo') ? 's' : 's'} | ${count} | ${right} (${percent(right, count)}) |`;
  }),
].join('\n');
const rows = [
  ['card detection F1', `${fixed(f1, 3)} (precision ${fixed(precision, 3)}, recall ${fixed(recall, 3)}; ${truePositives} found, ${falseNegatives} missed, ${falsePositives} false)`, `≥ ${TARGETS.f1}`, f1 >= TARGETS.f1],
  ['layout right (of all true cards)', `${layoutRight}/${cardTotal} = ${percent(layoutRight, cardTotal)}`, `≥ ${TARGETS.layout * 100} %`, layoutShare >= TARGETS.layout],
  ['panel IoU ≥ 0.95 (worst panel of each card; a missed card counts 0)', `${percent(iouShare * cardIous.length, cardIous.length)} of ${cardIous.length}; mean ${fixed(meanIou, 3)}, worst ${fixed(worstIou, 3)}`, `≥ ${TARGETS.iouShare * 100} %`, iouShare >= TARGETS.iouShare],
  ['grids and triptychs: not a card, shape exposed', `${gridShapeRight}/${gridTotal} = ${percent(gridShapeRight, gridTotal)}`, '–', null],
  useBrowser ? ['labels exact, where a label bar exists (per panel)', `${labelExact}/${labelTotal} = ${percent(labelExact, labelTotal)} (both labels of a card: ${labelCardsExact}/${labelCards})`, `≥ ${TARGETS.labels * 100} %`, labelShare >= TARGETS.labels] : null,
  useBrowser ? ['labels read on cards without any', `${spuriousLabels} of ${unlabelledPanels} panels`, '–', null] : null,
  ['reject a non-card, after decode (Node, warm, wall)', ms(reject), `≤ ${TARGETS.rejectMs} ms`, reject.median <= TARGETS.rejectMs],
  ['reject a non-card, after decode (Node, warm, CPU)', ms(rejectCpu), `≤ ${TARGETS.rejectMs} ms`, rejectCpu.median <= TARGETS.rejectMs],
  ['detect + split a card (Node, warm, wall)', ms(detect), `≤ ${TARGETS.detectMs} ms`, detect.median <= TARGETS.detectMs],
  ['detect + split a card (Node, warm, CPU)', ms(detectCpu), `≤ ${TARGETS.detectMs} ms`, detectCpu.median <= TARGETS.detectMs],
  useBrowser ? ['detect + split a card (Chromium, `timingsMs.detect`)', ms(browserDetect), `≤ ${TARGETS.detectMs} ms`, browserDetect.median <= TARGETS.detectMs] : null,
  useBrowser ? ['OCR of both labels (Chromium, WASM, `timingsMs.ocr`)', ms(ocr), `≤ ${TARGETS.ocrMs} ms`, ocr.median <= TARGETS.ocrMs] : null,
].filter(Boolean);
const table = ['| measure | result | target | |', '|---|---|---|---|', ...rows.map(([label, value, target, met]) => `| ${label} | ${value} | ${target} | ${met === null ? '' : verdictOf(met)} |`)].join('\n');
const met = rows.filter(([, , , ok]) => ok === true).map(([label]) => label);
const missed = rows.filter(([, , , ok]) => ok === false).map(([label]) => label);
const missList = misses.length === 0 ? '- none' : misses.map((miss) => `- ${miss.benchCase.name} (${miss.benchCase.description}): ${miss.problems.join('; ')}.`).join('\n');
const date = new Date().toISOString().slice(0, 10);
const report = `${START}
### Measured

\`npm run bench:detect\` on ${date}, ${bench.machine()}, seed ${seed} (\`${repeatCommand}\` repeats this run).
Machine load (1-minute load average): ${fixed(loadAtStart)} at the start, ${fixed(loadAtEnd)} at the end; other work on the shared machine inflates the timings.
Label fonts (every Latin family \`fc-list\` knows here; the seed picks among them, so another machine's fonts give other cards for the same seed): ${bench.installedFonts().join(', ')}.
${cases.length} images: ${cases.filter((c) => c.group === 'real card').length} real cards and ${cases.filter((c) => c.group === 'real photo').length} real photos from tests/fixtures, ${cardCount} composed cards (${cases.filter((c) => c.group === 'composed card' && c.truth.labels).length} with labels), ${cases.length - cardCount - cases.filter((c) => c.group.startsWith('real')).length} composed non-cards.
Detection timings are the median of ${runs} warm runs per image in Node, as wall time and as the process's CPU time (which the other work on a shared machine does not inflate); labels and OCR come from the built extension in headless Chromium (WASM, one thread).

${table}

**Met:** ${met.length ? met.join('; ') : 'none'}. **Missed:** ${missed.length ? missed.join('; ') : 'none'}.

${groupsTable}

Every image that missed something${useBrowser ? '' : ' (labels not measured: --no-browser)'}:

${missList}
${browserDisagreements.length ? `\nThe extension and Node disagreed on whether these are cards (decoders differ by a level here and there): ${browserDisagreements.join(', ')}.\n` : ''}${END}`;

process.stdout.write(`${report.replace(START, '').replace(END, '').trim()}\n`);
if (write) {
  const doc = await readFile(DOC, 'utf8');
  const begin = doc.indexOf(START);
  const finish = doc.indexOf(END);
  if (begin < 0 || finish < begin) throw new Error(`${DOC} lacks the ${START} … ${END} markers`);
  await writeFile(DOC, `${doc.slice(0, begin)}${report}${doc.slice(finish + END.length)}`);
  log(`wrote ${DOC}`);
}
