/** Bluesky (bsky.app): feed and thread posts and quoted posts; image embeds only, link-card thumbnails and avatars excluded. */

import { absoluteUrl, firstOwnedBy, hostMatches, makePost, nearestAncestor, ownedBy, readableText, type ContainerOf } from './dom';
import type { SiteAdapter } from './types';

const SELECTORS = {
  /** A post in a feed; the testid ends with the author's handle. */
  feedItem: '[data-testid^="feedItem-by-"]',
  /** A post on a thread page; the testid ends with the author's handle. */
  threadItem: '[data-testid^="postThreadItem-by-"]',
  /** A quoted post (record embed): a clickable block, recognised by the post link inside it. */
  embeddedPost: 'div[role="link"]',
  /** Links to a post: the timestamp of each post. */
  postLink: 'a[href*="/post/"]',
  /** Links to a profile: avatar and name of each post. */
  profileLink: 'a[href^="/profile/"]',
  /** Text of a feed or thread post. */
  postText: '[data-testid="postText"]',
  /** Text of a quoted post, which has no testid. */
  embedText: '[data-word-wrap]',
  /** Every picture in the app sits in an expo-image wrapper; CDN paths are the fallback. */
  image: '[data-expoimage] img, img[src*="/img/feed_thumbnail/"], img[src*="/img/feed_fullsize/"]',
  /** Avatar wrapper. */
  avatar: '[data-testid="userAvatarImage"]',
} as const;

const containerOf: ContainerOf = (element) =>
  nearestAncestor(
    element,
    (candidate) =>
      candidate.matches(SELECTORS.feedItem) ||
      candidate.matches(SELECTORS.threadItem) ||
      (candidate.matches(SELECTORS.embeddedPost) && candidate.querySelector(SELECTORS.postLink) !== null),
  );

function isMediaImage(image: HTMLImageElement, container: Element): boolean {
  if (image.closest(SELECTORS.avatar)) return false;
  // Image embeds are buttons that open the lightbox; a picture inside a link is a link card's thumbnail.
  const link = image.closest('a');
  return !link || !container.contains(link);
}

function handleFromTestId(container: Element): string | null {
  const testId = container.getAttribute('data-testid') ?? '';
  const match = /^(?:feedItem|postThreadItem)-by-(.+)$/.exec(testId);
  return match?.[1] ?? null;
}

function handleFromProfileLink(container: Element): string | null {
  for (const link of ownedBy(container, SELECTORS.profileLink, containerOf)) {
    const match = /^\/profile\/([^/?#]+)\/?$/.exec(link.getAttribute('href') ?? '');
    if (match?.[1]) return decodeURIComponent(match[1]);
  }
  return null;
}

function postUrlOf(container: Element): string | null {
  const href = absoluteUrl(firstOwnedBy(container, SELECTORS.postLink, containerOf)?.getAttribute('href'), container);
  if (!href) return null;
  const url = new URL(href);
  return `${url.origin}${url.pathname}`;
}

export const blueskyAdapter: SiteAdapter = {
  id: 'bluesky',
  matches(location) {
    return hostMatches(location, ['bsky.app']);
  },
  postFor(image) {
    if (!image.matches(SELECTORS.image)) return null;
    const container = containerOf(image);
    if (!container || !isMediaImage(image, container)) return null;
    const images = (ownedBy(container, SELECTORS.image, containerOf) as HTMLImageElement[]).filter((candidate) => isMediaImage(candidate, container));
    if (!images.includes(image)) return null;
    const handle = handleFromTestId(container) ?? handleFromProfileLink(container);
    return makePost({
      container,
      postUrl: postUrlOf(container),
      author: handle ? `@${handle}` : null,
      text: readableText(firstOwnedBy(container, SELECTORS.postText, containerOf) ?? firstOwnedBy(container, SELECTORS.embedText, containerOf)),
      images,
      otherMediaCount: ownedBy(container, 'video', containerOf).length,
    });
  },
};
