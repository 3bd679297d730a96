import { statusWords, type CardStatus } from '../../lib/page/card-status';
import type { PageRect } from '../CardOverlay';

export interface StatusBadgeProps {
  /** Where the image is drawn, in document coordinates. */
  rect: PageRect;
  status: CardStatus;
  /** Hides the message; none while the analysis runs. */
  onDismiss?: () => void;
}

/** The badge over a picture whose analysis is running, failed, or found no card (when the user asked). */
export function StatusBadge({ rect, status, onDismiss }: StatusBadgeProps) {
  const { text, label } = statusWords(status);
  const pending = status.kind === 'pending';
  return (
    <div className="card" style={{ left: rect.left, top: rect.top, width: rect.width, height: rect.height }} data-testid="sidelight-status" data-status={status.kind}>
      <p className="badge status-badge" data-status={status.kind} role="status" aria-label={label} aria-busy={pending} title={pending ? undefined : text}>
        <span className="badge-mark" aria-hidden="true">
          {status.kind === 'failed' ? '!' : '◐'}
        </span>{' '}
        <span className="status-text">{text}</span>
      </p>
      {!pending && onDismiss && (
        <div className="actions">
          <button type="button" className="dismiss" aria-label="Dismiss this Sidelight message" title="Hide this message" onClick={onDismiss}>
            <span aria-hidden="true">×</span>
          </button>
        </div>
      )}
    </div>
  );
}
