/**
 * Which address to analyse for an element the page draws a picture with: the largest `srcset` /
 * `<picture>` candidate (not the one the viewport picked), a CSS `background-image`, and how the
 * bytes of that address are read (the background fetches http(s); `blob:` and `data:` addresses
 * belong to the page, so the content script reads them itself). No layout reads.
 */

export type UrlKind = 'http' | 'page-bytes' | 'unsupported';

/** http(s) is fetched by the background; `blob:` and `data:` are read in the page and sent as bytes. */
export function urlKind(url: string): UrlKind {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') return 'http';
  if (scheme === 'blob' || scheme === 'data') return 'page-bytes';
  return 'unsupported';
}

export interface SrcsetCandidate {
  url: string;
  /** Width in pixels from a `w` descriptor, or null. */
  width: number | null;
  /** Pixel density from an `x` descriptor (1 when the candidate has no descriptor). */
  density: number;
}

/**
 * Parses a `srcset` attribute (HTML's algorithm, simplified: URLs never contain unescaped spaces,
 * and a comma ends a candidate only after its URL). Unparsable descriptors drop their candidate.
 */
export function parseSrcset(srcset: string): SrcsetCandidate[] {
  const candidates: SrcsetCandidate[] = [];
  let position = 0;
  while (position < srcset.length) {
    // Skip whitespace and stray commas before a URL.
    while (position < srcset.length && /[\s,]/.test(srcset[position] ?? '')) position++;
    if (position >= srcset.length) break;
    const urlStart = position;
    while (position < srcset.length && !/\s/.test(srcset[position] ?? '')) position++;
    let url = srcset.slice(urlStart, position);
    let descriptorText = '';
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '');
    } else {
      // Descriptors run to the next comma that is outside parentheses.
      const descriptorStart = position;
      let depth = 0;
      while (position < srcset.length) {
        const char = srcset[position];
        if (char === '(') depth++;
        else if (char === ')') depth = Math.max(0, depth - 1);
        else if (char === ',' && depth === 0) break;
        position++;
      }
      descriptorText = srcset.slice(descriptorStart, position).trim();
      position++;
    }
    if (!url) continue;
    const candidate = parseDescriptors(url, descriptorText);
    if (candidate) candidates.push(candidate);
  }
  return candidates;
}

function parseDescriptors(url: string, text: string): SrcsetCandidate | null {
  let width: number | null = null;
  let density: number | null = null;
  for (const descriptor of text.split(/\s+/).filter(Boolean)) {
    const match = /^(\d+(?:\.\d+)?)([wxh])$/i.exec(descriptor);
    if (!match) return null;
    const value = Number(match[1]);
    const unit = match[2]?.toLowerCase();
    if (unit === 'w') {
      if (width !== null || density !== null || !Number.isInteger(value) || value <= 0) return null;
      width = value;
    } else if (unit === 'x') {
      if (width !== null || density !== null || value <= 0) return null;
      density = value;
    }
    // 'h' descriptors are allowed beside 'w' and ignored.
  }
  return { url, width, density: density ?? 1 };
}

/**
 * The biggest candidate: by `w` when any candidate has one, else by density. Ties keep the
 * first. `fallback` (the `src`) counts as a 1x candidate.
 */
export function largestCandidate(candidates: readonly SrcsetCandidate[], fallback?: string | null): SrcsetCandidate | null {
  const all = fallback ? [...candidates, { url: fallback, width: null, density: 1 }] : [...candidates];
  if (!all.length) return null;
  const byWidth = all.filter((candidate) => candidate.width !== null);
  if (byWidth.length) return byWidth.reduce((best, candidate) => ((candidate.width ?? 0) > (best.width ?? 0) ? candidate : best));
  return all.reduce((best, candidate) => (candidate.density > best.density ? candidate : best));
}

/** Resolves `href` against `base`; null for empty or unparsable addresses. */
export function resolveUrl(href: string | null | undefined, base: string): string | null {
  if (!href?.trim()) return null;
  try {
    return new URL(href.trim(), base).href;
  } catch {
    return null;
  }
}

/** Whether a `<source type>` is a format browsers decode as a still picture (no type means any). */
function decodableType(type: string | null): boolean {
  if (!type) return true;
  return /^image\/(jpeg|jpg|png|webp|avif|gif|bmp)$/i.test(type.trim());
}

/**
 * The address to analyse for an `<img>`: the largest candidate of its own `srcset` and of the
 * `<source>`s of its `<picture>` whose media query holds now (art direction: other queries may be
 * other crops), else `src`. `mediaMatches` is the page's `matchMedia`. Its `width`, when the
 * srcset declares one, is the picture's real width (the one shown may be a smaller candidate).
 */
export function largestImageSource(image: Element, mediaMatches: (query: string) => boolean): SrcsetCandidate | null {
  const base = image.ownerDocument.baseURI;
  const picture = image.parentElement?.localName === 'picture' ? image.parentElement : null;
  // The first source whose media and type match is the one the browser uses; else the image's own srcset.
  const source = Array.from(picture?.children ?? []).find(
    (child) =>
      child.localName === 'source' &&
      child.hasAttribute('srcset') &&
      (!child.getAttribute('media') || mediaMatches(child.getAttribute('media') ?? '')) &&
      decodableType(child.getAttribute('type')),
  );
  const candidates = parseSrcset((source ?? image).getAttribute('srcset') ?? '');
  const resolved = candidates
    .map((candidate) => ({ ...candidate, url: resolveUrl(candidate.url, base) ?? '' }))
    .filter((candidate) => candidate.url);
  // Attributes, not currentSrc: it lags behind a src the page just changed. With a matching <source>,
  // the image's src is another picture (often a fallback crop): only the source's candidates count.
  const fallback = source ? null : resolveUrl(image.getAttribute('src'), base);
  return largestCandidate(resolved, fallback);
}

/**
 * The first `url(...)` of a computed `background-image` value (`none`, gradients and
 * `image-set()` without a url give null). Computed values are already absolute.
 */
export function backgroundImageUrl(value: string | null | undefined): string | null {
  if (!value || value === 'none') return null;
  const match = /url\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^)\s]*))\s*\)/i.exec(value);
  const raw = match?.[1] ?? match?.[2] ?? match?.[3];
  return raw ? raw.replace(/\\(.)/g, '$1') : null;
}

/**
 * The size of the picture that will be analysed: the shown one scaled up to the candidate's
 * declared width (same aspect), so a small thumbnail of a big card passes the size gate.
 */
export function candidateNaturalSize(shown: { width: number; height: number }, candidate: SrcsetCandidate | null): { width: number; height: number } {
  if (!candidate?.width || !shown.width || candidate.width <= shown.width) return shown;
  const scale = candidate.width / shown.width;
  return { width: candidate.width, height: Math.round(shown.height * scale) };
}

/**
 * Whether an `<img>` beside or inside `element` shows `url`. X draws each photo twice, as a
 * background `<div>` and an invisible `<img>` over it for accessibility: the `<img>` is the one analysed.
 */
export function imageBesideShows(element: Element, url: string): boolean {
  const scope = element.parentElement ?? element;
  const base = element.ownerDocument.baseURI;
  for (const image of scope.querySelectorAll('img')) {
    if (resolveUrl(image.getAttribute('src'), base) === url) return true;
    if (parseSrcset(image.getAttribute('srcset') ?? '').some((candidate) => resolveUrl(candidate.url, base) === url)) return true;
  }
  return false;
}
