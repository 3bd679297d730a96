/** Threads (threads.net, threads.com): posts, carousels and quoted posts; photos only, video posters counted as other media. */

import { absoluteUrl, firstOwnedBy, hostMatches, isDeclaredSmall, joinTexts, makePost, nearestAncestor, ownedBy, readableText, type ContainerOf } from './dom';
import type { SiteAdapter } from './types';

const SELECTORS = {
  /** One post; a quoted post is another one nested inside. */
  post: 'div[data-pressable-container="true"]',
  /** Links to a post: its timestamp, and `/media` around single photos. */
  postLink: 'a[href*="/post/"]',
  /** Links to a profile (`/@name`): avatar and name. */
  profileLink: 'a[href^="/@"]',
  /** Caption paragraphs (also names, counts and labels, filtered out by `isCaption`). */
  caption: 'span[dir="auto"]',
  /** Link preview cards open outside the app. */
  linkCard: 'a[target="_blank"]',
} as const;

const containerOf: ContainerOf = (element) => nearestAncestor(element, (candidate) => candidate.matches(SELECTORS.post));

function isMediaImage(image: HTMLImageElement): boolean {
  // Avatars (36 px), badges and favicons (14–22 px) declare their size; photos declare the original's.
  if (isDeclaredSmall(image, 64)) return false;
  if (image.closest(SELECTORS.linkCard)) return false;
  if (/profile picture$/i.test(image.getAttribute('alt') ?? '')) return false;
  // A video's poster sits next to its <video> element.
  return !image.parentElement?.querySelector('video');
}

function isCaption(span: Element): boolean {
  if (span.getAttribute('translate') === 'no') return false;
  if (span.closest('a, [role="button"], time') || span.querySelector('time')) return false;
  return !span.parentElement?.closest(SELECTORS.caption);
}

function postUrlOf(container: Element): string | null {
  const time = firstOwnedBy(container, 'time', containerOf);
  const link = time?.closest(SELECTORS.postLink) ?? firstOwnedBy(container, SELECTORS.postLink, containerOf);
  const href = absoluteUrl(link?.getAttribute('href'), container);
  if (!href) return null;
  const url = new URL(href);
  const match = /^\/@[^/]+\/post\/[^/]+/.exec(url.pathname);
  return match ? `${url.origin}${match[0]}` : null;
}

function authorOf(container: Element): string | null {
  for (const link of ownedBy(container, SELECTORS.profileLink, containerOf)) {
    const match = /^\/(@[^/?#]+)\/?$/.exec(link.getAttribute('href') ?? '');
    if (match?.[1]) return match[1];
  }
  return null;
}

export const threadsAdapter: SiteAdapter = {
  id: 'threads',
  matches(location) {
    return hostMatches(location, ['threads.net', 'threads.com']);
  },
  postFor(image) {
    if (!isMediaImage(image)) return null;
    const container = containerOf(image);
    if (!container) return null;
    const images = (ownedBy(container, 'img', containerOf) as HTMLImageElement[]).filter(isMediaImage);
    if (!images.includes(image)) return null;
    const captions = ownedBy(container, SELECTORS.caption, containerOf).filter(isCaption);
    return makePost({
      container,
      postUrl: postUrlOf(container),
      author: authorOf(container),
      // One span per paragraph; mentions inside a paragraph sit in inline divs.
      text: joinTexts(captions.map((caption) => readableText(caption, { blocks: false }))),
      images,
      otherMediaCount: ownedBy(container, 'video', containerOf).length,
    });
  },
};
