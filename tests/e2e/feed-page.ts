// A 60-image feed for the discovery e2e: the fixture cards and photos in every way a page can
// show a picture (plain <img>, <picture>/srcset, CSS background, open shadow DOM, same-origin
// iframe, blob: and data: URLs, a blob: revoked after loading), plus avatars that are no
// candidates. Each address gets a ?v= suffix: distinct addresses, but the engine sees only the
// 13 distinct pictures (the content-hash cache answers the rest).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

export const FORMS = ['img', 'picture', 'background', 'shadow', 'iframe', 'blob', 'blob-revoked', 'data'] as const;
export type Form = (typeof FORMS)[number];
export type Truth = 'card' | 'photo' | 'avatar';

export interface FeedItem {
  id: string;
  truth: Truth;
  form: Form;
  /** The address the picture is analysed at (the largest candidate for <picture>). */
  url: string;
  /** For <picture>: the small candidate the viewport picks; never to be analysed. */
  smallUrl?: string;
}

const FIXTURES = join(import.meta.dirname, '../fixtures');
export const CARD_FILES = readdirSync(join(FIXTURES, 'cards')).sort();
export const PHOTO_FILES = readdirSync(join(FIXTURES, 'photos')).sort();
const WIDTH = 600;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** 20 cards, 27 photos and 13 avatars, interleaved as a feed would mix them. */
export function feedItems(): FeedItem[] {
  const cards: FeedItem[] = [];
  for (let index = 0; index < 20; index++) {
    const file = CARD_FILES[index % CARD_FILES.length] as string;
    const form = FORMS[index % FORMS.length] as Form;
    const item: FeedItem = { id: `card-${index}`, truth: 'card', form, url: `/fixtures/cards/${file}?v=${index}` };
    if (form === 'picture') item.smallUrl = `/feed/thumb/${file.replace(/\.\w+$/, '.webp')}?v=${index}`;
    cards.push(item);
  }
  const photos: FeedItem[] = [];
  for (let index = 0; index < 27; index++) {
    const file = PHOTO_FILES[index % PHOTO_FILES.length] as string;
    const form = FORMS[(index + 3) % FORMS.length] as Form;
    const item: FeedItem = { id: `photo-${index}`, truth: 'photo', form, url: `/fixtures/photos/${file}?v=${index}` };
    if (form === 'picture') item.smallUrl = `/feed/thumb/${file.replace(/\.\w+$/, '.webp')}?v=${index}`;
    photos.push(item);
  }
  const avatars: FeedItem[] = Array.from({ length: 13 }, (_, index) => ({
    id: `avatar-${index}`,
    truth: 'avatar',
    form: 'img',
    url: `/fixtures/photos/${PHOTO_FILES[index % PHOTO_FILES.length]}?avatar=${index}`,
  }));
  const items: FeedItem[] = [];
  while (cards.length || photos.length || avatars.length) {
    for (const list of [cards, photos, avatars, photos]) {
      const next = list.shift();
      if (next) items.push(next);
    }
  }
  return items;
}

interface Size {
  width: number;
  height: number;
}

async function sizesOf(items: FeedItem[]): Promise<Map<string, Size>> {
  const sizes = new Map<string, Size>();
  for (const item of items) {
    const path = item.url.split('?')[0] as string;
    if (sizes.has(path)) continue;
    const { width = 1, height = 1 } = await sharp(join(FIXTURES, path.replace(/^\/fixtures\//, ''))).metadata();
    sizes.set(path, { width, height });
  }
  return sizes;
}

function itemHtml(item: FeedItem, size: Size): string {
  const height = Math.round((WIDTH * size.height) / size.width);
  const url = escapeHtml(item.url);
  let media: string;
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

export interface FeedRoutes {
  items: FeedItem[];
  routes: Record<string, (request: IncomingMessage, response: ServerResponse) => void>;
}

/** The feed at /feed/, its frame page and the small <picture> candidates, as serveDemo routes. */
export async function feedRoutes(): Promise<FeedRoutes> {
  const items = feedItems();
  const sizes = await sizesOf(items);
  const body = items.map((item) => itemHtml(item, sizes.get(item.url.split('?')[0] as string) as Size)).join('\n');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sidelight 60-image feed</title><style>${FEED_CSS}</style></head><body><main>${body}</main><script>${PAGE_SCRIPT}</script></body></html>`;
  const routes: FeedRoutes['routes'] = {
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
  ] as const) {
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
