/** The one list of site adapters, the lookup by page, and how a post's images become a card candidate. */

import { blueskyAdapter } from './bluesky';
import { facebookAdapter } from './facebook';
import { genericAdapter } from './generic';
import { instagramAdapter } from './instagram';
import { mastodonAdapter } from './mastodon';
import { pinterestAdapter } from './pinterest';
import { redditAdapter } from './reddit';
import { threadsAdapter } from './threads';
import type { PostInfo, SiteAdapter } from './types';
import { xAdapter } from './x';

export type { PostInfo, SiteAdapter } from './types';

/** Checked in order; host-matched sites first, Mastodon (DOM-matched) after them, generic last because it matches anything. */
export const SITE_ADAPTERS: readonly SiteAdapter[] = [
  xAdapter,
  blueskyAdapter,
  threadsAdapter,
  instagramAdapter,
  redditAdapter,
  facebookAdapter,
  pinterestAdapter,
  mastodonAdapter,
  genericAdapter,
];

/** The first adapter that claims the page; never null, since the generic adapter claims every page. */
export function adapterFor(location: Location | URL, doc: Document): SiteAdapter {
  return SITE_ADAPTERS.find((adapter) => adapter.matches(location, doc)) ?? genericAdapter;
}

/** A post with exactly two media images and nothing else is one two-panel comparison candidate; 3+ items are not. */
export function pairAsCard(post: PostInfo): [HTMLImageElement, HTMLImageElement] | null {
  const [first, second] = post.images;
  if (post.images.length !== 2 || post.otherMediaCount > 0 || !first || !second) return null;
  return [first, second];
}

/** Every post with media under `root`, once each, in document order (a scan of a subtree the feed just added). */
export function postsIn(root: ParentNode, adapter: SiteAdapter): PostInfo[] {
  const posts = new Map<Element, PostInfo>();
  const covered = new Set<HTMLImageElement>();
  for (const image of root.querySelectorAll('img')) {
    if (covered.has(image)) continue;
    const post = adapter.postFor(image);
    if (!post || posts.has(post.container)) continue;
    posts.set(post.container, post);
    post.images.forEach((media) => covered.add(media));
  }
  return Array.from(posts.values());
}
