#!/usr/bin/env node
// What Sidelight costs the 60-image feed page (scripts/lib/feed-page.mjs) during one scroll, item by item: a trace
// of the page's main thread (`toplevel`, `devtools.timeline`, `v8.execute`) and a CPU profile of its V8 isolate
// (the page and the content script share it). Prints, per run:
// - every main-thread task over 50 ms of wall-clock time or of thread CPU time, with its CPU time and what ran
//   inside it (trace events by name, script and CPU time), so a task the machine stretched (wall ≫ CPU) is told
//   apart from one that does that much work;
// - the content script's CPU: profile samples under a chrome-extension:// frame, by the function that was
//   running (self time, browser built-ins such as sendMessage's clone included) and by the outermost
//   extension frame that called it.
// `--runs N` (default 1), `--without` (a run without the extension first, for comparison),
// `--json FILE` (the figures of every run), `--cpuprofile PREFIX` (each run's profile, PREFIX-N.cpuprofile). SIDELIGHT_EXTENSION_DIR points it at another build.
import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { launchWithExtension, launchWithoutExtension } from './lib/browser.mjs';
import { feedRoutes, scrollAndSettleFeedItems } from './lib/feed-page.mjs';
import { serveDemo } from './lib/serve.mjs';

const { values: options } = parseArgs({
  options: { runs: { type: 'string', default: '1' }, without: { type: 'boolean', default: false }, json: { type: 'string' }, cpuprofile: { type: 'string' }, top: { type: 'string', default: '20' } },
});
const RUNS = Number(options.runs);
const TOP = Number(options.top);
const LONG_US = 50_000;
const log = (line) => process.stderr.write(`probe-page: ${line}\n`);
const ms = (us) => (us / 1000).toFixed(1);

/** One scroll of the feed with the trace and the profile running; the raw events and the profile. */
async function tracedRun(feedUrl, withExtension) {
  const browser = withExtension ? await launchWithExtension() : await launchWithoutExtension();
  try {
    const page = await browser.context.newPage();
    const cdp = await browser.context.newCDPSession(page);
    const events = [];
    cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
    await cdp.send('Tracing.start', {
      transferMode: 'ReportEvents',
      traceConfig: { includedCategories: ['toplevel', 'devtools.timeline', 'v8.execute', 'v8', '__metadata'] },
    });
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 250 });
    await cdp.send('Profiler.start');
    await page.goto(feedUrl);
    const settled = await scrollAndSettleFeedItems(page, withExtension ? {} : { polls: 20 });
    const { profile } = await cdp.send('Profiler.stop');
    const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.end');
    await complete;
    return { events, profile, cards: settled.items.filter((item) => item.state === 'card').length };
  } finally {
    await browser.close();
  }
}

/** The feed page's main thread: its pid (the renderer that parsed the feed) and tid. */
function pageMainThread(events, feedUrl) {
  const pid = events.find((event) => event.name === 'ParseHTML' && event.args?.beginData?.url === feedUrl)?.pid;
  const tid = events.find((event) => event.name === 'thread_name' && event.pid === pid && event.args?.name === 'CrRendererMain')?.tid;
  return { pid, tid };
}

/** A name for what a trace event ran: its kind and, for script, whose script (the page's or the extension's). */
function eventLabel(event) {
  const data = event.args?.data ?? event.args?.beginData ?? {};
  const url = data.url ?? data.scriptName ?? data.fileName ?? data.stackTrace?.[0]?.url ?? '';
  const origin = url.startsWith('chrome-extension://') ? 'extension' : url.startsWith('http') ? 'page' : url ? url.slice(0, 20) : '';
  const fn = data.functionName ? ` ${data.functionName}` : '';
  return origin ? `${event.name} [${origin}]${fn}` : event.name;
}

/** The page's main-thread tasks (outermost RunTask events) and, for the long ones, what ran inside. */
function longTasks(events, { pid, tid }) {
  const thread = events.filter((event) => event.pid === pid && event.tid === tid && event.ph === 'X').sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const tasks = [];
  let end = -Infinity;
  for (const event of thread) {
    if (event.name !== 'ThreadControllerImpl::RunTask' || event.ts < end) continue;
    end = event.ts + event.dur;
    tasks.push(event);
  }
  const start = tasks[0]?.ts ?? 0;
  const long = tasks.filter((task) => task.dur > LONG_US || (task.tdur ?? 0) > LONG_US);
  return {
    count: tasks.length,
    cpuUs: tasks.reduce((sum, task) => sum + (task.tdur ?? 0), 0),
    long: long.map((task) => {
      // What ran inside, as a tree (events nest by time on one thread), down to items of 1 ms of CPU.
      const inside = thread.filter((event) => event !== task && event.ts >= task.ts && event.ts + event.dur <= task.ts + task.dur);
      const tree = [];
      const stack = [];
      for (const event of inside) {
        while (stack.length && event.ts >= stack[stack.length - 1].end) stack.pop();
        const node = { label: eventLabel(event), wallMs: event.dur / 1000, cpuMs: (event.tdur ?? 0) / 1000, depth: stack.length, end: event.ts + event.dur };
        if (node.cpuMs >= 1 || node.wallMs >= 10) tree.push(node);
        stack.push(node);
      }
      return {
        atMs: (task.ts - start) / 1000,
        wallMs: task.dur / 1000,
        cpuMs: (task.tdur ?? 0) / 1000,
        inside: tree.filter((node) => node.depth < 6).slice(0, 40).map(({ label, wallMs, cpuMs, depth }) => ({ label, wallMs, cpuMs, depth })),
      };
    }),
  };
}

