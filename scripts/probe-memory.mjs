#!/usr/bin/env node
// Where the extension's memory is while the engine works (docs/performance.md): the built extension's
// analysis page runs the fixture cards and photos in the bench's engine order, and after each picture this
// prints the extension process's resident set (its anonymous, file-backed and shared parts, PSS, private
// set, and its peak during the picture), the GPU process's, each extension context's V8 heap and
// array-buffer backing stores (`Runtime.getHeapUsage`, no GC), and a hash of the result. At the start,
// after the first pass and at the end it forces a full GC in every context and reads each one's details
// (the analysis worker's from a heap snapshot: array buffers, WebAssembly memories among them, and
// compiled WebAssembly). `--rounds N`: the cards N times (default 2); `--first N`: only the first N
// pictures, each followed by the details; `--snapshot`: the worker's snapshot summed by node type at the
// end; `--smaps N`: the largest mappings after picture N; `--profile DIR` / `--settle S`: a kept profile
// folder, and S seconds open after the last picture (to prime V8's code cache); `--json FILE`: every
// sample. SIDELIGHT_EXTENSION_DIR points it at another build.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launchWithExtension } from './lib/browser.mjs';

// Node 20 has WebSocket behind a flag (Node 22 by default): run again with it.
if (typeof globalThis.WebSocket === 'undefined') {
  const rerun = spawnSync(process.execPath, ['--experimental-websocket', '--no-warnings', ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(rerun.status ?? 1);
}

const argValue = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : process.argv[at + 1];
};
const ROUNDS = Number(argValue('--rounds', 2));
const JSON_OUT = argValue('--json', null);
const SNAPSHOT = process.argv.includes('--snapshot');
/** `--smaps N`: after the Nth picture, the extension process's largest memory mappings. */
const SMAPS_AFTER = Number(argValue('--smaps', 0));
/** `--profile DIR`: run on this profile folder (kept) instead of a fresh one, e.g. a copy of one whose code cache holds the compiled runtimes. */
const PROFILE = argValue('--profile', undefined);
/** `--settle S`: stay open S seconds after the last picture (V8 optimises the runtimes meanwhile and caches the code in the profile). */
const SETTLE_S = Number(argValue('--settle', 0));
/** `--first N`: only the first N pictures of the sequence, each followed by a full GC and the details. */
const FIRST = Number(argValue('--first', 0));
const files = (dir) => readdirSync(dir).filter((name) => /\.(png|jpe?g|webp)$/i.test(name)).sort().map((name) => join(dir, name));
const CARDS = files('tests/fixtures/cards');
const PHOTOS = files('tests/fixtures/photos');
const MB = 1048576;

/** A minimal CDP client on the browser's WebSocket: flattened sessions, one pending map. */
class Cdp {
  static async connect(url) {
    const socket = new WebSocket(url);
    await new Promise((resolve, reject) => {
      socket.addEventListener('open', resolve, { once: true });
      socket.addEventListener('error', reject, { once: true });
    });
    return new Cdp(socket);
  }

  constructor(socket) {
    this.socket = socket;
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = [];
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(event.data);
      if (message.id !== undefined) {
        const pending = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error) pending?.reject(new Error(`${pending.method}: ${message.error.message}`));
        else pending?.resolve(message.result);
      } else {
        for (const listener of this.listeners) listener(message);
      }
    });
  }

  send(method, params = {}, sessionId) {
    const id = this.nextId++;
    this.socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject, method }));
  }

  on(listener) {
    this.listeners.push(listener);
  }

  close() {
    this.socket.close();
  }
}

/** The reply without its timings (the result and the annotated picture), hashed: two builds that analyse alike give the same. */
function resultHash(reply) {
  const { timingsMs, ...result } = reply.result;
  void timingsMs;
  const hash = createHash('sha256').update(JSON.stringify(result)).update(reply.annotatedPngBase64 ?? '').digest('hex');
  return hash.slice(0, 16);
}

