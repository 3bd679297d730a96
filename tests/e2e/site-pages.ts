// The saved site pages (tests/fixtures/dom) made safe to open in a browser at their own address:
// every script, stylesheet link, frame, video and font removed, every picture pointed at a local
// fixture image on 127.0.0.1, so the only requests left are the page itself and those images.
// The post under test shows a comparison card, and its text (read by the site's adapter) gets a
// caption naming the models; the rest of the post media show a photo; other images become a
// 1×1 data: GIF. Parsing and the adapter run in jsdom (no scripts, no resource loading).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { SITE_ADAPTERS } from '../../lib/sites/registry';

const FIXTURE_DIR = join(import.meta.dirname, '../fixtures/dom');
const BLANK_GIF = 'data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==';
const REMOVED = 'script, noscript, link:not([rel="canonical"]), iframe, frame, object, embed, video, audio, source, track, base, meta[http-equiv]';
const CSS_URL = /url\(\s*(['"]?)(.*?)\1\s*\)/g;

/**
 * Styles a saved page lost because its site injects them at run time, without which its post
 * media have no size (or the wrong one): added to every page built from that fixture.
 */
const LOST_STYLES: Record<string, string> = {
  // X sizes the photo box with atomic CSS: the box (a background <div> and an invisible <img> over
  // it, both absolutely placed) would be 0×0.
  'brocc_x_home-timeline.html':
    '[data-testid="tweetPhoto"] { position: relative; width: 506px; aspect-ratio: 2 / 1 } [data-testid="tweetPhoto"] > div { position: absolute; inset: 0; background-size: 100% 100% }',
  // React Native Web's base style for a View: without it a post's picture is laid out thousands of pixels tall.
  'brocc_bluesky_home-feed.html':
    '.css-175oi2r { display: flex; flex-direction: column; flex-shrink: 0; flex-basis: auto; align-items: stretch; position: relative; box-sizing: border-box; min-width: 0; min-height: 0; margin: 0; padding: 0; border: 0 solid black; z-index: 0 }',
  // The SYNTHETIC pages carry the sites' markup but none of their stylesheets: the feed column and
  // media widths the sites give them, so a post's picture is drawn at a feed's size, not its own.
  'instagram_home-feed-SYNTHETIC.html':
    'article { width: 470px; margin: 0 auto 24px } ._aagv img, ._acaz img { display: block; width: 100%; height: auto } ul:has(> ._acaz) { display: flex; overflow: hidden; list-style: none; margin: 0; padding: 0 } ._acaz { flex: none; width: 100% } img.xpdipgo { width: 32px; height: 32px; border-radius: 50% }',
  'defuddle_mastodon_status-SYNTHETIC.html': 'body { max-width: 600px; margin: 0 auto } .media-gallery { aspect-ratio: auto !important } .media-gallery img { display: block; width: 100%; height: auto }',
  'pinterest_home-feed-SYNTHETIC.html': '[data-grid-item] { width: 236px; display: inline-block; vertical-align: top; margin: 0 8px 16px } [data-grid-item] img { display: block; width: 100%; height: auto }',
  'reddit_shreddit-feed-SYNTHETIC.html': 'main { max-width: 740px; margin: 0 auto } shreddit-post img, gallery-carousel img { display: block; max-width: 100%; height: auto }',
};

export interface SiteCase {
  /** Fixture file name in tests/fixtures/dom. */
  file: string;
  /** The address the page is opened at: its host picks the site adapter. */
  address: string;
  adapter: string;
  /** Selects the post's media image that will show the card. */
  target: string;
  /** Appended to the post's text: names the card's models, which the card itself does not show. */
  caption: string;
  /** More CSS for this case (after the fixture's LOST_STYLES), e.g. to lay out a two-image post. */
  css?: string;
  /** A two-image post to show two given pictures (`urls.pair`), its text captioned like the target's. */
  pair?: { target: string; caption: string };
}

export interface BuiltPage {
  html: string;
  /** The post's text as the adapter reads it, after the caption was added. */
  postText: string | null;
}

/** Appends `caption` to the text node where the post's text ends (its last line), or to shreddit's title attribute. */
function appendCaption(container: Element, postText: string, caption: string): boolean {
  if (container.hasAttribute('post-title')) {
    container.setAttribute('post-title', `${container.getAttribute('post-title')}. ${caption}`);
    return true;
  }
  // The last text node that is part of the post's text (inline links and emoji split it into many).
  const walker = container.ownerDocument.createTreeWalker(container, 4);
  let match: Text | null = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const value = (node.nodeValue ?? '').replace(/\s+/g, ' ').trim();
    if (value.replace(/\W/g, '').length >= 4 && postText.replace(/\s+/g, ' ').includes(value)) match = node as Text;
  }
  if (!match) return false;
  match.nodeValue = `${match.nodeValue}. ${caption}.`;
  return true;
}

/** Builds the page for one case; `imageUrl` maps a role to a local address (127.0.0.1). */
export function buildSitePage(site: SiteCase, urls: { card: string; photo: (index: number) => string; pair?: [string, string] }): BuiltPage {
  const dom = new JSDOM(readFileSync(join(FIXTURE_DIR, site.file), 'utf8'), { url: site.address });
  const doc = dom.window.document;
  const adapter = SITE_ADAPTERS.find((candidate) => candidate.id === site.adapter);
  if (!adapter) throw new Error(`no adapter ${site.adapter}`);
  const target = doc.querySelector(site.target);
  if (!target) throw new Error(`${site.file}: no ${site.target}`);
  const post = adapter.postFor(target as HTMLImageElement);
  if (!post) throw new Error(`${site.file}: ${site.target} is not post media`);
  if (site.caption && !appendCaption(post.container, post.text ?? '', site.caption)) throw new Error(`${site.file}: no text node for the caption`);

  // Every address a picture is drawn from, mapped once: the post under test shows the card (its
  // X-style background twin included), other post media a photo, everything else a blank.
  const mapped = new Map<string, string>();
  const mediaImages = new Set<Element>();
  for (const image of doc.querySelectorAll('img')) if (adapter.postFor(image as HTMLImageElement)) mediaImages.add(image);
  let photos = 0;
  const resolve = (raw: string) => {
    try {
      return new URL(raw, site.address).href;
    } catch {
      return raw;
    }
  };
  const targetSource = resolve(target.getAttribute('src') ?? '');
  mapped.set(targetSource, urls.card);
  if (site.pair) {
    const pairImage = doc.querySelector(site.pair.target);
    const pairPost = pairImage ? adapter.postFor(pairImage as HTMLImageElement) : null;
    if (!pairPost || pairPost.images.length !== 2 || !urls.pair) throw new Error(`${site.file}: ${site.pair.target} is not one of a two-image post`);
    if (!appendCaption(pairPost.container, pairPost.text ?? '', site.pair.caption)) throw new Error(`${site.file}: no text node for the pair's caption`);
    pairPost.images.forEach((image, index) => mapped.set(resolve(image.getAttribute('src') ?? ''), urls.pair?.[index] as string));
  }
  for (const image of doc.querySelectorAll('img')) {
    const source = resolve(image.getAttribute('src') ?? '');
    if (!mapped.has(source)) mapped.set(source, mediaImages.has(image) ? urls.photo(photos++) : BLANK_GIF);
    image.setAttribute('src', mapped.get(source) as string);
    // The local server sends no CORS headers: the sites' crossorigin images would fail to load.
    for (const name of ['srcset', 'crossorigin']) image.removeAttribute(name);
  }
  const local = (raw: string) => mapped.get(resolve(raw)) ?? (raw.startsWith('data:') ? raw : BLANK_GIF);
  doc.querySelectorAll(REMOVED).forEach((element) => element.remove());
  for (const element of doc.querySelectorAll('[style]')) {
    element.setAttribute('style', (element.getAttribute('style') ?? '').replace(CSS_URL, (_all, _quote, raw: string) => `url("${local(raw)}")`));
  }
  for (const style of doc.querySelectorAll('style')) {
    style.textContent = (style.textContent ?? '').replace(CSS_URL, (all, _quote, raw: string) => (raw.startsWith('data:') ? all : 'url("data:,")')).replace(/@import[^;]+;/g, '');
  }
  // SVG <image> (Facebook avatars), <input type=image>, legacy background attributes, poster frames.
  for (const element of doc.querySelectorAll('image, [background], [poster], [lowsrc], input[src]')) {
    for (const name of ['href', 'xlink:href', 'background', 'poster', 'lowsrc', 'src']) element.removeAttribute(name);
  }
  const css = [LOST_STYLES[site.file], site.css].filter(Boolean).join('\n');
  if (css) {
    const style = doc.createElement('style');
    style.textContent = css;
    doc.head.append(style);
  }
  const text = adapter.postFor(doc.querySelector(`img[src="${urls.card}"]`) as HTMLImageElement)?.text ?? null;
  return { html: `<!doctype html>\n${doc.documentElement.outerHTML}`, postText: text };
}
