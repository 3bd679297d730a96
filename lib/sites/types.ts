/** The shape every site adapter shares: find the post around an image and read what the overlay needs. */

/** One post (tweet, skeet, pin, Reddit post, Facebook story, toot, or a figure on any other page). */
export interface PostInfo {
  /** The element that holds the whole post; stable for the post's life, so it can key deduplication. */
  container: Element;
  /** Absolute link to the post itself, without tracking parameters; null when the page does not show one. */
  postUrl: string | null;
  /** The author's handle as the site shows it (`@name`, `u/name`, `@name@host`), or the page name on Facebook. */
  author: string | null;
  /** The post's own text (title and body), emoji images as their alt text; null when empty. */
  text: string | null;
  /** Alt texts of the post's media images in reading order, one per line, site placeholders dropped. */
  altText: string | null;
  /** The post's media images in reading order: never avatars, emoji, link-card thumbnails or video posters. */
  images: HTMLImageElement[];
  /** Media items that are not usable images: videos, GIFs, and carousel slides the site has not rendered yet. */
  otherMediaCount: number;
}

/** A per-site reader. `matches` decides from the address (and DOM markers for hosts that vary). */
export interface SiteAdapter {
  /** Short lowercase name; the fixtures for this adapter carry it in their file names. */
  id: string;
  matches(location: Location | URL, doc: Document): boolean;
  /** The post whose media includes `image`, or null when the image is not post media (avatar, emoji, link card, page chrome). */
  postFor(image: HTMLImageElement): PostInfo | null;
}
