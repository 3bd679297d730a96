import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { AUDIT_CLEAR_GAP, AUDIT_COLUMNS, auditByAuthor, auditCardOfRow, auditModels, winRate, type AuditColumn, type AuditSummary, type ModelAudit } from '@/lib/library/audit';
import type { LibraryCard } from '@/lib/library/types';
import { AuditChart } from './AuditChart';

export interface AuditViewProps {
  /** Every live card (their rows carry each panel's label and scores); null or incomplete while the library is read. */
  cards: LibraryCard[] | null;
  complete: boolean;
}

const COLUMN_NAMES: Record<AuditColumn, { tab: string; phrase: string }> = {
  overall: { tab: 'Overall verdict', phrase: 'the overall verdict' },
  shadow: { tab: 'Shadow', phrase: 'the shadow signal' },
  skin: { tab: 'Skin', phrase: 'the skin signal' },
  knit: { tab: 'Knit', phrase: 'the knit signal' },
  ceramic: { tab: 'Ceramic', phrase: 'the ceramic signal' },
  realism: { tab: 'Realism', phrase: 'realism (the mean of the signals)' },
};

/** `null` author: posts that showed none. '' in the menu means every author. */
const ALL_AUTHORS = '';
const NO_AUTHOR = '\u0000none';

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function exclusionsText(summary: AuditSummary): string {
  const { notControlled, controlUnknown, notTwoPanels, unlabelled, sameModel } = summary.excluded;
  const parts = [
    notControlled && `${notControlled} not controlled`,
    controlUnknown && `${controlUnknown} where control could not be checked`,
    unlabelled && `${unlabelled} without both labels`,
    sameModel && `${sameModel} with one model on both sides`,
    notTwoPanels && `${notTwoPanels} not two-panel cards`,
  ].filter(Boolean);
  return parts.length ? `Left out: ${parts.join(', ')}.` : '';
}

/** A table cell: won of the cards behind it (rate), then the losses and draws, so the table says all the chart does. */
function TallyCell({ model, column, current }: { model: ModelAudit; column: AuditColumn; current: boolean }) {
  const tally = model.columns[column];
  const rate = winRate(tally);
  return (
    <td data-column={column} className={current ? 'current' : undefined}>
      {tally.cards === 0 ? (
        <span className="won">–</span>
      ) : (
        <>
          <span className="won">{`${tally.won} of ${tally.cards} (${rate === null ? '–' : Math.round(rate * 100)}%)`}</span>
          <span className="rest">
            {tally.lost} lost, {tally.even} {column === 'overall' ? 'no winner' : 'even'}
          </span>
        </>
      )}
    </td>
  );
}

function authorName(author: string | null): string {
  return author ?? 'No author shown';
}

/** The model with the most overall wins (ties: the better rate), for the author table. */
function leader(summary: AuditSummary): string {
  const ranked = summary.models
    .filter((model) => model.columns.overall.won > 0)
    .sort((a, b) => b.columns.overall.won - a.columns.overall.won || (winRate(b.columns.overall) ?? 0) - (winRate(a.columns.overall) ?? 0));
  const best = ranked[0];
  return best ? `${best.model} (${best.columns.overall.won} of ${best.columns.overall.cards})` : '–';
}

/**
 * The model audit: for each model label across saved cards, how often it won overall and per
 * signal, counting controlled comparisons only, with the number of cards behind each figure; per
 * author too. A bar chart per column, and tables that say the same in text.
 */
