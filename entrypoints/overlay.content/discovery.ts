import { MAX_IMAGE_BYTES, tooLargeMessage } from '@/lib/messaging/image-size';
import { ProgressListeners } from '@/lib/messaging/progress-listeners';
import type { AnalysisProgress, AnalysisReply } from '@/lib/messaging/protocol';
import { pendingStatus, type CardStatus } from '@/lib/page/card-status';
import { couldBeCard, distanceToViewportCentre } from '@/lib/page/candidates';
import { pairOf, type PagePair } from '@/lib/page/pairs';
import { bmpByteLength, rgbaToBmpBlob } from '@/lib/page/bitmap-file';
import { postInfoFor } from '@/lib/page/post-info';
import { OncePerKey } from '@/lib/page/seen';
import { backgroundImageUrl, candidateNaturalSize, imageBesideShows, largestImageSource, urlKind } from '@/lib/page/sources';

/** Where an image is drawn: an `<img>` (also inside `<picture>`) or an element's CSS background. */
export type CandidateKind = 'img' | 'background';

export type CandidateState = 'pending' | 'card' | 'not-card' | 'error';

/** What made an on-demand offer: the pointer over the picture, or the keyboard focus on its post. */
export type OfferSource = 'pointer' | 'focus';

export interface DiscoveryOptions {
  /**
   * On-demand mode: offer an "Analyse" button on the picture under the pointer or in focus. Off for
   * a session the context menu started on a site where Sidelight is switched off.
   */
  offers?: boolean;
}

/** The part of the content script that asks the background; a seam so the wiring stays thin. */
export interface Analyzer {
  /** `ticket` names the request in the progress that comes back for it (Discovery.progress). */
  analyzeUrl(request: { url: string; ticket: string; altText: string | null; postText: string | null }): Promise<AnalysisReply>;
  analyzeBytes(request: { url: string; ticket: string; bytes: Blob; altText: string | null; postText: string | null }): Promise<AnalysisReply>;
  /** The two pictures of a two-image post as one card; `bytes` for the page's own (blob:, data:) addresses. */
  analyzePair(request: { images: [PairPicture, PairPicture]; altText: string | null; postText: string | null }): Promise<AnalysisReply>;
}

export interface PairPicture {
  url: string;
  bytes?: Blob;
}

export interface DiscoveryCallbacks {
  /** An element's analysis says it is a card (or says so again after its address changed). */
  onCard(element: Element, url: string, reply: AnalysisReply): void;
  /** The two pictures of a two-image post are one card (panel A first). It is gone (`onCardGone`) when either is. */
  onPairCard(images: [HTMLImageElement, HTMLImageElement], urls: [string, string], reply: AnalysisReply): void;
  /**
   * A state to show on an element before or instead of a card: its analysis found a card and is
   * running, or it failed after that; for an element the user asked about, also "running" from the
   * start, and "not a card". Replaced by onCard, or removed by onCardGone.
   */
  onStatus(element: Element, url: string, status: CardStatus): void;
  /** An element's card (or status) is gone: its address changed, it left the page, or the card it was thought to be was not one. */
  onCardGone(element: Element): void;
  /** Something moved (scroll inside a frame, nodes removed): the overlay should re-measure. */
  onLayoutChange(): void;
  /**
   * On-demand mode with offers: a picture that could be a card and is not analysed yet is under the
   * pointer or inside the focused post (`by`), or none is any more (null). The overlay draws the
   * offer; `requestElement(offered())` takes it up.
   */
  onOffer?(element: Element | null, by: OfferSource | null): void;
}

export interface Discovery {
  /** Queues the element showing `srcUrl` (context menu); false when no such element is on the page. */
  request(srcUrl: string): boolean;
  /** Queues an element the user asked about (the on-demand offer, its keyboard shortcut); false when it is gone. */
  requestElement(element: Element): boolean;
  /** The picture offered now (on-demand mode), or null. */
  offered(): Element | null;
  /** The address analysed for `element`, or null. */
  urlOf(element: Element): string | null;
  /** Progress the background sent on the request named `ticket`. */
  progress(ticket: string, progress: AnalysisProgress): void;
  stop(): void;
}

