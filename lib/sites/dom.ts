/** Small DOM readers the site adapters share: ownership of nested posts, readable text, URLs. No layout reads. */

import type { PostInfo } from './types';

/** Finds the post container an element belongs to (the nearest one, so a quoted post owns its own media). */
export type ContainerOf = (element: Element) => Element | null;

// Tag checks instead of `instanceof`: nodes from same-origin iframes and parsed documents come from other realms.
export function isImage(element: Element): element is HTMLImageElement {
  return element.localName === 'img';
}

/** Whether the address's host is one of `domains` or a subdomain of one. */
export function hostMatches(location: Location | URL, domains: readonly string[]): boolean {
  const host = location.hostname.toLowerCase();
  return domains.some((domain) => host === domain || host.endsWith(`.${domain}`));
}

/** The nearest ancestor (or the element itself) that satisfies `test`. */
export function nearestAncestor(element: Element, test: (candidate: Element) => boolean): Element | null {
  for (let node: Element | null = element; node; node = node.parentElement) {
    if (test(node)) return node;
  }
  return null;
}

/** Descendants of `container` matching `selector` that belong to it and not to a post nested inside it. */
export function ownedBy(container: Element, selector: string, containerOf: ContainerOf): Element[] {
  return Array.from(container.querySelectorAll(selector)).filter((element) => containerOf(element) === container);
}

export function firstOwnedBy(container: Element, selector: string, containerOf: ContainerOf): Element | null {
  for (const element of container.querySelectorAll(selector)) {
    if (containerOf(element) === container) return element;
  }
  return null;
}

/** Resolves `href` against the element's document (its <base> included); null for empty or unparsable links. */
export function absoluteUrl(href: string | null | undefined, context: Element): string | null {
  if (!href) return null;
  try {
    return new URL(href, context.ownerDocument.baseURI).href;
  } catch {
    return null;
  }
}

/** The href of a link as an absolute URL object, or null. */
export function linkUrl(anchor: Element | null): URL | null {
  if (!anchor) return null;
  const href = absoluteUrl(anchor.getAttribute('href'), anchor);
  return href ? new URL(href) : null;
}

const BLOCK_TAGS = new Set(['p', 'div', 'li', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'figcaption', 'section', 'article', 'header', 'footer', 'pre', 'tr']);
const SKIPPED_TAGS = new Set(['script', 'style', 'noscript', 'template', 'svg', 'video', 'audio', 'canvas', 'iframe']);
// Bidi isolates and marks that sites wrap around names and handles, and private-use icon-font glyphs (Threads' link icon).
const INVISIBLE_MARKS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ue000-\uf8ff]/g;

export interface TextOptions {
  /** Whether block elements break lines; off for sites that lay inline text out in divs and keep "\n" in text (X, Threads). */
  blocks?: boolean;
}

/** Text as a reader sees it: emoji images become their alt text, blocks and <br> become line breaks. */
export function readableText(element: Element | null, { blocks = true }: TextOptions = {}): string | null {
  if (!element) return null;
  const parts: string[] = [];
  const walk = (node: Node): void => {
    if (node.nodeType === 3) {
      parts.push(node.nodeValue ?? '');
      return;
    }
    if (node.nodeType !== 1) return;
    const child = node as Element;
    const tag = child.localName;
    if (SKIPPED_TAGS.has(tag) || child.hasAttribute('hidden')) return;
    if (tag === 'br') {
      parts.push('\n');
      return;
    }
    if (tag === 'img') {
      parts.push(child.getAttribute('alt') ?? '');
      return;
    }
    const block = blocks && BLOCK_TAGS.has(tag);
    if (block) parts.push('\n');
    node.childNodes.forEach(walk);
    if (block) parts.push('\n');
  };
  walk(element);
  return cleanText(parts.join(''));
}

/** Collapses runs of spaces, trims each line, drops empty lines; null when nothing is left. */
export function cleanText(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const lines = raw
    .replace(INVISIBLE_MARKS, '')
    .replace(/\u00a0/g, ' ')
    .split('\n')
    .map((line) => line.replace(/[ \t\r\f\v]+/g, ' ').trim())
    .filter(Boolean);
  return lines.length ? lines.join('\n') : null;
}

/** Joins texts that are present, one per line; null when none are. */
export function joinTexts(texts: ReadonlyArray<string | null | undefined>): string | null {
  return cleanText(texts.filter((text): text is string => Boolean(text)).join('\n'));
}

/** A numeric width/height attribute, or null for missing and relative (`100%`) values. */
export function attributeSize(image: Element, name: 'width' | 'height'): number | null {
  const value = image.getAttribute(name);
  if (!value || !/^\s*\d+(\.\d+)?\s*(px)?\s*$/.test(value)) return null;
  return Number.parseFloat(value);
}

/** Icons and avatars declare their small size in attributes; only a declared size counts (no layout reads). */
export function isDeclaredSmall(image: Element, limit = 96): boolean {
  const width = attributeSize(image, 'width');
  const height = attributeSize(image, 'height');
  return width !== null && height !== null && width <= limit && height <= limit;
}

/** Media images without duplicates, in the order given. */
function unique<T>(items: readonly T[]): T[] {
  return Array.from(new Set(items));
}

export interface PostParts {
  container: Element;
  postUrl: string | null;
  author: string | null;
  text: string | null;
  images: readonly HTMLImageElement[];
  otherMediaCount?: number;
  /** Alt values the site fills in by itself (X writes "Image"); they say nothing about the picture. */
  isPlaceholderAlt?: (alt: string) => boolean;
}

/** Assembles a PostInfo; alt text comes from the media images themselves. */
export function makePost(parts: PostParts): PostInfo {
  const images = unique(parts.images);
  const alts = unique(
    images
      .map((image) => cleanText(image.getAttribute('alt')))
      .filter((alt): alt is string => alt !== null && !(parts.isPlaceholderAlt?.(alt) ?? false)),
  );
  return {
    container: parts.container,
    postUrl: parts.postUrl,
    author: cleanText(parts.author),
    text: cleanText(parts.text),
    altText: alts.length ? alts.join('\n') : null,
    images,
    otherMediaCount: parts.otherMediaCount ?? 0,
  };
}
