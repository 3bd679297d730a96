import { useId, useRef, useState, type KeyboardEvent } from 'react';
import type { AnalysisResult, SignalName } from '@/lib/engine/types';
import { Breakdown, layoutName } from './Breakdown';
import { AuditSummary } from './overlay/AuditSummary';
import { CardPanels, type PanelPicture } from './overlay/CardPanels';
import { resultText } from './overlay/result-text';
import { SignalBars } from './overlay/SignalBars';
import { toggledSignal } from './overlay/signals';

export interface PageRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface CardOverlayProps {
  /** Where the image is drawn, in document coordinates. */
  rect: PageRect;
  result: AnalysisResult;
  /** The page's image, for the loupe to draw from; no loupe without it. */
  image?: CanvasImageSource & { naturalWidth: number; naturalHeight: number };
  /** A card made of two pictures of one post: each panel's picture, placed in `rect` (CSS pixels), and the page's image for the loupe. */
  pictures?: PanelPicture[];
  /** Saves the card to the library; rejects with a message to show. No Save button without it. */
  onSave?: () => Promise<void>;
  /** Puts the text on the clipboard; rejects when the page or browser refuses. */
  onCopy?: (text: string) => Promise<void>;
  /** Hides the overlay on this image, for good. No Dismiss button without it. */
  onDismiss?: () => void;
}

type SaveState = { state: 'idle' | 'saving' | 'saved' } | { state: 'error'; message: string };
type CopyState = { state: 'idle' | 'copied' } | { state: 'manual'; text: string };

const SAVE_TEXT = { idle: 'Save', saving: 'Saving…', saved: 'Saved', error: 'Retry save' } as const;
const SAVE_LABEL = {
  idle: 'Save this card to the Sidelight library',
  saving: 'Saving this card to the Sidelight library',
  saved: 'Saved to the Sidelight library. Save again to update it',
  error: 'Saving failed. Try saving this card again',
} as const;

/** Panel outlines and a badge over one comparison card; expands into the breakdown, heat maps and loupe. */
export function CardOverlay({ rect, result, image, pictures, onSave, onCopy, onDismiss }: CardOverlayProps) {
  const [expanded, setExpanded] = useState(false);
  const [save, setSave] = useState<SaveState>({ state: 'idle' });
  const [copy, setCopy] = useState<CopyState>({ state: 'idle' });
  const [shown, setShown] = useState<ReadonlySet<SignalName>>(new Set());
  const badge = useRef<HTMLButtonElement>(null);
  const detailsId = useId();
  const saveErrorId = useId();
  const loupeHintId = useId();
  const layout = layoutName(result);

  async function saveCard(): Promise<void> {
    if (!onSave || save.state === 'saving') return;
    setSave({ state: 'saving' });
    try {
      await onSave();
      setSave({ state: 'saved' });
    } catch (error) {
      setSave({ state: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  }

  async function copyResult(): Promise<void> {
    if (!onCopy) return;
    const text = resultText(result);
    try {
      await onCopy(text);
      setCopy({ state: 'copied' });
    } catch {
      // The page or the browser refused the clipboard: hand the text over to copy by hand.
      setCopy({ state: 'manual', text });
    }
  }

  function toggleMap(signal: SignalName): void {
    setShown((current) => toggledSignal(current, signal));
  }

  function collapse(): void {
    setExpanded(false);
    setCopy({ state: 'idle' });
    badge.current?.focus();
  }

  function onCardKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    if (event.key === 'Escape' && expanded) {
      event.stopPropagation();
      collapse();
    }
  }

  return (
    <div
      className="card"
      style={{ left: rect.left, top: rect.top, width: rect.width, height: rect.height }}
      data-testid="sidelight-card"
      data-expanded={expanded}
      onKeyDown={onCardKeyDown}
    >
      <button
        ref={badge}
        type="button"
        className="badge"
        aria-expanded={expanded}
        aria-controls={detailsId}
        aria-label={`Sidelight: comparison card, ${layout}. ${expanded ? 'Hide' : 'Show'} breakdown`}
        onClick={() => (expanded ? collapse() : setExpanded(true))}
      >
        <span className="badge-mark" aria-hidden="true">◐</span> A | B
      </button>
      <div className="actions">
        {onSave && (
          <button
            type="button"
            className="save"
            data-state={save.state}
            aria-label={SAVE_LABEL[save.state]}
            aria-describedby={save.state === 'error' ? saveErrorId : undefined}
            aria-busy={save.state === 'saving'}
            onClick={() => void saveCard()}
          >
            {SAVE_TEXT[save.state]}
          </button>
        )}
        {onDismiss && (
          <button type="button" className="dismiss" aria-label="Dismiss: hide Sidelight on this image from now on" title="Hide on this image" onClick={onDismiss}>
            <span aria-hidden="true">×</span>
          </button>
        )}
      </div>
      {save.state === 'error' && (
        <p id={saveErrorId} className="save-error" role="alert">
          {save.message}
        </p>
      )}
      <CardPanels result={result} width={rect.width} height={rect.height} shown={shown} image={image} pictures={pictures} active={expanded} loupeHintId={loupeHintId} />
      {expanded && (
        <section id={detailsId} className="details" aria-label="Sidelight breakdown">
          <Breakdown result={result} />
          <AuditSummary consistency={result.consistency} />
          <SignalBars result={result} shown={shown} onToggle={toggleMap} />
          <div className="details-actions">
            {onCopy && (
              <button type="button" className="copy" onClick={() => void copyResult()}>
                {copy.state === 'copied' ? 'Copied' : 'Copy result'}
              </button>
            )}
            <button type="button" className="close" onClick={collapse}>
              Close
            </button>
            <span className="visually-hidden" role="status">
              {copy.state === 'copied' ? 'Result copied to the clipboard' : ''}
            </span>
          </div>
          {copy.state === 'manual' && (
            <label className="copy-manual">
              The clipboard is not available here; select and copy:
              <textarea readOnly value={copy.text} rows={5} onFocus={(event) => event.currentTarget.select()} />
            </label>
          )}
          {(image ?? pictures?.every((picture) => picture.image)) && (
            <p id={loupeHintId} className="hint">
              Hover a panel, or focus it and use the arrow keys, to magnify the same spot on both.
            </p>
          )}
        </section>
      )}
    </div>
  );
}
