import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import type { AnalysisResult } from '@/lib/engine/types';
import { applyQuery, libraryFacets } from '@/lib/library/query';
import type { LibraryCard, LibraryQuery } from '@/lib/library/types';
import { AuditView } from './AuditView';
import { CardDetail } from './CardDetail';
import { CardTile } from './CardTile';
import { LibraryToolbar } from './LibraryToolbar';
import { VirtualGrid } from './VirtualGrid';

export interface ImportSummary {
  added: number;
  updated: number;
  /** One line per card left out, saying why. */
  skipped: string[];
}

export interface AddedImage {
  name: string;
  /** `not-a-comparison`: two files that are not one comparison card; nothing was saved, `message` says why. */
  outcome: 'added' | 'updated' | 'failed' | 'not-a-comparison';
  message?: string;
}

/** What the library page can do; the page wires these to the database, the engine and downloads. */
export interface LibraryActions {
  loadThumbnail: (hash: string) => Promise<string | null>;
  loadAnalysis: (hash: string) => Promise<AnalysisResult>;
  renderAnnotated: (hash: string) => Promise<Blob>;
  loadOriginal: (hash: string) => Promise<Blob>;
  deleteCards: (hashes: string[]) => Promise<void>;
  restoreCards: (hashes: string[]) => Promise<void>;
  /** The undo window is over: remove these deleted cards for good. */
  purgeCards: (hashes: string[]) => Promise<void>;
  updateNotes: (hash: string, notes: string) => Promise<void>;
  updateTags: (hash: string, tags: string[]) => Promise<void>;
  /** Writes a ZIP of these cards and hands it to the browser's downloads. */
  exportCards: (hashes: string[], onProgress: (done: number, total: number) => void) => Promise<void>;
  importArchive: (file: File) => Promise<ImportSummary>;
  /** Analyses dropped or pasted images and saves them. */
  addImages: (files: File[]) => Promise<AddedImage[]>;
  /** Analyses two pictures as the two panels of one card (first on the left) and saves it. */
  addPair: (first: File, second: File) => Promise<AddedImage>;
}

export interface LibraryViewProps {
  /** Every live card; null while the first read is in flight. */
  cards: LibraryCard[] | null;
  /** False while `cards` holds only the newest ones (the first screen), before the whole library is read. */
  complete: boolean;
  /** Why the library cannot be shown (database blocked, unavailable…). */
  loadError: string | null;
  actions: LibraryActions;
}

interface Notice {
  id: number;
  text: string;
  kind: 'info' | 'error';
  /** Deleted cards this notice can bring back. */
  undo?: string[];
  /** When an undo notice lapses and its cards are purged. */
  expiresAt?: number;
}

const UNDO_WINDOW_MS = 10_000;
/** Plain confirmations fade after this long; errors stay until dismissed. */
const INFO_NOTICE_MS = 15_000;
const TILE = { minColumnWidth: 168, rowHeight: 236, gap: 12 };

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function isArchive(file: File): boolean {
  return /zip/.test(file.type) || /\.zip$/i.test(file.name);
}

