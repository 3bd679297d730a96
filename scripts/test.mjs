#!/usr/bin/env node
// npm test: lint, typecheck, unit tests, build, Firefox lint, end-to-end tests in the system Chromium.
import { existsSync } from 'node:fs';
import { ensureChromium } from './lib/chromium.mjs';
import { run } from './lib/proc.mjs';

const step = (title) => console.log(`\n▶ ${title}`);

try {
  step('Chromium');
  console.log(ensureChromium());
} catch (error) {
  console.error(error.message);
  process.exit(1);
}

try {
  if (!existsSync('.wxt/tsconfig.json')) await run('npx', ['wxt', 'prepare']);
  step('Lint');
  await run('npx', ['eslint', '.']);
  step('Typecheck');
  await run('npx', ['tsc', '--noEmit']);
  step('Unit tests');
  await run('npx', ['vitest', 'run', '--project', 'unit']);
  step('Build (Chrome MV3 and Firefox MV2)');
  await run('node', ['scripts/build.mjs']);
  step('Firefox build lint (web-ext lint)');
  await run('npx', ['web-ext', 'lint', '--source-dir', '.output/firefox-mv2', '--no-config-discovery', '--warnings-as-errors=false']);
  step('End-to-end tests (system Chromium, built extension)');
  await run('npx', ['vitest', 'run', '--project', 'e2e']);
} catch (error) {
  console.error(`\n✖ ${error.message}`);
  process.exit(1);
}
console.log('\n✔ All checks passed.');
