// Two files dropped on the library as one comparison card, in real Chromium with the built
// extension: they go through the same pair analysis as a two-image post, so the saved card's panels
// are exactly the two files, and two unrelated pictures are not saved as a comparison.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pairLayout, pairPanelBoxes } from '../../lib/engine/pair';
import { analysisResultProblems } from '../../lib/engine/schema';
import { launchWithExtension, scratchDir, type Launched } from './harness';
import { dropFiles, exportAll } from './library-page';

// A controlled comparison (the same scene twice) whose two pictures meet at x = 1042: cut apart there, a related pair.
const CONTROLLED_CARD = 'tests/fixtures/cards/minimaxir_ghibli_real_vs_nanobanana_unlabeled.webp';
const CONTROLLED_SEAM = 1042;
// Two photos of different scenes, named after no model.
const UNRELATED = ['tests/fixtures/photos/skimage_chelsea.png', 'tests/fixtures/photos/skimage_coffee.png'] as const;
/** Mean absolute difference per channel (0–255) allowed between a panel of the saved card and its file scaled by sharp: two resamplers. */
const RESAMPLE_TOLERANCE = 6;

const sha256 = (bytes: Buffer | Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('library: two dropped files as one comparison card', () => {
  let browser: Launched;
  let library: Page;
  let downloads: string;
  const pageErrors: string[] = [];
  const gridCount = async () => Number((await library.locator('[data-testid="library-grid"]').getAttribute('data-count')) ?? 0);

  beforeAll(async () => {
    downloads = await scratchDir('library-pair');
    browser = await launchWithExtension();
    library = await browser.context.newPage();
    library.on('pageerror', (error) => pageErrors.push(error.message));
    await library.goto(browser.extensionUrl('library.html'));
  });

  afterAll(async () => {
    await browser?.close();
  });

  /** Drops two files and asks for one comparison card. */
  async function dropPair(files: { name: string; bytes: Buffer }[]): Promise<void> {
    await dropFiles(
      library,
      files.map(({ name, bytes }) => ({ name, type: 'image/png', bytes })),
    );
    const prompt = library.getByTestId('pair-prompt');
    await prompt.waitFor();
    expect(await prompt.textContent()).toContain(`left: ${files[0]?.name}, right: ${files[1]?.name}`);
    await prompt.getByRole('button', { name: 'One comparison card' }).click();
  }

  it('saves the two halves of a card as one card whose panels are exactly the two files, recording both', async () => {
    const { width, height } = await sharp(CONTROLLED_CARD).metadata();
    const halves = [
      { name: 'real-left.png', bytes: await sharp(CONTROLLED_CARD).extract({ left: 0, top: 0, width: CONTROLLED_SEAM, height }).png().toBuffer() },
      { name: 'generated-right.png', bytes: await sharp(CONTROLLED_CARD).extract({ left: CONTROLLED_SEAM, top: 0, width: width - CONTROLLED_SEAM, height }).png().toBuffer() },
    ];
    await dropPair(halves);
    await library.locator('.notice', { hasText: 'real-left.png + generated-right.png added to the library' }).waitFor({ timeout: 90_000 });
    expect(await gridCount()).toBe(1);

    const { index, files } = await exportAll(library, join(downloads, 'pair.zip'));
    const [card] = index.cards;
    const analysis = card!.analysis;
    expect(analysisResultProblems(analysis)).toEqual([]);
    const layout = pairLayout({ width: CONTROLLED_SEAM, height }, { width: width - CONTROLLED_SEAM, height });
    const boxes = pairPanelBoxes(layout);
    expect(analysis).toMatchObject({ ok: true, isComparison: true, layout: 'side-by-side', size: { width: layout.width, height: layout.height } });
    expect(analysis.panels.map((panel) => panel.box)).toEqual(boxes);
    expect(analysis.source).toEqual({
      kind: 'pair',
      images: [
        { file: 'real-left.png', hash: sha256(halves[0]!.bytes), width: CONTROLLED_SEAM, height },
        { file: 'generated-right.png', hash: sha256(halves[1]!.bytes), width: width - CONTROLLED_SEAM, height },
      ],
    });

    // The saved picture is the two files side by side, each where its panel box says, keyed by its own hash.
    const original = Buffer.from(files[card!.original]!);
    expect(card!.hash).toBe(sha256(original));
    expect(analysis.hash).toBe(card!.hash);
    const saved = sharp(original).removeAlpha();
    expect(await saved.metadata()).toMatchObject({ width: layout.width, height: layout.height });
    for (const [panel, half] of halves.entries()) {
      const [x, y, boxWidth, boxHeight] = boxes[panel]!;
      const [fromCard, fromFile] = await Promise.all([
        sharp(original).removeAlpha().extract({ left: x, top: y, width: boxWidth, height: boxHeight }).raw().toBuffer(),
        sharp(half.bytes).removeAlpha().resize(boxWidth, boxHeight, { fit: 'fill' }).raw().toBuffer(),
      ]);
      let difference = 0;
      for (let at = 0; at < fromCard.length; at++) difference += Math.abs((fromCard[at] ?? 0) - (fromFile[at] ?? 0));
      expect(difference / fromCard.length, `panel ${panel}`).toBeLessThan(RESAMPLE_TOLERANCE);
    }
    expect(pageErrors).toEqual([]);
  });

  it('does not save two unrelated pictures as a comparison: it says why, and the two files can still be added', async () => {
    const files = await Promise.all(UNRELATED.map(async (path) => ({ name: path.split('/').pop()!, bytes: await readFile(path) })));
    await dropPair(files);
    const notice = library.getByRole('alert').filter({ hasText: 'skimage_chelsea.png + skimage_coffee.png not saved as a comparison' });
    await notice.waitFor({ timeout: 90_000 });
    expect(await notice.textContent()).toMatch(/different scenes, and their file names do not name two models.*Nothing was saved; you can still add them as two separate images/);
    expect(await gridCount()).toBe(1);

    // Nothing is lost: the two files are still offered, and one click adds them as two images.
    const prompt = library.getByTestId('pair-prompt');
    expect(await prompt.textContent()).toContain('left: skimage_chelsea.png, right: skimage_coffee.png');
    await prompt.getByRole('button', { name: 'Two separate images' }).click();
    for (const { name, bytes } of files) {
      await library.locator('.notice', { hasText: `${name} added to the library` }).waitFor({ timeout: 90_000 });
      await library.locator(`.tile[data-hash="${sha256(bytes)}"]`).waitFor();
    }
    expect(await gridCount()).toBe(3);
    expect(pageErrors).toEqual([]);
  });
});