/** Requests in flight or done, shared by address and caption; bounded so an endless feed does not grow it. */
const SHARED_RUNS = 500;
/** Elements checked for a CSS background per idle slice. */
const BACKGROUND_SLICE = 400;
/** Elements under the pointer looked at for an on-demand offer: the picture is near the top (sites lay a few boxes over it). */
const POINTER_DEPTH = 6;
/** Pictures inside a focused element looked at for an on-demand offer (a post's avatar and emoji come before its media). */
const FOCUS_IMAGES = 50;
/** The element WXT makes for Sidelight's shadow root (entrypoints/overlay.content/layer.tsx, `name`). */
const OVERLAY_HOST = 'sidelight-overlay';

function setState(element: Element, state: CandidateState | null, reason?: string): void {
  const dataset = (element as HTMLElement).dataset;
  if (!dataset) return;
  if (state === null) {
    delete dataset.sidelight;
    delete dataset.sidelightReason;
    return;
  }
  dataset.sidelight = state;
  if (reason) dataset.sidelightReason = reason;
  else delete dataset.sidelightReason;
}

const isImg = (element: Element): element is HTMLImageElement => element.localName === 'img';

/** An element of any realm (a same-origin frame's elements fail `instanceof Element` here). */
const isElementNode = (node: unknown): node is Element => typeof node === 'object' && node !== null && (node as Node).nodeType === Node.ELEMENT_NODE;

/** In the document and in a live frame: an element of a removed iframe stays `isConnected` to its dead document. */
export function isOnPage(element: Element): boolean {
  return element.isConnected && element.ownerDocument.defaultView !== null;
}

/** The element's box in the top window's viewport, across same-origin frames. */
export function viewportRect(element: Element): DOMRect {
  const rect = element.getBoundingClientRect();
  let left = rect.left;
  let top = rect.top;
  for (let frame = element.ownerDocument.defaultView?.frameElement ?? null; frame; frame = frame.ownerDocument.defaultView?.frameElement ?? null) {
    const frameRect = frame.getBoundingClientRect();
    const style = frame.ownerDocument.defaultView?.getComputedStyle(frame);
    left += frameRect.left + frame.clientLeft + Number.parseFloat(style?.paddingLeft ?? '0');
    top += frameRect.top + frame.clientTop + Number.parseFloat(style?.paddingTop ?? '0');
  }
  return new DOMRect(left, top, rect.width, rect.height);
}

/**
 * Reads a `blob:` or `data:` image the page shows, as a Blob: the bytes stay out of the page's
 * JavaScript, and a message carries a Blob by reference, where bytes were copied into it on the
 * page's main thread (the largest item of the page's CPU profile, docs/performance.md). The canvas
 * fallback covers a blob URL revoked after loading. A picture over the size limit is refused
 * (RangeError) with the words the user reads.
 */
export async function readPageBytes(url: string, element: Element, signal: AbortSignal): Promise<Blob> {
  const limited = (blob: Blob) => {
    if (blob.size > MAX_IMAGE_BYTES) throw new RangeError(tooLargeMessage(blob.size));
    return blob;
  };
  try {
    const response = await fetch(url, { signal });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > MAX_IMAGE_BYTES) throw new RangeError(tooLargeMessage(declared));
    return limited(await response.blob());
  } catch (error) {
    if (signal.aborted || error instanceof RangeError || !isImg(element) || !element.complete || !element.naturalWidth) throw error;
    // A blob: or data: picture is same-origin, so the canvas is not tainted and can be read back.
    const canvas = new OffscreenCanvas(element.naturalWidth, element.naturalHeight);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw error;
    // Drawing only records: the picture is decoded and drawn when getImageData reads it back.
    context.drawImage(element, 0, 0);
    if (bmpByteLength(canvas.width, canvas.height) <= MAX_IMAGE_BYTES) return rgbaToBmpBlob(context.getImageData(0, 0, canvas.width, canvas.height));
    // Too many pixels to send uncompressed: a PNG (slower to make, smaller) keeps it within the limit.
    return limited(await canvas.convertToBlob({ type: 'image/png' }));
  }
}

/**
 * Finds the pictures on a page that could be cards and analyses them, nearest the viewport centre
 * first, one at a time: `<img>` (largest `srcset`/`<picture>` candidate), CSS background images,
 * in open shadow roots and same-origin frames too. Each element is analysed once per address; an
 * element that gets a new address (recycled by a virtualised feed) is looked at again and loses
 * its old card; the same address on other elements shares one request.
 */
