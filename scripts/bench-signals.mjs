#!/usr/bin/env node
// npm run bench:signals: the realism signals' degradation suite, the real cards, and the signals'
// speed, on this machine in Node. Loads scripts/bench-signals.ts through Vite's module runner (the
// engine is TypeScript), prints the tables and rewrites the measured part of docs/accuracy.md.
//
//   --seed N       the generator's seed (default: a fresh random one, printed, so a run can be repeated)
//   --cases N      cases per degradation (default 40)
//   --identical N  identical pairs per photo (default 6)
//   --pairs N      pairs per two different photos (default 2)
//   --runs N       timed runs per card for the speed table (default 20)
//   --no-write     print only; leave docs/accuracy.md alone
//   --regions models  judge every card with the built extension's own pipeline (its region models
//                  in headless Chromium) instead of the hand-drawn regions; writes its own section
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';
import { summarize } from './lib/stats.mjs';

const DOC = 'docs/accuracy.md';
const regionsFlag = process.argv.indexOf('--regions');
const modelRegions = regionsFlag >= 0 && process.argv[regionsFlag + 1] === 'models';
const START = modelRegions ? '<!-- bench:signals-models:start -->' : '<!-- bench:signals:start -->';
const END = modelRegions ? '<!-- bench:signals-models:end -->' : '<!-- bench:signals:end -->';
const SIGNALS = ['shadow', 'skin', 'knit', 'ceramic'];
const REAL_CARDS = [
  'minimaxir_ghibli_real_vs_nanobanana_unlabeled.webp',
  'minimaxir_pps_nanobanana_vs_nanobananapro_labeled.webp',
  'minimaxir_chatgpt_two_gens_unlabeled.webp',
  'minimaxir_counter_ui_nanobanana_vs_pro_labeled.webp',
];
const TARGETS = { targetDropped: 0.95, targetLargest: 0.9, cleanWins: 0.95, identicalNoWinner: 0.9, uncontrolledFlagged: 0.9, staysControlled: 0.9 };

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] !== undefined ? Number(process.argv[index + 1]) : fallback;
}

