/** Facebook (www and m.facebook.com): feed stories and permalink pages; photos linked to the photo viewer, comments excluded. */

import { absoluteUrl, firstOwnedBy, hostMatches, joinTexts, makePost, ownedBy, readableText, type ContainerOf } from './dom';
import type { SiteAdapter } from './types';

const SELECTORS = {
  /** m.facebook.com: one feed story (its data-ft carries the post ids). */
  mobileStory: 'article',
  /** m.facebook.com: a story unit outside an <article> (page timelines); data-ft carries the post ids. */
  storyUnit: '[data-ft*="top_level_post_id"]',
  /** m.facebook.com: the story body on a permalink page, where no <article> wraps it. */
  storyBody: '.story_body_container',
  /** www.facebook.com: one unit of the virtualised feed. */
  feedUnit: '[aria-posinset]',
  /** www.facebook.com: feed units on older layouts and every comment (a comment inside a post is not the post). */
  roleArticle: '[role="article"]',
  /** Photos open the photo viewer: /photo/?fbid=, /photos/…, photo.php, photoset_token (and pcb. album links). */
  photoImage: 'a[href*="/photo"] img, a[href*="photo.php"] img',
  /** Profile pictures in m.facebook.com headers. */
  profilePicture: '.profpic',
  /** www: the post message. */
  message: '[data-ad-preview="message"], [data-ad-comet-preview="message"]',
  /** m: paragraphs of the story text (header paragraphs skipped). */
  paragraph: 'p',
  /** The author's name: a link in the story header (m: header strong/h3, www: h2–h4). */
  author: 'header strong a, header h3 a, h3 strong a, h2 a, h3 a, h4 a, strong a',
  /** Links to the post itself, most specific first. */
  permalink: ['a[href*="/permalink/"]', 'a[href*="/posts/"]', 'a[href*="story.php"]'],
  /** Inline video players. */
  video: 'video, [data-sigil*="inlineVideo"]',
} as const;

const CONTAINER_ORDER = [SELECTORS.mobileStory, SELECTORS.storyUnit, SELECTORS.storyBody, SELECTORS.feedUnit, SELECTORS.roleArticle];

// The outermost story unit wins: comments are role=article elements inside a www feed unit.
const containerOf: ContainerOf = (element) => {
  for (const selector of CONTAINER_ORDER) {
    const container = element.closest(selector);
    if (container) return container;
  }
  return null;
};

function isPostPhoto(image: HTMLImageElement, container: Element): boolean {
  if (image.matches(SELECTORS.profilePicture) || /profile picture$/i.test(image.getAttribute('alt') ?? '')) return false;
  const comment = image.closest(SELECTORS.roleArticle);
  return !comment || comment === container || !container.contains(comment);
}

/** A post link without tracking parameters; story.php keeps the two ids that name the story. */
function cleanPostUrl(href: string | null, context: Element): string | null {
  const absolute = absoluteUrl(href, context);
  if (!absolute) return null;
  const url = new URL(absolute);
  if (url.pathname.endsWith('story.php')) {
    const kept = new URLSearchParams();
    for (const key of ['story_fbid', 'id']) {
      const value = url.searchParams.get(key);
      if (value) kept.set(key, value);
    }
    return `${url.origin}${url.pathname}?${kept.toString()}`;
  }
  return `${url.origin}${url.pathname}`;
}

/** m.facebook.com stories name their post in data-ft even when they show no permalink (cover-photo updates). */
function storyUrlFromIds(container: Element): string | null {
  const unit = container.closest('[data-ft]');
  try {
    const ids: unknown = JSON.parse(unit?.getAttribute('data-ft') ?? '');
    if (typeof ids !== 'object' || ids === null) return null;
    const { top_level_post_id: post, content_owner_id_new: owner } = ids as Record<string, unknown>;
    if (!post || !owner) return null;
    return cleanPostUrl(`/story.php?story_fbid=${String(post)}&id=${String(owner)}`, container);
  } catch {
    return null;
  }
}

function postUrlOf(container: Element): string | null {
  for (const selector of SELECTORS.permalink) {
    const link = firstOwnedBy(container, selector, containerOf);
    if (link) return cleanPostUrl(link.getAttribute('href'), link);
  }
  return storyUrlFromIds(container);
}

function textOf(container: Element): string | null {
  const message = firstOwnedBy(container, SELECTORS.message, containerOf);
  if (message) return readableText(message);
  const paragraphs = ownedBy(container, SELECTORS.paragraph, containerOf).filter((paragraph) => !paragraph.closest('header'));
  return joinTexts(paragraphs.map((paragraph) => readableText(paragraph)));
}

export const facebookAdapter: SiteAdapter = {
  id: 'facebook',
  matches(location) {
    return hostMatches(location, ['facebook.com']);
  },
  postFor(image) {
    if (!image.matches(SELECTORS.photoImage)) return null;
    const container = containerOf(image);
    if (!container || !isPostPhoto(image, container)) return null;
    const images = (ownedBy(container, SELECTORS.photoImage, containerOf) as HTMLImageElement[]).filter((photo) => isPostPhoto(photo, container));
    if (!images.includes(image)) return null;
    return makePost({
      container,
      postUrl: postUrlOf(container),
      author: readableText(firstOwnedBy(container, SELECTORS.author, containerOf)),
      text: textOf(container),
      images,
      otherMediaCount: ownedBy(container, SELECTORS.video, containerOf).length,
    });
  },
};
