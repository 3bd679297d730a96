import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedRoutes, FORMS, observeFeedItems, scrollAndSettleFeedItems, type FeedItem, type ObservedItem } from '../../scripts/lib/feed-page.mjs';
import { launchWithExtension, serveDemo, type Launched, type Served } from './harness';

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

const overlayBoxes = (page: Page): Promise<Box[]> =>
  page.locator('sidelight-overlay [data-testid="sidelight-card"]').evaluateAll((cards) =>
    cards.map((card) => {
      const rect = card.getBoundingClientRect();
      return { left: rect.left, top: rect.top, width: rect.width, height: rect.height };
    }),
  );

const sameBox = (a: Box, b: Box) => Math.abs(a.left - b.left) <= 2 && Math.abs(a.top - b.top) <= 2 && Math.abs(a.width - b.width) <= 2 && Math.abs(a.height - b.height) <= 2;

/** The overlays drawn over each item's subject, matched by box. */
async function overlaysPerItem(page: Page): Promise<{ perItem: Map<string, number>; unmatched: Box[] }> {
  const items = await observeFeedItems(page);
  const boxes = await overlayBoxes(page);
  const perItem = new Map<string, number>();
  const unmatched: Box[] = [];
  for (const box of boxes) {
    const owner = items.find((item) => item.box && sameBox(item.box, box));
    if (owner) perItem.set(owner.id, (perItem.get(owner.id) ?? 0) + 1);
    else unmatched.push(box);
  }
  return { perItem, unmatched };
}

