import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { LayerOffer, OverlayCard } from '@/components/OverlayLayer';
import type { AnalysisResult } from '@/lib/engine/types';
import type { AnalysisProgress } from '@/lib/messaging/protocol';
import type { CardStatus } from '@/lib/page/card-status';
import { sendMessage } from '@/lib/messaging/runtime';
import { sameLayerFrame, type LayerFrame } from '@/lib/page/layer-frame';
import { pairBoxes } from '@/lib/page/pairs';
import { postInfoFor } from '@/lib/page/post-info';
import { urlKind } from '@/lib/page/sources';
import { pageTheme } from '@/lib/page/theme';
import { dismissImage, isDismissed } from '@/lib/settings/dismissed';
import type { AnalysisMode } from '@/lib/settings/settings';
import { isOnPage, readPageBytes, startDiscovery, viewportRect, type OfferSource } from './discovery';
import type { MountedLayer } from './layer';

export interface OverlaySession {
  mode: AnalysisMode;
  /** On-demand mode: whether pictures under the pointer or in focus get an "Analyse" offer. */
  offers: boolean;
  /** Analyses the page image showing `srcUrl` now (context menu); false when no such image is here. */
  analyzeRequested(srcUrl: string): boolean;
  /** Analyses the picture offered now (on-demand mode: under the pointer or in focus; the keyboard shortcut); false when none is. */
  analyzeOffered(): boolean;
  /** Progress the background sent on one of this session's requests. */
  progress(ticket: string, progress: AnalysisProgress): void;
  /** Removes everything this session drew or marked. */
  stop(): void;
}

/**
 * Draws the overlay on the cards that discovery (./discovery.ts) finds. In auto mode images are
 * analysed as they come into view, nearest the viewport centre first, one at a time; in on-demand
 * mode only the images the user asks about.
 */
