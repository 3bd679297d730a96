import { createRoot, type Root } from 'react-dom/client';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { OverlayLayer, type OverlayCard } from '@/components/OverlayLayer';
import type { AnalysisResult } from '@/lib/engine/types';
import { sendMessage } from '@/lib/messaging/runtime';
import { couldBeCard, distanceToViewportCentre } from '@/lib/page/candidates';
import { postInfoFor } from '@/lib/page/post-info';
import { pageTheme } from '@/lib/page/theme';
import { dismissImage, isDismissed } from '@/lib/settings/dismissed';
import type { AnalysisMode } from '@/lib/settings/settings';
import cardPartsCss from '@/components/overlay/card-parts.css?inline';
import overlayCss from './style.css?inline';

type ImageState = 'pending' | 'card' | 'not-card' | 'error';

function setState(image: HTMLImageElement, state: ImageState, reason?: string): void {
  image.dataset.sidelight = state;
  if (reason) image.dataset.sidelightReason = reason;
  else delete image.dataset.sidelightReason;
}

function imageUrl(image: HTMLImageElement): string {
  return image.currentSrc || image.src;
}

export interface OverlaySession {
  mode: AnalysisMode;
  /** Analyses the page image showing `srcUrl` now (context menu); false when no such image is here. */
  analyzeRequested(srcUrl: string): boolean;
  /** Removes everything this session drew or marked. */
  stop(): void;
}

/**
 * Finds candidate images and draws the overlay on cards. In auto mode it analyses images as they
 * come into view, nearest the viewport centre first, one at a time; in on-demand mode only the
 * images the user asks about.
 */