/** The CPU profile's samples under an extension frame: by running function (self) and by outermost extension frame. */
function extensionProfile(profile) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const isOurs = (node) => node.callFrame.url.startsWith('chrome-extension://');
  const frameName = (node) => {
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const file = url ? url.replace(/^chrome-extension:\/\/[^/]+\//, 'ext:/').replace(/^https?:\/\/[^/]+/, 'page:') : '';
    return `${functionName || '(anonymous)'}${file ? ` ${file}:${lineNumber + 1}:${columnNumber + 1}` : ''}`;
  };
  /** The outermost extension frame above a node, or null. */
  const outermost = new Map();
  const outermostOf = (id) => {
    if (outermost.has(id)) return outermost.get(id);
    const node = nodes.get(id);
    const parent = parents.get(id);
    const above = parent === undefined ? null : outermostOf(parent);
    const result = above ?? (isOurs(node) ? node : null);
    outermost.set(id, result);
    return result;
  };
  /** The innermost extension frame at or above a node: the extension function that was running, or that called the built-in that was. */
  const innermostOf = (id) => {
    for (let at = id; at !== undefined; at = parents.get(at)) if (isOurs(nodes.get(at))) return nodes.get(at);
    return null;
  };
  const self = new Map();
  const entry = new Map();
  const caller = new Map();
  let totalUs = 0;
  let oursUs = 0;
  const deltas = profile.timeDeltas ?? [];
  profile.samples.forEach((id, index) => {
    const dt = deltas[index + 1] ?? 0;
    totalUs += dt;
    const top = outermostOf(id);
    if (!top) return;
    oursUs += dt;
    const node = nodes.get(id);
    const name = frameName(node);
    self.set(name, (self.get(name) ?? 0) + dt);
    const topName = frameName(top);
    entry.set(topName, (entry.get(topName) ?? 0) + dt);
    const callerName = frameName(innermostOf(id));
    caller.set(callerName, (caller.get(callerName) ?? 0) + dt);
  });
  const sorted = (map) => [...map].sort((a, b) => b[1] - a[1]).slice(0, TOP).map(([name, us]) => ({ name, ms: us / 1000 }));
  return { totalMs: totalUs / 1000, oursMs: oursUs / 1000, self: sorted(self), caller: sorted(caller), entry: sorted(entry) };
}

function report(label, run, feedUrl) {
  const thread = pageMainThread(run.events, feedUrl);
  const tasks = longTasks(run.events, thread);
  const lines = [`${label}: ${tasks.count} main-thread tasks, ${ms(tasks.cpuUs)} ms of thread CPU, ${run.cards} cards; tasks over 50 ms (wall or CPU):`];
  for (const task of tasks.long) {
    lines.push(`  at ${task.atMs.toFixed(0)} ms: wall ${task.wallMs.toFixed(1)} ms, CPU ${task.cpuMs.toFixed(1)} ms`);
    for (const item of task.inside) lines.push(`    ${'  '.repeat(item.depth)}${item.label}: wall ${item.wallMs.toFixed(1)}, CPU ${item.cpuMs.toFixed(1)}`);
  }
  const cpu = extensionProfile(run.profile);
  lines.push(`  profile: ${cpu.totalMs.toFixed(0)} ms sampled, ${cpu.oursMs.toFixed(1)} ms under the extension's frames (${(cpu.oursMs / Math.max(1, run.cards)).toFixed(2)} ms per card)`);
  lines.push('  by running function (self):');
  for (const item of cpu.self) lines.push(`    ${item.ms.toFixed(1).padStart(7)} ms  ${item.name}`);
  lines.push('  by innermost extension frame (the built-ins it called included):');
  for (const item of cpu.caller) lines.push(`    ${item.ms.toFixed(1).padStart(7)} ms  ${item.name}`);
  lines.push('  by outermost extension frame:');
  for (const item of cpu.entry) lines.push(`    ${item.ms.toFixed(1).padStart(7)} ms  ${item.name}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return { label, cards: run.cards, tasks: tasks.count, taskCpuMs: tasks.cpuUs / 1000, long: tasks.long, profile: cpu };
}

async function main() {
  const feed = await feedRoutes();
  const server = await serveDemo({ routes: feed.routes });
  const feedUrl = `${server.origin}/feed/`;
  const results = [];
  try {
    for (let index = 0; index < RUNS; index++) {
      if (options.without) results.push(report(`run ${index + 1} without Sidelight (load ${loadavg()[0].toFixed(1)})`, await tracedRun(feedUrl, false), feedUrl));
      const load = loadavg()[0].toFixed(1);
      log(`run ${index + 1}/${RUNS}`);
      const run = await tracedRun(feedUrl, true);
      // For DevTools' Performance panel (Load profile).
      if (options.cpuprofile) await writeFile(`${options.cpuprofile}-${index + 1}.cpuprofile`, JSON.stringify(run.profile));
      results.push(report(`run ${index + 1} with Sidelight (load ${load})`, run, feedUrl));
    }
  } finally {
    await server.close();
  }
  if (options.json) await writeFile(options.json, JSON.stringify(results, null, 2));
}

await main();
