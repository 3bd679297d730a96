import { cp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisReply } from '../../lib/messaging/protocol';
import { EXTENSION_DIR } from '../../scripts/lib/browser.mjs';
import { launchWithExtension, scratchDir, type Launched } from './harness';

/** Read as "Nano Banana" | "GPT-4o" by the shipped label worker; 509 px wide. */
const POISONED_CARD = 'tests/fixtures/composed/label_bars_gpt4o_over_camera.jpg';
const POISONED_WIDTH = 509;
/** Read as "Old" | "New". */
const NEXT_CARD = 'tests/fixtures/composed/label_pills_old_new_mono.jpg';

/**
 * A copy of the built extension whose label worker dies (an uncaught error, as a crash or running
 * out of memory ends it) on a card of POISONED_WIDTH, after it has begun reading it, and works on
 * every other card: the shipped worker runs unchanged under a wrapper with the worker's file name.
 */
async function extensionWithDyingLabelWorker(): Promise<ExtensionCopy> {
  const { extensionDir, assets, shipped, remove } = await extensionCopy();
  await rename(join(assets, shipped), join(assets, 'labels-shipped.js'));
  // The shipped worker's listener is added first (imports run first): it starts on the card, then this one throws.
  await writeFile(
    join(assets, shipped),
    `import './labels-shipped.js';\nself.addEventListener('message', (event) => {\n  if (event.data.kind === 'read-labels' && event.data.image.width === ${POISONED_WIDTH}) throw new Error('label worker killed by the test');\n});\n`,
  );
  return { extensionDir, remove };
}

interface ExtensionCopy {
  extensionDir: string;
  remove: () => Promise<void>;
}

/** A copy of the built extension, and its label worker's file name in `assets`. */
async function extensionCopy(): Promise<ExtensionCopy & { assets: string; shipped: string }> {
  const scratch = await scratchDir('label-worker');
  const extensionDir = join(scratch, 'extension');
  await cp(EXTENSION_DIR, extensionDir, { recursive: true });
  const assets = join(extensionDir, 'assets');
  const shipped = (await readdir(assets)).find((file) => /^labels\.worker-.*\.js$/.test(file));
  if (!shipped) throw new Error(`${EXTENSION_DIR} has no label worker (assets/labels.worker-*.js): build it first.`);
  return { extensionDir, assets, shipped, remove: () => rm(scratch, { recursive: true, force: true }) };
}

/** A copy of the built extension without its label worker's script: the worker never loads. */
async function extensionWithoutLabelWorker(): Promise<ExtensionCopy> {
  const { extensionDir, assets, shipped, remove } = await extensionCopy();
  await rm(join(assets, shipped));
  return { extensionDir, remove };
}

/** The analysis page of a browser with `extension` loaded, and how to analyse a fixture file there. */
async function analysisPage(extension: ExtensionCopy): Promise<{ browser: Launched; analyzeFile: (path: string) => Promise<AnalysisReply> }> {
  const browser = await launchWithExtension({ extensionDir: extension.extensionDir });
  const analyze: Page = await browser.context.newPage();
  await analyze.goto(browser.extensionUrl('analyze.html'));
  const analyzeFile = async (path: string) =>
    analyze.evaluate(
      ({ name, bytes }) => (globalThis as unknown as { sidelightAnalyzeBytes: (n: string, b: string, r: boolean, backend: string) => Promise<AnalysisReply> }).sidelightAnalyzeBytes(name, bytes, false, 'wasm'),
      { name: path.split('/').pop() as string, bytes: (await readFile(path)).toString('base64') },
    );
  return { browser, analyzeFile };
}

/** Labels, label boxes and label sources of a result's panels. */
const labelParts = (result: AnalysisReply['result']) => result.panels.map((panel) => [panel.label, panel.labelBox, panel.labelSource]);
const NO_LABELS = [
  [null, null, null],
  [null, null, null],
];

describe('a label worker that dies', () => {
  let browser: Launched;
  let extension: ExtensionCopy;
  let analyzeFile: (path: string) => Promise<AnalysisReply>;

  beforeAll(async () => {
    extension = await extensionWithDyingLabelWorker();
    ({ browser, analyzeFile } = await analysisPage(extension));
  });

  afterAll(async () => {
    await browser?.close();
    await extension?.remove();
  });

  it('leaves that card without labels and still maps and judges it', async () => {
    const { result } = await analyzeFile(POISONED_CARD);
    expect(result).toMatchObject({ ok: true, isComparison: true, layout: 'side-by-side' });
    expect(labelParts(result)).toEqual(NO_LABELS);
    expect(result.backend.onnx).toBeNull();
    expect(result.backend.mediapipe).toBe('cpu');
    expect(result.panels.every((panel) => panel.regions !== null && typeof panel.photo === 'boolean')).toBe(true);
    expect(result.verdict?.summary).toMatch(/\w/);
  });

  it('reads the next card’s labels on a new label worker', async () => {
    const { result } = await analyzeFile(NEXT_CARD);
    expect(result).toMatchObject({ ok: true, isComparison: true });
    expect(result.panels.map((panel) => panel.label)).toEqual(['Old', 'New']);
    expect(result.panels.every((panel) => panel.labelSource === 'ocr' && panel.labelBox !== null)).toBe(true);
    expect(result.backend.onnx).toBe('wasm');
  });
});

describe('a label worker that does not load', () => {
  let browser: Launched;
  let extension: ExtensionCopy;
  let analyzeFile: (path: string) => Promise<AnalysisReply>;

  beforeAll(async () => {
    extension = await extensionWithoutLabelWorker();
    ({ browser, analyzeFile } = await analysisPage(extension));
  });

  afterAll(async () => {
    await browser?.close();
    await extension?.remove();
  });

  it('leaves every card without labels, card after card, and still maps and judges them', async () => {
    for (const card of [POISONED_CARD, NEXT_CARD]) {
      const { result } = await analyzeFile(card);
      expect(result).toMatchObject({ ok: true, isComparison: true });
      expect(labelParts(result)).toEqual(NO_LABELS);
      expect(result.backend.onnx).toBeNull();
      expect(result.panels.every((panel) => panel.regions !== null)).toBe(true);
    }
  });
});
