/** Two-image posts: the site adapter says which two pictures are one card (lib/sites/registry.ts `pairAsCard`). */
import { adapterFor, pairAsCard } from '../sites/registry';

export interface PagePair {
  /** The post's two pictures in reading order: panel A first. */
  images: [HTMLImageElement, HTMLImageElement];
  /** The pictures' alt texts (one a line, site placeholders dropped) and the post's text: label sources for the two panels. */
  altText: string | null;
  postText: string | null;
}

/**
 * The two-image post `image` belongs to, or null when its post has one picture, three or more, or
 * also a video. Only on the sites Sidelight knows: on any other page a section with two pictures is
 * as likely two unrelated pictures, so they are analysed one by one.
 */
export function pairOf(image: HTMLImageElement): PagePair | null {
  const adapter = adapterFor(location, document);
  if (adapter.id === 'generic') return null;
  const post = adapter.postFor(image);
  const images = post ? pairAsCard(post) : null;
  if (!post || !images) return null;
  return { images, altText: post.altText, postText: post.text ?? post.altText };
}

export interface PlainRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The box spanning both pictures, and each picture's box inside it (the pair overlay's panels), from their viewport boxes. */
export function pairBoxes(first: PlainRect, second: PlainRect): { union: PlainRect; panels: [PlainRect, PlainRect] } {
  const left = Math.min(first.left, second.left);
  const top = Math.min(first.top, second.top);
  const right = Math.max(first.left + first.width, second.left + second.width);
  const bottom = Math.max(first.top + first.height, second.top + second.height);
  const inside = (rect: PlainRect): PlainRect => ({ left: rect.left - left, top: rect.top - top, width: rect.width, height: rect.height });
  return { union: { left, top, width: right - left, height: bottom - top }, panels: [inside(first), inside(second)] };
}
