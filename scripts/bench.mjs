#!/usr/bin/env node
// npm run bench: speed, main-thread cost, memory and size of the built extension in headless
// Chromium, on the fixture cards and the 60-image feed (scripts/lib/feed-page.mjs). Writes docs/performance.md.
// `--page`: only the page-cost rows; `--stages`: only the card stages, printed (see below; `--primed` on a returning
// browser's profile); `--no-build`: use .output as it is.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchWithExtension, launchWithoutExtension } from './lib/browser.mjs';
import { ensureChromium } from './lib/chromium.mjs';
import { feedRoutes, scrollAndSettleFeedItems } from './lib/feed-page.mjs';
import { run } from './lib/proc.mjs';
import { serveDemo } from './lib/serve.mjs';
import { formatSummary, summarize } from './lib/stats.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const MEMORY_CARDS = Number(process.env.BENCH_MEMORY_CARDS ?? 200);
const STAGES = ['decode', 'detect', 'ocr', 'face', 'segment', 'signals', 'total'];
const log = (line) => process.stderr.write(`bench: ${line}\n`);

const CARD_DIR = 'tests/fixtures/cards';
const PHOTO_DIR = 'tests/fixtures/photos';
const files = (dir) => readdirSync(dir).filter((name) => /\.(png|jpe?g|webp)$/i.test(name)).map((name) => join(dir, name));

/** Fresh analyses (render: true also bypasses the result cache), timed in the engine and by the page. */
async function analyzeFresh(page, path) {
  const bytesBase64 = (await readFile(path)).toString('base64');
  return page.evaluate(async ({ name, bytes }) => {
    const started = performance.now();
    const reply = await globalThis.sidelightAnalyzeBytes(name, bytes, true);
    return { result: reply.result, wallMs: performance.now() - started };
  }, { name: path.split('/').pop(), bytes: bytesBase64 });
}

/**
 * Memory of this browser's extension processes (service worker, offscreen document and its worker),
 * in MB: the resident set, and its private part (`Private_Clean` + `Private_Dirty` of
 * /proc/PID/smaps_rollup: without the Chromium binary's pages every Chromium process shares).
 * Chromium's child processes carry the profile's --user-data-dir, so other Chromiums on the machine don't count.
 */
