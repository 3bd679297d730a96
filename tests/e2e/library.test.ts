import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLEAR_BELOW } from '../../components/overlay/HeatmapCanvas';
import { decodeHeatmapLevels } from '../../lib/engine/heatmap-codec';
import { analysisResultProblems } from '../../lib/engine/schema';
import type { SignalName } from '../../lib/engine/types';
import type { ArchiveCard } from '../../lib/library/archive';
import { LABEL_BOX_GROW } from '../../lib/worker/render';
import { AUDIT_COLUMNS, auditCardOf, auditModels } from '../../lib/library/audit';
import { launchWithExtension, paintedPixels, scratchDir, serveDemo, type Launched, type Served } from './harness';
import { dropFiles, exportAll as exportArchive } from './library-page';

const CARD_FILE = 'minimaxir_pps_nanobanana_vs_nanobananapro_labeled.webp';
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];
const CONTROLLED_CARD = 'minimaxir_ghibli_real_vs_nanobanana_unlabeled.webp';
const SIGNAL_NAMES: SignalName[] = ['shadow', 'skin', 'knit', 'ceramic'];

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface MenuFeedback {
  ok: boolean;
  badge: string;
  title: string;
}

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

  const exportAll = (name: string) => exportArchive(library, join(downloads, name));

  /** The overlay drawn over this image (overlays sit at the image's document position; they follow a scroll a frame later). */
  async function overlayFor(image: Locator): Promise<Locator> {
    const overlays = feed.locator('sidelight-overlay [data-testid="sidelight-card"]');
    for (let attempt = 0; attempt < 50; attempt++) {
      const imageBox = await image.boundingBox();
      for (let index = 0; index < (await overlays.count()); index++) {
        const box = await overlays.nth(index).boundingBox();
        if (imageBox && box && Math.abs(box.x - imageBox.x) < 2 && Math.abs(box.y - imageBox.y) < 2) return overlays.nth(index);
      }
      await feed.waitForTimeout(200);
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
    // The annotated card is drawn on demand from the saved original, when asked for.
    expect(await detail.locator('img.detail-picture').count()).toBe(0);
    await detail.locator('details.annotated > summary').click();
    await detail.locator('img.detail-picture').waitFor();

    // The overlay's loupe over the saved card: pointing at a spot in panel A magnifies the same spot in both panels.
    const stage = detail.getByTestId('detail-stage');
    await stage.scrollIntoViewIfNeeded();
    expect(await stage.locator('.panel').count()).toBe(2);
    const first = (await stage.locator('.panel-0').boundingBox())!;
    await library.mouse.move(first.x + first.width * 0.3, first.y + first.height * 0.4);
    const loupe = detail.getByTestId('sidelight-loupe');
    await loupe.waitFor({ state: 'visible', timeout: 5000 });
    const views = loupe.locator('canvas');
    expect(await views.count()).toBe(2);
    const spots = [];
    for (const index of [0, 1]) {
      const [x, y, width, height] = ((await views.nth(index).getAttribute('data-source-rect')) ?? '').split(',').map(Number) as [number, number, number, number];
      const [px, py, pw, ph] = ((await stage.locator(`.panel-${index}`).getAttribute('data-box')) ?? '').split(',').map(Number) as [number, number, number, number];
      expect(width).toBe(height);
      expect(x >= px && y >= py && x + width <= px + pw && y + height <= py + ph).toBe(true);
      spots.push({ u: (x + width / 2 - px) / pw, v: (y + height / 2 - py) / ph, width });
    }
    expect(spots[0]!.width).toBe(spots[1]!.width);
    for (const spot of spots) {
      expect(spot.u).toBeCloseTo(0.3, 1);
      expect(spot.v).toBeCloseTo(0.4, 1);
    }
    // The views draw the saved original (an object URL, so readable): each holds picture, not blank.
    for (const index of [0, 1]) expect(await paintedPixels(views.nth(index))).toBeGreaterThan(0);
    await mkdir('out', { recursive: true });
    await detail.screenshot({ path: 'out/library-loupe.png' });
    await library.mouse.move(0, 0);
    await expect.poll(() => loupe.count()).toBe(0);
  });

  /** Switches the detail's first heat map on and checks each panel's canvas paints exactly the hot cells of that panel's saved map. */
  async function checkDetailHeatmaps(analysis: ArchiveCard['analysis']): Promise<string> {
    const detail = library.getByTestId('library-detail');
    const toggles = detail.locator('button.map-toggle');
    const withMaps = SIGNAL_NAMES.filter((signal) => analysis.panels.some((panel) => panel.heatmaps?.[signal]));
    expect(withMaps.length).toBeGreaterThan(0);
    await expect.poll(() => toggles.count()).toBe(withMaps.length);
    const toggle = toggles.first();
    const signal = (await toggle.getAttribute('data-signal')) as SignalName;
    expect(signal).toBe(withMaps[0]);
    expect(await detail.locator('canvas.heatmap').count()).toBe(0);
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    const maps = detail.locator(`[data-testid="detail-stage"] canvas.heatmap[data-signal="${signal}"]`);
    const expected = analysis.panels.filter((panel) => panel.heatmaps?.[signal]).length;
    await expect.poll(() => maps.count()).toBe(expected);
    for (let index = 0; index < expected; index++) {
      const map = maps.nth(index);
      const panel = map.locator('xpath=..');
      const panelIndex = Number(await panel.getAttribute('data-panel'));
      const encoded = analysis.panels[panelIndex]?.heatmaps?.[signal];
      if (!encoded) throw new Error(`panel ${panelIndex} has no ${signal} map in the saved analysis`);
      const hotCells = decodeHeatmapLevels(encoded).filter((level) => level >= CLEAR_BELOW).length;
      expect(hotCells).toBeGreaterThan(0);
      expect(await paintedPixels(map)).toBe(hotCells);
      const [mapBox, panelBox] = (await Promise.all([map.boundingBox(), panel.boundingBox()])) as [Box, Box];
      expect(Math.abs(mapBox.x - panelBox.x)).toBeLessThan(3);
      expect(Math.abs(mapBox.y - panelBox.y)).toBeLessThan(3);
      expect(mapBox.width).toBeGreaterThan(panelBox.width * 0.9);
    }
    return signal;
  }

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
    // The heat maps the overlay drew are kept with the saved card, and exported with it.
    expect(card?.analysis.panels.every((panel) => SIGNAL_NAMES.some((signal) => panel.heatmaps?.[signal]))).toBe(true);
    expect(Buffer.from(files[card!.original]!).equals(cardBytes)).toBe(true);
    expect([...files[card!.annotated!]!.subarray(0, 4)]).toEqual(PNG_SIGNATURE);

    // The annotated PNG outlines where each panel's label was read, dashed, in the panel's colour, just outside the text.
    const { data, info } = await sharp(files[card!.annotated!]!).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const size = card!.analysis.size!;
    const lineWidth = Math.max(2, Math.round(Math.min(size.width, size.height) / 200));
    const colours: [number, number, number][] = [
      [0x38, 0xbd, 0xf8],
      [0xf4, 0x72, 0xb6],
    ];
    card!.analysis.panels.forEach((panel, index) => {
      expect(panel.labelSource).toBe('ocr');
      const [x, y, width] = panel.labelBox!;
      const top = Math.round(y - lineWidth * LABEL_BOX_GROW);
      const colour = colours[index]!;
      let outlined = 0;
      for (let column = Math.round(x); column < x + width; column++) {
        for (let row = top - lineWidth; row <= top + lineWidth; row++) {
          const at = (row * info.width + column) * 4;
          if (colour.every((channel, c) => Math.abs((data[at + c] ?? 0) - channel) < 40)) {
            outlined++;
            break;
          }
        }
      }
      // Dashes of 3 on, 2 off: about 60% of the edge.
      expect(outlined / width).toBeGreaterThan(0.4);
    });
  });

  it('the detail’s heat-map toggles paint each panel’s own saved map, under the loupe', async () => {
    const analysis = firstExport.index.cards[0]!.analysis;
    const signal = await checkDetailHeatmaps(analysis);
    // With the loupe over a mapped spot: what the detail view looks like in use.
    const detail = library.getByTestId('library-detail');
    const stage = detail.getByTestId('detail-stage');
    await detail.evaluate((element) => element.scrollTo(0, 0));
    await stage.scrollIntoViewIfNeeded();
    const panelA = (await stage.locator('.panel-0').boundingBox())!;
    await library.mouse.move(panelA.x + panelA.width * 0.5, panelA.y + panelA.height * 0.35);
    await detail.getByTestId('sidelight-loupe').waitFor({ state: 'visible', timeout: 5000 });
    await mkdir('out', { recursive: true });
    await library.screenshot({ path: 'out/library-detail.png' });
    // Further down: the signal bars, one bar's evidence on hover, and the map switches.
    const bar = detail.locator('.bar[role="meter"]').first();
    await detail.locator('table.signals').scrollIntoViewIfNeeded();
    await bar.hover();
    expect(await detail.locator(`[id="${await bar.getAttribute('aria-describedby')}"]`).isVisible()).toBe(true);
    await library.screenshot({ path: 'out/library-detail-bars.png' });
    await library.mouse.move(0, 0);
    await detail.locator(`button.map-toggle[data-signal="${signal}"]`).click();
    expect(await detail.locator('canvas.heatmap').count()).toBe(0);
    expect(pageErrors).toEqual([]);
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
    expect(index.cards[0]!.analysis.panels.map((panel) => panel.heatmaps)).toEqual(firstExport.index.cards[0]!.analysis.panels.map((panel) => panel.heatmaps));
    // The imported card's detail draws the same maps.
    await tile().locator('.tile-open').click();
    await expect.poll(() => library.getByTestId('library-detail').getAttribute('data-hash')).toBe(hash);
    await checkDetailHeatmaps(index.cards[0]!.analysis);

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

  /** Calls the context menu's click handler in the service worker, as a click on the menu item does. */
  async function menuSave(srcUrl: string): Promise<{ feedback: MenuFeedback; badge: string; title: string }> {
    return browser.serviceWorker.evaluate(
      async ({ srcUrl: src, pageUrl }) => {
        const [tab] = await chrome.tabs.query({ url: pageUrl });
        const click = (globalThis as unknown as { sidelightMenuClick: (info: object, tab: object) => Promise<MenuFeedback> }).sidelightMenuClick;
        const feedback = await click({ menuItemId: 'sidelight-save-image', srcUrl: src, pageUrl, frameId: 0 }, { id: tab!.id, url: pageUrl });
        return { feedback, badge: await chrome.action.getBadgeText({ tabId: tab!.id }), title: await chrome.action.getTitle({ tabId: tab!.id }) };
      },
      { srcUrl, pageUrl: server.feedUrl },
    );
  }

  it('"Save to library" in the context menu saves any image through the same path, and says how it went on the toolbar button', async () => {
    // A controlled comparison whose labels come from its post ("Real photo (left) vs Nano Banana (right)"): saved from its overlay first.
    const image = feed.locator(`img[src$="${CONTROLLED_CARD}"]`);
    await image.scrollIntoViewIfNeeded();
    await expect.poll(() => image.getAttribute('data-sidelight'), { timeout: 60_000 }).toBe('card');
    const save = (await overlayFor(image)).locator('button.save');
    await save.click();
    await expect.poll(() => save.getAttribute('data-state'), { timeout: 20_000 }).toBe('saved');
    const controlledHash = createHash('sha256').update(await readFile(join('tests/fixtures/cards', CONTROLLED_CARD))).digest('hex');
    const controlledTile = library.locator(`.tile[data-hash="${controlledHash}"]`);
    await controlledTile.waitFor();
    const labelled = await controlledTile.locator('.tile-title').textContent();
    expect(labelled).toContain(' vs ');

    // Again from the menu: the card is updated, not duplicated, and keeps the labels its post gave it.
    const again = await menuSave(`${server.origin}/fixtures/cards/${CONTROLLED_CARD}`);
    expect(again).toEqual({ feedback: { ok: true, badge: '✓', title: 'Sidelight: already in the library; updated.' }, badge: '✓', title: 'Sidelight: already in the library; updated.' });
    expect(await controlledTile.locator('.tile-title').textContent()).toBe(labelled);

    // Any image, card or not.
    const photo = await menuSave(`${server.origin}/fixtures/photos/matplotlib_grace_hopper.jpg`);
    expect(photo.feedback).toEqual({ ok: true, badge: '✓', title: 'Sidelight: saved to the library.' });
    const photoHash = createHash('sha256').update(await readFile('tests/fixtures/photos/matplotlib_grace_hopper.jpg')).digest('hex');
    await library.locator(`.tile[data-hash="${photoHash}"]`).waitFor();
    expect(await library.locator(`.tile[data-hash="${photoHash}"]`).textContent()).toContain('127.0.0.1');

    // A failure is reported, not dropped.
    const missing = await menuSave(`${server.origin}/fixtures/photos/no-such-image.png`);
    expect(missing.feedback.ok).toBe(false);
    expect(missing.badge).toBe('!');
    expect(missing.title).toMatch(/^Sidelight: not saved to the library\. Not saved: .*404/);
    expect(await gridCount()).toBe(4);
  });

  /** A real photo and a softened copy of it: the same setup, so a controlled comparison. */
  async function photoPair(photo: string, blur: number): Promise<{ original: Buffer; softened: Buffer }> {
    const original = await readFile(join('tests/fixtures/photos', photo));
    return { original, softened: await sharp(original).blur(blur).png().toBuffer() };
  }

  it('analyses two dropped pictures as the two panels of one card, labelled from their file names', async () => {
    const pairs = [
      { photo: 'matplotlib_grace_hopper.jpg', blur: 2.5, left: 'gpt-image-1.png', right: 'nano-banana.png' },
      { photo: 'skimage_astronaut.png', blur: 1.6, left: 'nano-banana-pro.png', right: 'nano-banana.png' },
    ];
    for (const pair of pairs) {
      const { original, softened } = await photoPair(pair.photo, pair.blur);
      await dropFiles(library, [
        { name: pair.right, type: 'image/png', bytes: softened },
        { name: pair.left, type: 'image/png', bytes: await sharp(original).png().toBuffer() },
      ]);
      const prompt = library.getByTestId('pair-prompt');
      await prompt.waitFor();
      // Dropped in the wrong order: swap, then analyse as one card.
      await prompt.getByRole('button', { name: 'Swap sides' }).click();
      expect(await prompt.textContent()).toContain(`left: ${pair.left}, right: ${pair.right}`);
      await prompt.getByRole('button', { name: 'One comparison card' }).click();
      await library.locator('.notice', { hasText: `${pair.left} + ${pair.right} added to the library` }).waitFor({ timeout: 60_000 });
    }
    expect(await gridCount()).toBe(6);
    await library.locator('.tile-title', { hasText: 'GPT Image 1 vs Nano Banana' }).waitFor();
    await library.locator('.tile-title', { hasText: 'Nano Banana Pro vs Nano Banana' }).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('the audit tab shows, per model, the wins of the saved controlled comparisons, in a chart and a table', async () => {
    // What the audit must show: computed here from the saved results, as exported.
    const { index } = await exportAll('audit.zip');
    const expected = auditModels(index.cards.map((card) => auditCardOf(card, card.analysis)));
    expect(expected.cards).toBe(6);
    expect(expected.counted).toBeGreaterThanOrEqual(1);

    await mkdir('out', { recursive: true });
    await library.screenshot({ path: 'out/library-cards.png' });
    await library.getByRole('tab', { name: 'Model audit' }).click();
    const audit = library.getByTestId('library-audit');
    await audit.waitFor();
    expect(await audit.getAttribute('data-counted')).toBe(String(expected.counted));
    expect(await audit.getAttribute('data-cards')).toBe('6');
    expect(await library.getByTestId('audit-summary').textContent()).toContain(`${expected.counted} controlled comparison`);

    const table = library.getByTestId('audit-table');
    expect(await table.locator('tbody tr').count()).toBe(expected.models.length);
    for (const model of expected.models) {
      const row = table.locator(`tbody tr[data-model="${model.model}"]`);
      for (const column of AUDIT_COLUMNS) {
        const tally = model.columns[column];
        const cell = row.locator(`td[data-column="${column}"]`);
        const won = tally.cards === 0 ? '–' : `${tally.won} of ${tally.cards} (${Math.round((100 * tally.won) / tally.cards)}%)`;
        expect(await cell.locator('.won').textContent()).toBe(won);
        if (tally.cards > 0) expect(await cell.locator('.rest').textContent()).toBe(`${tally.lost} lost, ${tally.even} ${column === 'overall' ? 'no winner' : 'even'}`);
      }
    }
    // The chart draws one bar per model with cards behind the selected column, and names the table as its text equivalent.
    const chart = library.getByTestId('audit-chart');
    const charted = expected.models.filter((model) => model.columns.overall.cards > 0);
    expect(await chart.locator('.audit-row').count()).toBe(charted.length);
    for (const model of charted) {
      const bar = chart.locator(`.audit-row[data-model="${model.model}"]`);
      expect(await bar.getAttribute('data-cards')).toBe(String(model.columns.overall.cards));
      expect(await bar.getAttribute('data-won')).toBe(String(model.columns.overall.won));
    }
    expect(await chart.getAttribute('role')).toBe('img');
    expect(await chart.getAttribute('aria-describedby')).toBe(await table.getAttribute('id'));

    // Per signal: the skin column.
    await library.getByRole('radio', { name: 'Skin' }).check();
    await expect.poll(() => chart.getAttribute('data-column')).toBe('skin');
    expect(await chart.locator('.audit-row').count()).toBe(expected.models.filter((model) => model.columns.skin.cards > 0).length);
    await library.getByRole('radio', { name: 'Overall verdict' }).check();

    // Per author: the demo feed's cards carry no author, the dropped pairs neither: one group.
    expect(await library.getByTestId('audit-authors').locator('tbody tr').count()).toBeGreaterThanOrEqual(1);

    const dismiss = library.locator('.notice').getByRole('button', { name: 'Dismiss' });
    while ((await dismiss.count()) > 0) await dismiss.first().click();
    await library.setViewportSize({ width: 1100, height: 1240 });
    await library.screenshot({ path: 'out/library-audit.png' });

    // As narrow as a side panel: the chart is redrawn to fit, names above the bars, text at its size.
    await library.setViewportSize({ width: 400, height: 1000 });
    const figure = library.locator('.audit-figure-block');
    await expect.poll(async () => Number(await chart.getAttribute('width'))).toBeLessThan(400);
    const [figureBox, chartBox] = [await figure.boundingBox(), await chart.boundingBox()];
    expect(chartBox!.x + chartBox!.width).toBeLessThanOrEqual(figureBox!.x + figureBox!.width);
    expect(await chart.locator('.audit-row').count()).toBe(charted.length);
    await library.screenshot({ path: 'out/library-audit-narrow.png' });
    await library.setViewportSize({ width: 1280, height: 900 });
    expect(pageErrors).toEqual([]);
  });

  it('two tabs importing the same cards at once end with each card once', async () => {
    const zip = join(downloads, 'audit.zip');
    await library.getByRole('tab', { name: 'Cards' }).click();
    await library.getByRole('button', { name: 'Select all shown' }).click();
    await library.getByRole('button', { name: 'Delete selected' }).click();
    await library.locator('.notice', { hasText: 'Deleted 6 cards.' }).getByRole('button', { name: 'Dismiss' }).click();
    await library.reload();
    await library.getByText('No saved cards yet').waitFor();

    const other = await browser.context.newPage();
    other.on('pageerror', (error) => pageErrors.push(error.message));
    await other.goto(browser.extensionUrl('library.html'));
    await other.getByText('No saved cards yet').waitFor();
    await Promise.all([library.getByTestId('library-import').setInputFiles(zip), other.getByTestId('library-import').setInputFiles(zip)]);
    const imported = async (page: Page) => {
      const text = (await page.locator('.notice', { hasText: 'Imported audit.zip' }).textContent({ timeout: 60_000 })) ?? '';
      const [, added, already] = /(\d+) added, (\d+) already/.exec(text) ?? [];
      return { added: Number(added), already: Number(already) };
    };
    const [first, second] = await Promise.all([imported(library), imported(other)]);
    expect(first.added + second.added).toBe(6);
    expect(first.already + second.already).toBe(6);
    await expect.poll(gridCount).toBe(6);
    await expect.poll(async () => Number(await other.locator('[data-testid="library-grid"]').getAttribute('data-count'))).toBe(6);
    expect(await library.locator('[data-testid="library-grid"] .tile').count()).toBe(6);
    await other.close();
    expect(pageErrors).toEqual([]);
  });
});
