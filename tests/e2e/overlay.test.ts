import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scrollAndSettle } from '../../scripts/lib/feed.mjs';
import { launchWithExtension, scratchDir, serveDemo, type Launched, type Served } from './harness';
import { readNetLogRequests, type LoggedRequest } from './netlog';

const CARD = 'minimaxir_pps_nanobanana_vs_nanobananapro_labeled.webp';
const PHOTO = 'matplotlib_grace_hopper.jpg';

describe('demo feed with the built extension', () => {
  let server: Served;
  let browser: Launched | null = null;
  let netLogPath: string;
  let states: Awaited<ReturnType<typeof scrollAndSettle>>;
  let requests: LoggedRequest[];
  let overlayCards: { count: number; expandedText: string | null; breakdowns: string[] };
  /** The first running badge seen on a card during the scroll, and how many status badges were left after it. */
  let firstPending: string | null;
  let statusesLeft: number;

  beforeAll(async () => {
    server = await serveDemo();
    netLogPath = join(await scratchDir('netlog'), 'net-log.json');
    browser = await launchWithExtension({ netLog: netLogPath });
    const page = await browser.context.newPage();
    await page.goto(server.feedUrl);
    const pending = page.locator('sidelight-overlay [data-testid="sidelight-status"][data-status="pending"]').first();
    const seen = pending.waitFor({ state: 'attached', timeout: 120_000 }).then(
      () => pending.textContent().catch(() => 'gone before it was read'),
      () => null,
    );
    states = await scrollAndSettle(page);
    firstPending = await seen;
    statusesLeft = await page.locator('sidelight-overlay [data-testid="sidelight-status"]').count();
    const badge = page.locator('sidelight-overlay').first().locator('button.badge').first();
    await badge.click();
    overlayCards = {
      count: await page.locator('sidelight-overlay [data-testid="sidelight-card"]').count(),
      expandedText: await page.locator('sidelight-overlay section.details').first().textContent(),
      breakdowns: [],
    };
    const badges = page.locator('sidelight-overlay button.badge');
    for (let index = 1; index < (await badges.count()); index++) await badges.nth(index).click();
    overlayCards.breakdowns = await page.locator('sidelight-overlay section.details').allTextContents();
    await browser.close();
    browser = null;
    requests = await readNetLogRequests(netLogPath);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const stateOf = (file: string) => states.find((image) => image.src.endsWith(file));

  it('marks a real comparison card as a card and a single portrait as not a card', () => {
    expect(stateOf(CARD)?.state).toBe('card');
    expect(stateOf(PHOTO)?.state).toBe('not-card');
    expect(stateOf(PHOTO)?.reason).toBe('no-split');
  });

  it('leaves no image pending or in error', () => {
    expect(states.filter((image) => image.state === 'pending' || image.state === 'error')).toEqual([]);
  });

  it('shows a running badge on a card while its analysis runs, and none once every card has its result', () => {
    // The first card of a fresh browser loads the models first, and says so.
    expect(firstPending).toMatch(/Loading models…|Analysing…/);
    expect(statusesLeft).toBe(0);
  });

  it('mounts one overlay per detected card, inside a shadow root, with an expandable breakdown', () => {
    const cards = states.filter((image) => image.state === 'card').length;
    expect(cards).toBeGreaterThanOrEqual(1);
    expect(overlayCards.count).toBe(cards);
    expect(overlayCards.expandedText).toMatch(/Detection confidence\d+%Panel A/);
  });

  it('shows labels read from the card, and from the post text when the card has none', () => {
    expect(overlayCards.breakdowns.some((text) => text.includes('Nano Banana Pro (read from the card)'))).toBe(true);
    expect(overlayCards.breakdowns.some((text) => text.includes('Real photo (from the post text)') && text.includes('Nano Banana (from the post text)'))).toBe(true);
  });

  it('makes no network request other than the page and its own images', () => {
    const origin = new URL(server.origin).origin;
    const local = (request: LoggedRequest) => /^(chrome-extension|data|blob):/.test(request.url);
    const fromPageOrExtension = requests.filter((request) => request.initiator !== 'not an origin');
    // The log really covers the extension: its background fetched the page's images.
    expect(fromPageOrExtension.some((request) => request.initiator?.startsWith('chrome-extension://') && request.url.startsWith(origin))).toBe(true);
    const outside = fromPageOrExtension.filter((request) => !local(request) && new URL(request.url).origin !== origin);
    expect(outside).toEqual([]);
  });
});
