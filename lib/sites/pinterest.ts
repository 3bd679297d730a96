/** Pinterest (pinterest.com and its country domains): grid pins and the pin close-up; avatars and video pins excluded. */

import { absoluteUrl, firstOwnedBy, isDeclaredSmall, joinTexts, makePost, ownedBy, readableText, type ContainerOf } from './dom';
import type { SiteAdapter } from './types';

const SELECTORS = {
  /** The pin close-up (the pin page, or the close-up opened over a feed). */
  closeup: '[data-test-id="closeup-body"]',
  /** A pin in a masonry grid (home feed, board, search, "more like this"). */
  gridPin: '[data-test-id="pin"], [data-grid-item="true"]',
  /** Avatars and profile pictures (creator attribution, saved-by rows). */
  avatar: '[data-test-id*="avatar"], [data-test-id*="Avatar"]',
  /** Links to a pin page. */
  pinLink: 'a[href*="/pin/"]',
  /** Creator or board attribution: a link to the profile. */
  creatorLink: '[data-test-id*="creator"] a[href], [data-test-id*="attribution"] a[href]',
  /** Pin titles: the close-up heading and the grid footer title. */
  title: '[data-test-id="pinTitle"], [data-test-id="closeup-title"], [data-test-id="pinrep-footer-organic-title"]',
  /** Pin descriptions on the close-up. */
  description: '[data-test-id="closeup-description"], [data-test-id="truncated-description"], [data-test-id="description"]',
  /** Video pins. */
  video: 'video',
  /** Canonical address of a pin page. */
  canonical: 'link[rel="canonical"], meta[property="og:url"]',
} as const;

// Pin images are served in width buckets (236x, 474x, 736x, originals); avatars use square `NNxNN_RS` crops.
const PIN_IMAGE_SRC = /i\.pinimg\.com\/(?:\d+x|originals)\//;
const AVATAR_SRC = /\/\d+x\d+_RS\//;
const PINTEREST_HOST = /(^|\.)pinterest\.(com|[a-z]{2}|co\.[a-z]{2}|com\.[a-z]{2})$/;

// The close-up wins over grid pins; grids of related pins sit outside it.
const containerOf: ContainerOf = (element) => element.closest(SELECTORS.closeup) ?? element.closest(SELECTORS.gridPin);

function isPinImage(image: HTMLImageElement): boolean {
  if (image.closest(SELECTORS.avatar) || isDeclaredSmall(image, 64)) return false;
  const src = image.getAttribute('src') ?? '';
  if (AVATAR_SRC.test(src)) return false;
  return PIN_IMAGE_SRC.test(src) || !src.includes('pinimg.com');
}

function pinUrl(href: string | null | undefined, context: Element): string | null {
  const absolute = absoluteUrl(href, context);
  if (!absolute) return null;
  const url = new URL(absolute);
  const match = /\/pin\/[^/]+\//.exec(url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`);
  return match ? `${url.origin}${match[0]}` : null;
}

function postUrlOf(container: Element): string | null {
  if (container.matches(SELECTORS.closeup)) {
    const canonical = container.ownerDocument.querySelector(SELECTORS.canonical);
    return pinUrl(canonical?.getAttribute('href') ?? canonical?.getAttribute('content'), container);
  }
  return pinUrl(firstOwnedBy(container, SELECTORS.pinLink, containerOf)?.getAttribute('href'), container);
}

function authorOf(container: Element): string | null {
  for (const link of ownedBy(container, SELECTORS.creatorLink, containerOf)) {
    const match = /^\/([^/?#]+)\/?$/.exec(link.getAttribute('href') ?? '');
    if (match?.[1] && match[1] !== 'pin') return match[1];
  }
  return null;
}

export const pinterestAdapter: SiteAdapter = {
  id: 'pinterest',
  matches(location) {
    return PINTEREST_HOST.test(location.hostname.toLowerCase());
  },
  postFor(image) {
    if (!isPinImage(image)) return null;
    const container = containerOf(image);
    if (!container) return null;
    const images = (ownedBy(container, 'img', containerOf) as HTMLImageElement[]).filter(isPinImage);
    if (!images.includes(image)) return null;
    return makePost({
      container,
      postUrl: postUrlOf(container),
      author: authorOf(container),
      text: joinTexts([readableText(firstOwnedBy(container, SELECTORS.title, containerOf)), readableText(firstOwnedBy(container, SELECTORS.description, containerOf))]),
      images,
      otherMediaCount: ownedBy(container, SELECTORS.video, containerOf).length,
    });
  },
};
