/** Reddit: current `shreddit-post` pages and the 2019 redesign (`post-container`); old.reddit.com is not read. */

import { absoluteUrl, firstOwnedBy, hostMatches, joinTexts, makePost, nearestAncestor, ownedBy, readableText, type ContainerOf } from './dom';
import type { SiteAdapter } from './types';

const SELECTORS = {
  /** Current Reddit: one custom element per post; attributes carry permalink, author and title. */
  shredditPost: 'shreddit-post',
  /** 2019 redesign: one post (feed card or the post on a comments page). */
  redesignPost: '[data-testid="post-container"]',
  /** Current Reddit: the slot that holds the post's image, gallery or player. */
  shredditMedia: '[slot="post-media-container"] img, gallery-carousel img, img.media-lightbox-img',
  /** Current Reddit: a blurred copy of the image drawn behind it. */
  shredditBackdrop: '.post-background-image-filter',
  /** Current Reddit: video players (their poster image is not a photo). */
  shredditVideo: 'shreddit-player, shreddit-player-2, video',
  /** Current Reddit: the title link. */
  shredditTitle: '[slot="title"]',
  /** Current Reddit: the body of a text post. */
  shredditBody: '[slot="text-body"]',
  /** Redesign: the image box of an image post (semantic classes kept by the build), or the media slot. */
  redesignMedia: 'img.media-element, img.ImageBox-image, [data-click-id="media"] img',
  /** Redesign: ad creatives shown as small outbound thumbnails. */
  redesignAdThumbnail: '[data-testid="comments-page-ad-thumbnail"], a[data-testid="outbound-link"]',
  /** Redesign: the author link (`u/name`). */
  redesignAuthor: '[data-testid="post_author_link"]',
  /** Redesign: the post title (h1 on a comments page, h3 in feeds). */
  redesignTitle: '[data-adclicklocation="title"] h1, [data-adclicklocation="title"] h3, h1, h3',
  /** Redesign: links to the post's comments page. */
  commentsLink: 'a[href*="/comments/"]',
} as const;

const containerOf: ContainerOf = (element) =>
  nearestAncestor(element, (candidate) => candidate.matches(SELECTORS.shredditPost) || candidate.matches(SELECTORS.redesignPost));

function commentsUrl(href: string | null, context: Element): string | null {
  const absolute = absoluteUrl(href, context);
  if (!absolute) return null;
  const url = new URL(absolute);
  return `${url.origin}${url.pathname}`;
}

function readShreddit(container: Element, image: HTMLImageElement) {
  const images = (ownedBy(container, SELECTORS.shredditMedia, containerOf) as HTMLImageElement[]).filter(
    (candidate) => !candidate.closest(SELECTORS.shredditBackdrop) && !candidate.closest(SELECTORS.shredditVideo),
  );
  if (!images.includes(image)) return null;
  const author = container.getAttribute('author');
  return makePost({
    container,
    postUrl: commentsUrl(container.getAttribute('permalink'), container),
    author: author ? `u/${author}` : null,
    text: joinTexts([container.getAttribute('post-title') ?? readableText(firstOwnedBy(container, SELECTORS.shredditTitle, containerOf)), readableText(firstOwnedBy(container, SELECTORS.shredditBody, containerOf))]),
    images,
    otherMediaCount: ownedBy(container, SELECTORS.shredditVideo, containerOf).filter((player) => !player.parentElement?.closest(SELECTORS.shredditVideo)).length,
  });
}

function readRedesign(container: Element, image: HTMLImageElement) {
  const images = (ownedBy(container, SELECTORS.redesignMedia, containerOf) as HTMLImageElement[]).filter((candidate) => !candidate.closest(SELECTORS.redesignAdThumbnail));
  if (!images.includes(image)) return null;
  const title = firstOwnedBy(container, SELECTORS.redesignTitle, containerOf);
  return makePost({
    container,
    postUrl: commentsUrl(firstOwnedBy(container, SELECTORS.commentsLink, containerOf)?.getAttribute('href') ?? null, container),
    author: readableText(firstOwnedBy(container, SELECTORS.redesignAuthor, containerOf)),
    text: readableText(title),
    images,
    otherMediaCount: ownedBy(container, 'video', containerOf).length,
  });
}

export const redditAdapter: SiteAdapter = {
  id: 'reddit',
  matches(location) {
    return hostMatches(location, ['reddit.com']) && !hostMatches(location, ['old.reddit.com']);
  },
  postFor(image) {
    if (!image.matches(SELECTORS.shredditMedia) && !image.matches(SELECTORS.redesignMedia)) return null;
    const container = containerOf(image);
    if (!container) return null;
    return container.matches(SELECTORS.shredditPost) ? readShreddit(container, image) : readRedesign(container, image);
  },
};
