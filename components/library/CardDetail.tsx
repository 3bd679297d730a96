import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { AnalysisResult, SignalName } from '@/lib/engine/types';
import type { LibraryCard } from '@/lib/library/types';
import { Breakdown } from '../Breakdown';
import { AuditSummary } from '../overlay/AuditSummary';
import { CardPanels } from '../overlay/CardPanels';
import { SignalBars } from '../overlay/SignalBars';
import { signalsWithMaps, toggledSignal } from '../overlay/signals';
import { cardTitle, controlledText, longDate, verdictText } from './format';

const NOTES_SAVE_DELAY_MS = 600;

export interface CardDetailProps {
  card: LibraryCard;
  /** Reads the card's full analysis (the grid's rows do not carry it). */
  loadAnalysis: (hash: string) => Promise<AnalysisResult>;
  /** Draws the annotated card (panel boxes, labels, signal bars, verdict) as a PNG. */
  renderAnnotated: (hash: string) => Promise<Blob>;
  /** Reads the card's original image (for the panels under the loupe). */
  loadOriginal: (hash: string) => Promise<Blob>;
  onClose: () => void;
  onDelete: (hash: string) => void;
  onNotesChange: (hash: string, notes: string) => Promise<void>;
  onTagsChange: (hash: string, tags: string[]) => Promise<void>;
}

type Picture = { state: 'drawing' } | { state: 'ready'; url: string } | { state: 'failed'; message: string };

