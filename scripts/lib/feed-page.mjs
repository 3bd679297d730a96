// A 60-image feed (the discovery e2e and the page-cost benchmark): the fixture cards and photos in every way a page can
// show a picture (plain <img>, <picture>/srcset, CSS background, open shadow DOM, same-origin
// iframe, blob: and data: URLs, a blob: revoked after loading), plus avatars that are no
// candidates. Each address gets a ?v= suffix: distinct addresses, but the engine sees only the
// 13 distinct pictures (the content-hash cache answers the rest).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

/** @typedef {'img' | 'picture' | 'background' | 'shadow' | 'iframe' | 'blob' | 'blob-revoked' | 'data'} Form */
/** @typedef {'card' | 'photo' | 'avatar'} Truth */
/**
 * @typedef {object} FeedItem
 * @property {string} id
 * @property {Truth} truth
 * @property {Form} form
 * @property {string} url The address the picture is analysed at (the largest candidate for <picture>).
 * @property {string} [smallUrl] For <picture>: the small candidate the viewport picks; never to be analysed.
 */

/** @type {readonly Form[]} */
export const FORMS = ['img', 'picture', 'background', 'shadow', 'iframe', 'blob', 'blob-revoked', 'data'];

const FIXTURES = fileURLToPath(new URL('../../tests/fixtures', import.meta.url));
export const CARD_FILES = readdirSync(join(FIXTURES, 'cards')).sort();
export const PHOTO_FILES = readdirSync(join(FIXTURES, 'photos')).sort();
const WIDTH = 600;

/** @param {string} text */
const escapeHtml = (text) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/**
 * 20 cards, 27 photos and 13 avatars, interleaved as a feed would mix them.
 * @returns {FeedItem[]}
 */
export function feedItems() {
  /** @type {FeedItem[]} */
  const cards = [];
  for (let index = 0; index < 20; index++) {
    const file = CARD_FILES[index % CARD_FILES.length];
    const form = FORMS[index % FORMS.length];
    /** @type {FeedItem} */
    const item = { id: `card-${index}`, truth: 'card', form, url: `/fixtures/cards/${file}?v=${index}` };
    if (form === 'picture') item.smallUrl = `/feed/thumb/${file.replace(/\.\w+$/, '.webp')}?v=${index}`;
    cards.push(item);
  }
  /** @type {FeedItem[]} */
  const photos = [];
  for (let index = 0; index < 27; index++) {
    const file = PHOTO_FILES[index % PHOTO_FILES.length];
    const form = FORMS[(index + 3) % FORMS.length];
    /** @type {FeedItem} */
    const item = { id: `photo-${index}`, truth: 'photo', form, url: `/fixtures/photos/${file}?v=${index}` };
    if (form === 'picture') item.smallUrl = `/feed/thumb/${file.replace(/\.\w+$/, '.webp')}?v=${index}`;
    photos.push(item);
  }
  /** @type {FeedItem[]} */
  const avatars = Array.from({ length: 13 }, (_, index) => ({
    id: `avatar-${index}`,
    truth: 'avatar',
    form: 'img',
    url: `/fixtures/photos/${PHOTO_FILES[index % PHOTO_FILES.length]}?avatar=${index}`,
  }));
  /** @type {FeedItem[]} */
  const items = [];
  while (cards.length || photos.length || avatars.length) {
    for (const list of [cards, photos, avatars, photos]) {
      const next = list.shift();
      if (next) items.push(next);
    }
  }
  return items;
}

/** @typedef {{ width: number, height: number }} Size */

/**
 * @param {FeedItem[]} items
 * @returns {Promise<Map<string, Size>>}
 */