export function startDiscovery(mode: 'auto' | 'on-demand', analyzer: Analyzer, callbacks: DiscoveryCallbacks, signal: AbortSignal, options: DiscoveryOptions = {}): Discovery {
  const offers = mode === 'on-demand' && options.offers !== false;
  const stopped = new AbortController();
  const lifetime = AbortSignal.any([signal, stopped.signal]);
  /** The address each element was last considered with (null: not a candidate at that address). */
  const considered = new WeakMap<Element, string | null>();
  const kinds = new WeakMap<Element, CandidateKind>();
  const awaitingLoad = new WeakSet<Element>();
  const waiting = new Set<Element>();
  const marked = new Set<Element>();
  const cards = new Set<Element>();
  /** Elements showing a status (running, failed, not a card): they are told when it goes, as cards are. */
  const badged = new Set<Element>();
  /** Elements the user asked about (context menu, offer): every state is shown on them, "not a card" included. */
  const requested = new WeakSet<Element>();
  /** On-demand mode: elements whose picture could be a card (the shape auto mode would analyse), so they are offered. */
  const askable = new WeakSet<Element>();
  /** How many elements are askable: none (most pages), and the pointer costs nothing. */
  let askableCount = 0;
  let offeredElement: Element | null = null;
  /** What offered it: the pointer withdraws only its own offer and the focus only its own (a scroll after a Tab moves the page under a resting pointer). */
  let offeredBy: OfferSource | null = null;
  /** Where the pointer was at its last `pointerover` (screen pixels): one there again means the page moved under a resting pointer. */
  let lastPointer: { x: number; y: number } | null = null;
  /** Progress listeners of the requests in flight, by ticket; a prefix per discovery keeps an old session's tickets apart. */
  const progressListeners = new ProgressListeners();
  const ticketPrefix = crypto.randomUUID().slice(0, 8);
  let nextTicket = 1;
  /** Each picture of a two-image post analysed as one card, with the addresses it was analysed at. */
  const pairs = new WeakMap<Element, { images: [HTMLImageElement, HTMLImageElement]; urls: [string, string] }>();
  const roots = new Set<Document | ShadowRoot>();
  const shared = new OncePerKey<AnalysisReply>(SHARED_RUNS);
  const backgroundQueue: Element[] = [];
  let running = false;
  let idleHandle = 0;

  const visibility = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        visibility.unobserve(entry.target);
        waiting.add(entry.target);
      }
      void pump();
    },
    { rootMargin: '200px 0px' },
  );

  const mutations = new MutationObserver((records) => {
    let removed = false;
    for (const record of records) {
      if (record.removedNodes.length) removed = true;
      record.addedNodes.forEach((node) => {
        if (node.nodeType === 1) scan(node as Element);
      });
      if (record.type !== 'attributes') continue;
      const target = record.target as Element;
      if (isImg(target)) considerImage(target);
      else if (target.localName === 'source' && target.parentElement?.localName === 'picture') {
        target.parentElement.querySelectorAll('img').forEach(considerImage);
      } else if (kinds.get(target) === 'background' || (record.attributeName === 'style' && /background/i.test(target.getAttribute('style') ?? ''))) {
        considerBackground(target);
      }
    }
    if (!removed) return;
    // A card that left the page (feed recycling, single-page navigation) loses its overlay.
    for (const element of [...cards, ...badged]) if (!isOnPage(element)) forget(element);
    if (offeredElement && !isOnPage(offeredElement)) offer(null);
    callbacks.onLayoutChange();
  });
  const OBSERVED = { childList: true, subtree: true, attributes: true, attributeFilter: ['src', 'srcset', 'style', 'class'] };

  /** Forgets what an element was: its card, its mark, its place in the queue. */
  function forget(element: Element): void {
    const pair = pairs.get(element);
    if (pair) {
      // The pair goes with either picture; the other is looked at afresh (a recycled post pairs it anew).
      for (const image of pair.images) pairs.delete(image);
      for (const image of pair.images) {
        if (image === element) continue;
        forget(image);
        if (isOnPage(image)) considerImage(image);
      }
    }
    considered.delete(element);
    waiting.delete(element);
    visibility.unobserve(element);
    marked.delete(element);
    // A recycled element shows someone else's picture next: it was not asked about.
    requested.delete(element);
    if (askable.delete(element)) askableCount--;
    if (offeredElement === element) offer(null);
    setState(element, null);
    const badge = badged.delete(element);
    if (cards.delete(element) || badge) callbacks.onCardGone(element);
  }

  function showStatus(element: Element, url: string, status: CardStatus): void {
    badged.add(element);
    callbacks.onStatus(element, url, status);
  }

  /** Takes a status away (a card whose result says otherwise, nothing to say to the user). */
  function clearStatus(element: Element): void {
    if (badged.delete(element) && !cards.has(element)) callbacks.onCardGone(element);
  }

  /**
   * Records the address an element shows now. A new address drops what the old one gave (card,
   * mark, queue place); `fits` (a layout read) runs only for an address not seen on this element.
   */
  function admit(element: Element, kind: CandidateKind, url: string | null, fits: () => boolean): void {
    if (considered.has(element) && considered.get(element) === url) return;
    if (considered.has(element)) forget(element);
    considered.set(element, url);
    kinds.set(element, kind);
    if (!url || urlKind(url) === 'unsupported' || !fits()) return;
    if (mode === 'auto') visibility.observe(element);
    else if (!askable.has(element)) {
      askable.add(element);
      askableCount++;
    }
  }

  function offer(element: Element | null, by: OfferSource | null = null): void {
    const source = element ? by : null;
    if (element === offeredElement && source === offeredBy) return;
    offeredElement = element;
    offeredBy = source;
    callbacks.onOffer?.(element, source);
  }

  /** Nothing to offer where the pointer (or the focus) is now: its own offer goes, the other's stays. */
  function withdraw(by: OfferSource): void {
    if (offeredBy === by) offer(null);
  }

  /** Whether an element may be offered: a picture that could be a card, on the page, not analysed or queued yet. */
  function offerable(element: Element): boolean {
    return askable.has(element) && Boolean(considered.get(element)) && !marked.has(element) && !waiting.has(element) && isOnPage(element);
  }

  /** Whether an event happened on Sidelight's own overlay (the offer's button): the offer stays. */
  function onOverlay(event: Event): boolean {
    return event.composedPath().some((node) => (node as Element).localName === OVERLAY_HOST);
  }

  /**
   * On-demand mode: the picture under the pointer is offered; sites often lay a transparent box
   * over it. Only the user's own pointer counts (a page's script cannot make an offer), and a page
   * that moves under a resting pointer does not take over the keyboard's offer.
   */
  function offerAtPointer(event: PointerEvent): void {
    if (!event.isTrusted || onOverlay(event)) return;
    const resting = lastPointer !== null && lastPointer.x === event.screenX && lastPointer.y === event.screenY;
    lastPointer = { x: event.screenX, y: event.screenY };
    if (resting && offeredBy === 'focus') return;
    if (askableCount === 0) return withdraw('pointer');
    const target = event.composedPath()[0];
    if (isElementNode(target) && offerable(target)) return offer(target, 'pointer');
    // Frames' and shadow roots' nodes come from other realms and roots: their own hit test.
    const root = target && 'getRootNode' in target ? (target as Node).getRootNode() : null;
    const under = root && 'elementsFromPoint' in root ? (root as Document | ShadowRoot).elementsFromPoint(event.clientX, event.clientY) : [];
    const found = under.slice(0, POINTER_DEPTH).find(offerable);
    if (found) offer(found, 'pointer');
    else withdraw('pointer');
  }

  /** On-demand mode: a focused picture, or the first offerable picture inside a focused link or post, is offered. */
  function offerAtFocus(event: FocusEvent): void {
    if (!event.isTrusted || onOverlay(event)) return;
    const target = event.composedPath()[0];
    let found: Element | undefined;
    if (isElementNode(target) && askableCount > 0) {
      if (offerable(target)) found = target;
      else {
        const images = target.getElementsByTagName('img');
        for (let index = 0; index < images.length && index < FOCUS_IMAGES && !found; index++) if (offerable(images[index] as Element)) found = images[index];
      }
    }
    if (found) offer(found, 'focus');
    else withdraw('focus');
  }

  function considerImage(image: HTMLImageElement): void {
    if (lifetime.aborted) return;
    const candidate = largestImageSource(image, (query) => image.ownerDocument.defaultView?.matchMedia(query).matches ?? false);
    const url = candidate?.url ?? null;
    // A recycled element loses its old card at once, before its new picture has loaded.
    if (considered.has(image) && considered.get(image) !== url) forget(image);
    if (!image.complete || image.naturalWidth === 0) {
      if (!awaitingLoad.has(image)) {
        awaitingLoad.add(image);
        image.addEventListener(
          'load',
          () => {
            awaitingLoad.delete(image);
            considerImage(image);
          },
          { once: true, signal: lifetime },
        );
      }
      return;
    }
    admit(image, 'img', url, () => {
      const rect = image.getBoundingClientRect();
      const natural = candidateNaturalSize({ width: image.naturalWidth, height: image.naturalHeight }, candidate);
      return couldBeCard({ naturalWidth: natural.width, naturalHeight: natural.height, renderedWidth: rect.width, renderedHeight: rect.height });
    });
  }

  function considerBackground(element: Element): void {
    if (lifetime.aborted || isImg(element)) return;
    const view = element.ownerDocument.defaultView;
    const url = backgroundImageUrl(view?.getComputedStyle(element).backgroundImage);
    if (!url && !considered.has(element)) return;
    admit(element, 'background', url, () => {
      if (url && imageBesideShows(element, url)) return false;
      // Only the box is known without downloading the picture; the engine checks the pixels.
      const rect = element.getBoundingClientRect();
      return couldBeCard({ naturalWidth: rect.width, naturalHeight: rect.height, renderedWidth: rect.width, renderedHeight: rect.height });
    });
  }

  /** Checks queued elements for CSS backgrounds in idle time: a computed style per element is cheap but not free. */
  function sweepBackgrounds(deadline?: IdleDeadline): void {
    idleHandle = 0;
    let checked = 0;
    while (backgroundQueue.length && !lifetime.aborted) {
      const element = backgroundQueue.shift() as Element;
      if (isOnPage(element)) considerBackground(element);
      if (++checked >= BACKGROUND_SLICE || (deadline && deadline.timeRemaining() < 2)) break;
    }
    if (backgroundQueue.length && !lifetime.aborted) idleHandle = requestIdleCallback(sweepBackgrounds, { timeout: 1000 });
  }

  function attachRoot(root: Document | ShadowRoot): void {
    if (roots.has(root)) return;
    roots.add(root);
    // A frame's document comes from another realm: `instanceof Document` is false for it.
    const doc = root.nodeType === Node.DOCUMENT_NODE ? (root as Document) : null;
    mutations.observe(doc?.documentElement ?? root, OBSERVED);
    const view = doc?.defaultView ?? null;
    if (view && view !== window) view.addEventListener('scroll', callbacks.onLayoutChange, { passive: true, capture: true, signal: lifetime });
    if (doc && offers) {
      // Events from open shadow roots reach the document's listeners (composedPath names their real target).
      doc.addEventListener('pointerover', offerAtPointer, { passive: true, capture: true, signal: lifetime });
      doc.addEventListener('focusin', offerAtFocus, { passive: true, capture: true, signal: lifetime });
    }
    scan(root);
  }

  function attachFrame(frame: HTMLIFrameElement | HTMLFrameElement): void {
    const tryAttach = () => {
      let doc: Document | null;
      try {
        doc = frame.contentDocument; // null (or a throw in old engines) for cross-origin frames
      } catch {
        doc = null;
      }
      if (doc?.documentElement) attachRoot(doc);
    };
    if (!awaitingLoad.has(frame)) {
      awaitingLoad.add(frame);
      // Each navigation inside the frame gives it a new document.
      frame.addEventListener('load', tryAttach, { signal: lifetime });
    }
    tryAttach();
  }

  /** Finds candidates in a subtree (or a whole root): images, frames, open shadow roots, and backgrounds (idle). */
  function scan(node: Element | Document | ShadowRoot): void {
    if (lifetime.aborted) return;
    const elements = isElementNode(node) ? [node, ...node.querySelectorAll('*')] : Array.from(node.querySelectorAll('*'));
    for (const element of elements) {
      const tag = element.localName;
      if (tag === 'img') considerImage(element as HTMLImageElement);
      else if (tag === 'iframe' || tag === 'frame') attachFrame(element as HTMLIFrameElement);
      else backgroundQueue.push(element);
      if (element.shadowRoot) attachRoot(element.shadowRoot);
      else if (tag.includes('-')) {
        // A custom element may attach its shadow root when it upgrades, after it was inserted.
        queueMicrotask(() => {
          if (element.shadowRoot) attachRoot(element.shadowRoot);
        });
      }
    }
    if (backgroundQueue.length && !idleHandle) idleHandle = requestIdleCallback(sweepBackgrounds, { timeout: 1000 });
  }

  function nearest(): Element {
    let best: Element | undefined;
    let bestDistance = Infinity;
    for (const element of waiting) {
      const rect = viewportRect(element);
      const distance = distanceToViewportCentre(rect.top, rect.height, window.innerHeight);
      if (distance < bestDistance) {
        best = element;
        bestDistance = distance;
      }
    }
    if (!best) throw new Error('nearest() needs at least one element');
    return best;
  }

  async function pump(): Promise<void> {
    if (running) return;
    running = true;
    try {
      while (waiting.size && !lifetime.aborted) {
        const element = nearest();
        waiting.delete(element);
        if (!isOnPage(element)) {
          // Gone before its turn: looked at afresh if the feed puts it back.
          considered.delete(element);
          continue;
        }
        await analyze(element);
      }
    } finally {
      running = false;
    }
  }

  function captionsOf(element: Element): { altText: string | null; postText: string | null } {
    if (isImg(element)) {
      // The caption names the models when the card itself carries no readable label.
      const { postText } = postInfoFor(element);
      return { altText: element.alt.trim() || null, postText };
    }
    const label = element.getAttribute('aria-label') ?? element.getAttribute('title');
    return { altText: label?.trim() || null, postText: null };
  }

  async function analyze(element: Element): Promise<void> {
    const url = considered.get(element);
    if (!url) return;
    // The site says this picture is one of a two-image post's pair: the two are one card, never two.
    const pair = isImg(element) ? pairOf(element) : null;
    if (pair && isImg(element)) return analyzePair(element, url, pair);
    return analyzeAlone(element, url);
  }

  /**
   * One picture as a card of its own. The user sees a badge once the engine says it is a card
   * (progress on this request), or at once for a picture they asked about; a failure after that
   * shows its reason. Pictures that are not cards, or fail before anyone knew, stay unmarked.
   */
  async function analyzeAlone(element: Element, url: string): Promise<void> {
    setState(element, 'pending');
    marked.add(element);
    const captions = captionsOf(element);
    const asked = requested.has(element);
    const stillShown = () => !lifetime.aborted && considered.get(element) === url;
    if (asked) showStatus(element, url, pendingStatus(null));
    const ticket = `${ticketPrefix}-${nextTicket++}`;
    const onProgress = (progress: AnalysisProgress) => {
      if (stillShown()) showStatus(element, url, pendingStatus(progress));
    };
    try {
      const reply = await progressListeners.during(ticket, onProgress, () =>
        shared.run(`${url}\n${captions.altText ?? ''}\n${captions.postText ?? ''}`, async () => {
          if (urlKind(url) === 'http') return analyzer.analyzeUrl({ url, ticket, ...captions });
          const bytes = await readPageBytes(url, element, lifetime);
          return analyzer.analyzeBytes({ url, ticket, bytes, ...captions });
        }),
      );
      // The feed recycled the element (new address) or removed it while the answer was on its way.
      if (!stillShown()) return;
      const { result } = reply;
      if (!result.ok) {
        setState(element, 'error', result.reason ?? 'unknown');
        if (asked || badged.has(element)) showStatus(element, url, { kind: 'failed', message: result.error ?? result.reason ?? 'unknown error' });
      } else if (result.isComparison) {
        setState(element, 'card');
        cards.add(element);
        callbacks.onCard(element, url, reply);
      } else {
        setState(element, 'not-card', result.reason ?? undefined);
        if (asked) showStatus(element, url, { kind: 'not-card', message: result.verdict.summary });
        else clearStatus(element);
      }
    } catch (error) {
      if (!stillShown()) return;
      const message = error instanceof Error ? error.message : 'unknown';
      setState(element, 'error', message);
      if (asked || badged.has(element)) showStatus(element, url, { kind: 'failed', message });
    }
  }

  /** The address an image shows (its largest candidate), loaded or not. */
  function sourceOf(image: HTMLImageElement): string | null {
    return largestImageSource(image, (query) => image.ownerDocument.defaultView?.matchMedia(query).matches ?? false)?.url ?? null;
  }

  /** Reads a picture for the background: http(s) by address, the page's own (blob:, data:) as bytes. */
  async function pairPicture(url: string, image: HTMLImageElement): Promise<PairPicture> {
    if (urlKind(url) === 'http') return { url };
    return { url, bytes: await readPageBytes(url, image, lifetime) };
  }

  /**
   * Analyses a two-image post's pictures as one card, once: both are marked and leave the queue,
   * and each keeps the address it was analysed at, so neither is analysed again on its own.
   */
  async function analyzePair(element: HTMLImageElement, url: string, pair: PagePair): Promise<void> {
    const urls = pair.images.map((image) => (image === element ? url : (considered.get(image) ?? sourceOf(image))));
    const [firstUrl, secondUrl] = urls;
    // The other picture has no address yet: the pair is analysed when it gets one (it is queued then).
    if (!firstUrl || !secondUrl || urlKind(firstUrl) === 'unsupported' || urlKind(secondUrl) === 'unsupported') return;
    const record = { images: pair.images, urls: [firstUrl, secondUrl] as [string, string] };
    // A picture shown elsewhere before (another address), or judged alone before its post had both pictures, starts afresh.
    pair.images.forEach((image, index) => {
      if (considered.has(image) && (considered.get(image) !== urls[index] || (cards.has(image) && !pairs.has(image)))) forget(image);
    });
    pair.images.forEach((image, index) => {
      considered.set(image, urls[index] as string);
      kinds.set(image, 'img');
      waiting.delete(image);
      visibility.unobserve(image);
      pairs.set(image, record);
      setState(image, 'pending');
      marked.add(image);
    });
    // The feed recycled or removed either picture while the answer was on its way.
    const stillShown = () => !lifetime.aborted && pair.images.every((image, index) => considered.get(image) === urls[index] && pairs.get(image) === record);
    try {
      const reply = await shared.run(`pair\n${firstUrl}\n${secondUrl}\n${pair.altText ?? ''}\n${pair.postText ?? ''}`, async () => {
        const [first, second] = await Promise.all([pairPicture(firstUrl, pair.images[0]), pairPicture(secondUrl, pair.images[1])]);
        return analyzer.analyzePair({ images: [first, second], altText: pair.altText, postText: pair.postText });
      });
      if (!stillShown()) return;
      const { result } = reply;
      for (const image of pair.images) {
        if (!result.ok) setState(image, 'error', result.reason ?? 'unknown');
        else if (result.isComparison) {
          setState(image, 'card');
          cards.add(image);
        } else setState(image, 'not-card', result.reason ?? undefined);
      }
      if (result.ok && result.isComparison) callbacks.onPairCard(pair.images, record.urls, reply);
      else if (result.ok) {
        // Not a comparison as a pair (two unrelated pictures): either picture may still be a card on its own.
        for (const [index, image] of pair.images.entries()) if (stillShown()) await analyzeAlone(image, urls[index] as string);
      }
    } catch (error) {
      if (!stillShown()) return;
      for (const image of pair.images) setState(image, 'error', error instanceof Error ? error.message : 'unknown');
    }
  }

  /** Queues an element the user asked about, first in line. */
  function ask(element: Element): boolean {
    requested.add(element);
    visibility.unobserve(element);
    if (offeredElement === element) offer(null);
    waiting.add(element);
    void pump();
    return true;
  }

  attachRoot(document);

  return {
    urlOf: (element) => considered.get(element) ?? null,
    progress: (ticket, progress) => progressListeners.deliver(ticket, progress),
    request(srcUrl) {
      for (const root of roots) {
        for (const image of root.querySelectorAll('img')) {
          if (image.currentSrc !== srcUrl && image.src !== srcUrl) continue;
          considerImage(image);
          if (!considered.get(image)) {
            // The menu asked about it: analyse even an image too small or odd-shaped for auto mode.
            considered.set(image, image.currentSrc || image.src);
          }
          return ask(image);
        }
      }
      return false;
    },
    requestElement(element) {
      if (offeredElement === element) offer(null);
      if (lifetime.aborted || !isOnPage(element) || !considered.get(element)) return false;
      return ask(element);
    },
    offered: () => offeredElement,
    stop() {
      stopped.abort();
      mutations.disconnect();
      visibility.disconnect();
      if (idleHandle) cancelIdleCallback(idleHandle);
      waiting.clear();
      progressListeners.clear();
      backgroundQueue.length = 0;
      for (const element of marked) setState(element, null);
      for (const root of roots) root.querySelectorAll('[data-sidelight]').forEach((element) => setState(element, null));
      marked.clear();
      cards.clear();
      badged.clear();
      roots.clear();
      offeredElement = null;
      offeredBy = null;
    },
  };
}
