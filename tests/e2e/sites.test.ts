import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, scratchDir, serveDemo, type Launched, type Served } from './harness';
import { readNetLogRequests, type LoggedRequest } from './netlog';
import { buildSitePage, type SiteCase } from './site-pages';

// An unlabeled card: its labels can only come from the post text the site adapter reads.
const CARD = '/fixtures/cards/minimaxir_ghibli_real_vs_nanobanana_unlabeled.webp';
const PHOTO = '/fixtures/photos/matplotlib_grace_hopper.jpg';
const CAPTION = 'left: Real photo, right: Nano Banana';
const SHOTS = join(import.meta.dirname, '../../out/e2e-sites');

/** The overlays of single pictures: a two-image post elsewhere on the page is one card of its own (tests/e2e/pairs.test.ts), and its badge says so. */
const SINGLE_OVERLAY = 'sidelight-overlay [data-testid="sidelight-card"]:not(:has(button.badge[aria-label*="two pictures of one post"]))';

/** One single-image post per fixture; the *-SYNTHETIC pages check the adapter's logic only, never that the live site works. */
const SITES: SiteCase[] = [
  {
    file: 'brocc_x_home-timeline.html',
    address: 'https://x.com/home',
    adapter: 'x',
    target: 'img[src*="GoBer3kaAAA8KuN"]',
    caption: CAPTION,
  },
  { file: 'brocc_bluesky_home-feed.html', address: 'https://bsky.app/', adapter: 'bluesky', target: 'img[alt^="A portrait-format, black and white photo"]', caption: CAPTION },
  { file: 'brocc_threads_home-feed.html', address: 'https://www.threads.net/', adapter: 'threads', target: 'img[src*="490284015_18097"]', caption: CAPTION },
  { file: 'instagram_home-feed-SYNTHETIC.html', address: 'https://www.instagram.com/', adapter: 'instagram', target: 'img[alt^="Photo by Ceramics Daily"]', caption: CAPTION },
  { file: 'postlight_www.reddit.com--image.html', address: 'https://www.reddit.com/r/aww/comments/aybw1m/nothing_to_see_here_human/', adapter: 'reddit', target: 'img[src*="jsc4t74psok21"]', caption: CAPTION },
  { file: 'reddit_shreddit-feed-SYNTHETIC.html', address: 'https://www.reddit.com/r/StableDiffusion/', adapter: 'reddit', target: '#post-image', caption: CAPTION },
  { file: 'fbscraper_facebook-mobile_group-feed.html', address: 'https://m.facebook.com/groups/southamericansincomputing/', adapter: 'facebook', target: 'img[alt^="May be an image of text that says \\"DataBooks"]', caption: CAPTION },
  { file: 'defuddle_mastodon_status-SYNTHETIC.html', address: 'https://mastodon.example/@alice/12345678', adapter: 'mastodon', target: 'img[src*="sample-image"]', caption: CAPTION },
  { file: 'pinterest_home-feed-SYNTHETIC.html', address: 'https://www.pinterest.com/', adapter: 'pinterest', target: 'img[src*="3f9a1c4d"]', caption: CAPTION },
];

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