export function AuditView({ cards: rows, complete }: AuditViewProps) {
  const [column, setColumn] = useState<AuditColumn>('overall');
  const [author, setAuthor] = useState<string>(ALL_AUTHORS);
  const tableId = useId();
  const headingId = useId();
  const figure = useRef<HTMLElement>(null);
  const [chartWidth, setChartWidth] = useState(720);

  // The chart is drawn at its box's width, so its text keeps its size from a side panel to a full tab.
  useEffect(() => {
    const element = figure.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setChartWidth(Math.floor(entry.contentRect.width));
    });
    observer.observe(element);
    return () => observer.disconnect();
  });

  // Live: the rows change with every save, delete or import, in this tab or another.
  const cards = useMemo(() => (rows && complete ? rows.map(auditCardOfRow) : []), [rows, complete]);
  const authors = useMemo(() => auditByAuthor(cards), [cards]);
  const summary = useMemo(() => {
    if (author === ALL_AUTHORS) return auditModels(cards);
    return authors.find((entry) => (entry.author === null ? NO_AUTHOR : entry.author) === author) ?? auditModels([]);
  }, [author, authors, cards]);
  const charted = useMemo(
    () =>
      summary.models
        .filter((model) => model.columns[column].cards > 0)
        .sort((a, b) => (winRate(b.columns[column]) ?? 0) - (winRate(a.columns[column]) ?? 0) || b.columns[column].cards - a.columns[column].cards || a.model.localeCompare(b.model)),
    [summary, column],
  );
  const unmeasured = summary.models.filter((model) => model.columns[column].cards === 0);

  if (!rows || !complete) return <p className="muted audit-status">Reading the saved cards…</p>;

  const who = author === ALL_AUTHORS ? '' : ` by ${authorName(author === NO_AUTHOR ? null : author)}`;
  return (
    <section className="audit-view" aria-labelledby={headingId} data-testid="library-audit" data-counted={summary.counted} data-cards={summary.cards}>
      <header className="audit-header">
        <h2 id={headingId}>Model audit</h2>
        <p className="audit-summary" data-testid="audit-summary">
          <strong>{plural(summary.counted, 'controlled comparison')}</strong> of {plural(summary.cards, 'saved card')}
          {who} count: two labelled models, and the engine found both panels to show the same setup. {exclusionsText(summary)}
        </p>
      </header>

      <div className="audit-controls">
        <div className="segmented" role="radiogroup" aria-label="What to compare">
          {AUDIT_COLUMNS.map((option) => (
            <label key={option} className={option === column ? 'on' : undefined}>
              <input type="radio" name="audit-column" value={option} checked={option === column} onChange={() => setColumn(option)} />
              {COLUMN_NAMES[option].tab}
            </label>
          ))}
        </div>
        <label className="audit-author">
          Author
          <select value={author} onChange={(event) => setAuthor(event.target.value)}>
            <option value={ALL_AUTHORS}>All authors</option>
            {authors.map((entry) => (
              <option key={entry.author ?? NO_AUTHOR} value={entry.author ?? NO_AUTHOR}>
                {authorName(entry.author)} ({entry.counted})
              </option>
            ))}
          </select>
        </label>
      </div>

      {summary.counted === 0 ? (
        <p className="audit-empty" data-testid="audit-empty">
          No controlled comparison between two labelled models {summary.cards ? 'among these cards' : 'yet'}: save cards whose panels show the same setup and carry model labels (on the card or in the post), and
          their wins appear here.
        </p>
      ) : (
        <figure className="audit-figure-block" ref={figure}>
          <figcaption>
            Share of {plural(summary.counted, 'controlled comparison')}
            {who} each model won on {COLUMN_NAMES[column].phrase}
            {column === 'overall' ? ' (the card’s verdict; “no winner” when it was too close or mixed)' : ` (a win is ${AUDIT_CLEAR_GAP} or more points ahead; closer is even)`}.
          </figcaption>
          <div className="audit-legend" aria-hidden="true">
            <span className="key won" /> won <span className="key even" /> {column === 'overall' ? 'no winner' : 'even'} <span className="key lost" /> lost
          </div>
          {charted.length > 0 ? (
            <AuditChart models={charted} column={column} columnName={COLUMN_NAMES[column].phrase} tableId={tableId} width={chartWidth} />
          ) : (
            <p className="muted">No counted card has {COLUMN_NAMES[column].phrase} on both panels.</p>
          )}
          {charted.length > 0 && unmeasured.length > 0 && (
            <p className="muted audit-note">
              Not measured on both panels of any counted card: {unmeasured.map((model) => model.model).join(', ')}.
            </p>
          )}
        </figure>
      )}

      {summary.counted > 0 && (
        <div className="audit-table-wrap">
          <table className="audit-table" id={tableId} data-testid="audit-table">
            <caption>
              Wins per model{who}: won of the cards behind the figure (win rate), then lost and even. Overall is the card’s verdict; a signal counts a card only when both panels have it.
            </caption>
            <thead>
              <tr>
                <th scope="col">Model</th>
                {AUDIT_COLUMNS.map((option) => (
                  <th key={option} scope="col" className={option === column ? 'current' : undefined}>
                    {COLUMN_NAMES[option].tab}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {summary.models.map((model) => (
                <tr key={model.model} data-model={model.model}>
                  <th scope="row">
                    {model.model}
                    {model.spellings.length > 0 && <span className="spellings"> also written {model.spellings.join(', ')}</span>}
                  </th>
                  {AUDIT_COLUMNS.map((option) => (
                    <TallyCell key={option} model={model} column={option} current={option === column} />
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {authors.length > 0 && (
        <div className="audit-table-wrap">
          <table className="audit-table audit-authors" data-testid="audit-authors">
            <caption>By author: each author’s saved cards, the controlled comparisons among them, and the model that won most of those.</caption>
            <thead>
              <tr>
                <th scope="col">Author</th>
                <th scope="col">Saved cards</th>
                <th scope="col">Counted</th>
                <th scope="col">Most wins</th>
                <th scope="col">
                  <span className="visually-hidden">Show</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {authors.map((entry) => {
                const value = entry.author ?? NO_AUTHOR;
                return (
                  <tr key={value} data-author={entry.author ?? ''}>
                    <th scope="row">{authorName(entry.author)}</th>
                    <td>{entry.cards}</td>
                    <td>{entry.counted}</td>
                    <td>{leader(entry)}</td>
                    <td>
                      <button type="button" onClick={() => setAuthor(author === value ? ALL_AUTHORS : value)} aria-pressed={author === value} disabled={entry.counted === 0}>
                        {author === value ? 'Show all' : 'Chart'}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