/** This profile's Chromium processes of one kind (a switch on their command line). */
function processIds(profileDir, kind) {
  return spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter((line) => line.includes(`--user-data-dir=${profileDir} `) && line.includes(kind))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

/** One field of /proc/PID/status in MB (0 when the process is gone). */
function statusField(pid, name) {
  try {
    return Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** The process's largest mappings by resident size (/proc/PID/smaps), for telling code, heaps and allocator pools apart. */
function largestMappings(pid) {
  const mappings = [];
  let current = null;
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const header = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) {
      current = { range: `${header[1]}-${header[2]}`, perms: header[3], name: header[4] || '[anon]', sizeKb: (parseInt(header[2], 16) - parseInt(header[1], 16)) / 1024, rssKb: 0 };
      mappings.push(current);
    } else if (current && line.startsWith('Rss:')) {
      current.rssKb = Number(line.split(/\s+/)[1]);
    }
  }
  const byKind = new Map();
  for (const mapping of mappings) {
    const kind = `${mapping.name} ${mapping.perms}`;
    byKind.set(kind, (byKind.get(kind) ?? 0) + mapping.rssKb);
  }
  const top = mappings.sort((a, b) => b.rssKb - a.rssKb).slice(0, 12);
  return `  largest mappings (RSS MB / size MB): ${top.map((m) => `${m.name} ${m.perms} ${(m.rssKb / 1024).toFixed(1)}/${(m.sizeKb / 1024).toFixed(0)}`).join('; ')}\n  by kind: ${[...byKind].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([kind, kb]) => `${kind} ${(kb / 1024).toFixed(0)}`).join('; ')}\n`;
}

/** One field of /proc/PID/smaps_rollup in MB (0 when the process is gone). */
function rollupField(pid, name) {
  try {
    return Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** Resident set (and its anonymous, file-backed and shared parts) of this profile's processes of one kind, MB. */
function processMemory(profileDir, kind) {
  const pids = processIds(profileDir, kind);
  const sum = (name) => pids.reduce((total, pid) => total + statusField(pid, name), 0);
  // Proportional and private sets: the resident set counts the Chromium binary's pages that every Chromium process shares.
  const rollup = (name) => pids.reduce((total, pid) => total + rollupField(pid, name), 0);
  return {
    rss: sum('VmRSS'),
    anon: sum('RssAnon'),
    file: sum('RssFile'),
    shmem: sum('RssShmem'),
    pss: rollup('Pss'),
    private: rollup('Private_Clean') + rollup('Private_Dirty'),
    processes: pids.length,
  };
}

/** What one context holds: V8 heap, WebAssembly memories, array buffers (queryObjects runs a GC first). */
async function contextMemory(cdp, sessionId) {
  await cdp.send('Runtime.enable', {}, sessionId);
  const usage = await cdp.send('Runtime.getHeapUsage', {}, sessionId);
  const evaluate = async (expression) => (await cdp.send('Runtime.evaluate', { expression }, sessionId)).result.objectId;
  const objectsOf = async (prototypeExpression, reduce) => {
    const prototypeObjectId = await evaluate(prototypeExpression);
    if (!prototypeObjectId) return null;
    const { objects } = await cdp.send('Runtime.queryObjects', { prototypeObjectId }, sessionId);
    const { result } = await cdp.send('Runtime.callFunctionOn', { objectId: objects.objectId, functionDeclaration: reduce, returnByValue: true }, sessionId);
    await cdp.send('Runtime.releaseObjectGroup', { objectGroup: '' }, sessionId).catch(() => undefined);
    return result.value;
  };
  const wasmMemories = await objectsOf('WebAssembly.Memory.prototype', 'function () { return this.map((memory) => memory.buffer.byteLength).sort((a, b) => b - a); }');
  const arrayBuffers = await objectsOf(
    'ArrayBuffer.prototype',
    'function () { const sizes = this.map((buffer) => buffer.byteLength).sort((a, b) => b - a); return { count: sizes.length, bytes: sizes.reduce((a, b) => a + b, 0), largest: sizes.slice(0, 8) }; }',
  );
  const modules = await objectsOf('WebAssembly.Module.prototype', 'function () { return this.length; }');
  const instances = await objectsOf('WebAssembly.Instance.prototype', 'function () { return this.length; }');
  const uaMemory = await cdp
    .send('Runtime.evaluate', { expression: 'typeof performance.measureUserAgentSpecificMemory === "function" && self.crossOriginIsolated ? "available" : `unavailable (crossOriginIsolated ${self.crossOriginIsolated})`', returnByValue: true }, sessionId)
    .then(({ result }) => result.value)
    .catch(() => 'unavailable');
  return { heapUsed: usage.usedSize, heapTotal: usage.totalSize, embedderHeap: usage.embedderHeapUsedSize ?? null, backingStorage: usage.backingStorageSize ?? null, wasmMemories, arrayBuffers, modules, instances, uaMemory };
}

/**
 * The analysis worker's share, from a heap snapshot: `Runtime.queryObjects` does not answer in a
 * dedicated worker of an offscreen document (Chromium 156), a snapshot does.
 */
async function workerMemory(cdp, sessionId) {
  const usage = await cdp.send('Runtime.getHeapUsage', {}, sessionId);
  const { byType, buffers, code } = await snapshotSummary(cdp, sessionId);
  return { heapUsed: usage.usedSize, heapTotal: usage.totalSize, embedderHeap: usage.embedderHeapUsedSize ?? null, backingStorage: usage.backingStorageSize ?? null, byType, buffers, code };
}

/**
 * A heap snapshot of one context, summed per node type (self sizes); `buffers` lists the array
 * buffers' backing stores (WebAssembly memories among them), largest first; `code` the
 * WebAssembly and other native nodes with "wasm" in their name; `largest` the heaviest names.
 */
async function snapshotSummary(cdp, sessionId) {
  const chunks = [];
  const listener = (message) => {
    if (message.sessionId === sessionId && message.method === 'HeapProfiler.addHeapSnapshotChunk') chunks.push(message.params.chunk);
  };
  cdp.on(listener);
  await cdp.send('HeapProfiler.enable', {}, sessionId);
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false, captureNumericValue: false }, sessionId);
  cdp.listeners = cdp.listeners.filter((other) => other !== listener);
  const snapshot = JSON.parse(chunks.join(''));
  const { node_fields: fields, node_types: [types] } = snapshot.snapshot.meta;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const byType = {};
  const byName = new Map();
  const buffers = [];
  for (let index = 0; index < snapshot.nodes.length; index += fields.length) {
    const type = types[snapshot.nodes[index + typeAt]];
    const size = snapshot.nodes[index + sizeAt];
    const rawName = snapshot.strings[snapshot.nodes[index + nameAt]];
    byType[type] = (byType[type] ?? 0) + size;
    if (rawName === 'system / JSArrayBufferData') buffers.push(size);
    const name = `${type}: ${rawName}`.slice(0, 80);
    byName.set(name, (byName.get(name) ?? 0) + size);
  }
  buffers.sort((a, b) => b - a);
  const largest = [...byName].sort((a, b) => b[1] - a[1]).slice(0, 15);
  const code = [...byName].filter(([name]) => /wasm|nativemodule/i.test(name)).sort((a, b) => b[1] - a[1]).slice(0, 8);
  return { byType, buffers, code, largest };
}

async function main() {
  const browser = await launchWithExtension({ extraArgs: ['--remote-debugging-port=0'], profile: PROFILE });
  const rows = [];
  let cdp;
  try {
    const port = (await readFile(join(browser.profileDir, 'DevToolsActivePort'), 'utf8')).split('\n')[0];
    const { webSocketDebuggerUrl } = await (await fetch(`http://127.0.0.1:${port}/json/version`)).json();
    cdp = await Cdp.connect(webSocketDebuggerUrl);
    /** sessionId → { type, url } of every extension context we are attached to. */
    const sessions = new Map();
    cdp.on((message) => {
      if (message.method === 'Target.attachedToTarget') {
        const { sessionId, targetInfo } = message.params;
        sessions.set(sessionId, { type: targetInfo.type, url: targetInfo.url });
        // The offscreen document's dedicated worker is reached through the document's own session.
        cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: true }, sessionId).catch(() => undefined);
      } else if (message.method === 'Target.detachedFromTarget') {
        sessions.delete(message.params.sessionId);
      }
    });
    const attachAll = async () => {
      const { targetInfos } = await cdp.send('Target.getTargets');
      const attached = new Set([...sessions.values()].map((session) => session.url + session.type));
      for (const target of targetInfos) {
        if (!target.url.startsWith(`chrome-extension://${browser.extensionId}/`) || attached.has(target.url + target.type)) continue;
        await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: true }).catch(() => undefined);
      }
    };

    const page = await browser.context.newPage();
    await page.goto(browser.extensionUrl('analyze.html'));
    const extensionPid = () => processIds(browser.profileDir, '--extension-process')[0];
    /** RSS only: nothing in the browser is touched (no GC), as the bench reads it. */
    const quiet = async (label, peakMb) => {
      const row = { label, extension: processMemory(browser.profileDir, '--extension-process'), gpu: processMemory(browser.profileDir, '--type=gpu-process'), peakMb, contexts: {} };
      // V8's own counters (no GC): JS heap and the array buffers' backing stores of each context.
      await attachAll();
      for (const [sessionId, { type, url }] of sessions) {
        const usage = await cdp.send('Runtime.getHeapUsage', {}, sessionId).catch(() => null);
        if (usage) row.heaps = { ...row.heaps, [`${type} ${new URL(url).pathname.split('/').pop()}`]: usage };
      }
      rows.push(row);
      printRow(row);
    };
    /** RSS, then a full GC in every extension context and each context's heap, buffers and WebAssembly memories. */
    const detailed = async (label) => {
      await quiet(`${label}: before a forced GC`);
      await attachAll();
      await new Promise((resolve) => setTimeout(resolve, 200));
      for (const sessionId of sessions.keys()) await cdp.send('HeapProfiler.collectGarbage', {}, sessionId).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const contexts = {};
      for (const [sessionId, { type, url }] of sessions) {
        const name = `${type} ${new URL(url).pathname.split('/').pop()}`;
        contexts[name] = await (type === 'worker' ? workerMemory(cdp, sessionId) : contextMemory(cdp, sessionId)).catch((error) => ({ error: error.message }));
      }
      const row = { label: `${label}: after a full GC in every context`, extension: processMemory(browser.profileDir, '--extension-process'), gpu: processMemory(browser.profileDir, '--type=gpu-process'), contexts };
      rows.push(row);
      printRow(row);
    };

    await detailed('analysis page open, no picture yet');
    // The bench's engine order: the first card (cold), every card, every photo; then the cards again.
    const sequence = [CARDS[0], ...CARDS, ...PHOTOS];
    for (let round = 1; round < ROUNDS; round++) sequence.push(...CARDS);
    if (FIRST) sequence.splice(FIRST);
    for (const [index, path] of sequence.entries()) {
      const pid = extensionPid();
      // Writing 5 to clear_refs resets the process's peak resident set (VmHWM), so the next read is this picture's peak.
      if (pid) await writeFile(`/proc/${pid}/clear_refs`, '5').catch(() => undefined);
      const bytes = (await readFile(path)).toString('base64');
      const reply = await page.evaluate(({ name, bytes }) => globalThis.sidelightAnalyzeBytes(name, bytes, true), { name: path.split('/').pop(), bytes });
      await quiet(`${index + 1}. ${path.split('/').pop()}${reply.result.isComparison ? ' (card)' : ''}`, pid ? statusField(pid, 'VmHWM') : NaN);
      rows.at(-1).resultHash = resultHash(reply);
      process.stdout.write(`  result ${rows.at(-1).resultHash}, backends ${JSON.stringify(reply.result.backend)}\n`);
      if (FIRST) await detailed(`after picture ${index + 1}`);
      if (SMAPS_AFTER === index + 1 && pid) process.stdout.write(largestMappings(pid));
      if (index === CARDS.length + PHOTOS.length) await detailed('after the first card, every card and every photo');
    }
    await detailed('at the end');
    if (SETTLE_S) await new Promise((resolve) => setTimeout(resolve, SETTLE_S * 1000));
    if (SNAPSHOT) {
      const worker = [...sessions].find(([, session]) => session.type === 'worker');
      if (worker) {
        const summary = await snapshotSummary(cdp, worker[0]);
        process.stdout.write(`\nlargest array buffers of the analysis worker (MB): ${summary.buffers.slice(0, 20).map((size) => (size / MB).toFixed(2)).join(', ')}\n`);
        process.stdout.write('heap snapshot of the analysis worker, self sizes by node type (MB):\n');
        for (const [type, size] of Object.entries(summary.byType).sort((a, b) => b[1] - a[1])) process.stdout.write(`  ${type}: ${(size / MB).toFixed(1)}\n`);
        process.stdout.write('largest by name (MB):\n');
        for (const [name, size] of summary.largest) process.stdout.write(`  ${name}: ${(size / MB).toFixed(1)}\n`);
        rows.push({ label: 'worker heap snapshot', snapshot: summary });
      }
    }
  } finally {
    cdp?.close();
    await browser.close();
  }
  if (JSON_OUT) await writeFile(JSON_OUT, JSON.stringify(rows, null, 1));
}

