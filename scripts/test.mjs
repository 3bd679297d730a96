#!/usr/bin/env node
// npm test: lint, typecheck, unit tests, build, Firefox lint, end-to-end tests in the system Chromium.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
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
  await lintFirefoxBuild();
  step('End-to-end tests (system Chromium, built extension)');
  await run('npx', ['vitest', 'run', '--project', 'e2e']);
} catch (error) {
  console.error(`\n✖ ${error.message}`);
  process.exit(1);
}
console.log('\n✔ All checks passed.');

/** web-ext lint of the Firefox build: errors fail the suite; warnings are listed in one line each. */
async function lintFirefoxBuild() {
  let output;
  try {
    output = execFileSync('npx', ['web-ext', 'lint', '--source-dir', '.output/firefox-mv2', '--no-config-discovery', '--output', 'json'], { encoding: 'utf8' });
  } catch (error) {
    output = error.stdout;
  }
  const report = JSON.parse(output);
  for (const kind of ['errors', 'warnings']) {
    for (const message of report[kind]) console.log(`${kind === 'errors' ? 'error' : 'warning'}: ${message.code} ${message.file ?? ''} ${message.message}`);
  }
  console.log(`web-ext lint: ${report.summary.errors} errors, ${report.summary.warnings} warnings, ${report.summary.notices} notices`);
  if (report.summary.errors > 0) throw new Error('web-ext lint found errors in the Firefox build');
}
