import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scrollAndSettle } from '../../scripts/lib/feed.mjs';
import { launchWithExtension, serveDemo, type Launched, type Served } from './harness';

const CARD = '/fixtures/cards/minimaxir_pps_nanobanana_vs_nanobananapro_labeled.webp';

describe('popup switches and on-demand analysis', () => {
  let server: Served;
  let browser: Launched;
  let feed: Page;
  let popup: Page;

  const markedImages = () => feed.locator('img[data-sidelight]').count();
  const overlays = () => feed.locator('sidelight-overlay [data-testid="sidelight-card"]').count();

  beforeAll(async () => {
    server = await serveDemo();
    browser = await launchWithExtension();
    feed = await browser.context.newPage();
    await feed.goto(server.feedUrl);
    await scrollAndSettle(feed);
    popup = await browser.context.newPage();
    await popup.goto(browser.extensionUrl('popup.html'));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('sets its text at 14 px, not the 75 % Chromium gives extension pages', async () => {
    expect(await popup.evaluate(() => getComputedStyle(document.body).fontSize)).toBe('14px');
  });

  it('shows live session stats', async () => {
    const analysed = String(await markedImages());
    await expect.poll(() => popup.locator('[data-stat="images"]').textContent()).toBe(analysed);
    expect(Number(await popup.locator('[data-stat="cards"]').textContent())).toBeGreaterThanOrEqual(3);
    expect(await popup.locator('[data-stat="average"]').textContent()).toMatch(/^\d+ ms$/);
  });

  it('turning a site off removes the overlay and the marks at once', async () => {
    expect(await overlays()).toBeGreaterThan(0);
    const host = new URL(server.origin).host;
    await popup.evaluate((disabled) => chrome.storage.local.set({ settings: { mode: 'auto', disabledHosts: [disabled] } }), host);
    await expect.poll(overlays).toBe(0);
    expect(await markedImages()).toBe(0);
  });

  it('in on-demand mode analyses nothing until asked, then only the image asked about', async () => {
    await popup.evaluate(() => chrome.storage.local.set({ settings: { mode: 'auto', disabledHosts: [] } }));
    await popup.getByLabel('Only when I ask', { exact: false }).check();
    expect(await popup.evaluate(() => chrome.storage.local.get('settings'))).toMatchObject({ settings: { mode: 'on-demand' } });
    await feed.reload();
    await scrollAndSettle(feed);
    expect(await markedImages()).toBe(0);

    // What the context menu's click handler sends to the page.
    const found = await browser.serviceWorker.evaluate(async (srcUrl) => {
      const [tab] = await chrome.tabs.query({ url: `${new URL(srcUrl).origin}/demo/*` });
      const reply = await chrome.tabs.sendMessage(tab!.id!, { sidelight: 1, name: 'content-analyze-image', target: 'content', request: { srcUrl } }, { frameId: 0 });
      return reply;
    }, `${server.origin}${CARD}`);
    expect(found).toEqual({ ok: true, value: { found: true } });
    await expect.poll(() => feed.locator(`img[src="${CARD}"]`).getAttribute('data-sidelight')).toBe('card');
    expect(await markedImages()).toBe(1);
    // The overlay follows the mark once the dismissed-image check is done and, for a page's first
    // card, once React has loaded and mounted (separate tasks, entrypoints/overlay.content/layer.tsx).
    await expect.poll(overlays, { timeout: 15_000 }).toBe(1);
  });

  // What the context menu's click handler sends to the page (the e2e cannot click a native menu).
  const askAbout = (srcUrl: string) =>
    browser.serviceWorker.evaluate(async (address) => {
      const [tab] = await chrome.tabs.query({ url: `${new URL(address).origin}/demo/*` });
      return chrome.tabs.sendMessage(tab!.id!, { sidelight: 1, name: 'content-analyze-image', target: 'content', request: { srcUrl: address } }, { frameId: 0 });
    }, srcUrl);
  const statusBadge = () => feed.locator('sidelight-overlay [data-testid="sidelight-status"]');

  it('answers an image asked about that is not a card with a badge saying so, which Dismiss takes away', async () => {
    const photo = await feed.locator('img[src$="matplotlib_grace_hopper.jpg"]').first().getAttribute('src');
    expect(await askAbout(new URL(photo as string, server.origin).href)).toEqual({ ok: true, value: { found: true } });
    await expect.poll(() => statusBadge().getAttribute('data-status'), { timeout: 30_000 }).toBe('not-card');
    expect(await statusBadge().textContent()).toContain('A single picture: no split between two panels was found.');
    await statusBadge().locator('button.dismiss').click();
    await expect.poll(() => statusBadge().count()).toBe(0);
  });

  it('answers an image asked about that cannot be analysed with the reason', async () => {
    // A picture whose address the server does not have: the page shows it broken, the background gets a 404.
    const missing = `${server.origin}/fixtures/cards/no-such-card.webp`;
    await feed.evaluate((src) => {
      const image = document.createElement('img');
      Object.assign(image, { src, alt: 'A missing card' });
      document.body.prepend(image);
    }, missing);
    expect(await askAbout(missing)).toEqual({ ok: true, value: { found: true } });
    await expect.poll(() => statusBadge().getAttribute('data-status'), { timeout: 30_000 }).toBe('failed');
    expect(await statusBadge().textContent()).toMatch(/Couldn’t analyse: .*404/);
  });

  const offer = () => feed.locator('sidelight-overlay [data-testid="sidelight-offer"]');
  /** Whether the Analyse offer sits on this picture (its box is the picture's). */
  const offeredOn = async (image: ReturnType<Page['locator']>) => {
    if ((await offer().count()) === 0) return false;
    // The offer can go between the count and the box (the overlay draws on the next frame): gone is not offered.
    const box = await offer()
      .boundingBox({ timeout: 1_000 })
      .catch(() => null);
    const picture = await image.boundingBox();
    return Boolean(box && picture && Math.abs(box.x - picture.x) < 2 && Math.abs(box.y - picture.y) < 2 && Math.abs(box.width - picture.width) < 2);
  };

  it('offers to analyse the picture under the pointer, and analyses it on a click', async () => {
    const image = feed.locator('img[src$="minimaxir_ghibli_real_vs_nanobanana_unlabeled.webp"]');
    await image.scrollIntoViewIfNeeded();
    const before = await overlays();
    expect(await offer().count()).toBe(0);
    await image.hover();
    await expect.poll(() => offer().count()).toBe(1);
    // The button sits on the picture's top-left corner, where the card's badge will be.
    const picture = (await image.boundingBox())!;
    const button = offer().getByRole('button', { name: /^Analyse this image with Sidelight/ });
    const place = (await button.boundingBox())!;
    expect(place.x - picture.x).toBeGreaterThanOrEqual(0);
    expect(place.x - picture.x).toBeLessThan(20);
    expect(place.y - picture.y).toBeGreaterThanOrEqual(0);
    expect(place.y - picture.y).toBeLessThan(20);
    // The shortcut as the browser assigned it (the manifest's suggestion), asked for with the first offer.
    await expect.poll(() => button.getAttribute('aria-keyshortcuts')).toBe('Alt+Shift+S');
    await feed.screenshot({ path: 'out/on-demand-offer.png', animations: 'disabled' });
    await button.click();
    await expect.poll(() => image.getAttribute('data-sidelight'), { timeout: 30_000 }).toBe('card');
    await expect.poll(overlays, { timeout: 15_000 }).toBe(before + 1);
    // A picture analysed is not offered again, also when the pointer leaves it and comes back.
    await feed.locator('article:has(img[src$="minimaxir_ghibli_real_vs_nanobanana_unlabeled.webp"]) p.text').hover();
    await image.hover({ position: { x: 200, y: 150 } });
    await feed.waitForTimeout(300);
    expect(await offeredOn(image)).toBe(false);
    // A photo the pointer passes over is offered.
    const photo = feed.locator('img[src$="skimage_astronaut.png"]');
    await photo.scrollIntoViewIfNeeded();
    await photo.hover();
    await expect.poll(() => offer().count()).toBe(1);
    // The pointer on the post's text, off any picture: no offer.
    await feed.locator('article:has(img[src$="skimage_astronaut.png"]) p.text').hover();
    await expect.poll(() => offer().count()).toBe(0);
  });

  it('offers the picture inside a focused post, and the keyboard shortcut analyses it', async () => {
    const image = feed.locator('img[src$="minimaxir_chatgpt_two_gens_unlabeled.webp"]');
    await image.scrollIntoViewIfNeeded();
    // The pointer rests on the post's text, off any picture.
    await feed.locator('article:has(img[src$="minimaxir_chatgpt_two_gens_unlabeled.webp"]) p.text').hover();
    await expect.poll(() => offeredOn(image)).toBe(false);
    // A post the keyboard can reach (a site's link or article around its picture).
    await image.evaluate((picture) => {
      (picture.parentElement as HTMLElement).tabIndex = 0;
    });
    await image.locator('xpath=..').focus();
    await expect.poll(() => offeredOn(image)).toBe(true);
    // The focused post's offer is announced, and the pointer moving over text leaves it alone.
    await expect.poll(() => feed.locator('sidelight-overlay [role="status"]').last().textContent()).toBe('Sidelight can analyse the picture in this post: press Alt+Shift+S.');
    await feed.mouse.move(20, 20);
    await feed.locator('article:has(img[src$="minimaxir_chatgpt_two_gens_unlabeled.webp"]) header').hover();
    await feed.waitForTimeout(200);
    expect(await offeredOn(image)).toBe(true);
    // What the browser's shortcut (Alt+Shift+S) runs in the background; headless Chromium has no shortcut keys.
    const found = await browser.serviceWorker.evaluate(async (origin) => {
      const [tab] = await chrome.tabs.query({ url: `${origin}/demo/*` });
      return (globalThis as unknown as { sidelightCommand(command: string, tab: { id?: number }): Promise<boolean> }).sidelightCommand('analyze-offered-image', tab!);
    }, server.origin);
    expect(found).toBe(true);
    await expect.poll(() => image.getAttribute('data-sidelight'), { timeout: 30_000 }).toBe('card');
    // The analysed picture's offer goes with the overlay's next frame.
    await expect.poll(() => offeredOn(image)).toBe(false);
  });

  it('offers a picture inside a same-origin frame, and a page\'s script cannot take the offer up', async () => {
    const card = `${server.origin}/fixtures/cards/minimaxir_pps_nanobanana_vs_nanobananapro_labeled.webp`;
    await feed.evaluate((src) => {
      const frame = document.createElement('iframe');
      frame.id = 'framed-post';
      Object.assign(frame.style, { width: '640px', height: '460px', border: '0', display: 'block' });
      frame.srcdoc = `<body style="margin:0"><img src="${src}?framed" alt="A framed card" style="width:620px"></body>`;
      document.querySelector('main')?.append(frame);
    }, card);
    const frame = feed.frameLocator('#framed-post');
    const image = frame.locator('img');
    await image.scrollIntoViewIfNeeded();
    await expect.poll(() => image.evaluate((picture: HTMLImageElement) => picture.complete && picture.naturalWidth > 0)).toBe(true);
    // A page's own script faking the pointer makes no offer.
    await image.evaluate((picture) => picture.dispatchEvent(new PointerEvent('pointerover', { bubbles: true, composed: true, clientX: 20, clientY: 20 })));
    await feed.waitForTimeout(300);
    expect(await offer().count()).toBe(0);
    await image.hover();
    await expect.poll(() => offer().count()).toBe(1);
    // A page's script clicking the button (the shadow root is open) is refused: nothing is analysed.
    await feed.evaluate(() => document.querySelector('sidelight-overlay')?.shadowRoot?.querySelector<HTMLButtonElement>('[data-testid="sidelight-offer"] button')?.click());
    await feed.waitForTimeout(500);
    expect(await image.getAttribute('data-sidelight')).toBeNull();
    await offer().getByRole('button').click();
    await expect.poll(() => image.getAttribute('data-sidelight'), { timeout: 30_000 }).toBe('card');
  });
});