describe('candidate discovery on a 60-image feed', () => {
  let server: Served;
  let browser: Launched;
  let page: Page;
  let items: FeedItem[];
  let firstPass: ObservedItem[];
  /** Server paths (with query) the extension's background downloaded, in order. */
  const extensionFetches: string[] = [];

  beforeAll(async () => {
    const feed = await feedRoutes();
    items = feed.items;
    server = await serveDemo({
      routes: feed.routes,
      onRequest: (request) => {
        // The background's fetch: no page behind it (a page's own loads say same-origin).
        if (request.headers['sec-fetch-site'] === 'none' && request.headers['sec-fetch-mode'] === 'cors') extensionFetches.push(request.url ?? '');
      },
    });
    browser = await launchWithExtension();
    page = await browser.context.newPage();
    await page.goto(`${server.origin}/feed/`);
    firstPass = (await scrollAndSettleFeedItems(page)).items;
  }, 400_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('has 60 images: cards and photos in every form, and avatars', () => {
    expect(items).toHaveLength(60);
    for (const form of FORMS) {
      expect(items.some((item) => item.truth === 'card' && item.form === form), `a card as ${form}`).toBe(true);
      expect(items.some((item) => item.truth === 'photo' && item.form === form), `a photo as ${form}`).toBe(true);
    }
  });

  it('finds every card, in every form, and no photo or avatar as a card', () => {
    const wrong = firstPass.filter((item) => (item.truth === 'card' ? item.state !== 'card' : item.state === 'card' || item.state === 'error' || item.state === 'pending'));
    expect(wrong).toEqual([]);
    expect(firstPass.filter((item) => item.truth === 'avatar' && item.state !== null)).toEqual([]);
  });

  it('draws exactly one overlay on each card and none elsewhere', async () => {
    const { perItem, unmatched } = await overlaysPerItem(page);
    expect(unmatched).toEqual([]);
    const cards = items.filter((item) => item.truth === 'card').map((item) => item.id);
    expect(cards.map((id) => [id, perItem.get(id) ?? 0])).toEqual(cards.map((id) => [id, 1]));
    expect([...perItem.keys()].filter((id) => !cards.includes(id))).toEqual([]);
  });

  it('downloads the largest <picture> candidate, never the one the viewport picked, and each address once', () => {
    for (const item of items.filter((candidate) => candidate.form === 'picture')) {
      expect(extensionFetches, item.id).toContain(item.url);
      expect(extensionFetches, item.id).not.toContain(item.smallUrl);
    }
    // blob: and data: pictures are read by the page, never downloaded by the background.
    const pageRead = items.filter((item) => item.truth !== 'avatar' && ['blob', 'blob-revoked', 'data'].includes(item.form));
    expect(extensionFetches.filter((url) => pageRead.some((item) => item.url === url))).toEqual([]);
    expect(extensionFetches.length).toBe(new Set(extensionFetches).size);
  });

  it('after a reload, downloads nothing again and draws the same overlays', async () => {
    const before = extensionFetches.length;
    await page.reload();
    const secondPass = (await scrollAndSettleFeedItems(page)).items;
    expect(secondPass.map((item) => [item.id, item.state])).toEqual(firstPass.map((item) => [item.id, item.state]));
    expect(extensionFetches.slice(before)).toEqual([]);
    const { perItem, unmatched } = await overlaysPerItem(page);
    expect(unmatched).toEqual([]);
    expect([...perItem.values()].every((count) => count === 1)).toBe(true);
    expect(perItem.size).toBe(items.filter((item) => item.truth === 'card').length);
  });

  it('on a card of every form, hovering a panel opens the loupe on both panels, and a heat-map toggle paints both', async () => {
    const loupes: string[] = [];
    const maps: string[] = [];
    for (const form of FORMS) {
      const target = items.find((item) => item.truth === 'card' && item.form === form) as FeedItem;
      await page.locator(`#${target.id}`).scrollIntoViewIfNeeded();
      await page.waitForTimeout(300);
      const subject = (await observeFeedItems(page)).find((item) => item.id === target.id);
      const index = (await overlayBoxes(page)).findIndex((box) => subject?.box && sameBox(subject.box, box));
      expect(index, `${target.id} (${form}) has an overlay`).toBeGreaterThanOrEqual(0);
      const card = page.locator('sidelight-overlay [data-testid="sidelight-card"]').nth(index);
      await card.locator('button.badge').click();
      // The feed gives each form its own card file; a graphic card has no realism signals, so no maps to toggle.
      const toggle = card.locator('button.map-toggle').first();
      if ((await card.locator('button.map-toggle').count()) > 0) {
        await toggle.click();
        expect(await toggle.getAttribute('aria-pressed'), form).toBe('true');
        expect(await card.locator('.panel-0 canvas.heatmap').count(), `${form}: panel A's map`).toBe(1);
        expect(await card.locator('.panel-1 canvas.heatmap').count(), `${form}: panel B's map`).toBe(1);
        await toggle.click();
        expect(await card.locator('canvas.heatmap').count(), form).toBe(0);
        maps.push(form);
      }
      // Opening a map may have scrolled the breakdown into view: the panel is brought back first.
      const panelA = card.locator('.panel-0');
      await panelA.scrollIntoViewIfNeeded();
      const { x, y, width, height } = (await panelA.boundingBox()) as { x: number; y: number; width: number; height: number };
      await page.mouse.move(x + width * 0.4, y + height * 0.4);
      const loupe = card.locator('[data-testid="sidelight-loupe"]');
      if (form === 'background') {
        // A CSS background has no <img> to draw from: no loupe, and the breakdown does not offer one.
        await page.waitForTimeout(300);
        expect(await loupe.count()).toBe(0);
        expect(await card.locator('.hint').count()).toBe(0);
      } else {
        await loupe.waitFor({ state: 'visible', timeout: 5000 }).catch((error: unknown) => {
          throw new Error(`${target.id} (${form}): no loupe`, { cause: error });
        });
        expect(await loupe.locator('canvas').count(), form).toBe(2);
        loupes.push(form);
      }
      await page.mouse.move(0, 0);
      await card.locator('button.close').click();
    }
    expect(loupes).toEqual(FORMS.filter((form) => form !== 'background'));
    // Half the forms get a photographic card (the feed cycles four card files over eight forms), the background form among them.
    expect(maps.length).toBeGreaterThanOrEqual(4);
    expect(maps).toContain('background');
  });

  it('saves blob:, revoked blob: and data: cards from their overlays (the page hands over the bytes)', async () => {
    const targets = items.filter((item) => item.truth === 'card' && ['blob', 'blob-revoked', 'data'].includes(item.form));
    expect(new Set(targets.map((item) => item.form))).toEqual(new Set(['blob', 'blob-revoked', 'data']));
    for (const target of targets) {
      await page.locator(`#${target.id}`).scrollIntoViewIfNeeded();
      await page.waitForTimeout(300);
      const subject = (await observeFeedItems(page)).find((item) => item.id === target.id);
      const index = (await overlayBoxes(page)).findIndex((box) => subject?.box && sameBox(subject.box, box));
      expect(index, `${target.id} (${target.form}) has an overlay`).toBeGreaterThanOrEqual(0);
      const save = page.locator('sidelight-overlay [data-testid="sidelight-card"]').nth(index).locator('button.save');
      await save.click();
      await expect.poll(() => save.textContent(), { timeout: 60_000 }).toBe('Saved');
    }
  });

  it('a recycled <img> (new src) loses its old overlay and is judged again; a removed card loses its overlay', async () => {
    const card = items.find((item) => item.truth === 'card' && item.form === 'img') as FeedItem;
    const photo = items.find((item) => item.truth === 'photo' && item.form === 'img') as FeedItem;
    const cardsBefore = (await overlayBoxes(page)).length;
    // The virtualised feed swaps the pictures of two recycled nodes.
    await page.evaluate(
      ({ cardId, photoId, cardUrl, photoUrl }) => {
        document.querySelector<HTMLImageElement>(`#${cardId} img`)!.src = `${photoUrl}&recycled`;
        document.querySelector<HTMLImageElement>(`#${photoId} img`)!.src = `${cardUrl}&recycled`;
      },
      { cardId: card.id, photoId: photo.id, cardUrl: card.url, photoUrl: photo.url },
    );
    const stateOf = (id: string) => page.locator(`#${id} img`).getAttribute('data-sidelight');
    // Auto mode judges pictures as they come into view: the reader scrolls past both.
    for (const id of [card.id, photo.id]) {
      await page.locator(`#${id}`).scrollIntoViewIfNeeded();
      await page.waitForTimeout(300);
    }
    await expect.poll(() => stateOf(card.id), { timeout: 60_000 }).toBe('not-card');
    await expect.poll(() => stateOf(photo.id), { timeout: 60_000 }).toBe('card');
    await page.waitForTimeout(300);
    let { perItem, unmatched } = await overlaysPerItem(page);
    expect(unmatched).toEqual([]);
    expect(perItem.get(card.id)).toBeUndefined();
    expect(perItem.get(photo.id)).toBe(1);
    expect((await overlayBoxes(page)).length).toBe(cardsBefore);

    // Single-page navigation drops the post: its overlay goes with it.
    await page.evaluate((photoId) => document.getElementById(photoId)?.remove(), photo.id);
    await expect.poll(async () => (await overlayBoxes(page)).length).toBe(cardsBefore - 1);
    ({ perItem, unmatched } = await overlaysPerItem(page));
    expect(unmatched).toEqual([]);
    expect([...perItem.values()].every((count) => count === 1)).toBe(true);
  });

  it('a picture asked about keeps its answer to itself: the next picture the feed puts in its element is judged quietly', async () => {
    const [asked, next] = items.filter((item) => item.truth === 'photo' && item.form === 'img').slice(1);
    if (!asked || !next) throw new Error('the feed has fewer than three plain photos');
    const status = page.locator('sidelight-overlay [data-testid="sidelight-status"]');
    const stateOf = () => page.locator(`#${asked.id} img`).getAttribute('data-sidelight');
    await page.locator(`#${asked.id}`).scrollIntoViewIfNeeded();
    // What the context menu's "Analyze as comparison" sends to the page (the e2e cannot click a native menu).
    const reply = await browser.serviceWorker.evaluate(
      async ({ origin, srcUrl }) => {
        const [tab] = await chrome.tabs.query({ url: `${origin}/feed/*` });
        return chrome.tabs.sendMessage(tab!.id!, { sidelight: 1, name: 'content-analyze-image', target: 'content', request: { srcUrl } }, { frameId: 0 });
      },
      { origin: server.origin, srcUrl: `${server.origin}${asked.url}` },
    );
    expect(reply).toEqual({ ok: true, value: { found: true } });
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 30_000 }).toBe('not-card');

    // The feed recycles the element for another photo: the answer goes, and the new photo (auto mode) gets none.
    await page.evaluate(({ id, url }) => (document.querySelector<HTMLImageElement>(`#${id} img`)!.src = `${url}&recycled`), { id: asked.id, url: next.url });
    await expect.poll(() => status.count()).toBe(0);
    await expect.poll(() => page.locator(`#${asked.id} img[src$="&recycled"]`).getAttribute('data-sidelight'), { timeout: 60_000 }).toBe('not-card');
    await page.waitForTimeout(300);
    expect(await stateOf()).toBe('not-card');
    expect(await status.count()).toBe(0);
  });
});