const log = (line) => process.stderr.write(`bench:signals: ${line}\n`);
const percent = (part, whole) => (whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)} %`);
const verdictOf = (met) => (met ? 'met' : '**missed**');
const fixed = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

const seed = option('seed', randomInt(1, 2 ** 31));
const casesPerDegradation = option('cases', 40);
const identicalPerPhoto = option('identical', 6);
const uncontrolledPerPair = option('pairs', 2);
const speedRuns = option('runs', 20);
const write = !process.argv.includes('--no-write');

const { module: bench } = await runnerImport(fileURLToPath(new URL('./bench-signals.ts', import.meta.url)), { configFile: false, logLevel: 'error' });
const loadAtStart = loadavg()[0];
log(`seed ${seed}; ${casesPerDegradation} cases per degradation, ${identicalPerPhoto} identical pairs per photo, ${uncontrolledPerPair} per pair of photos`);

const started = performance.now();
const pipeline = modelRegions ? await startPipeline() : null;
let unsplit = 0;
let results;
let realCards;
let speed = [];
try {
  results = await bench.runSuite({ seed, casesPerDegradation, identicalPerPhoto, uncontrolledPerPair, log, judgeWithPipeline: pipeline?.judge, onUnsplit: () => unsplit++ });
  log(`suite took ${((performance.now() - started) / 1000).toFixed(0)} s`);
  realCards = pipeline ? await pipeline.realCards() : await bench.measureRealCards();
  log('real cards measured');
  if (!pipeline) speed = await bench.measureSpeed(speedRuns, seed);
} finally {
  await pipeline?.close();
}
const rates = bench.summarise(results);
const loadAtEnd = loadavg()[0];

/** The built extension in headless Chromium, judging card JPEGs with its own region models. */
async function startPipeline() {
  const { EXTENSION_DIR, launchWithExtension } = await import('./lib/browser.mjs');
  const { analyzeFilesInExtension } = await import('./lib/extension-client.mjs');
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) throw new Error('build the extension first (node scripts/build.mjs --chrome-only)');
  const browser = await launchWithExtension({ headless: true });
  let cards = 0;
  const analyze = async (name, bytes) => {
    const [reply] = await analyzeFilesInExtension(browser, [{ name, bytes }], { render: false });
    return reply.result;
  };
  const judgementOf = (result) => ({
    scores: result.panels.map((panel) => Object.fromEntries(SIGNALS.map((name) => [name, panel.signals[name]?.score ?? null]))),
    evidence: result.panels.map((panel) => Object.fromEntries(SIGNALS.map((name) => [name, panel.signals[name]?.evidence ?? null]))),
    consistency: result.consistency,
    verdict: result.verdict,
  });
  return {
    async judge(jpeg) {
      const result = await analyze(`suite-${++cards}.jpg`, jpeg);
      if (cards % 25 === 0) log(`${cards} cards through the extension`);
      return result.ok && result.isComparison && result.panels.length === 2 ? judgementOf(result) : null;
    },
    async realCards() {
      const rows = [];
      for (const file of REAL_CARDS) {
        const result = await analyze(file, await readFile(join('tests/fixtures/cards', file)));
        rows.push({
          file,
          panels: result.panels.map((panel) => ({ photo: panel.photo, gate: null, scores: judgementOf({ ...result, panels: [panel] }).scores[0], realism: panel.realism })),
          consistency: result.consistency,
          verdict: result.verdict,
        });
      }
      return rows;
    },
    close: () => browser.close(),
  };
}

// ---------------------------------------------------------------------------------------------
// Tables

function confusionTable() {
  const lines = [
    '| degradation (target) | cases | shadow | skin | knit | ceramic | target dropped | target dropped most | clean panel won | stayed controlled |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const row of rates.degradations) {
    const target = bench.TARGET[row.degradation];
    const cells = SIGNALS.map((name) => {
      const drop = row.drops[name];
      if (drop.measured === 0) return 'n/a';
      const text = `${fixed(drop.mean)} (${drop.dropped}/${drop.measured})`;
      return name === target ? `**${text}**` : text;
    });
    lines.push(
      `| ${row.degradation} (${target}) | ${row.cases} | ${cells.join(' | ')} | ${percent(row.targetDropped, row.cases)} | ${percent(row.targetLargest, row.cases)} | ${percent(row.cleanWins, row.cases)} | ${percent(row.staysControlled, row.cases)} |`,
    );
  }
  return lines.join('\n');
}

function ratesTable() {
  const rows = [
    ['the targeted signal drops', rates.targetDropped, rates.degradedCases, TARGETS.targetDropped],
    ["its drop exceeds every other signal's", rates.targetLargest, rates.degradedCases, TARGETS.targetLargest],
    ['the verdict picks the clean panel', rates.cleanWins, rates.degradedCases, TARGETS.cleanWins],
    ['identical panels: no winner', rates.identical.noWinner, rates.identical.cases, TARGETS.identicalNoWinner],
    ['two different photos: flagged not controlled', rates.uncontrolled.flagged, rates.uncontrolled.cases, TARGETS.uncontrolledFlagged],
    ['degraded but controlled pairs: `controlled` true', rates.staysControlled, rates.degradedCases, TARGETS.staysControlled],
  ];
  return [
    '| check | result | target | |',
    '|---|---|---|---|',
    ...rows.map(([label, part, whole, target]) => `| ${label} | ${part}/${whole} = ${percent(part, whole)} | ≥ ${Math.round(target * 100)} % | ${verdictOf(whole > 0 && part / whole >= target)} |`),
  ].join('\n');
}

function misses() {
  const lines = [];
  for (const result of results) {
    if (result.kind === 'degraded') {
      const target = bench.TARGET[result.degradation];
      const targetDrop = bench.dropOf(result, target);
      const others = SIGNALS.filter((name) => name !== target).map((name) => [name, bench.dropOf(result, name)]).filter(([, drop]) => drop !== null);
      const problems = [];
      if (!(targetDrop > 0)) problems.push(`${target} did not drop (${fixed(targetDrop)})`);
      else if (others.some(([, drop]) => drop >= targetDrop)) problems.push(`${target} drop ${fixed(targetDrop)} not the largest (${others.map(([name, drop]) => `${name} ${fixed(drop)}`).join(', ')})`);
      const clean = result.degradedSide === 0 ? 1 : 0;
      if (result.verdict.winner !== clean) problems.push(`verdict ${result.verdict.winner === null ? 'no winner' : 'the degraded panel'}`);
      if (result.consistency.controlled !== true) {
        const { identity, pose, framing, lighting, controlled } = result.consistency;
        problems.push(`controlled ${controlled} (identity ${identity ?? '–'}, pose ${pose ?? '–'}, framing ${framing}, lighting ${lighting})`);
      }
      if (problems.length > 0) lines.push(`- ${result.degradation}, ${result.photos[0].replace('photos/', '')}, ${result.strength}: ${problems.join('; ')}.`);
    } else if (result.kind === 'identical' && result.verdict.winner !== null) {
      lines.push(`- identical ${result.photos[0].replace('photos/', '')}: a winner (${result.verdict.summary})`);
    } else if (result.kind === 'uncontrolled' && result.consistency.controlled !== false) {
      const { framing, lighting } = result.consistency;
      lines.push(`- ${result.photos.map((photo) => photo.replace('photos/', '')).join(' vs ')}: controlled ${result.consistency.controlled} (framing ${framing}, lighting ${lighting})`);
    }
  }
  return lines.length > 0 ? lines.join('\n') : '- none';
}

function realCardsTable() {
  const lines = ['| card | panel | photo gate (shaded share) | shadow | skin | knit | ceramic | realism |', '|---|---|---|---|---|---|---|---|'];
  for (const card of realCards) {
    card.panels.forEach((panel, index) => {
      const scores = SIGNALS.map((name) => (panel.scores[name] === null ? '–' : fixed(panel.scores[name])));
      lines.push(`| ${index === 0 ? card.file.replace('cards/', '') : ''} | ${index === 0 ? 'left' : 'right'} | ${panel.photo === null ? '–' : panel.photo ? 'photo' : 'graphic'}${panel.gate === null ? '' : ` (${fixed(panel.gate, 2)})`} | ${scores.join(' | ')} | ${panel.realism === null ? '–' : fixed(panel.realism)} |`);
    });
  }
  const verdicts = realCards.map((card) => {
    const { identity, pose, framing, lighting, controlled } = card.consistency;
    return `- ${card.file.replace('cards/', '')}: identity ${identity ?? '–'}, pose ${pose ?? '–'}, framing ${framing ?? '–'}, lighting ${lighting ?? '–'}, controlled ${controlled}. Winner ${card.verdict.winner ?? 'none'}: “${card.verdict.summary}”`;
  });
  return `${lines.join('\n')}\n\n${verdicts.join('\n')}`;
}

function speedTable() {
  const lines = ['| card | panels | wall, median (IQR) | CPU, median | min–max wall |', '|---|---|---|---|---|'];
  for (const row of speed) {
    const wall = summarize(row.wallMs);
    const cpu = summarize(row.cpuMs);
    lines.push(`| ${row.name} | ${row.panelSizes} | ${fixed(wall.median)} ms (${fixed(wall.p25)}–${fixed(wall.p75)}) | ${fixed(cpu.median)} ms | ${fixed(wall.min)}–${fixed(wall.max)} ms |`);
  }
  const all = summarize(speed.flatMap((row) => row.wallMs));
  return { table: lines.join('\n'), overall: all };
}

const date = new Date().toISOString().slice(0, 10);
const report = modelRegions ? modelReport() : drawnReport();

/** The section for `--regions models`: the same suite and tables, every card judged by the extension. */
function modelReport() {
  return `${START}