async function sizesOf(items) {
  const sizes = new Map();
  for (const item of items) {
    const path = item.url.split('?')[0];
    if (sizes.has(path)) continue;
    const { width = 1, height = 1 } = await sharp(join(FIXTURES, path.replace(/^\/fixtures\//, ''))).metadata();
    sizes.set(path, { width, height });
  }
  return sizes;
}

/**
 * @param {FeedItem} item
 * @param {Size} size
 */
function itemHtml(item, size) {
  const height = Math.round((WIDTH * size.height) / size.width);
  const url = escapeHtml(item.url);
  let media;
  if (item.truth === 'avatar') {
    media = `<img data-subject class="avatar-img" src="${url}" alt="" width="40" height="40">`;
  } else {
    switch (item.form) {
      case 'img':
        media = `<img data-subject src="${url}" alt="" width="${WIDTH}">`;
        break;
      case 'picture':
        // sizes=300px at 1x: the browser shows the small candidate; the largest is what counts.
        media = `<picture><source type="image/webp" srcset="${escapeHtml(item.smallUrl ?? '')} 320w, ${url} ${size.width}w" sizes="300px"><img data-subject src="${escapeHtml(item.smallUrl ?? '')}" alt="" width="${WIDTH}"></picture>`;
        break;
      case 'background':
        media = `<div data-subject class="bg" role="img" aria-label="picture ${item.id}" style="background-image: url('${url}'); width: ${WIDTH}px; height: ${height}px"></div>`;
        break;
      case 'shadow':
        media = `<feed-picture data-src="${url}" style="display: block; width: ${WIDTH}px"></feed-picture>`;
        break;
      case 'iframe':
        media = `<iframe src="/feed/frame.html?src=${encodeURIComponent(item.url)}" width="${WIDTH}" height="${height}" title="${item.id}"></iframe>`;
        break;
      default:
        media = `<img data-subject data-load="${item.form}" data-src="${url}" alt="" width="${WIDTH}" height="${height}">`;
    }
  }
  return `<article class="post" id="${item.id}" data-truth="${item.truth}" data-form="${item.form}"><p>Post ${item.id} (${item.form})</p>${media}</article>`;
}

const PAGE_SCRIPT = `
customElements.define('feed-picture', class extends HTMLElement {
  connectedCallback() {
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: 'open' });
    const image = document.createElement('img');
    image.src = this.dataset.src;
    image.style.cssText = 'display: block; width: 100%; height: auto';
    root.append(image);
  }
});
for (const image of document.querySelectorAll('img[data-load]')) {
  fetch(image.dataset.src).then((response) => response.blob()).then((blob) => {
    if (image.dataset.load === 'data') {
      const reader = new FileReader();
      reader.onload = () => { image.src = reader.result; };
      reader.readAsDataURL(blob);
      return;
    }
    const url = URL.createObjectURL(blob);
    // A page that revokes its blob: address once the picture is shown (the bytes stay in the image).
    if (image.dataset.load === 'blob-revoked') image.addEventListener('load', () => URL.revokeObjectURL(url), { once: true });
    image.src = url;
  });
}
`;

const FEED_CSS = `
body { margin: 0; font: 15px/1.4 system-ui, sans-serif; background: #f1f5f9; }
main { width: ${WIDTH + 40}px; margin: 0 auto; }
.post { background: #fff; margin: 0 0 16px; padding: 12px 20px; }
.post img, .post iframe { display: block; border: 0; }
.post img[width="${WIDTH}"] { height: auto; }
.bg { background-size: 100% 100%; background-repeat: no-repeat; }
`;

/**
 * @typedef {object} FeedRoutes
 * @property {FeedItem[]} items
 * @property {Record<string, (request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse) => void>} routes
 */

/**
 * The feed at /feed/, its frame page and the small <picture> candidates, as serveDemo routes.
 * @returns {Promise<FeedRoutes>}
 */
export async function feedRoutes() {
  const items = feedItems();
  const sizes = await sizesOf(items);
  const body = items.map((item) => itemHtml(item, /** @type {Size} */ (sizes.get(item.url.split('?')[0])))).join('\n');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sidelight 60-image feed</title><style>${FEED_CSS}</style></head><body><main>${body}</main><script>${PAGE_SCRIPT}</script></body></html>`;
  /** @type {FeedRoutes['routes']} */
  const routes = {
    '/feed/': (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(html);
    },
    '/feed/frame.html': (request, response) => {
      const src = new URL(request.url ?? '/', 'http://127.0.0.1').searchParams.get('src') ?? '';
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(`<!doctype html><html><body style="margin: 0"><img data-subject src="${escapeHtml(src)}" alt="" style="display: block; width: 100%; height: auto"></body></html>`);
    },
  };
  for (const [folder, files] of [
    ['cards', CARD_FILES],
    ['photos', PHOTO_FILES],
  ]) {
    for (const file of files) {
      const thumb = sharp(join(FIXTURES, folder, file)).resize({ width: 320 }).webp({ quality: 70 }).toBuffer();
      routes[`/feed/thumb/${file.replace(/\.\w+$/, '.webp')}`] = (_request, response) => {
        void thumb.then((bytes) => {
          response.writeHead(200, { 'content-type': 'image/webp', 'cache-control': 'no-store' });
          response.end(bytes);
        });
      };
    }
  }
  return { items, routes };
}

/**
 * @typedef {object} ObservedItem
 * @property {string} id
 * @property {string} truth
 * @property {string} form
 * @property {string | null} state Sidelight's `data-sidelight` state on the item's subject.
 * @property {{ left: number, top: number, width: number, height: number } | null} box The subject's box in the top viewport.
 */

/**
 * Each feed item's subject (the element showing its picture, across shadow roots and frames):
 * its Sidelight state and its box in the top viewport.
 * @param {import('playwright-core').Page} page
 * @returns {Promise<ObservedItem[]>}
 */
export function observeFeedItems(page) {
  return page.evaluate(() => {
    /** @param {HTMLElement} article */
    const subjectOf = (article) => {
      if (article.dataset.form === 'shadow') return article.querySelector('feed-picture')?.shadowRoot?.querySelector('img') ?? null;
      if (article.dataset.form === 'iframe') return article.querySelector('iframe')?.contentDocument?.querySelector('img') ?? null;
      return article.querySelector('[data-subject]');
    };
    /** @param {Element} element */
    const boxOf = (element) => {
      const rect = element.getBoundingClientRect();
      let { left, top } = rect;
      for (let frame = element.ownerDocument.defaultView?.frameElement ?? null; frame; frame = frame.ownerDocument.defaultView?.frameElement ?? null) {
        const frameRect = frame.getBoundingClientRect();
        left += frameRect.left + frame.clientLeft;
        top += frameRect.top + frame.clientTop;
      }
      return { left, top, width: rect.width, height: rect.height };
    };
    return [.../** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('article[data-truth]'))].map((article) => {
      const subject = /** @type {HTMLElement | null} */ (subjectOf(article));
      return { id: article.id, truth: article.dataset.truth ?? '', form: article.dataset.form ?? '', state: subject?.dataset.sidelight ?? null, box: subject ? boxOf(subject) : null };
    });
  });
}

/**
 * Scrolls the feed top to bottom like a reader, then polls until every card and photo has a
 * final state (or `timeoutMs` runs out), and scrolls back to the top. With `polls`, polls exactly
 * that many times instead: a page without Sidelight given the same timeline as one with it.
 * @param {import('playwright-core').Page} page
 * @param {{ timeoutMs?: number, polls?: number }} [options]
 * @returns {Promise<{ items: ObservedItem[], polls: number }>}
 */
export async function scrollAndSettleFeedItems(page, { timeoutMs = 180_000, polls } = {}) {
  for (let y = 0; y <= (await page.evaluate(() => document.documentElement.scrollHeight)); y += 600) {
    await page.evaluate((top) => window.scrollTo(0, top), y);
    await page.waitForTimeout(120);
  }
  const deadline = Date.now() + timeoutMs;
  let count = 0;
  while (polls === undefined ? Date.now() < deadline : count < polls) {
    count++;
    const observed = await observeFeedItems(page);
    const subjects = observed.filter((item) => item.truth !== 'avatar');
    if (polls === undefined && subjects.every((item) => item.state && item.state !== 'pending')) break;
    await page.waitForTimeout(500);
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(300);
  return { items: await observeFeedItems(page), polls: count };
}
