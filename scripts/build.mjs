#!/usr/bin/env node
// The one build command: asset steps (scripts/assets/*.mjs, in name order: copy wasm and models
// into public/, patch models), then the Chrome (MV3) and Firefox builds of the extension.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './lib/proc.mjs';

const assetSteps = readdirSync(new URL('./assets', import.meta.url)).filter((name) => name.endsWith('.mjs')).sort();
for (const step of assetSteps) await run('node', [join('scripts/assets', step)]);

const targets = process.argv.includes('--chrome-only') ? [[]] : [[], ['-b', 'firefox']];
for (const extra of targets) {
  await run('npx', ['wxt', 'build', ...extra]);
}