describe('site fixtures with the built extension', () => {
  let server: Served;
  let browser: Launched | null = null;
  let netLogPath: string;
  const pages = new Map<string, { html: string; postText: string | null }>();
  const opened: string[] = [];

  beforeAll(async () => {
    server = await serveDemo();
    await mkdir(SHOTS, { recursive: true });
    for (const site of SITES) {
      const tag = encodeURIComponent(site.file);
      pages.set(site.address, buildSitePage(site, { card: `${server.origin}${CARD}?site=${tag}`, photo: (index) => `${server.origin}${PHOTO}?site=${tag}&n=${index}` }));
    }
    netLogPath = join(await scratchDir('sites-netlog'), 'net-log.json');
    // The pages live at the sites' addresses and their images on 127.0.0.1: Local Network Access would refuse those.
    browser = await launchWithExtension({ netLog: netLogPath, disableFeatures: ['LocalNetworkAccessChecks'] });
    const hosts = new Set(SITES.map((site) => new URL(site.address).host));
    // The sites' own addresses answer from the built pages (their favicons get a 404); nothing else is routed.
    await browser.context.route(
      (url) => hosts.has(url.host),
      (route) => {
        const page = pages.get(route.request().url());
        if (page) void route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: page.html });
        else void route.fulfill({ status: 404, body: '' });
      },
    );
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  describe.each(SITES)('$file', (site) => {
    let page: Page;
    let target: Box;
    let state: string | null;

    beforeAll(async () => {
      if (!browser) throw new Error('no browser');
      page = await browser.context.newPage();
      await page.goto(site.address);
      opened.push(site.address);
      const image = page.locator(`img[src^="${server.origin}${CARD}"]`).first();
      await image.scrollIntoViewIfNeeded();
      const deadline = Date.now() + 45_000;
      do {
        state = await image.getAttribute('data-sidelight');
        if (state && state !== 'pending') break;
        await page.waitForTimeout(250);
      } while (Date.now() < deadline);
      await page.waitForTimeout(300);
      target = await image.evaluate((element) => {
        const rect = element.getBoundingClientRect();
        return { left: rect.left, top: rect.top, width: rect.width, height: rect.height };
      });
    }, 60_000);

    afterAll(async () => {
      await page?.close();
    });

    it('marks the post image as a card and draws one overlay, on that image', async () => {
      expect(state).toBe('card');
      // A two-image post elsewhere on the page is one card of its own (tests/e2e/pairs.test.ts): its overlay says so.
      const overlays = await page.locator(SINGLE_OVERLAY).evaluateAll((cards) =>
        cards.map((card) => {
          const rect = card.getBoundingClientRect();
          return { left: rect.left, top: rect.top, width: rect.width, height: rect.height };
        }),
      );
      expect(overlays).toHaveLength(1);
      const [overlay] = overlays as [Box];
      for (const side of ['left', 'top', 'width', 'height'] as const) expect(Math.abs(overlay[side] - target[side]), side).toBeLessThanOrEqual(2);
    });

    it("labels the panels from the post text the site's adapter reads", async () => {
      expect(pages.get(site.address)?.postText).toContain(CAPTION);
      const overlay = page.locator(SINGLE_OVERLAY).first();
      await overlay.locator('button.badge').click();
      const breakdown = await overlay.locator('section.details').textContent();
      expect(breakdown).toContain('Real photo (from the post text)');
      expect(breakdown).toContain('Nano Banana (from the post text)');
      const details = await overlay.locator('section.details').boundingBox();
      const top = Math.max(0, target.top - 40);
      const bottom = Math.max(target.top + target.height, (details?.y ?? 0) + (details?.height ?? 0)) + 20;
      const viewport = page.viewportSize() ?? { width: 1280, height: 900 };
      await page.screenshot({ path: join(SHOTS, `${site.file.replace(/\.html$/, '')}.png`), animations: 'disabled', clip: { x: 0, y: top, width: viewport.width, height: Math.min(viewport.height - top, bottom - top) } });
    });
  });

  it('made no request but the pages, their local images and the extension itself (net log of the whole browser)', async () => {
    expect(opened).toHaveLength(SITES.length);
    await browser?.close();
    browser = null;
    const requests = await readNetLogRequests(netLogPath);
    const local = new URL(server.origin).origin;
    const fromPageOrExtension = requests.filter((request: LoggedRequest) => request.initiator !== 'not an origin');
    // The log covers the extension: its background downloaded the card from every site page.
    expect(fromPageOrExtension.filter((request) => request.initiator?.startsWith('chrome-extension://') && request.url.startsWith(`${local}${CARD}`)).length).toBe(SITES.length);
    const allowed = (url: string) => /^(chrome-extension|data|blob):/.test(url) || new URL(url).origin === local || opened.includes(url);
    expect(fromPageOrExtension.filter((request) => !allowed(request.url)).map((request) => `${request.initiator} → ${request.url}`)).toEqual([]);
  });
});
