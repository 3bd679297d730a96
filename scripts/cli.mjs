#!/usr/bin/env node
// sidelight analyze: the extension's own engine, run on local files inside headless Chromium.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXTENSION_DIR, launchWithExtension } from './lib/browser.mjs';
import { analyzeFilesInExtension } from './lib/extension-client.mjs';
import { run } from './lib/proc.mjs';

const USAGE = `Usage: sidelight analyze [--json] [--out DIR] [--backend auto|wasm|webgpu] [--pair] FILE...

  --json       print one JSON document (schema: docs/cli.md) on stdout; progress goes to stderr
  --out DIR    write FILE.annotated.png and FILE.json per input into DIR
  --backend    model backend: auto (WebGPU on a real GPU, else WASM), wasm or webgpu
  --pair       take the files two at a time, left then right: each two pictures are the two
               panels of one card, as a two-image post is (sidelight analyze --pair left.png right.png)`;
const BACKENDS = ['auto', 'wasm', 'webgpu'];
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function usageError(message) {
  process.stderr.write(`sidelight: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

export function parseArgs(argv) {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') return { help: true };
  if (command !== 'analyze') usageError(command ? `unknown command "${command}"` : 'no command given');
  const options = { json: false, out: null, backend: 'auto', pair: false, files: [] };
  for (let index = 0; index < rest.length; index++) {
    const arg = rest[index];
    if (arg === '--json') options.json = true;
    else if (arg === '--pair') options.pair = true;
    else if (arg === '--out' || arg === '--backend') {
      const value = rest[++index];
      if (value === undefined || value.startsWith('--')) usageError(`${arg} needs a value`);
      if (arg === '--out') options.out = value;
      else options.backend = value;
    } else if (arg === '--help' || arg === '-h') return { help: true };
    else if (arg.startsWith('--')) usageError(`unknown option ${arg}`);
    else options.files.push(arg);
  }
  if (!BACKENDS.includes(options.backend)) usageError(`--backend must be one of ${BACKENDS.join(', ')}`);
  if (options.files.length === 0) usageError('no files given');
  if (options.pair && options.files.length % 2 !== 0) {
    const count = options.files.length;
    usageError(`--pair takes the files two at a time, left then right: ${count} file${count === 1 ? '' : 's'} given`);
  }
  return options;
}

async function ensureBuilt() {
  if (existsSync(join(EXTENSION_DIR, 'manifest.json'))) return;
  process.stderr.write('sidelight: building the extension first (npm run build)...\n');
  // The build's own output goes to stderr so stdout stays one JSON document.
  await run('node', [join(ROOT, 'scripts/build.mjs'), '--chrome-only'], { stdio: ['ignore', 2, 2], cwd: ROOT });
}

const stemOf = (path) => basename(path, extname(path));

/** With --pair: the files two at a time, each two one input whose result is one card ("left.png + right.png"). */
function pairsOf(files) {
  const pairs = [];
  for (let index = 0; index < files.length; index += 2) {
    const pair = [files[index], files[index + 1]];
    pairs.push({ name: `${pair[0].name} + ${pair[1].name}`, stem: `${pair[0].stem}+${pair[1].stem}`, pair });
  }
  return pairs;
}

async function readInputs(paths) {
  return Promise.all(
    paths.map(async (path) => {
      try {
        return { name: basename(path), stem: stemOf(path), bytes: await readFile(path) };
      } catch (error) {
        const why = error.code === 'ENOENT' ? 'no such file' : error.code === 'EISDIR' ? 'it is a directory' : error.message;
        return { name: basename(path), stem: stemOf(path), readError: `The file could not be read (${why}).` };
      }
    }),
  );
}

/** Why two files given with --pair are not one card, when the reason is about the pair rather than one picture. */
const PAIR_REASONS = {
  'unrelated-pictures': 'the two pictures show different scenes, and their file names do not name two models (like nano-banana-pro.png), so nothing says they are one comparison',
};

function humanLine(result) {
  if (!result.ok) return `${result.file}: error: ${result.error}`;
  const panels = result.panels.map((panel) => `[${panel.box.join(',')}]${panel.label === null ? '' : ` ${JSON.stringify(panel.label)}`}`).join(' ');
  const why = PAIR_REASONS[result.reason] ? `: ${PAIR_REASONS[result.reason]}` : '';
  const kind = result.source?.kind === 'pair' ? 'comparison of two pictures' : 'comparison';
  return `${result.file}: ${result.isComparison ? `${kind} (${result.layout}) ${panels}` : `not a comparison (${result.reason})${why}`}  ${result.timingsMs.total.toFixed(1)} ms`;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  await ensureBuilt();
  const files = await readInputs(options.files);
  const inputs = options.pair ? pairsOf(files) : files;
  const started = performance.now();
  // Headless Chromium on Linux exposes WebGPU only behind this switch; with no GPU it is a software adapter.
  const extraArgs = options.backend === 'webgpu' ? ['--enable-unsafe-webgpu'] : [];
  const browser = await launchWithExtension({ headless: true, extraArgs, log: (line) => process.stderr.write(`${line}\n`) });
  try {
    process.stderr.write(`sidelight: engine started in ${(performance.now() - started).toFixed(0)} ms (${options.backend} backend requested)\n`);
    const replies = await analyzeFilesInExtension(browser, inputs, {
      render: Boolean(options.out),
      backend: options.backend,
      onProgress: (index, file) => process.stderr.write(`sidelight: [${index + 1}/${inputs.length}] ${file.name}\n`),
    });
    for (const reply of replies) {
      // Loading happens once, on the first card with a label; it is not part of any file's timings.
      if (reply.modelLoadMs) process.stderr.write(`sidelight: models loaded in ${reply.modelLoadMs.toFixed(0)} ms (onnx: ${reply.result.backend.onnx ?? 'none'})\n`);
    }
    const results = replies.map((reply) => reply.result);
    if (options.out) await writeOutputs(options.out, inputs, replies);
    if (options.json) process.stdout.write(`${JSON.stringify({ version: 1, results }, null, 2)}\n`);
    else for (const result of results) process.stdout.write(`${humanLine(result)}\n`);
  } finally {
    await browser.close();
  }
}

async function writeOutputs(outDir, inputs, replies) {
  await mkdir(outDir, { recursive: true });
  for (const [index, input] of inputs.entries()) {
    const { stem } = input;
    const reply = replies[index];
    await writeFile(join(outDir, `${stem}.json`), `${JSON.stringify(reply.result, null, 2)}\n`);
    const png = reply.annotatedPngBase64;
    if (png) await writeFile(join(outDir, `${stem}.annotated.png`), Buffer.from(png, 'base64'));
  }
  process.stderr.write(`sidelight: wrote results to ${resolve(outDir)}\n`);
}

main().catch((error) => {
  process.stderr.write(`sidelight: ${error.message}\n`);
  process.exit(1);
});
