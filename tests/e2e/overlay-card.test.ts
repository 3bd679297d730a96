/**
 * What a viewer does with one detected card, in real Chromium with the built extension: heat maps
 * per signal, the synchronized loupe, evidence, copy, Escape, keyboard reach, and dismiss (which
 * survives a reload). Screenshots go to out/ for a person to look at.
 */
import { mkdir } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scrollAndSettle } from '../../scripts/lib/feed.mjs';
import { CLEAR_BELOW } from '../../components/overlay/HeatmapCanvas';
import { decodeHeatmapLevels } from '../../lib/engine/heatmap-codec';
import type { AnalysisReply } from '../../lib/messaging/protocol';
import { launchWithExtension, paintedPixels, serveDemo, type Launched, type Served } from './harness';

const CARD = 'minimaxir_pps_nanobanana_vs_nanobananapro_labeled.webp';
const OTHER_CARD = 'minimaxir_ghibli_real_vs_nanobanana_unlabeled.webp';
const OUT = 'out/overlay';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The overlay drawn over the image whose src ends with `file` (overlays are matched to images by their position). */
async function overlayFor(page: Page, file: string): Promise<Locator | null> {
  const image = page.locator(`img[src$="${file}"]`);
  await image.scrollIntoViewIfNeeded();
  const target = await image.boundingBox();
  const cards = page.locator('sidelight-overlay [data-testid="sidelight-card"]');
  for (let index = 0; index < (await cards.count()); index++) {
    const box = await cards.nth(index).boundingBox();
    if (target && box && Math.abs(box.x - target.x) < 2 && Math.abs(box.y - target.y) < 2 && Math.abs(box.width - target.width) < 2) return cards.nth(index);
  }
  return null;
}

async function mustOverlay(page: Page, file: string): Promise<Locator> {
  const card = await overlayFor(page, file);
  if (!card) throw new Error(`no overlay over ${file}`);
  return card;
}

