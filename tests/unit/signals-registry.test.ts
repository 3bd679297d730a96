import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SIGNALS, measurePanel, noMeasurements } from '../../lib/engine/signals/registry';
import { panelSignalsResult, realismOf, SIGNAL_NAMES } from '../../lib/engine/signals/realism';
import type { Signal, SignalMeasurement } from '../../lib/engine/signals/types';
import { ellipseMask, portrait, rectMask, regionsWith } from './signals-synthetic';

const SIGNALS_DIR = join(import.meta.dirname, '../../lib/engine/signals');
const UNIT_DIR = import.meta.dirname;
const ACCURACY = readFileSync(join(import.meta.dirname, '../../docs/accuracy.md'), 'utf8');
/** Files in lib/engine/signals that are not signals: shared types, helpers, the gate, the registry, realism. */
const NOT_SIGNALS = ['types.ts', 'registry.ts', 'pixels.ts', 'context.ts', 'photo.ts', 'realism.ts'];

const sourceFiles = readdirSync(SIGNALS_DIR).filter((file) => file.endsWith('.ts'));
const signalFiles = sourceFiles.filter((file) => !NOT_SIGNALS.includes(file));
const source = (file: string) => readFileSync(join(SIGNALS_DIR, file), 'utf8');

function isSignal(value: unknown): value is Signal {
  return typeof value === 'object' && value !== null && 'name' in value && 'measure' in value && 'reads' in value;
}

describe.each(sourceFiles)('lib/engine/signals/%s', (file) => {
  it('opens with a doc comment', () => {
    expect(source(file).startsWith('/**')).toBe(true);
  });
});

describe.each(signalFiles)('signal %s', (file) => {
  const name = file.replace(/\.ts$/, '');

  it('exports one signal, named like its file and registered in SIGNALS', async () => {
    const module = (await import(join(SIGNALS_DIR, file))) as Record<string, unknown>;
    const signals = Object.values(module).filter(isSignal);
    expect(signals).toHaveLength(1);
    expect(signals[0]?.name).toBe(name);
    expect(SIGNALS).toContain(signals[0]);
  });

  it('has its own unit tests and a section in docs/accuracy.md', () => {
    expect(readdirSync(UNIT_DIR)).toContain(`signals-${name}.test.ts`);
    expect(ACCURACY).toContain(`### ${name} (\`${file}\`)`);
  });
});

describe('the registry', () => {
  it('lists every signal name once, in the result schema order', () => {
    expect(SIGNALS.map((signal) => signal.name)).toEqual([...SIGNAL_NAMES]);
  });

  it('documents every evidence term the signals report', () => {
    // A scene where every term applies: dark, shaded skin touching the garment, and a cup on a table.
    const scene = portrait({ faceLevel: 90, faceShading: 60 });
    const shoulder = rectMask(256, 256, 40, 150, 176, 26);
    const cup = ellipseMask(256, 256, 60, 60, 30, 20);
    const regions = regionsWith(256, 256, { ...scene.regions, otherSkin: shoulder, tabletop: [{ kind: 'cup', mask: cup }] });
    const terms = new Set<string>();
    const { measurements } = measurePanel(scene.image, regions);
    for (const measurement of Object.values(measurements)) for (const term of Object.keys(measurement?.evidence ?? {})) terms.add(term);
    expect(terms.size).toBeGreaterThan(20);
    for (const term of terms) expect(ACCURACY, term).toContain(`\`${term}\``);
  });
});

describe('panelSignalsResult', () => {
  const measurement = (score: number): SignalMeasurement => ({ score, evidence: { term: 0.5 }, heatmap: { data: new Float32Array(4), width: 2, height: 2, scale: 0.01 } });

  it('keeps score and evidence, drops the heatmap, and gives realism as the plain mean of the present signals', () => {
    const result = panelSignalsResult({ ...noMeasurements(), shadow: measurement(80), knit: measurement(61) });
    expect(result).toEqual({
      signals: { shadow: { score: 80, evidence: { term: 0.5 } }, skin: null, knit: { score: 61, evidence: { term: 0.5 } }, ceramic: null },
      realism: 70.5,
    });
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('gives null realism when no signal applies', () => {
    expect(panelSignalsResult(noMeasurements()).realism).toBeNull();
    expect(realismOf({ shadow: null, skin: null, knit: null, ceramic: null })).toBeNull();
  });
});
