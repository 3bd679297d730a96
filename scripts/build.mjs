#!/usr/bin/env node
// The one build command: the Chrome (MV3) and Firefox builds of the extension.
import { run } from './lib/proc.mjs';

const targets = process.argv.includes('--chrome-only') ? [[]] : [[], ['-b', 'firefox']];
for (const extra of targets) {
  await run('npx', ['wxt', 'build', ...extra]);
}
