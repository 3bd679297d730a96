/** Any other page: the nearest figure, article or section is the post; its figcaption, heading or first paragraph is its text. Always registered last. */

import { absoluteUrl, firstOwnedBy, isDeclaredSmall, makePost, ownedBy, readableText, type ContainerOf } from './dom';
import type { SiteAdapter } from './types';

const SELECTORS = {
  /** Units that hold pictures with their context, nearest first: a figure, then an article, then a section. */
  unit: 'figure, article, [role="article"], section',
  /** A figure's caption. */
  caption: 'figcaption',
  /** An article's or section's heading. */
  heading: 'h1, h2, h3',
  /** A post-like unit's own paragraph, when it has no caption or heading (feeds and comment threads). */
  paragraph: 'p',
  /** Avatars and emoji by their conventional class names and wrappers. */
  decoration: '.avatar, [class*="avatar"], .emoji, img[class*="emoji"], [role="presentation"], [aria-hidden="true"]',
  /** The page's own address, when it declares one. */
  canonical: 'link[rel="canonical"], meta[property="og:url"]',
  /** The page's author, when it declares one. */
  author: 'meta[name="author"], [rel="author"]',
} as const;

const containerOf: ContainerOf = (element) => element.closest(SELECTORS.unit);

function isContentImage(image: HTMLImageElement): boolean {
  // Icons, tracking pixels and emoji declare a small size; a declared size is the only one read here.
  return !isDeclaredSmall(image, 48) && !image.closest(SELECTORS.decoration);
}

function pageUrl(doc: Document): string | null {
  const canonical = doc.querySelector(SELECTORS.canonical);
  const declared = canonical?.getAttribute('href') ?? canonical?.getAttribute('content');
  if (declared) return absoluteUrl(declared, doc.documentElement);
  const address = doc.defaultView?.location.href ?? null;
  return address && /^https?:/.test(address) ? address : null;
}

function pageAuthor(doc: Document): string | null {
  const author = doc.querySelector(SELECTORS.author);
  return author?.getAttribute('content') ?? readableText(author);
}

export const genericAdapter: SiteAdapter = {
  id: 'generic',
  matches() {
    return true;
  },
  postFor(image) {
    const container = containerOf(image);
    if (!container || !isContentImage(image)) return null;
    const images = (ownedBy(container, 'img', containerOf) as HTMLImageElement[]).filter(isContentImage);
    const figure = image.closest('figure');
    const caption = figure ? firstOwnedBy(figure, SELECTORS.caption, containerOf) : null;
    const headingScope = container.closest('article, [role="article"], section') ?? container;
    return makePost({
      container,
      postUrl: pageUrl(image.ownerDocument),
      author: pageAuthor(image.ownerDocument),
      text:
        readableText(caption) ??
        readableText(headingScope.querySelector(SELECTORS.heading)) ??
        readableText(firstOwnedBy(headingScope, SELECTORS.paragraph, containerOf)),
      images,
      otherMediaCount: ownedBy(container, 'video', containerOf).length,
    });
  },
};
