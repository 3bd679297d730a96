import { defineContentScript } from 'wxt/utils/define-content-script';
import { listen } from '@/lib/messaging/runtime';
import { isHostEnabled, settingsItem, type Settings } from '@/lib/settings/settings';
import { startOverlay, type OverlaySession } from './overlay';

export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_idle',
  // The overlay adopts its stylesheet itself (overlay.tsx): no fetch, no inline <style> for a page CSP to block.
  cssInjectionMode: 'manual',
  // WXT announces a new content script to older copies with a CustomEvent and, unless told not to,
  // also with window.postMessage, for which the page's own message listeners would run (28 ms of
  // the page's CPU on the bench's feed, docs/performance.md).
  noScriptStartedPostMessage: true,
  async main(ctx) {
    let session: Promise<OverlaySession> | null = null;

    // Follows the popup's switches live: a site turned off loses its overlay at once.
    async function apply(settings: Settings): Promise<void> {
      const wanted = isHostEnabled(settings, location.host) ? settings.mode : null;
      const current = session ? await session : null;
      // A session the context menu started on a switched-off site makes no offers: on-demand mode wants them.
      if (current && current.mode === wanted && (wanted === 'auto' || current.offers)) return;
      current?.stop();
      session = wanted ? startOverlay(ctx, wanted) : null;
    }

    await apply(await settingsItem.getValue());
    ctx.onInvalidated(settingsItem.watch((settings) => void apply(settings)));

    const stopListening = listen('content', {
      // The context menu works on any image, also where Sidelight is switched off.
      'content-analyze-image': async ({ srcUrl }) => {
        // On a switched-off site only the picture asked about is analysed: no offers on the others.
        session ??= startOverlay(ctx, 'on-demand', { offers: false });
        return { found: (await session).analyzeRequested(srcUrl) };
      },
      // The keyboard shortcut: the picture offered under the pointer or in focus (on-demand mode only offers).
      'content-analyze-offered': async () => ({ found: session ? (await session).analyzeOffered() : false }),
      // The background's word on a request of this frame: the image is a card, its analysis is running.
      'content-analysis-progress': async ({ ticket, progress }) => {
        (session ? await session : null)?.progress(ticket, progress);
        return {};
      },
    });
    ctx.onInvalidated(stopListening);
  },
});
