import { startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { OverlayLayer, type OverlayLayerProps } from '@/components/OverlayLayer';
import cardPartsCss from '@/components/overlay/card-parts.css?inline';
import overlayCss from './style.css?inline';

export interface MountedLayer {
  render(props: OverlayLayerProps): void;
  remove(): void;
}

/**
 * The shadow root Sidelight draws in, with React mounted in it. Loaded and made when a page shows
 * its first card: most pages show none and never pay for React, the stylesheet or the mount.
 */
export async function mountLayer(ctx: ContentScriptContext): Promise<MountedLayer> {
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
      return createRoot(container);
    },
    onRemove(root) {
      root?.unmount();
    },
  });
  ui.mount();
  return {
    // A transition: React renders in slices of a few milliseconds and leaves the page's main thread
    // free in between (the first render compiles much of React, longer than a frame in one piece).
    render: (props) => startTransition(() => ui.mounted?.render(<OverlayLayer {...props} />)),
    remove: () => ui.remove(),
  };
}
