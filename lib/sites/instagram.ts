/** Instagram (instagram.com): feed and /p/ posts, carousels and profile-grid tiles; slides not rendered yet are counted, not guessed. */

import { absoluteUrl, firstOwnedBy, hostMatches, isDeclaredSmall, makePost, ownedBy, readableText, type ContainerOf } from './dom';
import type { SiteAdapter } from './types';

const SELECTORS = {
  /** A feed post, or the post on a /p/ or /reel/ page. */
  post: 'article',
  /** A profile-grid or explore tile: a link to the post around its first image. */
  tile: 'a[href*="/p/"], a[href*="/reel/"]',
  /** Post media: Instagram's image wrapper (class names kept stable for years), then any image. */
  wrappedImage: 'div._aagv img',
  /** The post header: avatar, author link, follow button. */
  header: 'header',
  /** Carousel slides (the list renders only the slides near the current one). */
  slide: 'ul li',
  /** Carousel position dots: one per slide, rendered or not. */
  dot: '._acnb',
  /** The post's caption on a /p/ page. */
  heading: 'h1',
  /** Caption text in feeds (also names and counts, filtered by `isCaption`). */
  caption: 'span[dir="auto"]',
  /** Links to the post itself. */
  postLink: 'a[href*="/p/"], a[href*="/reel/"]',
} as const;

// An article wins over a post link inside it (its timestamp links to the post too).
const containerOf: ContainerOf = (element) => element.closest(SELECTORS.post) ?? element.closest(SELECTORS.tile);

function isMediaImage(image: HTMLImageElement): boolean {
  if (image.closest(SELECTORS.header) || isDeclaredSmall(image, 64)) return false;
  if (/profile picture/i.test(image.getAttribute('alt') ?? '')) return false;
  // Avatars link to the profile (`/name/`); media never sits in a profile link.
  const link = image.closest('a');
  return !link || link.matches(SELECTORS.tile);
}

function isCaption(span: Element): boolean {
  return !span.closest('header, a, button, time, [role="button"]') && !span.parentElement?.closest(SELECTORS.caption);
}

function postUrlOf(container: Element): string | null {
  const timeLink = firstOwnedBy(container, 'time', containerOf)?.closest(SELECTORS.postLink);
  const link = container.matches(SELECTORS.tile) ? container : (timeLink ?? firstOwnedBy(container, SELECTORS.postLink, containerOf));
  const href = absoluteUrl(link?.getAttribute('href'), container);
  if (!href) return null;
  const url = new URL(href);
  const match = /\/(p|reel)\/[^/]+\//.exec(url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`);
  return match ? `${url.origin}${match[0]}` : null;
}

function authorOf(container: Element): string | null {
  for (const link of ownedBy(container, 'header a[href]', containerOf)) {
    const match = /^\/([A-Za-z0-9._]+)\/?$/.exec(link.getAttribute('href') ?? '');
    if (match?.[1]) return `@${match[1]}`;
  }
  return null;
}

function captionOf(container: Element): string | null {
  const heading = firstOwnedBy(container, SELECTORS.heading, containerOf);
  if (heading) return readableText(heading);
  // The caption is the longest free-standing text span; the rest are counts and labels.
  const captions = ownedBy(container, SELECTORS.caption, containerOf)
    .filter(isCaption)
    .map((caption) => readableText(caption))
    .filter((text): text is string => text !== null);
  return captions.reduce<string | null>((longest, text) => (longest && longest.length >= text.length ? longest : text), null);
}

export const instagramAdapter: SiteAdapter = {
  id: 'instagram',
  matches(location) {
    return hostMatches(location, ['instagram.com']);
  },
  postFor(image) {
    if (!isMediaImage(image)) return null;
    const container = containerOf(image);
    if (!container) return null;
    const wrapped = ownedBy(container, SELECTORS.wrappedImage, containerOf) as HTMLImageElement[];
    const candidates = wrapped.length ? wrapped : (ownedBy(container, 'img', containerOf) as HTMLImageElement[]);
    const images = candidates.filter(isMediaImage);
    if (!images.includes(image)) return null;
    const videos = ownedBy(container, 'video', containerOf).length;
    const renderedSlides = ownedBy(container, SELECTORS.slide, containerOf).filter((slide) => slide.querySelector('img, video')).length;
    const unrenderedSlides = Math.max(0, ownedBy(container, SELECTORS.dot, containerOf).length - renderedSlides);
    return makePost({
      container,
      postUrl: postUrlOf(container),
      author: authorOf(container),
      text: captionOf(container),
      images,
      otherMediaCount: videos + unrenderedSlides,
    });
  },
};
