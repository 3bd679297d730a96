// Two-image posts as one card, in real Chromium with the built extension: the saved X timeline
// (a two-photo tweet) and Bluesky feed (a two-image post), each also showing a single-image card
// post, which must keep its own one overlay.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pairLayout, pairPanelBoxes } from '../../lib/engine/pair';
import type { AnalysisResult } from '../../lib/engine/types';
import { launchWithExtension, paintedPixels, serveDemo, type Launched, type Served } from './harness';
import { buildSitePage, type SiteCase } from './site-pages';

const CARD = '/fixtures/cards/minimaxir_ghibli_real_vs_nanobanana_unlabeled.webp';
const PHOTO = '/fixtures/photos/skimage_chelsea.png';
// The pair: two real portraits, as a "which model made the better face" post would show them.
const PAIR = ['/fixtures/photos/matplotlib_grace_hopper.jpg', '/fixtures/photos/minimaxir_real_mirror_selfie.webp'] as const;
const CAPTION = 'left: Real photo, right: Nano Banana';
const PAIR_CAPTION = 'left: Nano Banana Pro, right: GPT Image 2';
const FIXTURES = join(import.meta.dirname, '..');
const SHOTS = join(import.meta.dirname, '../../out/e2e-sites');
const X_TWEET = '1909428901170102734';

const SITES: (SiteCase & { pair: NonNullable<SiteCase['pair']> })[] = [
  {
    file: 'brocc_x_home-timeline.html',
    address: 'https://x.com/home',
    adapter: 'x',
    target: 'img[src*="GoBer3kaAAA8KuN"]',
    caption: CAPTION,
    pair: { target: 'img[src*="Gn-nd1LbwAAghTN"]', caption: PAIR_CAPTION },
    // Beyond the photo box every X page gets (site-pages.ts), the two-photo tweet gets its two
    // boxes side by side, the way X draws it.
    css: [
      `div:has(> div > div > a[href$="${X_TWEET}/photo/1"]):has(> div > div > a[href$="${X_TWEET}/photo/2"]) { display: flex; gap: 2px; width: 506px; align-items: flex-start }`,
      `a[href*="${X_TWEET}/photo/"] [data-testid="tweetPhoto"] { width: 252px; aspect-ratio: auto }`,
      `a[href*="${X_TWEET}/photo/"] [data-testid="tweetPhoto"] > img { display: block; position: relative; width: 100%; height: auto; opacity: 1; z-index: 1 }`,
      `div:has(a[href*="${X_TWEET}/photo/"]) { overflow: visible !important }`,
    ].join('\n'),
  },
  {
    file: 'brocc_bluesky_home-feed.html',
    address: 'https://bsky.app/',
    adapter: 'bluesky',
    target: 'img[alt^="A portrait-format, black and white photo"]',
    caption: CAPTION,
    pair: { target: 'img[src*="kmwpuyutuqxhfkuvnwhucvnecxb6fjdzpze"]', caption: PAIR_CAPTION },
  },
];

/**
 * The Bluesky page again, with a two-image post of a photo and a comparison card whose text names
 * nothing: as a pair it is no comparison (the audit finds two setups), so each picture is judged
 * on its own and the card gets its own overlay.
 */
const UNRELATED_SITE = { ...(SITES[1] as (typeof SITES)[number]), address: 'https://bsky.app/?unrelated', pair: { ...(SITES[1] as (typeof SITES)[number]).pair, caption: 'Two pictures from today' } };
const UNRELATED_PAIR = [`${PHOTO}?unrelated`, `${CARD}?unrelated`] as const;

type Box4 = [number, number, number, number];

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

const boxOf = (locator: Locator): Promise<Box> =>
  locator.evaluate((element) => {
    const rect = element.getBoundingClientRect();
    return { left: rect.left, top: rect.top, width: rect.width, height: rect.height };
  });

function expectSameBox(actual: Box, expected: Box, what: string): void {
  for (const side of ['left', 'top', 'width', 'height'] as const) expect(Math.abs(actual[side] - expected[side]), `${what}: ${side}`).toBeLessThanOrEqual(2);
}

function union(first: Box, second: Box): Box {
  const left = Math.min(first.left, second.left);
  const top = Math.min(first.top, second.top);
  return { left, top, width: Math.max(first.left + first.width, second.left + second.width) - left, height: Math.max(first.top + first.height, second.top + second.height) - top };
}