function printRow({ label, extension, gpu, peakMb, heaps = {}, contexts }) {
  const mb = (bytes) => (bytes / MB).toFixed(1);
  process.stdout.write(
    `${label}\n  extension process RSS ${extension.rss.toFixed(0)} MB (anon ${extension.anon.toFixed(0)}, file ${extension.file.toFixed(0)}, shmem ${extension.shmem.toFixed(0)}; PSS ${extension.pss.toFixed(0)}, private ${extension.private.toFixed(0)}; ${extension.processes} process)` +
      `${peakMb === undefined ? '' : `, peak during the picture ${peakMb.toFixed(0)} MB`}, GPU process ${gpu.rss.toFixed(0)} MB\n`,
  );
  const heapLines = Object.entries(heaps).map(([name, usage]) => `${name.split(' ')[1]} ${mb(usage.usedSize)}/${mb(usage.totalSize)} + buffers ${mb(usage.backingStorageSize ?? NaN)}`);
  if (heapLines.length) process.stdout.write(`  V8 heaps (used/total JS + array buffer backing stores, MB, no GC): ${heapLines.join('; ')}\n`);
  for (const [name, memory] of Object.entries(contexts)) {
    if (memory.error) {
      process.stdout.write(`  ${name}: ${memory.error}\n`);
      continue;
    }
    if (memory.byType) {
      const large = memory.buffers.filter((size) => size >= MB);
      process.stdout.write(
        `  ${name}: JS heap ${mb(memory.heapUsed)}/${mb(memory.heapTotal)} MB; snapshot: ${Object.entries(memory.byType).filter(([, size]) => size >= MB).map(([type, size]) => `${type} ${mb(size)}`).join(', ')} MB; ` +
          `array buffers ${memory.buffers.length} holding ${mb(memory.buffers.reduce((a, b) => a + b, 0))} MB, those of 1 MB or more [${large.map(mb).join(', ')}]; ` +
          `wasm nodes ${memory.code.map(([codeName, size]) => `${codeName} ${mb(size)}`).join('; ')}\n`,
      );
      continue;
    }
    const buffers = memory.arrayBuffers;
    process.stdout.write(
      `  ${name}: JS heap ${mb(memory.heapUsed)}/${mb(memory.heapTotal)} MB, wasm memories [${(memory.wasmMemories ?? []).map(mb).join(', ')}] MB, ` +
        `array buffers ${buffers ? `${buffers.count} holding ${mb(buffers.bytes)} MB (largest ${buffers.largest.map(mb).join(', ')})` : '?'}, ` +
        `wasm modules ${memory.modules}, instances ${memory.instances}${memory.backingStorage !== null ? `, backing store ${mb(memory.backingStorage)} MB` : ''}; UA memory API ${memory.uaMemory}\n`,
    );
  }
}

await main();