export async function startOverlay(ctx: ContentScriptContext, mode: AnalysisMode): Promise<OverlaySession> {
  const lifetime = new AbortController();
  const signal = AbortSignal.any([ctx.signal, lifetime.signal]);
  const seen = new WeakSet<HTMLImageElement>();
  const waiting = new Set<HTMLImageElement>();
  const cards = new Map<HTMLImageElement, { key: string; result: AnalysisResult }>();
  let running = false;
  let nextKey = 1;
  let root: Root | null = null;
  let frame = 0;

  const ui = await createShadowRootUi(ctx, {
    name: 'sidelight-overlay',
    position: 'inline',
    anchor: 'html',
    append: 'last',
    onMount(container, shadow, host) {
      // A constructed stylesheet survives strict page CSPs (style-src without 'unsafe-inline').
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(cardPartsCss + overlayCss);
      shadow.adoptedStyleSheets = [sheet];
      // A zero-size layer at the document origin: the page's layout never moves.
      Object.assign(host.style, { position: 'absolute', left: '0', top: '0', width: '0', height: '0', overflow: 'visible', zIndex: '2147483646' });
      root = createRoot(container);
      return root;
    },
    onRemove(mounted) {
      mounted?.unmount();
      root = null;
    },
  });
  ui.mount();

  function render(): void {
    frame = 0;
    const visible: OverlayCard[] = [];
    for (const [image, { key, result }] of cards) {
      if (!image.isConnected) {
        cards.delete(image);
        continue;
      }
      const rect = image.getBoundingClientRect();
      visible.push({ key, result, image, rect: { left: rect.left + window.scrollX, top: rect.top + window.scrollY, width: rect.width, height: rect.height } });
    }
    root?.render(<OverlayLayer cards={visible} onSave={saveCard} onCopy={copyText} onDismiss={dismissCard} theme={pageTheme()} />);
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
    if (result.hash) void dismissImage(result.hash);
  }

  // The overlay's Save button: the background fetches the bytes and writes the library.
  async function saveCard(key: string): Promise<void> {
    const found = [...cards].find(([, card]) => card.key === key);
    if (!found) throw new Error('This card is no longer on the page.');
    const [image, { result }] = found;
    await sendMessage('library-save', { url: imageUrl(image), pageUrl: location.href, ...postInfoFor(image), result });
  }
  const scheduleRender = () => {
    if (!frame) frame = requestAnimationFrame(render);
  };

  async function pump(): Promise<void> {
    if (running) return;
    running = true;
    try {
      while (waiting.size && !signal.aborted) {
        const image = nearest(waiting);
        waiting.delete(image);
        await analyze(image);
      }
    } finally {
      running = false;
    }
  }

  async function analyze(image: HTMLImageElement): Promise<void> {
    setState(image, 'pending');
    try {
      // The caption names the models when the card itself carries no readable label.
      const { postText } = postInfoFor(image);
      const { result } = await sendMessage('analyze-image', { url: imageUrl(image), pageUrl: location.href, altText: image.alt.trim() || null, postText });
      if (!result.ok) setState(image, 'error', result.reason ?? 'unknown');
      else if (result.isComparison) {
        setState(image, 'card');
        if (await isDismissed(result.hash)) return;
        cards.set(image, { key: `card-${nextKey++}`, result });
        scheduleRender();
      } else setState(image, 'not-card', result.reason ?? undefined);
    } catch (error) {
      if (signal.aborted) return;
      setState(image, 'error', error instanceof Error ? error.message : 'unknown');
    }
  }

  const visibility = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        const image = entry.target as HTMLImageElement;
        visibility.unobserve(image);
        waiting.add(image);
      }
      void pump();
    },
    { rootMargin: '200px 0px' },
  );

  function consider(image: HTMLImageElement): void {
    if (seen.has(image)) return;
    if (!image.complete || image.naturalWidth === 0) {
      image.addEventListener('load', () => consider(image), { once: true, signal });
      return;
    }
    seen.add(image);
    const rect = image.getBoundingClientRect();
    const metrics = { naturalWidth: image.naturalWidth, naturalHeight: image.naturalHeight, renderedWidth: rect.width, renderedHeight: rect.height };
    if (!couldBeCard(metrics)) return;
    if (mode === 'auto') visibility.observe(image);
  }

  function scan(rootNode: ParentNode): void {
    if (rootNode instanceof HTMLImageElement) consider(rootNode);
    rootNode.querySelectorAll?.('img').forEach(consider);
  }

  const mutations = new MutationObserver((records) => {
    for (const record of records) {
      // A card that left the page (feed recycling, SPA navigation) loses its overlay.
      if (record.removedNodes.length && cards.size) scheduleRender();
      record.addedNodes.forEach((node) => {
        if (node instanceof Element) scan(node);
      });
      if (record.type === 'attributes' && record.target instanceof HTMLImageElement) {
        seen.delete(record.target);
        consider(record.target);
      }
    }
  });
  mutations.observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ['src', 'srcset'] });
  scan(document);

  window.addEventListener('scroll', scheduleRender, { passive: true, capture: true, signal });
  window.addEventListener('resize', scheduleRender, { passive: true, signal });
  ctx.addEventListener(window, 'wxt:locationchange', () => {
    if (!signal.aborted) scheduleRender();
  });

  function stop(): void {
    if (lifetime.signal.aborted) return;
    lifetime.abort();
    mutations.disconnect();
    visibility.disconnect();
    if (frame) cancelAnimationFrame(frame);
    waiting.clear();
    cards.clear();
    ui.remove();
    document.querySelectorAll<HTMLImageElement>('img[data-sidelight]').forEach((image) => {
      delete image.dataset.sidelight;
      delete image.dataset.sidelightReason;
    });
  }
  ctx.onInvalidated(stop);

  return {
    mode,
    stop,
    analyzeRequested(srcUrl) {
      const image = [...document.images].find((candidate) => candidate.currentSrc === srcUrl || candidate.src === srcUrl);
      if (!image) return false;
      seen.add(image);
      visibility.unobserve(image);
      waiting.add(image);
      void pump();
      return true;
    },
  };
}

function nearest(images: Set<HTMLImageElement>): HTMLImageElement {
  let best: HTMLImageElement | undefined;
  let bestDistance = Infinity;
  for (const image of images) {
    const rect = image.getBoundingClientRect();
    const distance = distanceToViewportCentre(rect.top, rect.height, window.innerHeight);
    if (distance < bestDistance) {
      best = image;
      bestDistance = distance;
    }
  }
  if (!best) throw new Error('nearest() needs at least one image');
  return best;
}
