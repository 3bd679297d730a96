/** X (x.com, twitter.com): tweets, quoted tweets and condensed carousel tweets; photos only, videos and GIFs counted apart. */

import { absoluteUrl, firstOwnedBy, hostMatches, makePost, nearestAncestor, ownedBy, readableText, type ContainerOf } from './dom';
import type { SiteAdapter } from './types';

const SELECTORS = {
  /** A tweet in a timeline, thread, profile or search. */
  tweet: 'article[data-testid="tweet"]',
  /** A quoted tweet or a condensed "top posts" tweet: a clickable block; counts only when it has its own author line. */
  embeddedTweet: 'div[role="link"]',
  /** The author line: display name, @handle and time. */
  userName: '[data-testid="User-Name"]',
  /** The avatar wrapper; its testid ends with the author's handle. */
  avatar: '[data-testid^="UserAvatar-Container-"]',
  /** The tweet's body text. */
  tweetText: '[data-testid="tweetText"]',
  /** One media slot; wraps photos and also GIF and video previews. */
  mediaSlot: '[data-testid="tweetPhoto"], [data-testid="videoPlayer"]',
  /** Photo images: inside a media slot, or (fallback) any image served from the tweet-media path. */
  photo: '[data-testid="tweetPhoto"] img, img[src*="pbs.twimg.com/media/"]',
  /** Video players and video/GIF previews. */
  video: '[data-testid="videoPlayer"], [data-testid="videoComponent"], [data-testid="previewInterstitial"]',
  /** Links that point at a tweet (its timestamp, its photos). */
  statusLink: 'a[href*="/status/"]',
} as const;

// Video and GIF posters are served from these paths, never from /media/.
const VIDEO_POSTER_SRC = /(?:ext_tw_video_thumb|amplify_video_thumb|tweet_video_thumb)\//;
const STATUS_PATH = /^\/([^/]+)\/status\/(\d+)/;
const HANDLE = /@([A-Za-z0-9_]{1,15})/;

const containerOf: ContainerOf = (element) =>
  nearestAncestor(element, (candidate) => candidate.matches(SELECTORS.tweet) || (candidate.matches(SELECTORS.embeddedTweet) && candidate.querySelector(SELECTORS.userName) !== null));

function isPhoto(image: HTMLImageElement): boolean {
  return !image.closest(SELECTORS.video) && !VIDEO_POSTER_SRC.test(image.getAttribute('src') ?? '');
}

/** X numbers a tweet's photos in their links (`/photo/1`…`/photo/4`): that is the reading order of the grid. */
function photoNumber(image: HTMLImageElement): number {
  const match = /\/photo\/(\d+)/.exec(image.closest('a')?.getAttribute('href') ?? '');
  return match?.[1] ? Number(match[1]) : Number.MAX_SAFE_INTEGER;
}

function statusUrl(anchor: Element): string | null {
  const href = absoluteUrl(anchor.getAttribute('href'), anchor);
  if (!href) return null;
  const url = new URL(href);
  const match = STATUS_PATH.exec(url.pathname);
  return match ? `${url.origin}/${match[1]}/status/${match[2]}` : null;
}

function postUrlOf(container: Element): string | null {
  const time = firstOwnedBy(container, 'time', containerOf);
  const timeLink = time?.closest(SELECTORS.statusLink);
  if (timeLink && container.contains(timeLink)) return statusUrl(timeLink);
  for (const link of ownedBy(container, SELECTORS.statusLink, containerOf)) {
    const url = statusUrl(link);
    if (url) return url;
  }
  return null;
}

function authorOf(container: Element): string | null {
  const handle = HANDLE.exec(firstOwnedBy(container, SELECTORS.userName, containerOf)?.textContent ?? '');
  if (handle?.[1]) return `@${handle[1]}`;
  const avatar = firstOwnedBy(container, SELECTORS.avatar, containerOf)?.getAttribute('data-testid')?.slice('UserAvatar-Container-'.length);
  return avatar && avatar !== 'unknown' ? `@${avatar}` : null;
}

export const xAdapter: SiteAdapter = {
  id: 'x',
  matches(location) {
    return hostMatches(location, ['x.com', 'twitter.com']);
  },
  postFor(image) {
    if (!image.matches(SELECTORS.photo) || !isPhoto(image)) return null;
    const container = containerOf(image);
    if (!container) return null;
    const images = (ownedBy(container, SELECTORS.photo, containerOf) as HTMLImageElement[]).filter(isPhoto);
    if (!images.includes(image)) return null;
    images.sort((a, b) => photoNumber(a) - photoNumber(b));
    const slots = ownedBy(container, SELECTORS.mediaSlot, containerOf).filter((slot) => !slot.parentElement?.closest(SELECTORS.mediaSlot));
    return makePost({
      container,
      postUrl: postUrlOf(container),
      author: authorOf(container),
      // Mentions sit in inline-block divs; line breaks are "\n" in the text itself.
      text: readableText(firstOwnedBy(container, SELECTORS.tweetText, containerOf), { blocks: false }),
      images,
      otherMediaCount: slots.filter((slot) => !images.some((photo) => slot.contains(photo))).length,
      // X fills alt with "Image" when the author wrote none.
      isPlaceholderAlt: (alt) => alt === 'Image',
    });
  },
};