describe('two-image posts with the built extension', () => {
  let server: Served;
  let browser: Launched | null = null;
  const pages = new Map<string, string>();

  beforeAll(async () => {
    server = await serveDemo();
    await mkdir(SHOTS, { recursive: true });
    for (const site of SITES) {
      const tag = encodeURIComponent(site.file);
      const built = buildSitePage(site, {
        card: `${server.origin}${CARD}?site=${tag}`,
        photo: (index) => `${server.origin}${PHOTO}?site=${tag}&n=${index}`,
        pair: [`${server.origin}${PAIR[0]}?site=${tag}`, `${server.origin}${PAIR[1]}?site=${tag}`],
      });
      pages.set(site.address, built.html);
    }
    const unrelated = buildSitePage(UNRELATED_SITE, {
      card: `${server.origin}${CARD}?site=unrelated`,
      photo: (index) => `${server.origin}${PHOTO}?site=unrelated&n=${index}`,
      pair: [`${server.origin}${UNRELATED_PAIR[0]}`, `${server.origin}${UNRELATED_PAIR[1]}`],
    });
    pages.set(UNRELATED_SITE.address, unrelated.html);
    // The pages live at the sites' addresses and their images on 127.0.0.1: Local Network Access would refuse those.
    browser = await launchWithExtension({ disableFeatures: ['LocalNetworkAccessChecks'] });
    const hosts = new Set(SITES.map((site) => new URL(site.address).host));
    await browser.context.route(
      (url) => hosts.has(url.host),
      (route) => {
        const html = pages.get(route.request().url());
        if (html) void route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
        else void route.fulfill({ status: 404, body: '' });
      },
    );
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  describe.each(SITES)('$file', (site) => {
    let page: Page;
    let pairImages: [Locator, Locator];
    let single: Locator;
    const overlays = () => page.locator('sidelight-overlay [data-testid="sidelight-card"]');
    const overlayBoxes = () => overlays().evaluateAll((cards) => cards.map((card) => {
      const rect = card.getBoundingClientRect();
      return { left: rect.left, top: rect.top, width: rect.width, height: rect.height };
    }));
    /** The overlay spanning the pair's two pictures, found by its box. */
    async function pairOverlay(): Promise<Locator> {
      const expected = union(await boxOf(pairImages[0]), await boxOf(pairImages[1]));
      const boxes = await overlayBoxes();
      const index = boxes.findIndex((box) => ['left', 'top', 'width', 'height'].every((side) => Math.abs(box[side as keyof Box] - expected[side as keyof Box]) <= 2));
      expect(index, `an overlay over both pictures among ${JSON.stringify(boxes)}`).toBeGreaterThanOrEqual(0);
      return overlays().nth(index);
    }

    beforeAll(async () => {
      if (!browser) throw new Error('no browser');
      page = await browser.context.newPage();
      await page.goto(site.address);
      pairImages = [page.locator(`img[src^="${server.origin}${PAIR[0]}"]`).first(), page.locator(`img[src^="${server.origin}${PAIR[1]}"]`).first()];
      single = page.locator(`img[src^="${server.origin}${CARD}"]`).first();
      for (const image of [single, pairImages[0]]) {
        await image.scrollIntoViewIfNeeded();
        const deadline = Date.now() + 90_000;
        while (!/^(card|not-card|error)$/.test((await image.getAttribute('data-sidelight')) ?? '') && Date.now() < deadline) await page.waitForTimeout(250);
      }
      // The pair in the middle of the viewport, clear of the sites' fixed headers.
      await pairImages[0].evaluate((image) => image.scrollIntoView({ block: 'center' }));
      await page.waitForTimeout(400);
    }, 200_000);

    afterAll(async () => {
      await page?.close();
    });

    it('marks both pictures of the pair as one card and draws one overlay spanning both, each panel on its picture', async () => {
      expect(await pairImages[0].getAttribute('data-sidelight')).toBe('card');
      expect(await pairImages[1].getAttribute('data-sidelight')).toBe('card');
      const [first, second] = [await boxOf(pairImages[0]), await boxOf(pairImages[1])];
      // Side by side on the page, as the sites show two-image posts.
      expect(second.left).toBeGreaterThan(first.left + first.width - 2);
      const overlay = await pairOverlay();
      const overlayBox = await boxOf(overlay);
      const inside = await overlays().evaluateAll((cards, pictures) =>
        cards.filter((card) => {
          const rect = card.getBoundingClientRect();
          return pictures.some((picture) => rect.left < picture.left + picture.width && picture.left < rect.right && rect.top < picture.top + picture.height && picture.top < rect.bottom);
        }).length,
      [first, second]);
      expect(inside, 'overlays over the pair: one, never one per picture').toBe(1);
      expectSameBox(await boxOf(overlay.locator('.panel-0')), first, 'panel A on the first picture');
      expectSameBox(await boxOf(overlay.locator('.panel-1')), second, 'panel B on the second picture');
      expectSameBox(overlayBox, union(first, second), 'the overlay');
    });

    it('leaves the single-image post as it was: one overlay, on its picture', async () => {
      expect(await single.getAttribute('data-sidelight')).toBe('card');
      const target = await boxOf(single);
      const overlapping = (await overlayBoxes()).filter(
        (box) => box.left < target.left + target.width && target.left < box.left + box.width && box.top < target.top + target.height && target.top < box.top + box.height,
      );
      expect(overlapping).toHaveLength(1);
      expectSameBox(overlapping[0] as Box, target, 'the single card overlay');
    });

    it('labels the panels from the post text, says the card is two pictures, and maps heat maps and the loupe onto each picture', async () => {
      const overlay = await pairOverlay();
      await overlay.locator('button.badge').click();
      const breakdown = (await overlay.locator('section.details').textContent()) ?? '';
      expect(breakdown).toContain('two pictures of one post');
      expect(breakdown).toContain('Nano Banana Pro (from the post text)');
      expect(breakdown).toContain('GPT Image 2 (from the post text)');

      // Heat maps: the skin signal ran on both portraits; each panel's map lies over its own picture, at its size.
      const skinMap = overlay.locator('button[aria-pressed]', { hasText: 'Map' }).first();
      await skinMap.click();
      for (const index of [0, 1]) {
        const panel = overlay.locator(`.panel-${index}`);
        const canvas = panel.locator('canvas.heatmap').first();
        await canvas.waitFor({ timeout: 5_000 });
        const [panelBox, mapBox, picture] = [await boxOf(panel), await boxOf(canvas), await boxOf(pairImages[index as 0 | 1])];
        expectSameBox(panelBox, picture, `panel ${index}`);
        // The grid covers its panel to within one cell.
        expect(Math.abs(mapBox.width - panelBox.width), `panel ${index} map width`).toBeLessThanOrEqual(panelBox.width / 16 + 1);
        expect(mapBox.left - panelBox.left).toBeCloseTo(0, 0);
        expect(await paintedPixels(canvas), `panel ${index} map painted`).toBeGreaterThan(0);
      }

      // The loupe: hovering the second picture shows the same spot of both pictures.
      await pairImages[0].evaluate((image) => image.scrollIntoView({ block: 'center' }));
      await page.waitForTimeout(300);
      await page.mouse.move(0, 0);
      const second = await boxOf(pairImages[1]);
      await page.mouse.move(second.left + second.width * 0.5, second.top + second.height * 0.4);
      const loupe = page.locator('sidelight-overlay [data-testid="sidelight-loupe"]');
      await loupe.waitFor({ timeout: 5_000 });
      const views = await loupe.locator('canvas').evaluateAll((canvases) => canvases.map((canvas) => canvas.getAttribute('data-source-rect')?.split(',').map(Number) ?? []));
      expect(views).toHaveLength(2);
      // Each window is inside its own panel's box and at the same relative spot.
      const panelBoxes = await overlay.locator('.panel').evaluateAll((panels) => panels.map((panel) => panel.getAttribute('data-box')?.split(',').map(Number) ?? []));
      views.forEach((view, index) => {
        const [x, y, width, height] = panelBoxes[index] as number[];
        const [vx, vy, vw, vh] = view as number[];
        expect(vx! >= x! && vy! >= y! && vx! + vw! <= x! + width! && vy! + vh! <= y! + height!, `window ${index} in its panel`).toBe(true);
        expect(Math.abs((vx! + vw! / 2 - x!) / width! - 0.5), `window ${index} centred across`).toBeLessThan(0.1);
      });
      const shot = join(SHOTS, `pair-${site.file.replace(/\.html$/, '')}.png`);
      const overlayBox = await boxOf(overlay);
      const details = await overlay.locator('section.details').boundingBox();
      const viewport = page.viewportSize() ?? { width: 1280, height: 900 };
      const top = Math.max(0, overlayBox.top - 40);
      const bottom = Math.min(viewport.height, Math.max(overlayBox.top + overlayBox.height + 200, (details?.y ?? 0) + (details?.height ?? 0)) + 20);
      await page.screenshot({ path: shot, animations: 'disabled', clip: { x: 0, y: top, width: viewport.width, height: bottom - top } });
      await page.mouse.move(1, 1);
    });

    it("saves the pair to the library as one card of the two pictures side by side", async () => {
      const overlay = await pairOverlay();
      const save = overlay.locator('button.save');
      await save.click();
      await expect.poll(() => save.getAttribute('data-state'), { timeout: 60_000 }).toBe('saved');
      const library = await browser!.context.newPage();
      await library.goto(browser!.extensionUrl('library.html'));
      const saved = await library.evaluate(
        () =>
          new Promise<AnalysisResult[]>((resolve, reject) => {
            const request = indexedDB.open('sidelight-library');
            request.onerror = () => reject(request.error);
            request.onsuccess = () => {
              const all = request.result.transaction('analyses').objectStore('analyses').getAll();
              all.onsuccess = () => resolve((all.result as { analysis: AnalysisResult }[]).map((row) => row.analysis));
              all.onerror = () => reject(all.error);
            };
          }),
      );
      await library.close();
      const pairs = saved.filter((analysis) => analysis.source?.kind === 'pair' && analysis.source.images.every((image, index) => image.file === PAIR[index]!.split('/').pop()));
      expect(pairs.length).toBeGreaterThanOrEqual(1);
      const [card] = pairs as [AnalysisResult];
      expect(card.isComparison).toBe(true);
      expect(card.panels.map((panel) => panel.label)).toEqual(['Nano Banana Pro', 'GPT Image 2']);
      // The panels are the two pictures at one height, side by side, on the saved card.
      const [first, second] = card.panels.map((panel) => panel.box) as [Box4, Box4];
      expect(first[1]).toBe(0);
      expect(second[1]).toBe(0);
      expect(first[3]).toBe(second[3]);
      expect(second[0]! + second[2]!).toBe(card.size?.width);
    });

    it('drops the pair overlay when the feed recycles one picture (the new pair is judged afresh), and when the post is removed', async () => {
      const before = (await overlayBoxes()).length;
      const [firstSize, recycledSize] = await Promise.all([sharp(join(FIXTURES, PAIR[0])).metadata(), sharp(join(FIXTURES, PHOTO)).metadata()]);
      const expectedBoxes = pairPanelBoxes(pairLayout({ width: firstSize.width ?? 0, height: firstSize.height ?? 0 }, { width: recycledSize.width ?? 0, height: recycledSize.height ?? 0 }));
      // A virtualised feed reuses the second picture's node for another picture.
      await pairImages[1].evaluate((image: HTMLImageElement, photo) => {
        image.src = photo;
      }, `${server.origin}${PHOTO}?recycled`);
      pairImages = [pairImages[0], page.locator(`img[src="${server.origin}${PHOTO}?recycled"]`)];
      const panelBoxes = () => overlays().locator('.panel-1').evaluateAll((panels) => panels.map((panel) => panel.getAttribute('data-box')));
      // The old pair's overlay goes and the new pair gets one: never both, never one per picture.
      await expect.poll(panelBoxes, { timeout: 90_000 }).toContain(expectedBoxes[1].join(','));
      expect(await overlayBoxes()).toHaveLength(before);
      const overlay = await pairOverlay();
      expectSameBox(await boxOf(overlay.locator('.panel-1')), await boxOf(pairImages[1]), 'panel B on the recycled picture');

      // Single-page navigation removes the post: its overlay goes with it.
      const gone = union(await boxOf(pairImages[0]), await boxOf(pairImages[1]));
      await pairImages[0].evaluate((image) => image.closest('article, [data-testid^="feedItem-by-"]')?.remove());
      await expect.poll(async () => (await overlayBoxes()).length, { timeout: 10_000 }).toBe(before - 1);
      const left = await overlayBoxes();
      expect(left.some((box) => Math.abs(box.left - gone.left) <= 2 && Math.abs(box.top - gone.top) <= 2)).toBe(false);
    });
  });
  it('judges a two-image post that is no comparison picture by picture: the card among them gets its own overlay', async () => {
    if (!browser) throw new Error('no browser');
    const page = await browser.context.newPage();
    await page.goto(UNRELATED_SITE.address);
    const [photo, card] = [page.locator(`img[src="${server.origin}${UNRELATED_PAIR[0]}"]`), page.locator(`img[src="${server.origin}${UNRELATED_PAIR[1]}"]`)];
    await card.evaluate((image) => image.scrollIntoView({ block: 'center' }));
    const settled = async () => [await photo.getAttribute('data-sidelight'), await card.getAttribute('data-sidelight')];
    await expect.poll(settled, { timeout: 120_000, interval: 250 }).toEqual(['not-card', 'card']);
    const target = await boxOf(card);
    const boxes = await page.locator('sidelight-overlay [data-testid="sidelight-card"]').evaluateAll((cards) => cards.map((element) => {
      const rect = element.getBoundingClientRect();
      return { left: rect.left, top: rect.top, width: rect.width, height: rect.height };
    }));
    const photoBox = await boxOf(photo);
    const over = (box: Box, picture: Box) => box.left < picture.left + picture.width && picture.left < box.left + box.width && box.top < picture.top + picture.height && picture.top < box.top + box.height;
    const onCard = boxes.filter((box) => over(box, target));
    expect(onCard).toHaveLength(1);
    expectSameBox(onCard[0] as Box, target, 'the card picture\'s own overlay');
    expect(boxes.filter((box) => over(box, photoBox)), 'no overlay on the photo').toHaveLength(0);
    await page.close();
  }, 150_000);
});