/** The description of whatever has focus, looking inside the overlay's shadow root. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    let active: Element | null = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    if (!active) return 'none';
    const element = active as HTMLElement;
    return [element.tagName.toLowerCase(), element.className, element.dataset.signal ?? '', element.dataset.panel ?? ''].join('|');
  });
}

describe('a detected card, in Chromium with the built extension', () => {
  let server: Served;
  let browser: Launched | null = null;
  let page: Page;

  beforeAll(async () => {
    await mkdir(OUT, { recursive: true });
    // A page whose CSP allows no inline style at all: the overlay's constructed stylesheet must still apply.
    const strictPage = `<!doctype html><html><head><title>strict</title></head><body><img src="/fixtures/cards/${CARD}" alt="card" width="700"></body></html>`;
    server = await serveDemo({
      routes: {
        // Served from localhost, its image from 127.0.0.1: a cross-origin image, as on social sites' CDNs.
        '/cross/': (_request, response) => {
          response.writeHead(200, { 'content-type': 'text/html' });
          response.end(`<!doctype html><html><body><img src="${server.origin}/fixtures/cards/${OTHER_CARD}" alt="card" width="700"></body></html>`);
        },
        '/dark/': (_request, response) => {
          response.writeHead(200, { 'content-type': 'text/html' });
          response.end(`<!doctype html><html><body style="background:#15202b;color:#f7f9f9;margin:16px"><img src="/fixtures/cards/${OTHER_CARD}" alt="card" width="640"></body></html>`);
        },
        '/strict/': (_request, response) => {
          response.writeHead(200, { 'content-type': 'text/html', 'content-security-policy': "default-src 'none'; img-src 'self'; style-src 'self'; script-src 'self'" });
          response.end(strictPage);
        },
      },
    });
    browser = await launchWithExtension();
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.origin).origin });
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 900, height: 1000 });
    await page.goto(server.feedUrl);
    await scrollAndSettle(page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('follows the page’s light background', async () => {
    expect(await page.locator('sidelight-overlay .layer').getAttribute('data-theme')).toBe('light');
  });

  it('toggles a signal’s heat map: painted pixels over each panel, gone again when switched off', async () => {
    const card = await mustOverlay(page, CARD);
    await card.locator('button.badge').click();
    const toggles = card.locator('button.map-toggle');
    expect(await toggles.count()).toBeGreaterThan(0);
    const toggle = toggles.first();
    const signal = await toggle.getAttribute('data-signal');
    expect(await card.locator('canvas.heatmap').count()).toBe(0);
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    const maps = card.locator(`canvas.heatmap[data-signal="${signal}"]`);
    expect(await maps.count()).toBeGreaterThan(0);
    // The result the overlay drew from (the extension's own analysis page gets it from the same cache).
    const analyze = await browser!.context.newPage();
    await analyze.goto(browser!.extensionUrl('analyze.html'));
    const { result } = await analyze.evaluate(
      (url) => (globalThis as unknown as { sidelightAnalyzeImage: (u: string) => Promise<AnalysisReply> }).sidelightAnalyzeImage(url),
      `${server.origin}/fixtures/cards/${CARD}`,
    );
    await analyze.close();
    for (let index = 0; index < (await maps.count()); index++) {
      const map = maps.nth(index);
      // Each panel's canvas holds that panel's own map: one pixel per cell, painted where the cell is hot enough to show.
      const panelIndex = Number(await map.locator('xpath=..').getAttribute('data-panel'));
      const encoded = result.panels[panelIndex]?.heatmaps?.[signal as 'shadow'];
      if (!encoded) throw new Error(`panel ${panelIndex} has no ${signal} map in its result`);
      const hotCells = decodeHeatmapLevels(encoded).filter((level) => level >= CLEAR_BELOW).length;
      expect(hotCells).toBeGreaterThan(0);
      expect(await paintedPixels(map)).toBe(hotCells);
      // Drawn inside its own panel's outline: the panel clips it, and it starts at the panel's corner.
      const panel = map.locator('xpath=..');
      const [mapBox, panelBox] = (await Promise.all([map.boundingBox(), panel.boundingBox()])) as [Box, Box];
      expect(Math.abs(mapBox.x - panelBox.x)).toBeLessThan(3);
      expect(Math.abs(mapBox.y - panelBox.y)).toBeLessThan(3);
      expect(mapBox.width).toBeGreaterThan(panelBox.width * 0.9);
    }
    await card.screenshot({ path: `${OUT}/heatmap-${signal}.png` });
    await page.locator('article').first().screenshot({ path: `${OUT}/heatmap-${signal}-post.png` });
    await toggle.click();
    expect(await card.locator('canvas.heatmap').count()).toBe(0);
  });

  it('shows the evidence behind a bar on hover', async () => {
    const card = await mustOverlay(page, CARD);
    const bar = card.locator('.bar[role="meter"]').first();
    const evidence = card.locator(`[id="${await bar.getAttribute('aria-describedby')}"]`);
    expect(await evidence.isVisible()).toBe(false);
    await bar.hover();
    expect(await evidence.isVisible()).toBe(true);
    expect(await evidence.textContent()).toMatch(/^Reads .+\.\s*.*\d/);
    const details = (await card.locator('section.details').boundingBox()) as Box;
    await page.screenshot({ path: `${OUT}/evidence.png`, animations: 'disabled', clip: { x: details.x - 8, y: details.y - 120, width: details.width + 16, height: details.height + 128 } });
    await page.mouse.move(0, 0);
  });

  it('magnifies the same relative spot of both panels when panel A is hovered', async () => {
    const card = await mustOverlay(page, CARD);
    const panelA = card.locator('.panel-0');
    const box = (await panelA.boundingBox()) as Box;
    const pointer = { x: box.x + box.width * 0.3, y: box.y + box.height * 0.4 };
    await page.mouse.move(pointer.x, pointer.y);
    const loupe = card.locator('[data-testid="sidelight-loupe"]');
    await loupe.waitFor({ state: 'visible', timeout: 5000 });
    // It never hides the spot it magnifies.
    const loupeBox = (await loupe.boundingBox()) as Box;
    expect(pointer.x >= loupeBox.x && pointer.x <= loupeBox.x + loupeBox.width && pointer.y >= loupeBox.y && pointer.y <= loupeBox.y + loupeBox.height).toBe(false);
    const views = loupe.locator('canvas');
    expect(await views.count()).toBe(2);
    const spots = [];
    for (let index = 0; index < 2; index++) {
      const [x, y, width, height] = ((await views.nth(index).getAttribute('data-source-rect')) ?? '').split(',').map(Number) as [number, number, number, number];
      const [px, py, pw, ph] = ((await card.locator(`.panel-${index}`).getAttribute('data-box')) ?? '').split(',').map(Number) as [number, number, number, number];
      expect(width).toBe(height);
      expect(x >= px && y >= py && x + width <= px + pw && y + height <= py + ph).toBe(true);
      spots.push({ u: (x + width / 2 - px) / pw, v: (y + height / 2 - py) / ph, width });
    }
    const [a, b] = spots as [(typeof spots)[number], (typeof spots)[number]];
    expect(a.width).toBe(b.width);
    for (const spot of spots) {
      expect(spot.u).toBeCloseTo(0.3, 1);
      expect(spot.v).toBeCloseTo(0.4, 1);
    }
    // The demo's images are same-origin, so the views can be read back: each matches the image drawn at its source rect.
    const differences = await views.evaluateAll((canvases: HTMLCanvasElement[], file: string) => {
      const image = document.querySelector<HTMLImageElement>(`img[src$="${file}"]`);
      if (!image) throw new Error('image missing');
      return canvases.map((canvas) => {
        const [x, y, width, height] = (canvas.dataset.sourceRect ?? '').split(',').map(Number) as [number, number, number, number];
        const reference = document.createElement('canvas');
        reference.width = canvas.width;
        reference.height = canvas.height;
        const context = reference.getContext('2d');
        if (!context) throw new Error('no 2d context');
        context.imageSmoothingQuality = 'high';
        context.drawImage(image, x, y, width, height, 0, 0, reference.width, reference.height);
        const expected = context.getImageData(0, 0, reference.width, reference.height).data;
        const actual = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
        let sum = 0;
        let spread = 0;
        for (let index = 0; index < expected.length; index += 4) {
          sum += Math.abs((actual[index] ?? 0) - (expected[index] ?? 0));
          spread += Math.abs((expected[index] ?? 0) - (expected[0] ?? 0));
        }
        return { meanDifference: sum / (expected.length / 4), meanSpread: spread / (expected.length / 4) };
      });
    }, CARD);
    for (const { meanDifference, meanSpread } of differences) {
      expect(meanDifference).toBeLessThan(2);
      // Not a blank view matching a blank reference: the crop has detail.
      expect(meanSpread).toBeGreaterThan(5);
    }
    await card.screenshot({ path: `${OUT}/loupe.png` });
    await page.mouse.move(0, 0);
    await loupe.waitFor({ state: 'detached', timeout: 5000 });
  });

  it('reaches every control with Tab, opens the loupe from the keyboard, and closes the breakdown on Escape', async () => {
    const card = await mustOverlay(page, CARD);
    const controls = await card.locator('button, [tabindex="0"]').evaluateAll((elements: HTMLElement[]) =>
      elements.map((element) => [element.tagName.toLowerCase(), element.className, element.dataset.signal ?? '', element.dataset.panel ?? ''].join('|')),
    );
    expect(controls.length).toBeGreaterThan(8);
    await card.locator('button.badge').focus();
    const reached = new Set([await focused(page)]);
    for (let press = 0; press < controls.length + 5 && reached.size < controls.length; press++) {
      await page.keyboard.press('Tab');
      reached.add(await focused(page));
      if ((await focused(page)).startsWith('div|panel panel-1')) {
        // A focused panel shows the loupe at its centre; arrow keys move it.
        await card.locator('[data-testid="sidelight-loupe"]').waitFor({ state: 'visible', timeout: 5000 });
        const before = await card.locator('[data-testid="sidelight-loupe"] canvas').first().getAttribute('data-source-rect');
        await page.keyboard.press('ArrowRight');
        expect(await card.locator('[data-testid="sidelight-loupe"] canvas').first().getAttribute('data-source-rect')).not.toBe(before);
      }
    }
    expect(controls.filter((control) => !reached.has(control))).toEqual([]);
    expect(await card.locator('section.details').count()).toBe(1);
    await page.keyboard.press('Escape');
    expect(await card.locator('section.details').count()).toBe(0);
    expect(await focused(page)).toMatch(/^button\|badge/);
  });

  it('animates only when the reader has not asked for reduced motion', async () => {
    const card = await mustOverlay(page, CARD);
    const animationOf = async () => {
      await card.locator('button.badge').click();
      const name = await card.locator('section.details').evaluate((element) => getComputedStyle(element).animationName);
      await page.keyboard.press('Escape');
      return name;
    };
    await page.emulateMedia({ reducedMotion: 'reduce' });
    expect(await animationOf()).toBe('none');
    await page.emulateMedia({ reducedMotion: 'no-preference' });
    expect(await animationOf()).toBe('sidelight-fade');
  });

  it('copies the result as text onto the clipboard', async () => {
    const card = await mustOverlay(page, CARD);
    await card.locator('button.badge').click();
    await card.locator('button.copy').click();
    await card.locator('button.copy', { hasText: 'Copied' }).waitFor({ timeout: 5000 });
    const text = await page.evaluate(() => navigator.clipboard.readText());
    expect(text).toMatch(/^Sidelight: comparison card \(side by side\)/);
    expect(text).toContain('Nano Banana Pro');
    expect(text).toMatch(/Verdict: \S/);
  });

  it('turns dark on a dark page', async () => {
    const dark = await browser!.context.newPage();
    try {
      await dark.setViewportSize({ width: 900, height: 1000 });
      await dark.goto(`${server.origin}/dark/`);
      await expect.poll(() => dark.locator('img').getAttribute('data-sidelight'), { timeout: 60_000 }).toBe('card');
      expect(await dark.locator('sidelight-overlay .layer').getAttribute('data-theme')).toBe('dark');
      const card = await mustOverlay(dark, OTHER_CARD);
      await card.locator('button.badge').click();
      await card.locator('button.map-toggle').last().click();
      const background = await card.locator('section.details').evaluate((element) => getComputedStyle(element).backgroundColor);
      expect(background).toBe('rgb(15, 23, 42)');
      await dark.screenshot({ path: `${OUT}/dark-page.png` });
    } finally {
      await dark.close();
    }
  });

  it('keeps the breakdown, heat maps and loupe styled on a page with a strict CSP', async () => {
    const strict = await browser!.context.newPage();
    try {
      await strict.setViewportSize({ width: 900, height: 1000 });
      await strict.goto(`${server.origin}/strict/`);
      await expect.poll(() => strict.locator('img').getAttribute('data-sidelight'), { timeout: 60_000 }).toBe('card');
      const card = await mustOverlay(strict, CARD);
      await card.locator('button.badge').click();
      const details = card.locator('section.details');
      expect(await details.evaluate((element) => getComputedStyle(element).position)).toBe('absolute');
      expect(await details.evaluate((element) => getComputedStyle(element).borderRadius)).toBe('12px');
      await card.locator('button.map-toggle').first().click();
      const map = card.locator('canvas.heatmap').first();
      expect(await map.evaluate((element) => getComputedStyle(element).position)).toBe('absolute');
      expect(await paintedPixels(map)).toBeGreaterThan(0);
      const box = (await card.locator('.panel-1').boundingBox()) as Box;
      await strict.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      const loupe = card.locator('[data-testid="sidelight-loupe"]');
      await loupe.waitFor({ state: 'visible', timeout: 5000 });
      expect(await loupe.evaluate((element) => getComputedStyle(element).display)).toBe('flex');
      await strict.screenshot({ path: `${OUT}/strict-csp.png` });
    } finally {
      await strict.close();
    }
  });

  it('draws the loupe from a cross-origin image without reading its pixels', async () => {
    const cross = await browser!.context.newPage();
    try {
      await cross.setViewportSize({ width: 900, height: 1000 });
      await cross.goto(`${server.origin.replace('127.0.0.1', 'localhost')}/cross/`);
      await expect.poll(() => cross.locator('img').getAttribute('data-sidelight'), { timeout: 60_000 }).toBe('card');
      const card = await mustOverlay(cross, OTHER_CARD);
      await card.locator('button.badge').click();
      const box = (await card.locator('.panel-0').boundingBox()) as Box;
      const pointer = { x: box.x + box.width * 0.5, y: box.y + box.height * 0.45 };
      await cross.mouse.move(pointer.x, pointer.y);
      const views = card.locator('[data-testid="sidelight-loupe"] canvas');
      await views.first().waitFor({ state: 'visible', timeout: 5000 });
      // A short card: the loupe goes beside the spot rather than over it.
      const loupeBox = (await card.locator('[data-testid="sidelight-loupe"]').boundingBox()) as Box;
      expect(pointer.x >= loupeBox.x && pointer.x <= loupeBox.x + loupeBox.width && pointer.y >= loupeBox.y && pointer.y <= loupeBox.y + loupeBox.height).toBe(false);
      expect(await views.count()).toBe(2);
      // The views hold the cross-origin image (tainted: reading them back is refused) ...
      const readBack = await views.first().evaluate((canvas: HTMLCanvasElement) => {
        try {
          canvas.getContext('2d')?.getImageData(0, 0, 1, 1);
          return 'readable';
        } catch (error) {
          return (error as DOMException).name;
        }
      });
      expect(readBack).toBe('SecurityError');
      // ... and show picture detail on screen, not an empty frame.
      for (let index = 0; index < 2; index++) {
        const { channels } = await sharp(await views.nth(index).screenshot()).stats();
        expect(Math.max(...channels.slice(0, 3).map((channel) => channel.stdev))).toBeGreaterThan(8);
      }
      await cross.screenshot({ path: `${OUT}/cross-origin-loupe.png` });
    } finally {
      await cross.close();
    }
  });

  it('dismisses the overlay on an image, and it stays gone after a reload; other cards keep theirs', async () => {
    const card = await mustOverlay(page, CARD);
    await card.locator('button.dismiss').click();
    expect(await overlayFor(page, CARD)).toBeNull();
    await page.reload();
    const states = await scrollAndSettle(page);
    expect(states.find((image) => image.src.endsWith(CARD))?.state).toBe('card');
    expect(await overlayFor(page, CARD)).toBeNull();
    expect(await overlayFor(page, OTHER_CARD)).not.toBeNull();
  });
});
