#!/usr/bin/env node
// npm run fingerprint: one SHA-256 per engine case on the repository's fixtures (scripts/fingerprint.ts:
// detection, label strips, recognition inputs, region maps, signals, audit and verdict), in Node.
// For speed rewrites that must not change a result: fingerprint before, change, compare after.
//
//   --out FILE      write the fingerprints as JSON
//   --compare FILE  compare with fingerprints written earlier; exit 1 when any case differs or is missing
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

function option(name) {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const log = (line) => process.stderr.write(`${line}\n`);
const { module: engine } = await runnerImport(fileURLToPath(new URL('./fingerprint.ts', import.meta.url)), { configFile: false, logLevel: 'error' });
const started = performance.now();
const prints = await engine.engineFingerprints(log);
log(`${Object.keys(prints).length} cases in ${((performance.now() - started) / 1000).toFixed(0)} s`);

const groups = new Map();
for (const [name, hash] of Object.entries(prints)) {
  const group = name.split(' ')[0];
  groups.set(group, [...(groups.get(group) ?? []), hash]);
}
for (const [group, hashes] of groups) console.log(`${group.padEnd(7)} ${String(hashes.length).padStart(4)} cases  ${engine.fingerprint(hashes)}`);

const out = option('out');
if (out) await writeFile(out, `${JSON.stringify(prints, null, 1)}\n`);
const compare = option('compare');
if (compare) {
  const before = JSON.parse(await readFile(compare, 'utf8'));
  const changed = Object.keys(before).filter((name) => prints[name] !== before[name]);
  const added = Object.keys(prints).filter((name) => !(name in before));
  for (const name of changed) console.log(`${name in prints ? 'changed' : 'missing'}: ${name}`);
  for (const name of added) console.log(`new: ${name}`);
  console.log(changed.length === 0 ? `same as ${compare} (${Object.keys(before).length} cases${added.length ? `, ${added.length} new` : ''})` : `${changed.length} of ${Object.keys(before).length} cases differ from ${compare}`);
  process.exitCode = changed.length === 0 ? 0 : 1;
}
