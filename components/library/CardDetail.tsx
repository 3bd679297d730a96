import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { AnalysisResult, SignalName } from '@/lib/engine/types';
import type { LibraryCard } from '@/lib/library/types';
import { Breakdown } from '../Breakdown';
import { PanelLoupe } from './PanelLoupe';
import { cardTitle, controlledText, longDate, verdictText } from './format';

const SIGNALS: SignalName[] = ['shadow', 'skin', 'knit', 'ceramic'];
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

/** The panels under a synchronized loupe, cut from the original image. */
function ComparePanels({ hash, analysis, loadOriginal }: { hash: string; analysis: AnalysisResult; loadOriginal: CardDetailProps['loadOriginal'] }) {
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    let created: string | null = null;
    loadOriginal(hash).then(
      (blob) => {
        if (!current) return;
        created = URL.createObjectURL(blob);
        setUrl(created);
      },
      (error: unknown) => current && setFailed(error instanceof Error ? error.message : String(error)),
    );
    return () => {
      current = false;
      if (created) URL.revokeObjectURL(created);
    };
  }, [hash, loadOriginal]);
  if (failed) return <p className="error">The original image could not be read: {failed}</p>;
  if (!url || !analysis.size) return null;
  return (
    <section className="compare">
      <h3>Compare the panels</h3>
      <PanelLoupe src={url} size={analysis.size} panels={analysis.panels.map((panel) => panel.box)} labels={analysis.panels.map((panel) => panel.label)} />
    </section>
  );
}

type Analysis = { state: 'reading' } | { state: 'ready'; analysis: AnalysisResult } | { state: 'failed'; message: string };

function AnalysisSection({ hash, loadAnalysis, loadOriginal }: { hash: string; loadAnalysis: CardDetailProps['loadAnalysis']; loadOriginal: CardDetailProps['loadOriginal'] }) {
  const [read, setRead] = useState<Analysis>({ state: 'reading' });
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
  return (
    <>
      <div className="breakdown">
        <Breakdown result={analysis} />
      </div>
      {analysis.panels.length >= 2 && <ComparePanels hash={hash} analysis={analysis} loadOriginal={loadOriginal} />}
      <table className="scores">
        <caption>Signal scores (0-100)</caption>
        <thead>
          <tr>
            <th scope="col">Signal</th>
            {analysis.panels.map((panel, index) => (
              <th scope="col" key={index}>
                {index === 0 ? 'A' : 'B'}: {panel.label ?? 'no label'}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {SIGNALS.map((signal) => (
            <tr key={signal}>
              <th scope="row">{signal}</th>
              {analysis.panels.map((panel, index) => {
                const score = panel.signals[signal];
                return <td key={index}>{score ? Math.round(score.score) : 'not measured'}</td>;
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** One saved card: the annotated picture, the same breakdown as the overlay, the panels under a synchronized loupe, scores, source, notes and tags. */
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
      <AnnotatedPicture hash={card.hash} title={title} renderAnnotated={renderAnnotated} />
      <p>
        <strong>{verdictText(card)}</strong> · {controlledText(card)}
      </p>
      <AnalysisSection hash={card.hash} loadAnalysis={loadAnalysis} loadOriginal={loadOriginal} />
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