/** The library: search, filters and sort over a virtualised grid, a detail view, export, import, and drop-to-add. */
export function LibraryView({ cards, complete, loadError, actions }: LibraryViewProps) {
  const [query, setQuery] = useState<LibraryQuery>({ sort: 'savedAt', direction: 'desc' });
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [detailHash, setDetailHash] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [notices, setNotices] = useState<Notice[]>([]);
  const [dragging, setDragging] = useState(false);
  const [tab, setTab] = useState<'cards' | 'audit'>('cards');
  /** Two images dropped or pasted together: one comparison card, or two images? */
  const [pendingPair, setPendingPair] = useState<[File, File] | null>(null);
  const nextNotice = useRef(1);
  const importInput = useRef<HTMLInputElement>(null);
  const imageInput = useRef<HTMLInputElement>(null);

  const all = useMemo(() => cards ?? [], [cards]);
  const visible = useMemo(() => applyQuery(all, query), [all, query]);
  const facets = useMemo(() => libraryFacets(all), [all]);
  const byHash = useMemo(() => new Map(all.map((card) => [card.hash, card])), [all]);
  const detail = detailHash ? byHash.get(detailHash) : undefined;
  const selectedLive = useMemo(() => [...selected].filter((hash) => byHash.has(hash)), [selected, byHash]);

  const notify = useCallback((text: string, kind: Notice['kind'] = 'info', undo?: string[]) => {
    setNotices((current) => [...current, { id: nextNotice.current++, text, kind, undo, expiresAt: undo ? Date.now() + UNDO_WINDOW_MS : kind === 'info' ? Date.now() + INFO_NOTICE_MS : undefined }]);
  }, []);

  const dismiss = useCallback(
    (notice: Notice, purge: boolean) => {
      setNotices((current) => current.filter((other) => other.id !== notice.id));
      if (purge && notice.undo) actions.purgeCards(notice.undo).catch((error: unknown) => notify(describeError(error), 'error'));
    },
    [actions, notify],
  );

  // Undo notices expire (and their cards are purged), confirmations fade; errors stay until dismissed.
  useEffect(() => {
    const timers = notices.flatMap((notice) => (notice.expiresAt ? [setTimeout(() => dismiss(notice, true), Math.max(0, notice.expiresAt - Date.now()))] : []));
    return () => timers.forEach(clearTimeout);
  }, [notices, dismiss]);

  const toggleSelected = useCallback((hash: string) => {
    setSelected((current) => {
      const next = new Set(current);
      if (!next.delete(hash)) next.add(hash);
      return next;
    });
  }, []);

  async function remove(hashes: string[]): Promise<void> {
    try {
      await actions.deleteCards(hashes);
    } catch (error) {
      notify(describeError(error), 'error');
      return;
    }
    setSelected((current) => new Set([...current].filter((hash) => !hashes.includes(hash))));
    if (detailHash && hashes.includes(detailHash)) setDetailHash(null);
    notify(`Deleted ${plural(hashes.length, 'card')}.`, 'info', hashes);
  }

  async function undo(notice: Notice): Promise<void> {
    dismiss(notice, false);
    try {
      await actions.restoreCards(notice.undo ?? []);
      notify(`Restored ${plural(notice.undo?.length ?? 0, 'card')}.`);
    } catch (error) {
      notify(describeError(error), 'error');
    }
  }

  // Focus goes back to the tile the detail view was opened from (when it is still on screen).
  function closeDetail(): void {
    const hash = detailHash;
    setDetailHash(null);
    if (hash) requestAnimationFrame(() => document.querySelector<HTMLElement>(`.tile[data-hash="${hash}"] .tile-open`)?.focus());
  }

  async function exportCards(hashes: string[]): Promise<void> {
    if (!hashes.length) return;
    setBusy(`Exporting ${plural(hashes.length, 'card')}…`);
    try {
      await actions.exportCards(hashes, (done, total) => setBusy(`Exporting: ${done} of ${total} cards…`));
      notify(`Exported ${plural(hashes.length, 'card')}.`);
    } catch (error) {
      notify(`Export failed: ${describeError(error)}`, 'error');
    } finally {
      setBusy(null);
    }
  }

  function reportAdded(added: AddedImage): void {
    if (added.outcome === 'not-a-comparison') notify(`${added.name} not saved as a comparison: ${added.message ?? 'they are not one comparison card.'} Nothing was saved; you can still add them as two separate images.`, 'error');
    else if (added.outcome === 'failed') notify(`${added.name} was not saved: ${added.message ?? 'unknown error'}`, 'error');
    else notify(`${added.name} ${added.outcome === 'added' ? 'added to' : 'updated in'} the library.`);
  }

  async function addPair([first, second]: [File, File]): Promise<void> {
    setPendingPair(null);
    setBusy(`Analysing ${first.name} and ${second.name} as one comparison…`);
    try {
      const added = await actions.addPair(first, second);
      reportAdded(added);
      // Not one comparison: the two files stay offered, so adding them as two images is one click.
      if (added.outcome === 'not-a-comparison') setPendingPair([first, second]);
    } finally {
      setBusy(null);
    }
  }

  async function addFiles(files: File[], options: { askPair?: boolean } = {}): Promise<void> {
    const archives = files.filter(isArchive);
    const images = files.filter((file) => !isArchive(file));
    const [first, second] = images;
    if (options.askPair !== false && !archives.length && images.length === 2 && first && second) {
      setPendingPair([first, second]);
      return;
    }
    for (const archive of archives) {
      setBusy(`Importing ${archive.name}…`);
      try {
        const summary = await actions.importArchive(archive);
        const skipped = summary.skipped.length ? ` Skipped ${plural(summary.skipped.length, 'card')}: ${summary.skipped.join('; ')}` : '';
        notify(`Imported ${archive.name}: ${summary.added} added, ${summary.updated} already in the library.${skipped}`, summary.skipped.length ? 'error' : 'info');
      } catch (error) {
        notify(`Import failed: ${describeError(error)}`, 'error');
      }
    }
    if (images.length) {
      setBusy(`Analysing ${plural(images.length, 'image')}…`);
      try {
        for (const added of await actions.addImages(images)) reportAdded(added);
      } catch (error) {
        notify(describeError(error), 'error');
      }
    }
    setBusy(null);
  }

  // Pasting an image anywhere but a text field adds it.
  useEffect(() => {
    const onPaste = (event: ClipboardEvent) => {
      const files = [...(event.clipboardData?.files ?? [])];
      if (!files.length) return;
      event.preventDefault();
      void addFiles(files);
    };
    document.addEventListener('paste', onPaste);
    return () => document.removeEventListener('paste', onPaste);
  });

  function onDrop(event: DragEvent<HTMLElement>): void {
    event.preventDefault();
    setDragging(false);
    void addFiles([...event.dataTransfer.files]);
  }

  const renderTile = useCallback(
    (card: LibraryCard) => <CardTile card={card} selected={selected.has(card.hash)} loadThumbnail={actions.loadThumbnail} onOpen={setDetailHash} onToggleSelected={toggleSelected} />,
    [selected, actions.loadThumbnail, toggleSelected],
  );

  return (
    <main
      className="library"
      data-dragging={dragging}
      onDragOver={(event) => {
        if (!event.dataTransfer.types.includes('Files')) return;
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(event) => {
        if (event.currentTarget === event.target) setDragging(false);
      }}
      onDrop={onDrop}
    >
      <header className="library-header">
        <h1>Library</h1>
        <span className="count" data-testid="library-count">
          {cards === null || !complete ? 'Loading…' : `${plural(visible.length, 'card')}${visible.length === all.length ? '' : ` of ${all.length}`}`}
        </span>
        <div className="library-actions">
          <button type="button" onClick={() => void exportCards(selectedLive)} disabled={!selectedLive.length || busy !== null}>
            Export selected ({selectedLive.length})
          </button>
          <button type="button" onClick={() => void exportCards(all.map((card) => card.hash))} disabled={!complete || !all.length || busy !== null}>
            Export all
          </button>
          <button type="button" onClick={() => importInput.current?.click()} disabled={busy !== null}>
            Import ZIP…
          </button>
          <button type="button" onClick={() => imageInput.current?.click()} disabled={busy !== null}>
            Add images…
          </button>
          {selectedLive.length > 0 && (
            <>
              <button type="button" className="danger" onClick={() => void remove(selectedLive)}>
                Delete selected
              </button>
              <button type="button" onClick={() => setSelected(new Set())}>
                Clear selection
              </button>
            </>
          )}
          {complete && visible.length > 0 && (
            <button type="button" onClick={() => setSelected(new Set(visible.map((card) => card.hash)))}>
              Select all shown
            </button>
          )}
          <input
            ref={importInput}
            type="file"
            accept=".zip,application/zip"
            hidden
            data-testid="library-import"
            onChange={(event) => {
              const files = [...(event.target.files ?? [])];
              event.target.value = '';
              void addFiles(files);
            }}
          />
          <input
            ref={imageInput}
            type="file"
            accept="image/*"
            multiple
            hidden
            data-testid="library-add-images"
            onChange={(event) => {
              const files = [...(event.target.files ?? [])];
              event.target.value = '';
              void addFiles(files);
            }}
          />
        </div>
      </header>
      <div className="tabs" role="tablist" aria-label="Library views">
        {(
          [
            ['cards', 'Cards'],
            ['audit', 'Model audit'],
          ] as const
        ).map(([value, name]) => (
          <button
            key={value}
            type="button"
            role="tab"
            id={`library-tab-${value}`}
            aria-selected={tab === value}
            aria-controls={`library-panel-${value}`}
            tabIndex={tab === value ? 0 : -1}
            onClick={() => setTab(value)}
            onKeyDown={(event) => {
              if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
              const next = tab === 'cards' ? 'audit' : 'cards';
              setTab(next);
              requestAnimationFrame(() => document.getElementById(`library-tab-${next}`)?.focus());
            }}
          >
            {name}
          </button>
        ))}
      </div>
      {tab === 'cards' && <LibraryToolbar query={query} facets={facets} onQueryChange={setQuery} />}
      <div className="notices" aria-live="polite">
        {busy && <p className="notice busy">{busy}</p>}
        {pendingPair && (
          <div className="notice pair-prompt" role="group" aria-label="Two images" data-testid="pair-prompt">
            <span>
              Two images: analyse them as the two panels of one comparison card (left: <strong>{pendingPair[0].name}</strong>, right: <strong>{pendingPair[1].name}</strong>),
              or as two separate images? Name the files after the models (e.g. nano-banana-pro.png) to label the panels.
            </span>
            <button type="button" className="primary" onClick={() => void addPair(pendingPair)} disabled={busy !== null}>
              One comparison card
            </button>
            <button type="button" onClick={() => setPendingPair([pendingPair[1], pendingPair[0]])}>
              Swap sides
            </button>
            <button
              type="button"
              onClick={() => {
                setPendingPair(null);
                void addFiles([...pendingPair], { askPair: false });
              }}
              disabled={busy !== null}
            >
              Two separate images
            </button>
            <button type="button" aria-label="Cancel" onClick={() => setPendingPair(null)}>
              ×
            </button>
          </div>
        )}
        {notices.map((notice) => (
          <p key={notice.id} className={`notice ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : undefined}>
            {notice.text}
            {notice.undo && (
              <button type="button" onClick={() => void undo(notice)}>
                Undo
              </button>
            )}
            <button type="button" aria-label="Dismiss" onClick={() => dismiss(notice, true)}>
              ×
            </button>
          </p>
        ))}
      </div>
      {loadError ? (
        <p className="error" role="alert">
          {loadError}
        </p>
      ) : tab === 'audit' ? (
        <div className="audit-scroll" role="tabpanel" id="library-panel-audit" aria-labelledby="library-tab-audit">
          <AuditView cards={cards} complete={complete} />
        </div>
      ) : (
        <div className="library-body" role="tabpanel" id="library-panel-cards" aria-labelledby="library-tab-cards">
          {complete && all.length === 0 && (
            <p className="empty">No saved cards yet. Save one with the Save button on a card in your feed, or drop or paste an image here to analyse and save it.</p>
          )}
          {complete && all.length > 0 && visible.length === 0 && <p className="empty">No saved card matches this search and these filters.</p>}
          <VirtualGrid
            items={visible}
            itemKey={(card) => card.hash}
            renderItem={renderTile}
            {...TILE}
            resetKey={JSON.stringify(query)}
            label="Saved cards"
            dataAttributes={{ 'data-testid': 'library-grid', 'data-count': visible.length, 'data-query': query.text ?? '' }}
          />
          {detail && (
            <CardDetail
              key={detail.hash}
              card={detail}
              loadAnalysis={actions.loadAnalysis}
              renderAnnotated={actions.renderAnnotated}
              loadOriginal={actions.loadOriginal}
              onClose={closeDetail}
              onDelete={(hash) => void remove([hash])}
              onNotesChange={actions.updateNotes}
              onTagsChange={actions.updateTags}
            />
          )}
        </div>
      )}
      {dragging && (
        <div className="drop-hint" aria-hidden="true">
          Drop images to analyse and save them, or a Sidelight ZIP to import it
        </div>
      )}
    </main>
  );
}
