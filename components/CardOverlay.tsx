import { useId, useState } from 'react';
import type { AnalysisResult } from '@/lib/engine/types';
import { Breakdown, layoutName } from './Breakdown';

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
  /** Saves the card to the library; rejects with a message to show. No Save button without it. */
  onSave?: () => Promise<void>;
}

type SaveState = { state: 'idle' | 'saving' | 'saved' } | { state: 'error'; message: string };

const SAVE_TEXT = { idle: 'Save', saving: 'Saving…', saved: 'Saved', error: 'Retry save' } as const;
const SAVE_LABEL = {
  idle: 'Save this card to the Sidelight library',
  saving: 'Saving this card to the Sidelight library',
  saved: 'Saved to the Sidelight library. Save again to update it',
  error: 'Saving failed. Try saving this card again',
} as const;

/** Panel outlines and a badge over one comparison card; expands into the breakdown. */
export function CardOverlay({ rect, result, onSave }: CardOverlayProps) {
  const [expanded, setExpanded] = useState(false);
  const [save, setSave] = useState<SaveState>({ state: 'idle' });
  const detailsId = useId();
  const saveErrorId = useId();
  const size = result.size ?? { width: rect.width, height: rect.height };
  const scaleX = rect.width / size.width;
  const scaleY = rect.height / size.height;
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

  return (
    <div className="card" style={{ left: rect.left, top: rect.top, width: rect.width, height: rect.height }} data-testid="sidelight-card">
      {result.panels.map((panel, index) => (
        <div
          key={index}
          className={`panel panel-${index}`}
          style={{
            left: panel.box[0] * scaleX,
            top: panel.box[1] * scaleY,
            width: panel.box[2] * scaleX,
            height: panel.box[3] * scaleY,
          }}
          aria-hidden="true"
        />
      ))}
      <button
        type="button"
        className="badge"
        aria-expanded={expanded}
        aria-controls={detailsId}
        aria-label={`Sidelight: comparison card, ${layout}. ${expanded ? 'Hide' : 'Show'} breakdown`}
        onClick={() => setExpanded((value) => !value)}
      >
        <span className="badge-mark" aria-hidden="true">◐</span> A | B
      </button>
      {onSave && (
        <>
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
          {save.state === 'error' && (
            <p id={saveErrorId} className="save-error" role="alert">
              {save.message}
            </p>
          )}
        </>
      )}
      {expanded && (
        <section id={detailsId} className="details" aria-label="Sidelight breakdown">
          <Breakdown result={result} />
        </section>
      )}
    </div>
  );
}
