import { ANALYSE_SHORTCUT } from '../../lib/page/shortcut';
import type { PageRect } from '../CardOverlay';

export interface AnalyseOfferProps {
  /** Where the picture is drawn, in document coordinates. */
  rect: PageRect;
  onAnalyse: () => void;
}

/**
 * On-demand mode: the button over the picture under the pointer (or in focus) that asks Sidelight
 * to analyse it. The rest of the picture stays the page's: only the button takes the pointer.
 */
export function AnalyseOffer({ rect, onAnalyse }: AnalyseOfferProps) {
  return (
    <div className="card" style={{ left: rect.left, top: rect.top, width: rect.width, height: rect.height }} data-testid="sidelight-offer">
      <button
        type="button"
        className="badge offer"
        aria-label={`Analyse this image with Sidelight (${ANALYSE_SHORTCUT})`}
        title={`Is this a comparison card? Analyse it with Sidelight (${ANALYSE_SHORTCUT})`}
        aria-keyshortcuts={ANALYSE_SHORTCUT}
        onClick={onAnalyse}
      >
        <span className="badge-mark" aria-hidden="true">
          ◐
        </span>{' '}
        Analyse
      </button>
    </div>
  );
}
