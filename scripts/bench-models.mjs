#!/usr/bin/env node
// npm run bench:models: the vision models as the extension ships and runs them, in one command.
// 1. each MediaPipe task on its own, cold and warm (scripts/bench-mediapipe.mjs);
// 2. the pipeline's region stage per panel: cold model load, warm face (detection + landmarks)
//    and segmentation (segmenter + region maps), against the budgets of ≤ 30 ms and ≤ 60 ms per
//    panel (scripts/bench-regions.mjs);
// 3. the build's size: every model and wasm file the Chrome build ships, and the whole build.
// Builds the extension first unless --no-build. Prints Markdown for docs/models.md.
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { EXTENSION_DIR } from './lib/browser.mjs';
import { run } from './lib/proc.mjs';

if (!process.argv.includes('--no-build')) await run('node', ['scripts/build.mjs', '--chrome-only'], { stdio: ['ignore', 2, 2] });

process.stdout.write('## MediaPipe tasks, each on its own\n\n');
await run('node', ['scripts/bench-mediapipe.mjs']);
process.stdout.write('\n## The region stage per panel (budgets: face ≤ 30 ms, segmentation ≤ 60 ms)\n\n');
await run('node', ['scripts/bench-regions.mjs']);

/** Every file under `dir`, recursively. */
async function filesUnder(dir) {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

const files = await Promise.all((await filesUnder(EXTENSION_DIR)).map(async (file) => ({ file: relative(EXTENSION_DIR, file), bytes: (await stat(file)).size })));
const shipped = files.filter(({ file }) => /\.(wasm|tflite|onnx|task|binarypb)$/.test(file) || file.includes('ppocr_keys')).sort((a, b) => b.bytes - a.bytes);
const mb = (bytes) => `${(bytes / 1048576).toFixed(2)} MB`;
const total = files.reduce((sum, { bytes }) => sum + bytes, 0);
process.stdout.write(
  [
    '',
    "## The build's size (Chrome build, unpacked)",
    '',
    '| file | size |',
    '|---|---|',
    ...shipped.map(({ file, bytes }) => `| \`${file}\` | ${mb(bytes)} |`),
    `| models and wasm together | ${mb(shipped.reduce((sum, { bytes }) => sum + bytes, 0))} |`,
    `| the whole build (${files.length} files) | ${mb(total)} |`,
    '',
    'The packaged zip is measured by `npm run bench` (`wxt zip`).',
    '',
  ].join('\n'),
);
