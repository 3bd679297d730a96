import type { PageRect } from '../CardOverlay';

export interface AnalyseOfferProps {
  /** Where the picture is drawn, in document coordinates. */
  rect: PageRect;
  /** The keyboard shortcut that does the same, as the browser has it; null when none is set. */
  shortcut: string | null;
  /** `trusted`: the click came from the user, not from a page's script. */
  onAnalyse: (trusted: boolean) => void;
}

/** What a screen reader hears when the focused post's picture can be analysed. */
export function offerAnnouncement(shortcut: string | null): string {
  return shortcut ? `Sidelight can analyse the picture in this post: press ${shortcut}.` : 'Sidelight can analyse the picture in this post.';
}

/**
 * On-demand mode: the button over the picture under the pointer (or in focus) that asks Sidelight
 * to analyse it. The rest of the picture stays the page's: only the button takes the pointer.
 */
export function AnalyseOffer({ rect, shortcut, onAnalyse }: AnalyseOfferProps) {
  const keys = shortcut ? ` (${shortcut})` : '';
  return (
    <div className="card" style={{ left: rect.left, top: rect.top, width: rect.width, height: rect.height }} data-testid="sidelight-offer">
      <button
        type="button"
        className="badge offer"
        aria-label={`Analyse this image with Sidelight${keys}`}
        title={`Is this a comparison card? Analyse it with Sidelight${keys}`}
        aria-keyshortcuts={shortcut ?? undefined}
        onClick={(event) => onAnalyse(event.nativeEvent.isTrusted)}
      >
        <span className="badge-mark" aria-hidden="true">
          ◐
        </span>{' '}
        Analyse
      </button>
    </div>
  );
}