function AnnotatedPicture({ hash, title, renderAnnotated }: { hash: string; title: string; renderAnnotated: CardDetailProps['renderAnnotated'] }) {
  const [picture, setPicture] = useState<Picture>({ state: 'drawing' });
  useEffect(() => {
    let url: string | null = null;
    let current = true;
    setPicture({ state: 'drawing' });
    renderAnnotated(hash).then(
      (png) => {
        if (!current) return;
        url = URL.createObjectURL(png);
        setPicture({ state: 'ready', url });
      },
      (error: unknown) => current && setPicture({ state: 'failed', message: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      current = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [hash, renderAnnotated]);

  if (picture.state === 'ready') return <img className="detail-picture" src={picture.url} alt={`${title}, annotated with panel boxes, labels, signal bars and the verdict`} />;
  if (picture.state === 'failed') return <p className="error">The annotated card could not be drawn: {picture.message}</p>;
  return <p className="muted">Drawing the annotated card…</p>;
}

function NotesEditor({ card, onNotesChange }: Pick<CardDetailProps, 'card' | 'onNotesChange'>) {
  const [notes, setNotes] = useState(card.notes);
  const [status, setStatus] = useState<string>('');
  const saved = useRef(card.notes);
  const id = useId();

  useEffect(() => {
    if (notes === saved.current) return;
    const timer = setTimeout(() => void save(notes), NOTES_SAVE_DELAY_MS);
    return () => clearTimeout(timer);
  });

  async function save(text: string): Promise<void> {
    if (text === saved.current) return;
    setStatus('Saving…');
    try {
      await onNotesChange(card.hash, text);
      saved.current = text;
      setStatus('Saved');
    } catch (error) {
      setStatus(`Not saved: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  return (
    <div className="notes">
      <label htmlFor={id}>Notes</label>
      <textarea id={id} value={notes} rows={4} onChange={(event) => setNotes(event.target.value)} onBlur={() => void save(notes)} />
      <span className="muted" role="status">
        {status}
      </span>
    </div>
  );
}

function TagsEditor({ card, onTagsChange }: Pick<CardDetailProps, 'card' | 'onTagsChange'>) {
  const [draft, setDraft] = useState('');
  const [error, setError] = useState('');
  const id = useId();

  async function change(tags: string[]): Promise<void> {
    try {
      setError('');
      await onTagsChange(card.hash, tags);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>): void {
    if ((event.key === 'Enter' || event.key === ',') && draft.trim()) {
      event.preventDefault();
      void change([...card.tags, draft]);
      setDraft('');
    }
  }

  return (
    <div className="tags">
      <label htmlFor={id}>Tags</label>
      <ul className="tag-list" aria-label="Tags">
        {card.tags.map((tag) => (
          <li key={tag} className="tag">
            {tag}
            <button type="button" aria-label={`Remove tag ${tag}`} onClick={() => void change(card.tags.filter((other) => other !== tag))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <input id={id} value={draft} placeholder="Add a tag, then Enter" onChange={(event) => setDraft(event.target.value)} onKeyDown={onKeyDown} />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** Reads a blob and hands out an object URL for it, revoked when the blob changes or the view goes. */
function useBlobUrl(hash: string, load: (hash: string) => Promise<Blob>): { url: string | null; failed: string | null } {
  const [read, setRead] = useState<{ url: string | null; failed: string | null }>({ url: null, failed: null });
  useEffect(() => {
    let current = true;
    let created: string | null = null;
    setRead({ url: null, failed: null });
    load(hash).then(
      (blob) => {
        if (!current) return;
        created = URL.createObjectURL(blob);
        setRead({ url: created, failed: null });
      },
      (error: unknown) => current && setRead({ url: null, failed: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      current = false;
      if (created) URL.revokeObjectURL(created);
    };
  }, [hash, load]);
  return read;
}

/**
 * The saved card as the overlay shows it on a page: the original image with the panel outlines,
 * the heat maps switched on below, and the synchronized loupe, all from the overlay's CardPanels.
 */
function CardStage({ hash, analysis, shown, loupeHintId, loadOriginal }: { hash: string; analysis: AnalysisResult; shown: ReadonlySet<SignalName>; loupeHintId: string; loadOriginal: CardDetailProps['loadOriginal'] }) {
  const { url, failed } = useBlobUrl(hash, loadOriginal);
  const [image, setImage] = useState<HTMLImageElement | null>(null);
  const [width, setWidth] = useState(0);
  const stage = useRef<HTMLDivElement>(null);

  // The panels are placed in display pixels, so they follow the stage's width (it changes with the side panel's).
  useEffect(() => {
    const element = stage.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    setWidth(element.clientWidth);
    return () => observer.disconnect();
  }, [url]);

  if (failed) return <p className="error">The original image could not be read: {failed}</p>;
  if (!url) return <div className="stage stage-loading" aria-hidden="true" />;
  const size = analysis.size ?? (image ? { width: image.naturalWidth, height: image.naturalHeight } : null);
  const height = size ? (width * size.height) / size.width : 0;
  // The loupe compares two panels: a saved photo or a one-panel result gets its outline, no loupe.
  const loupeImage = image && analysis.panels.length === 2 ? image : undefined;
  return (
    <div ref={stage} className="stage" data-testid="detail-stage" style={size ? { aspectRatio: `${size.width} / ${size.height}` } : undefined}>
      <img
        src={url}
        alt=""
        draggable={false}
        onLoad={(event) => setImage(event.currentTarget)}
        onError={() => setImage(null)}
      />
      {size && width > 0 && <CardPanels result={{ ...analysis, size }} width={width} height={height} shown={shown} image={loupeImage} active loupeHintId={loupeHintId} />}
    </div>
  );
}

/** The annotated PNG (as the export holds it), drawn only when asked for. */
function AnnotatedSection({ hash, title, renderAnnotated }: { hash: string; title: string; renderAnnotated: CardDetailProps['renderAnnotated'] }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="annotated" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>Annotated PNG, as exported</summary>
      {open && <AnnotatedPicture hash={hash} title={title} renderAnnotated={renderAnnotated} />}
    </details>
  );
}

type Analysis = { state: 'reading' } | { state: 'ready'; analysis: AnalysisResult } | { state: 'failed'; message: string };

function AnalysisSection({ hash, loadAnalysis, loadOriginal }: { hash: string; loadAnalysis: CardDetailProps['loadAnalysis']; loadOriginal: CardDetailProps['loadOriginal'] }) {
  const [read, setRead] = useState<Analysis>({ state: 'reading' });
  const [shown, setShown] = useState<ReadonlySet<SignalName>>(new Set());
  const loupeHintId = useId();
  useEffect(() => {
    let current = true;
    loadAnalysis(hash).then(
      (analysis) => current && setRead({ state: 'ready', analysis }),
      (error: unknown) => current && setRead({ state: 'failed', message: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      current = false;
    };
  }, [hash, loadAnalysis]);

  if (read.state === 'reading') return <p className="muted">Reading the analysis…</p>;
  if (read.state === 'failed') return <p className="error">The analysis could not be read: {read.message}</p>;
  const { analysis } = read;
  const measured = analysis.panels.some((panel) => Object.values(panel.signals).some(Boolean));
  return (
    <>
      <CardStage hash={hash} analysis={analysis} shown={shown} loupeHintId={loupeHintId} loadOriginal={loadOriginal} />
      {analysis.panels.length === 2 && (
        <p id={loupeHintId} className="hint">
          Hover a panel, or focus it and use the arrow keys, to magnify the same spot on both.
        </p>
      )}
      <div className="breakdown">
        <Breakdown result={analysis} />
      </div>
      <AuditSummary consistency={analysis.consistency} />
      <SignalBars result={analysis} shown={shown} onToggle={(signal) => setShown((current) => toggledSignal(current, signal))} />
      {measured && signalsWithMaps(analysis).length === 0 && <p className="hint">No heat maps were kept with this card.</p>}
    </>
  );
}

/** One saved card as the overlay shows it (panels, heat maps, synchronized loupe, breakdown, audit note, signal bars with evidence), then its annotated PNG, source, notes and tags. */
export function CardDetail({ card, loadAnalysis, renderAnnotated, loadOriginal, onClose, onDelete, onNotesChange, onTagsChange }: CardDetailProps) {
  const closeButton = useRef<HTMLButtonElement>(null);
  const headingId = useId();
  const title = cardTitle(card);
  useEffect(() => closeButton.current?.focus(), [card.hash]);

  return (
    <section
      className="detail"
      role="dialog"
      aria-modal="false"
      aria-labelledby={headingId}
      data-testid="library-detail"
      data-hash={card.hash}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
      }}
    >
      <header className="detail-header">
        <h2 id={headingId}>{title}</h2>
        <button ref={closeButton} type="button" onClick={onClose}>
          Close
        </button>
      </header>
      <p className="detail-verdict">
        <strong>{verdictText(card)}</strong> · {controlledText(card)}
      </p>
      <AnalysisSection key={card.hash} hash={card.hash} loadAnalysis={loadAnalysis} loadOriginal={loadOriginal} />
      <AnnotatedSection key={`annotated-${card.hash}`} hash={card.hash} title={title} renderAnnotated={renderAnnotated} />
      <dl className="source">
        <dt>From</dt>
        <dd>{[card.author, card.site || 'your file'].filter(Boolean).join(' on ')}</dd>
        {card.postUrl && (
          <>
            <dt>Post</dt>
            <dd>
              <a href={card.postUrl} target="_blank" rel="noreferrer noopener">
                {card.postUrl}
              </a>
            </dd>
          </>
        )}
        {card.postText && (
          <>
            <dt>Text</dt>
            <dd className="post-text">{card.postText}</dd>
          </>
        )}
        <dt>Saved</dt>
        <dd>{longDate(card.savedAt)}</dd>
        <dt>Image</dt>
        <dd>
          {card.mime.replace('image/', '').toUpperCase()}, {(card.byteLength / 1024).toFixed(0)} KB · <code title={card.hash}>{card.hash.slice(0, 16)}…</code>
        </dd>
      </dl>
      <NotesEditor key={`notes-${card.hash}`} card={card} onNotesChange={onNotesChange} />
      <TagsEditor card={card} onTagsChange={onTagsChange} />
      <button type="button" className="danger" onClick={() => onDelete(card.hash)}>
        Delete this card
      </button>
    </section>
  );
}
