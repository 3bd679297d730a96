/** Mastodon (any instance, found by the web UI's DOM): statuses and their media galleries; GIFs, video and audio counted apart. */

import { absoluteUrl, firstOwnedBy, hostMatches, makePost, ownedBy, readableText, type ContainerOf } from './dom';
import type { SiteAdapter } from './types';

const SELECTORS = {
  /** The web UI's mount point, present in the server-rendered page before any status loads. */
  appRoot: '#mastodon[data-props], body.app-body #mastodon',
  /** A status in a timeline, or the focused status of a thread. */
  status: '.status, .detailed-status',
  /** Markers that only Mastodon's web UI renders around statuses. */
  statusMarker: '.media-gallery, .status__content, .status__wrapper, .detailed-status__wrapper',
  /** Image attachments (the thumbnail link of each gallery item). */
  mediaImage: '.media-gallery__item-thumbnail img',
  /** Attachments that are not still images: GIFV, video and audio players. */
  otherMedia: '.media-gallery__gifv, .video-player, .audio-player',
  /** Links to the status itself (relative time in timelines, date on the focused status). */
  permalink: 'a.status__relative-time, a.detailed-status__datetime',
  /** The author's `@user` or `@user@host`. */
  account: '.display-name__account',
  /** The status text, including the content-warning line when there is one. */
  content: '.status__content',
} as const;

const containerOf: ContainerOf = (element) => element.closest(SELECTORS.status);

function postUrlOf(container: Element): string | null {
  const href = absoluteUrl(firstOwnedBy(container, SELECTORS.permalink, containerOf)?.getAttribute('href'), container);
  if (!href) return null;
  const url = new URL(href);
  return `${url.origin}${url.pathname}`;
}

export const mastodonAdapter: SiteAdapter = {
  id: 'mastodon',
  matches(location, doc) {
    // Instances live on any host; the web UI's own markup is what identifies one.
    if (doc.querySelector(SELECTORS.appRoot)) return true;
    if (doc.querySelector(SELECTORS.status) && doc.querySelector(SELECTORS.statusMarker)) return true;
    return hostMatches(location, ['mastodon.social', 'mastodon.online']);
  },
  postFor(image) {
    if (!image.matches(SELECTORS.mediaImage)) return null;
    const container = containerOf(image);
    if (!container) return null;
    const images = ownedBy(container, SELECTORS.mediaImage, containerOf) as HTMLImageElement[];
    if (!images.includes(image)) return null;
    return makePost({
      container,
      postUrl: postUrlOf(container),
      author: readableText(firstOwnedBy(container, SELECTORS.account, containerOf)),
      text: readableText(firstOwnedBy(container, SELECTORS.content, containerOf)),
      images,
      otherMediaCount: ownedBy(container, SELECTORS.otherMedia, containerOf).length,
    });
  },
};