function extensionProcessMemory(profileDir) {
  const processes = execFileSync('ps', ['-eo', 'pid=,rss=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(`--user-data-dir=${profileDir} `) && line.includes('--extension-process'))
    .map((line) => line.trim().split(/\s+/));
  const rollup = (pid, field) => {
    try {
      return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0) / 1024;
    } catch {
      return 0;
    }
  };
  return {
    rss: processes.reduce((total, [, rss]) => total + Number(rss) / 1024, 0),
    private: processes.reduce((total, [pid]) => total + rollup(pid, 'Private_Clean') + rollup(pid, 'Private_Dirty'), 0),
  };
}

/** A memory reading for the table: the resident set, then its private part. */
function memoryText({ rss, private: own }) {
  return `${rss.toFixed(0)} MB (private ${own.toFixed(0)} MB)`;
}

/**
 * `primedProfile`: every run starts on a copy of this profile folder instead of an empty one (a
 * returning user's browser: V8's code cache already holds the runtimes' compiled WebAssembly).
 */
async function engineBench({ primedProfile } = {}) {
  const cards = files(CARD_DIR);
  const photos = files(PHOTO_DIR);
  const coldStarts = [];
  const stageTimes = Object.fromEntries(STAGES.map((stage) => [stage, []]));
  /** The card each entry of stageTimes' lists belongs to. */
  const stageCards = [];
  const rejectAfterDecode = [];
  const backends = {};
  let memoryLoaded = { rss: NaN, private: NaN };
  for (let runIndex = 0; runIndex < RUNS; runIndex++) {
    const profile = primedProfile ? await mkdtemp(join(tmpdir(), 'sidelight-bench-primed-')) : undefined;
    if (profile) await cp(primedProfile, profile, { recursive: true });
    const browser = await launchWithExtension({ profile });
    try {
      const page = await browser.context.newPage();
      await page.goto(browser.extensionUrl('analyze.html'));
      const launched = performance.now();
      const first = await analyzeFresh(page, cards[0]);
      coldStarts.push(performance.now() - launched);
      noteBackends(backends, first.result.backend);
      for (const card of cards) {
        const { result } = await analyzeFresh(page, card);
        noteBackends(backends, result.backend);
        if (!result.isComparison) continue;
        for (const stage of STAGES) stageTimes[stage].push(result.timingsMs[stage]);
        stageCards.push(card);
      }
      for (const photo of photos) {
        const { result } = await analyzeFresh(page, photo);
        if (result.ok && !result.isComparison) rejectAfterDecode.push(result.timingsMs.total - result.timingsMs.decode);
      }
      if (runIndex === 0) memoryLoaded = extensionProcessMemory(browser.profileDir);
    } finally {
      await browser.close();
      if (profile) await rm(profile, { recursive: true, force: true });
    }
    log(`engine run ${runIndex + 1}/${RUNS}${primedProfile ? ' (primed profile)' : ''} done`);
  }
  return { coldStarts, stageTimes, stageCards, rejectAfterDecode, backends, memoryLoaded };
}

/** Seconds the priming browser stays open after its cards: V8 optimises the runtimes' WebAssembly in the background meanwhile. */
const PRIME_SETTLE_S = 30;

/**
 * A profile as a returning user's browser has it: one session analysed every fixture card and photo
 * and stayed open while V8 optimised the runtimes' WebAssembly in the background, which Chromium
 * keeps in the profile's code cache for the next sessions. Returns the folder (the caller removes it).
 */
async function primedProfile() {
  const profile = await mkdtemp(join(tmpdir(), 'sidelight-bench-prime-'));
  const browser = await launchWithExtension({ profile });
  try {
    const page = await browser.context.newPage();
    await page.goto(browser.extensionUrl('analyze.html'));
    for (const path of [...files(CARD_DIR), ...files(PHOTO_DIR)]) await analyzeFresh(page, path);
    await new Promise((resolve) => setTimeout(resolve, PRIME_SETTLE_S * 1000));
  } finally {
    await browser.close();
  }
  return profile;
}

/** Which backend each runtime ran on, over every card (a card that needed no OCR reports onnx null). */
function noteBackends(seen, backend) {
  for (const [runtime, used] of Object.entries(backend ?? {})) {
    seen[runtime] ??= new Set();
    if (used !== null) seen[runtime].add(used);
  }
}

function backendsLine(seen) {
  return Object.entries(seen)
    .map(([runtime, used]) => `${runtime} ${used.size > 0 ? [...used].map((name) => `\`${name}\``).join(' and ') : 'not used'}`)
    .join(', ');
}

/** Time after the worker's idle time before memory is read again: its teardown and the next GC. */
const IDLE_MARGIN_S = 15;

/** The worker's idle time as the extension has it (one number, read from its source, so the two never differ). */
async function workerIdleMs() {
  const source = await readFile('lib/worker/bridge.ts', 'utf8');
  const found = /export const WORKER_IDLE_MS = ([\d_]+);/.exec(source);
  if (!found) throw new Error('lib/worker/bridge.ts: WORKER_IDLE_MS not found');
  return Number(found[1].replaceAll('_', ''));
}

async function memoryBench() {
  const cards = files(CARD_DIR);
  const browser = await launchWithExtension();
  try {
    const page = await browser.context.newPage();
    await page.goto(browser.extensionUrl('analyze.html'));
    await analyzeFresh(page, cards[0]);
    const afterFirst = extensionProcessMemory(browser.profileDir);
    for (let index = 0; index < MEMORY_CARDS; index++) await analyzeFresh(page, cards[index % cards.length]);
    const afterMany = extensionProcessMemory(browser.profileDir);
    // The analysis worker stops after its idle time (lib/worker/bridge.ts) and gives its memory back.
    const idleMs = await workerIdleMs();
    log(`memory: waiting ${(idleMs / 1000 + IDLE_MARGIN_S).toFixed(0)} s for the idle worker to stop`);
    await new Promise((resolve) => setTimeout(resolve, idleMs + IDLE_MARGIN_S * 1000));
    return { afterFirst, afterMany, afterIdle: extensionProcessMemory(browser.profileDir), idleMs };
  } finally {
    await browser.close();
  }
}

/**
 * Main-thread task time and long tasks of the 60-image feed page during a scroll. The run with
 * Sidelight scrolls and then polls until every card and photo has a final state; the run without
 * it (same browser, same switches) scrolls the same way and polls as many times (`polls`), so both
 * pages live through the same timeline: each poll and each idle second costs the page some task
 * time of its own.
 */
async function feedRun(feedUrl, withExtension, polls) {
  const browser = withExtension ? await launchWithExtension() : await launchWithoutExtension();
  try {
    const page = await browser.context.newPage();
    await page.addInitScript(() => {
      globalThis.__longTasks = [];
      new PerformanceObserver((list) => globalThis.__longTasks.push(...list.getEntries().map((entry) => entry.duration))).observe({ type: 'longtask', buffered: true });
    });
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const trace = await startTaskTrace(cdp);
    await page.goto(feedUrl);
    const settled = await scrollAndSettleFeedItems(page, withExtension ? {} : { polls });
    const { metrics } = await cdp.send('Performance.getMetrics');
    const metric = (name) => (metrics.find((entry) => entry.name === name)?.value ?? 0) * 1000;
    const cpu = await trace.pageTaskCpu(feedUrl);
    return {
      taskMs: metric('TaskDuration'),
      cpuMs: cpu.totalMs,
      cpuLongTasks: cpu.longTasks,
      longTasks: await page.evaluate(() => globalThis.__longTasks),
      analysed: settled.items.filter((item) => item.state && item.state !== 'pending').length,
      cards: settled.items.filter((item) => item.state === 'card').length,
      polls: settled.polls,
    };
  } finally {
    await browser.close();
  }
}

/**
 * Traces the browser's tasks to read the page's main thread in thread CPU time: what its tasks
 * cost, not counting the waits for a CPU that a busy machine adds to their wall-clock length.
 */
async function startTaskTrace(cdp) {
  const tasks = [];
  const threads = new Map();
  const pageProcesses = new Map();
  cdp.on('Tracing.dataCollected', ({ value }) => {
    for (const event of value) {
      if (event.name === 'ThreadControllerImpl::RunTask' && event.ph === 'X') tasks.push(event);
      else if (event.name === 'thread_name') threads.set(`${event.pid}:${event.tid}`, event.args?.name);
      else if (event.name === 'ParseHTML' && event.args?.beginData?.url) pageProcesses.set(event.args.beginData.url, event.pid);
    }
  });
  await cdp.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: { includedCategories: ['toplevel', 'devtools.timeline', '__metadata'] } });
  return {
    async pageTaskCpu(pageUrl) {
      const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
      await cdp.send('Tracing.end');
      await complete;
      const pid = pageProcesses.get(pageUrl);
      const main = tasks
        .filter((task) => task.pid === pid && threads.get(`${task.pid}:${task.tid}`) === 'CrRendererMain')
        .sort((a, b) => a.ts - b.ts);
      let totalUs = 0;
      let longTasks = 0;
      let end = -Infinity;
      for (const task of main) {
        if (task.ts < end) continue; // nested in the task before
        end = task.ts + task.dur;
        totalUs += task.tdur ?? 0;
        if ((task.tdur ?? 0) > 50_000) longTasks++;
      }
      return { totalMs: pid === undefined ? NaN : totalUs / 1000, longTasks };
    },
  };
}

/** Pairs of runs, with Sidelight then without it on the same timeline; each pair gives one figure. */
async function feedBench() {
  const feed = await feedRoutes();
  const server = await serveDemo({ routes: feed.routes });
  const feedUrl = `${server.origin}/feed/`;
  const pairs = [];
  try {
    for (let runIndex = 0; runIndex < RUNS; runIndex++) {
      const withRun = await feedRun(feedUrl, true);
      const withoutRun = await feedRun(feedUrl, false, withRun.polls);
      pairs.push({ withRun, withoutRun });
      log(
        `feed run ${runIndex + 1}/${RUNS}: task time ${withRun.taskMs.toFixed(0)} ms with, ${withoutRun.taskMs.toFixed(0)} ms without (CPU ${withRun.cpuMs.toFixed(0)} and ${withoutRun.cpuMs.toFixed(0)} ms), ` +
          `${withRun.analysed} pictures analysed (${withRun.cards} cards), ${withRun.longTasks.length} vs ${withoutRun.longTasks.length} long tasks (by CPU time ${withRun.cpuLongTasks} vs ${withoutRun.cpuLongTasks})`,
      );
    }
  } finally {
    await server.close();
  }
  return {
    perCardMs: pairs.map(({ withRun, withoutRun }) => (withRun.taskMs - withoutRun.taskMs) / Math.max(1, withRun.cards)),
    perImageMs: pairs.map(({ withRun, withoutRun }) => (withRun.taskMs - withoutRun.taskMs) / Math.max(1, withRun.analysed)),
    extraLongTasks: pairs.map(({ withRun, withoutRun }) => withRun.longTasks.length - withoutRun.longTasks.length),
    perCardCpuMs: pairs.map(({ withRun, withoutRun }) => (withRun.cpuMs - withoutRun.cpuMs) / Math.max(1, withRun.cards)),
    extraCpuLongTasks: pairs.map(({ withRun, withoutRun }) => withRun.cpuLongTasks - withoutRun.cpuLongTasks),
    images: feed.items.length,
    analysed: pairs[0]?.withRun.analysed ?? 0,
    cards: pairs[0]?.withRun.cards ?? 0,
  };
}

async function zipSize() {
  await run('npx', ['wxt', 'zip'], { stdio: ['ignore', 2, 2] });
  const zip = readdirSync('.output').find((name) => name.endsWith('-chrome.zip'));
  return zip ? statSync(join('.output', zip)).size / 1048576 : NaN;
}

function verdict(value, budget) {
  if (!Number.isFinite(value)) return 'not measured';
  return value <= budget ? 'within budget' : `**MISSED** (budget ${budget})`;
}

/** Budgets per stage of a two-panel card, ms (issue 8: the stages add up to the total's 400). */
const STAGE_ROWS = [
  ['  decode', 'decode', 20],
  ['  detect + split', 'detect', 30],
  ['  OCR (both labels)', 'ocr', 100],
  ['  face (both panels)', 'face', 60],
  ['  segmentation (both panels)', 'segment', 120],
  ['  signals', 'signals', 60],
];

/** The table rows of one engine bench: the warm total and its stages, then the cold start and the rejection, named as given. */
function engineRows(engine, totalLabel, [coldLabel, rejectLabel]) {
  const stage = (name) => summarize(engine.stageTimes[name]);
  const total = stage('total');
  const cold = summarize(engine.coldStarts);
  const reject = summarize(engine.rejectAfterDecode);
  return [
    [totalLabel, formatSummary(total, 1, ' ms'), verdict(total.median, 400)],
    ...STAGE_ROWS.map(([label, name, budget]) => [label, formatSummary(stage(name), 1, ' ms'), verdict(stage(name).median, budget)]),
    [coldLabel, formatSummary(cold, 0, ' ms'), verdict(cold.median, 2000)],
    [rejectLabel, formatSummary(reject, 2, ' ms'), verdict(reject.median, 5)],
  ];
}

function pageRows(feed) {
  const perCard = summarize(feed.perCardMs);
  const perImage = summarize(feed.perImageMs);
  const extraLong = summarize(feed.extraLongTasks);
  const perCardCpu = summarize(feed.perCardCpuMs);
  const extraCpuLong = summarize(feed.extraCpuLongTasks);
  return [
    ['Page main-thread time added per analysed card', formatSummary(perCard, 2, ' ms'), verdict(perCard.median, 4)],
    ['  the same per analysed picture (cards and photos)', formatSummary(perImage, 2, ' ms'), '–'],
    ['Extra long tasks (> 50 ms) during the feed scroll', formatSummary(extraLong, 0), verdict(extraLong.median, 0)],
    ['  the same in thread CPU time: per analysed card', formatSummary(perCardCpu, 2, ' ms'), verdict(perCardCpu.median, 4)],
    ['  the same in thread CPU time: extra tasks over 50 ms', formatSummary(extraCpuLong, 0), verdict(extraCpuLong.median, 0)],
  ];
}

const pageMethod = (feed) => `- Main-thread time: the CDP \`TaskDuration\` of the ${feed.images}-image feed page (\`scripts/lib/feed-page.mjs\`, the
  discovery e2e's feed: cards and photos as plain images, \`<picture>\`, CSS backgrounds, open shadow DOM, a
  same-origin iframe, \`blob:\` and \`data:\` addresses, and avatars) after scrolling it with Sidelight and waiting
  for every result (${feed.analysed} pictures analysed, ${feed.cards} of them cards), minus the same page's without it
  (same browser and switches, same scroll, as many polls over as long a wait), per pair of runs, divided by
  the cards found (the budget's unit) and, for comparison, by all the pictures analysed.
- Long tasks: \`PerformanceObserver('longtask')\` entries on the feed page, with minus without Sidelight, per pair.
- Thread CPU time: the same two figures from a trace of the page's main-thread tasks (\`toplevel\`), counting
  each task's CPU time instead of its wall-clock length, which on a busy machine includes waiting for a CPU.
  The budget rows above stay wall-clock; these say how much of them is the page's own work.`;

const loadLine = (start, end) =>
  `Machine load (1-minute load average): ${start.toFixed(1)} at the start, ${end.toFixed(1)} at the end${start > cpus().length || end > cpus().length ? '; other work on the shared machine inflates the timings' : ''}.`;

/**
 * `--page`: only the page-cost rows (the feed scroll with and without Sidelight), written over
 * those rows and their method lines in docs/performance.md; the other rows keep their date.
 */
async function pageOnly() {
  const loadAtStart = loadavg()[0];
  log('feed: scroll through the 60-image feed with and without the extension');
  const feed = await feedBench();
  const loadAtEnd = loadavg()[0];
  const rows = pageRows(feed);
  let doc = await readFile('docs/performance.md', 'utf8');
  const rowPattern = (name) => new RegExp(`^\\| ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\|.*$`, 'm');
  rows.forEach((row, index) => {
    const line = `| ${row.join(' | ')} |`;
    if (rowPattern(row[0]).test(doc)) doc = doc.replace(rowPattern(row[0]), line);
    else if (index > 0) doc = doc.replace(rowPattern(rows[index - 1][0]), (previous) => `${previous}\n${line}`);
    else throw new Error(`docs/performance.md has no row "${row[0]}": run the whole bench first`);
  });
  doc = doc.replace(/^- Main-thread time:[\s\S]*?(?=^- Memory:)/m, `${pageMethod(feed)}\n`);
  const note = `The page-cost rows (main-thread time, long tasks) were measured again by \`npm run bench -- --page\` (${RUNS} ${RUNS === 1 ? 'pair' : 'pairs'} of runs) on ${new Date().toISOString().slice(0, 10)}. ${loadLine(loadAtStart, loadAtEnd)}`;
  doc = /^The page-cost rows .*$/m.test(doc) ? doc.replace(/^The page-cost rows .*$/m, note) : doc.replace(/\n\n\| measure /, `\n${note}\n\n| measure `);
  await writeFile('docs/performance.md', doc);
  process.stdout.write(`${['| measure | median (spread) | budget |', '|---|---|---|', ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n')}\n\nUpdated the page-cost rows of docs/performance.md\n`);
}

/**
 * `--stages`: only the card stages (`timingsMs` over the fixture cards, RUNS browser launches), printed
 * and not written: for comparing two builds (`SIDELIGHT_EXTENSION_DIR`) without the memory and feed parts.
 */
async function stagesOnly() {
  const loadAtStart = loadavg()[0];
  log(`engine: ${RUNS} browser launches over the fixture cards and photos`);
  // `--primed`: on a returning browser's profile (see primedProfile).
  const prime = process.argv.includes('--primed') ? await primedProfile() : undefined;
  const engine = await engineBench({ primedProfile: prime }).finally(() => prime && rm(prime, { recursive: true, force: true }));
  const loadAtEnd = loadavg()[0];
  const rows = STAGES.map((name) => {
    const summary = summarize(engine.stageTimes[name]);
    return `| ${name} | ${formatSummary(summary, 1, ' ms')} | ${summary.min.toFixed(1)}–${summary.max.toFixed(1)} ms |`;
  });
  // Each card's own figures, run after run.
  const perCard = [...new Set(engine.stageCards)].map(
    (card) => `${card.split('/').pop()}: ${engine.stageTimes.signals.filter((_, at) => engine.stageCards[at] === card).map((ms) => ms.toFixed(0)).join(', ')} ms`,
  );
  const memory = `extension processes memory, engine loaded (first launch): ${memoryText(engine.memoryLoaded)}`;
  process.stdout.write(`${['| stage | median (spread) | range |', '|---|---|---|', ...rows].join('\n')}\nsignals per card: ${perCard.join('; ')}\n${memory}\n${loadLine(loadAtStart, loadAtEnd)}\n`);
}

/** docs/performance.md's hand-written part (findings of investigations) from NOTES_HEADING on: kept as it is when the bench rewrites the file. */
const NOTES_HEADING = '## Where the time goes';

async function handWrittenNotes() {
  const doc = await readFile('docs/performance.md', 'utf8').catch(() => '');
  const start = doc.indexOf(`\n${NOTES_HEADING}`);
  return start < 0 ? '' : doc.slice(start);
}

async function main() {
  if (!process.argv.includes('--no-build')) await run('node', ['scripts/build.mjs', '--chrome-only'], { stdio: ['ignore', 2, 2] });
  if (process.argv.includes('--page')) return pageOnly();
  if (process.argv.includes('--stages')) return stagesOnly();
  const loadAtStart = loadavg()[0];
  log(`engine: ${RUNS} browser launches over the fixture cards and photos`);
  const engine = await engineBench();
  log(`engine again: ${RUNS} launches on a profile whose code cache holds the compiled runtimes`);
  const prime = await primedProfile();
  const returning = await engineBench({ primedProfile: prime }).finally(() => rm(prime, { recursive: true, force: true }));
  log(`memory: ${MEMORY_CARDS} fresh card analyses`);
  const memory = await memoryBench();
  log('feed: scroll through the 60-image feed with and without the extension');
  const feed = await feedBench();
  const zipMb = await zipSize();
  const loadAtEnd = loadavg()[0];

  const chromiumVersion = execFileSync(ensureChromium(), ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  const rows = [
    ...engineRows(engine, 'Card, warm total (`timingsMs.total`)', ['Cold start (launch → first card result)', 'Non-card rejection after decode']),
    ...engineRows(returning, 'Returning browser (profile with the compiled runtimes): card, warm total', ['  cold start', '  non-card rejection after decode']),
    ...pageRows(feed),
    ['Extension processes memory, engine loaded', memoryText(engine.memoryLoaded), verdict(engine.memoryLoaded.rss, 250)],
    [`Extension processes memory, after ${MEMORY_CARDS} cards`, `${memoryText(memory.afterMany)}; after 1: ${memoryText(memory.afterFirst)}`, verdict(memory.afterMany.rss, 250)],
    [`  the same after ${(memory.idleMs / 1000).toFixed(0)} s without a card (the worker stopped)`, memoryText(memory.afterIdle), verdict(memory.afterIdle.rss, 250)],
    ['Packaged extension (`wxt zip`, Chrome)', `${zipMb.toFixed(2)} MB`, verdict(zipMb, 40)],
  ];
  const table = ['| measure | median (spread) | budget |', '|---|---|---|', ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
  const doc = `# Performance

Measured by \`npm run bench\` (${RUNS} runs; \`BENCH_RUNS\` and \`BENCH_MEMORY_CARDS\` change the counts) on
${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${chromiumVersion}, headless, WASM/CPU.
Backends the engine reported using (over every fixture card): ${backendsLine(engine.backends)}.
${loadLine(loadAtStart, loadAtEnd)}

${table}

How each figure is taken:
- Stage times are the engine's own \`timingsMs\` over the ${files(CARD_DIR).length} fixture cards, every run after the
  first card of a fresh browser (warm). Stages that do not exist yet read 0.
- The first rows are a browser with an empty profile (the first session after installing): while its first
  cards run, V8 compiles the runtimes' WebAssembly and then optimises it in the background, several seconds
  of CPU on these 2 cores. Chromium keeps that compiled code in the profile's code cache, so every later
  session starts without it: the "returning browser" rows start each run on a copy of a profile that one
  session (every fixture card and photo, then ${PRIME_SETTLE_S} s open) left behind.
- Cold start: from the analysis page being open in a just-launched browser to the first card's result
  (offscreen document, worker and model start-up included).
- Rejection: \`timingsMs.total − timingsMs.decode\` for the fixture photos (single pictures).
${pageMethod(feed)}
- Memory: resident set of Chromium's \`--extension-process\` processes (service worker, offscreen document
  and its worker, and the extension page that drives the bench: one process), the figure the budget is
  checked on; "private" is the part of it no other process shares (about 120 MB of the resident set
  are the Chromium binary's pages, shared with every Chromium process). After the cards, the bench
  waits the worker's idle time (\`WORKER_IDLE_MS\`, lib/worker/bridge.ts) and ${IDLE_MARGIN_S} s more, and reads it again.
`;
  await writeFile('docs/performance.md', doc + (await handWrittenNotes()));
  process.stdout.write(`${table}\n\nWrote docs/performance.md\n`);
}

await main();