## Measured with the models' regions

\`npm run bench:signals -- --regions models\` on ${date}, ${bench.machine()}, seed ${seed} (\`--seed ${seed}\` repeats these cards).
Every card goes through the built extension in headless Chromium (\`sidelight analyze\`'s path): detection, face landmarks,
person segmentation and the region maps of the browser models, then the signals, audit and verdict. The hand-drawn regions
only choose where each degradation is applied. Machine load (1-minute load average): ${loadAtStart.toFixed(1)} at the start, ${loadAtEnd.toFixed(1)} at the end.

${rates.degradedCases} degraded cards (${casesPerDegradation} per degradation asked), ${rates.identical.cases} identical pairs, ${rates.uncontrolled.cases} pairs of two different photos;
${unsplit} composed card(s) were not split into two panels by the extension and are left out of every rate.
Each cell is the mean score drop of that signal on the degraded panel (clean minus degraded; negative: it rose),
and in brackets the cases where it dropped, of the cases where both panels had the signal (a region the models did not find gives no signal).

${confusionTable()}

${ratesTable()}

Every case that missed something:

${misses()}

### Real AI cards through the whole pipeline (recorded, not tuned to)

${realCardsTable()}
${END}`;
}

function drawnReport() {
const { table: speedLines, overall } = speedTable();
return `${START}
## Measured

\`npm run bench:signals\` on ${date}, ${bench.machine()}, seed ${seed} (\`--seed ${seed}\` repeats this run).
Machine load (1-minute load average): ${loadAtStart.toFixed(1)} at the start, ${loadAtEnd.toFixed(1)} at the end; other work on the shared machine inflates the timings.

### Degradation suite

${rates.degradedCases} degraded cards (${casesPerDegradation} per degradation), ${rates.identical.cases} identical pairs, ${rates.uncontrolled.cases} pairs of two different photos.
Each cell is the mean score drop of that signal on the degraded panel (clean minus degraded; negative: it rose),
and in brackets the cases where it dropped, of the cases where both panels had the signal. The targeted signal is in bold.

${confusionTable()}

${ratesTable()}

Every case that missed something:

${misses()}

### Real AI cards (recorded, not tuned to)

Regions drawn by hand where a photo panel shows a person (tests/fixtures/regions/cards.json); the other panels get
empty region maps, so only the photo gate speaks for them.

${realCardsTable()}

### Speed

All four signals and the photo gate for both panels of a card, warm (two untimed runs first, then ${speedRuns} timed),
one Node thread, no audit or verdict. Target: median ≤ 60 ms per card on 2 cores.

${speedLines}

All cards together: median ${fixed(overall.median)} ms (IQR ${fixed(overall.p25)}–${fixed(overall.p75)}, n=${overall.n}): ${verdictOf(overall.median <= 60)}.
${END}`;
}

process.stdout.write(`${report.replace(START, '').replace(END, '').trim()}\n`);
if (write) {
  const doc = await readFile(DOC, 'utf8');
  const begin = doc.indexOf(START);
  const finish = doc.indexOf(END);
  if (modelRegions && begin < 0) {
    // First run: the section goes right after the drawn-regions one.
    const after = doc.indexOf('<!-- bench:signals:end -->') + '<!-- bench:signals:end -->'.length;
    await writeFile(DOC, `${doc.slice(0, after)}\n\n${report}${doc.slice(after)}`);
  } else {
    if (begin < 0 || finish < begin) throw new Error(`${DOC} lacks the ${START} … ${END} markers`);
    await writeFile(DOC, `${doc.slice(0, begin)}${report}${doc.slice(finish + END.length)}`);
  }
  log(`wrote ${DOC}`);
}