export async function startOverlay(ctx: ContentScriptContext, mode: AnalysisMode, { offers = true }: { offers?: boolean } = {}): Promise<OverlaySession> {
  const lifetime = new AbortController();
  const signal = AbortSignal.any([ctx.signal, lifetime.signal]);
  // A two-image post's card is kept under its first picture, with both pictures and their addresses in `pair`.
  // An entry without a result shows its `status` (running, failed, not a card) until one comes.
  const cards = new Map<
    Element,
    { key: string; url: string; result?: AnalysisResult; status?: CardStatus; pair?: { images: [HTMLImageElement, HTMLImageElement]; urls: [string, string] } }
  >();
  let nextKey = 1;
  let frame = 0;
  /** The shadow root and React, made for the page's first card (./layer.tsx); most pages never need them. */
  let layer: MountedLayer | null = null;
  let layerLoading: Promise<void> | null = null;
  /** What discovery offers now (on-demand mode: the picture under the pointer or in focus), drawn with its layer key. */
  let offer: { element: Element; key: string; by: OfferSource } | null = null;
  /** The keyboard shortcut as the browser has it (the user may change or lose it); asked for with the first offer. */
  let shortcut: string | null = null;
  let shortcutAsked = false;
  let drawn: LayerFrame = { cards: [], theme: 'light', offer: null };
  // Read when cards come or go, not on every scroll frame: it costs the page a style recalculation.
  let theme: 'light' | 'dark' = 'light';

  function loadLayer(): void {
    // Loading React and mounting it are each a long piece of work: tasks of their own, apart from
    // this frame and from each other, so the page runs in between.
    const nextTask = () => new Promise((resolve) => setTimeout(resolve));
    layerLoading ??= nextTask().then(async () => {
      const { mountLayer } = await import('./layer');
      await nextTask();
      const mounted = await mountLayer(ctx);
      if (signal.aborted) return mounted.remove();
      layer = mounted;
      scheduleRender();
    });
  }

  /** A box in the top window's viewport, in document coordinates (where the layer draws). */
  const inDocument = (rect: { left: number; top: number; width: number; height: number }) => ({
    left: rect.left + window.scrollX,
    top: rect.top + window.scrollY,
    width: rect.width,
    height: rect.height,
  });

  function render(): void {
    frame = 0;
    const visible: OverlayCard[] = [];
    for (const [element, { key, result, status, pair }] of cards) {
      if (!isOnPage(element) || (pair && !pair.images.every(isOnPage))) {
        cards.delete(element);
        continue;
      }
      if (pair) {
        // One overlay over both pictures; each panel sits on its own picture.
        const { union, panels } = pairBoxes(viewportRect(pair.images[0]), viewportRect(pair.images[1]));
        const pictures = panels.map((rect, index) => ({ rect, image: pair.images[index] }));
        visible.push({ key, result, pictures, rect: inDocument(union) });
        continue;
      }
      // The loupe draws from the page's own <img> (any realm: iframes included); backgrounds get none.
      const image = element.localName === 'img' ? (element as HTMLImageElement) : undefined;
      visible.push({ key, result, status, image, rect: inDocument(viewportRect(element)) });
    }
    let offered: LayerOffer | null = null;
    if (offer && isOnPage(offer.element) && !cards.has(offer.element)) {
      offered = { key: offer.key, by: offer.by, shortcut, rect: inDocument(viewportRect(offer.element)) };
    }
    if (!layer) {
      if (visible.length || offered) loadLayer();
      return;
    }
    const next: LayerFrame = { cards: visible, theme, offer: offered };
    // Most frames (a scroll moves nothing in document coordinates) change nothing: React is not asked.
    if (sameLayerFrame(drawn, next)) return;
    drawn = next;
    layer.render({ cards: visible, offer: offered, onAnalyse: analyseOffered, onSave: saveCard, onCopy: copyText, onDismiss: dismissCard, theme });
  }

  /** The offer's button (a real click only: a page's script cannot ask) and the keyboard shortcut: the offered picture is analysed, its badge shows the rest. */
  function analyseOffered(trusted = true): boolean {
    const element = discovery.offered();
    return trusted && element ? discovery.requestElement(element) : false;
  }

  function askShortcut(): void {
    if (shortcutAsked) return;
    shortcutAsked = true;
    void sendMessage('analyze-shortcut', {})
      .then(({ shortcut: assigned }) => {
        shortcut = assigned;
        scheduleRender();
      })
      .catch(() => undefined);
  }

  // The overlay's Copy button; the page may refuse the clipboard, and the overlay then shows the text.
  const copyText = (text: string) => navigator.clipboard.writeText(text);

  // Dismiss: the overlay goes, and stays gone for this image (by content hash) on any page.
  function dismissCard(key: string): void {
    const found = [...cards].find(([, card]) => card.key === key);
    if (!found) return;
    const [image, { result }] = found;
    cards.delete(image);
    scheduleRender();
    // A status message goes for now; a card's overlay for good.
    if (result?.hash) void dismissImage(result.hash);
  }
  const scheduleRender = () => {
    if (!frame && !signal.aborted) frame = requestAnimationFrame(render);
  };

  // The overlay's Save button: the background fetches the bytes and writes the library.
  async function saveCard(key: string): Promise<void> {
    const found = [...cards].find(([, card]) => card.key === key);
    if (!found) throw new Error('This card is no longer on the page.');
    const [element, { url, result, pair }] = found;
    if (!result) throw new Error('This card has no result to save yet.');
    const post = element.localName === 'img' ? postInfoFor(element as HTMLImageElement) : { postUrl: null, author: null, postText: null };
    if (pair) {
      // Both pictures go, the page's bytes for its own addresses; the background saves them as the pair's card.
      const picture = async (index: 0 | 1) => {
        const address = pair.urls[index];
        return { url: address, bytes: urlKind(address) === 'page-bytes' ? await readPageBytes(address, pair.images[index], signal) : null };
      };
      await sendMessage('library-save', { url, pageUrl: location.href, ...post, result, bytes: null, pair: await Promise.all([picture(0), picture(1)]) });
      return;
    }
    // The background cannot fetch the page's blob: (or data:) picture: the page's bytes go with the request.
    const bytes = urlKind(url) === 'page-bytes' ? await readPageBytes(url, element, signal) : null;
    await sendMessage('library-save', { url, pageUrl: location.href, ...post, result, bytes });
  }

  const discovery = startDiscovery(
    mode,
    {
      analyzeUrl: (request) => sendMessage('analyze-image', { ...request, pageUrl: location.href }),
      analyzeBytes: (request) => sendMessage('analyze-page-bytes', { ...request, pageUrl: location.href }),
      analyzePair: (request) => sendMessage('analyze-pair', { ...request, pageUrl: location.href }),
    },
    {
      onCard(element, url, { result }) {
        void isDismissed(result.hash).then((dismissed) => {
          if (signal.aborted) return;
          // A card dismissed before shows nothing, not even the badge its analysis had.
          if (dismissed) {
            if (cards.delete(element)) scheduleRender();
            return;
          }
          cards.set(element, { key: cards.get(element)?.key ?? `card-${nextKey++}`, url, result });
          theme = pageTheme();
          scheduleRender();
        });
      },
      onStatus(element, url, status) {
        // The page's scheme costs a style recalculation: read for a page's first entry, and again when results come.
        if (!cards.size) theme = pageTheme();
        cards.set(element, { key: cards.get(element)?.key ?? `card-${nextKey++}`, url, status });
        scheduleRender();
      },
      onPairCard(images, urls, { result }) {
        void isDismissed(result.hash).then((dismissed) => {
          if (dismissed || signal.aborted) return;
          cards.set(images[0], { key: `card-${nextKey++}`, url: urls[0], result, pair: { images, urls } });
          theme = pageTheme();
          scheduleRender();
        });
      },
      onCardGone(element) {
        let gone = cards.delete(element);
        // Either picture of a pair takes the pair's card with it.
        for (const [first, card] of cards) if (card.pair?.images.includes(element as HTMLImageElement) && cards.delete(first)) gone = true;
        if (gone) scheduleRender();
      },
      onLayoutChange: scheduleRender,
      onOffer(element, by) {
        if (element && !offer) theme = pageTheme();
        if (element) askShortcut();
        offer = element && by ? { element, by, key: offer?.element === element ? offer.key : `offer-${nextKey++}` } : null;
        scheduleRender();
      },
    },
    signal,
    { offers },
  );

  window.addEventListener('scroll', scheduleRender, { passive: true, capture: true, signal });
  window.addEventListener('resize', scheduleRender, { passive: true, signal });
  ctx.addEventListener(window, 'wxt:locationchange', scheduleRender);

  function stop(): void {
    if (lifetime.signal.aborted) return;
    lifetime.abort();
    discovery.stop();
    if (frame) cancelAnimationFrame(frame);
    cards.clear();
    layer?.remove();
  }
  ctx.onInvalidated(stop);

  return {
    mode,
    offers,
    stop,
    analyzeRequested: (srcUrl) => discovery.request(srcUrl),
    analyzeOffered: analyseOffered,
    progress: (ticket, progress) => discovery.progress(ticket, progress),
  };
}
