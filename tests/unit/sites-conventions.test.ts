import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SITE_ADAPTERS } from '../../lib/sites/registry';
import type { SiteAdapter } from '../../lib/sites/types';

const SITES_DIR = join(import.meta.dirname, '../../lib/sites');
const FIXTURE_DIR = join(import.meta.dirname, '../fixtures/dom');
const LICENSES = join(import.meta.dirname, '../fixtures/LICENSES.md');
/** The files in lib/sites that are not adapters: shared types, the registry, shared DOM readers. */
const NOT_ADAPTERS = ['types.ts', 'registry.ts', 'dom.ts'];

const sourceFiles = readdirSync(SITES_DIR).filter((file) => file.endsWith('.ts'));
const adapterFiles = sourceFiles.filter((file) => !NOT_ADAPTERS.includes(file));
const fixtures = readdirSync(FIXTURE_DIR);
const source = (file: string) => readFileSync(join(SITES_DIR, file), 'utf8');

function isAdapter(value: unknown): value is SiteAdapter {
  return typeof value === 'object' && value !== null && 'id' in value && 'matches' in value && 'postFor' in value;
}

/** Whether `name` contains `id` as a whole word (`x` in `brocc_x_home-timeline`, not in `fbscraper`). */
function namesAdapter(name: string, id: string): boolean {
  return new RegExp(`(^|[^a-z0-9])${id}([^a-z0-9]|$)`, 'i').test(name);
}

describe.each(sourceFiles)('lib/sites/%s', (file) => {
  it('opens with a one-paragraph doc comment', () => {
    expect(source(file).startsWith('/** ')).toBe(true);
  });

  it('reads the page only: no extension APIs, network or layout', () => {
    expect(source(file)).not.toMatch(/\b(browser|chrome)\.|\bfetch\(|XMLHttpRequest|getBoundingClientRect|getComputedStyle|offset(Width|Height|Top|Left)|client(Width|Height)/);
  });
});

describe.each(adapterFiles)('adapter %s', (file) => {
  const id = file.replace(/\.ts$/, '');

  it('exports one adapter, named like its file and registered in SITE_ADAPTERS', async () => {
    const module = (await import(join(SITES_DIR, file))) as Record<string, unknown>;
    const adapters = Object.values(module).filter(isAdapter);
    expect(adapters).toHaveLength(1);
    expect(adapters[0]?.id).toBe(id);
    expect(SITE_ADAPTERS).toContain(adapters[0]);
  });

  it('documents each selector in one line', () => {
    const block = /const SELECTORS = \{\n([\s\S]*?)\n\} as const;/.exec(source(file))?.[1];
    expect(block, 'a SELECTORS table').toBeDefined();
    const lines = (block ?? '').split('\n');
    lines.forEach((line, index) => {
      if (/^ {2}\w+:/.test(line)) expect(lines[index - 1] ?? '', `comment above ${line.trim()}`).toMatch(/^ {2}\/\*\* .+ \*\/$/);
    });
  });

  it('has a DOM fixture named after it', () => {
    const named = fixtures.filter((name) => id === 'generic' || namesAdapter(name, id));
    expect(named.length).toBeGreaterThan(0);
  });
});

describe('registry', () => {
  it('lists exactly the adapter files, each once, generic last', () => {
    expect(SITE_ADAPTERS.map((adapter) => adapter.id).sort()).toEqual(adapterFiles.map((file) => file.replace(/\.ts$/, '')).sort());
    expect(SITE_ADAPTERS.at(-1)?.id).toBe('generic');
  });
});

describe('DOM fixtures', () => {
  const licences = readFileSync(LICENSES, 'utf8');
  it.each(fixtures)('%s has a row in tests/fixtures/LICENSES.md', (name) => {
    expect(licences).toContain(`| dom/${name} |`);
  });
});
