import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysisResultProblems } from '../../lib/engine/schema';
import { ARCHIVE_INDEX_PATH, type ArchiveIndex } from '../../lib/library/archive';
import { launchWithExtension, scratchDir, serveDemo, type Launched, type Served } from './harness';

const CARD_FILE = 'minimaxir_pps_nanobanana_vs_nanobananapro_labeled.webp';
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];

describe('library: save from the overlay → library → export → delete → import', () => {
  let server: Served;
  let browser: Launched;
  let feed: Page;
  let library: Page;
  let cardBytes: Buffer;
  let hash: string;
  let downloads: string;
  const pageErrors: string[] = [];

  const tile = () => library.locator(`[data-testid="library-grid"] .tile[data-hash="${hash}"]`);
  const gridCount = async () => Number(await library.locator('[data-testid="library-grid"]').getAttribute('data-count'));

  async function exportAll(name: string): Promise<{ index: ArchiveIndex; files: Record<string, Uint8Array>; path: string }> {
    const [download] = await Promise.all([library.waitForEvent('download'), library.getByRole('button', { name: 'Export all' }).click()]);
    const path = join(downloads, name);
    await download.saveAs(path);
    const files = unzipSync(new Uint8Array(await readFile(path)));
    const indexBytes = files[ARCHIVE_INDEX_PATH];
    if (!indexBytes) throw new Error('The export has no index.');
    return { index: JSON.parse(strFromU8(indexBytes)) as ArchiveIndex, files, path };
  }

  /** The overlay drawn over this image (overlays sit at the image's document position). */
  async function overlayFor(image: Locator): Promise<Locator> {
    const imageBox = await image.boundingBox();
    const overlays = feed.locator('sidelight-overlay [data-testid="sidelight-card"]');
    for (let index = 0; index < (await overlays.count()); index++) {
      const box = await overlays.nth(index).boundingBox();
      if (imageBox && box && Math.abs(box.x - imageBox.x) < 2 && Math.abs(box.y - imageBox.y) < 2) return overlays.nth(index);
    }
    throw new Error('No overlay over the card.');
  }

  beforeAll(async () => {
    cardBytes = await readFile(join('tests/fixtures/cards', CARD_FILE));
    hash = createHash('sha256').update(cardBytes).digest('hex');
    downloads = await scratchDir('library-downloads');
    server = await serveDemo();
    browser = await launchWithExtension();
    feed = await browser.context.newPage();
    await feed.goto(server.feedUrl);
    library = await browser.context.newPage();
    library.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('is the side panel (Chrome) and the sidebar (Firefox), with unlimited storage', async () => {
    const chrome = JSON.parse(await readFile('.output/chrome-mv3/manifest.json', 'utf8')) as { side_panel?: { default_path?: string }; permissions?: string[] };
    expect(chrome.side_panel?.default_path).toBe('library.html');
    expect(chrome.permissions).toEqual(expect.arrayContaining(['sidePanel', 'unlimitedStorage']));
  });

  it('saves a card from its overlay with a keyboard-reachable, labelled Save button', async () => {
    const image = feed.locator(`img[src$="${CARD_FILE}"]`);
    await expect.poll(() => image.getAttribute('data-sidelight'), { timeout: 60_000 }).toBe('card');
    const save = (await overlayFor(image)).locator('button.save');
    expect(await save.getAttribute('aria-label')).toBe('Save this card to the Sidelight library');
    await save.focus();
    await feed.keyboard.press('Enter');
    await expect.poll(() => save.getAttribute('data-state'), { timeout: 20_000 }).toBe('saved');
    expect(await save.textContent()).toBe('Saved');
  });

  it('shows the saved card in the library with the post it came from', async () => {
    await library.goto(browser.extensionUrl('library.html'));
    await tile().waitFor();
    expect(await gridCount()).toBe(1);
    expect(await tile().textContent()).toContain('127.0.0.1');
    await tile().locator('.tile-open').click();
    const detail = library.getByTestId('library-detail');
    await expect.poll(() => detail.getAttribute('data-hash')).toBe(hash);
    // The demo feed is read by the generic site adapter: the post's text is its image's alt text.
    expect(await detail.textContent()).toContain('Nano Banana vs Nano Banana Pro, same prompt: the costumed barista hero.');
    // The annotated card is drawn on demand from the saved original.
    await detail.locator('img.detail-picture').waitFor();
  });

  let firstExport: Awaited<ReturnType<typeof exportAll>>;

  it('exports a ZIP with the original, the annotated PNG and one schema-versioned JSON', async () => {
    firstExport = await exportAll('first.zip');
    const { index, files } = firstExport;
    expect(index).toMatchObject({ format: 'sidelight-library', version: 1, resultSchemaVersion: 1 });
    expect(index.cards).toHaveLength(1);
    const [card] = index.cards;
    expect(card).toMatchObject({ hash, site: '127.0.0.1', mime: 'image/webp', pageUrl: server.feedUrl, postUrl: server.feedUrl });
    expect(card?.postText).toContain('Nano Banana vs Nano Banana Pro, same prompt');
    expect(analysisResultProblems(card?.analysis)).toEqual([]);
    expect(card?.analysis.hash).toBe(hash);
    expect(Buffer.from(files[card!.original]!).equals(cardBytes)).toBe(true);
    expect([...files[card!.annotated!]!.subarray(0, 4)]).toEqual(PNG_SIGNATURE);
  });

  it('deletes with undo, then for good', async () => {
    await library.getByRole('button', { name: 'Delete this card' }).click();
    await expect.poll(gridCount).toBe(0);
    await library.getByRole('button', { name: 'Undo' }).click();
    await tile().waitFor();
    await tile().locator('.tile-open').click();
    await library.getByRole('button', { name: 'Delete this card' }).click();
    await expect.poll(gridCount).toBe(0);
    // Dismissing the undo notice ends the undo window: the card and its bytes are purged.
    const notice = library.locator('.notice', { hasText: 'Deleted 1 card.' });
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await library.reload();
    await library.getByText('No saved cards yet').waitFor();
  });

  it('imports the ZIP back: the same card, same hash, same analysis; importing again adds nothing', async () => {
    await library.getByTestId('library-import').setInputFiles(firstExport.path);
    await library.locator('.notice', { hasText: '1 added, 0 already in the library' }).waitFor();
    await tile().waitFor();
    const { index } = await exportAll('second.zip');
    expect(index.cards).toEqual(firstExport.index.cards);

    await library.getByTestId('library-import').setInputFiles(firstExport.path);
    await library.locator('.notice', { hasText: '0 added, 1 already in the library' }).waitFor();
    expect(await gridCount()).toBe(1);
  });

  it('analyses and saves an image dropped onto the page', async () => {
    const dropped = 'minimaxir_counter_ui_nanobanana_vs_pro_labeled.webp';
    const bytes = await readFile(join('tests/fixtures/cards', dropped));
    await library.evaluate(
      ({ name, base64 }) => {
        const file = new File([Uint8Array.from(atob(base64), (char) => char.charCodeAt(0))], name, { type: 'image/webp' });
        const transfer = new DataTransfer();
        transfer.items.add(file);
        document.querySelector('main.library')?.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      },
      { name: dropped, base64: bytes.toString('base64') },
    );
    await library.locator('.notice', { hasText: `${dropped} added to the library` }).waitFor({ timeout: 30_000 });
    await library.locator(`.tile[data-hash="${createHash('sha256').update(bytes).digest('hex')}"]`).waitFor();
    expect(await gridCount()).toBe(2);
    expect(pageErrors).toEqual([]);
  });
});
