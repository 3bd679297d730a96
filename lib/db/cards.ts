import { liveQuery } from 'dexie';
import type { AnalysisResult } from '../engine/types';
import { deriveSearchFields, normalizeTags, searchTextOf } from '../library/derive';
import { applyQuery } from '../library/query';
import type { CardDraft, LibraryCard, LibraryQuery, SaveOutcome, SavedCard } from '../library/types';
import { isTransientWriteFailure, libraryError, toLibraryError } from './errors';
import type { LibraryDatabase } from './schema';

const WRITE_ATTEMPTS = 3;

/** Runs one write transaction, retrying transient failures; anything else becomes a typed LibraryError. */
async function writing<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= WRITE_ATTEMPTS || !isTransientWriteFailure(error)) throw toLibraryError(error, 'write');
      await new Promise((resolve) => setTimeout(resolve, 25 * attempt));
    }
  }
}

async function reading<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw toLibraryError(error, 'read');
  }
}

/**
 * 'save': the user saved this card (again): its analysis and post details replace the stored ones.
 * 'import': a card from an export: an existing card keeps its analysis and gains the import's tags,
 * notes only where it had none.
 */
export type SaveMode = 'save' | 'import';

interface PlannedWrite {
  card: LibraryCard;
  /** Null when the stored analysis and images stay as they are. */
  analysis: AnalysisResult | null;
  created: boolean;
}

function plannedWrite(existing: LibraryCard | undefined, draft: CardDraft, mode: SaveMode, now: number): PlannedWrite {
  const live = existing && !existing.deletedAt ? existing : undefined;
  const notes = live?.notes || draft.notes || '';
  const tags = normalizeTags([...(live?.tags ?? []), ...(draft.tags ?? [])]);
  if (live && mode === 'import') {
    // An import is no edit unless it brings notes or tags the card lacked.
    const unchanged = notes === live.notes && tags.join('\n') === live.tags.join('\n');
    const card = { ...live, notes, tags, updatedAt: unchanged ? live.updatedAt : now };
    return { card: { ...card, searchText: searchTextOf(card) }, analysis: null, created: false };
  }
  const analysis = { ...draft.analysis, hash: draft.hash };
  const post = {
    postUrl: draft.postUrl ?? live?.postUrl ?? null,
    pageUrl: draft.pageUrl || live?.pageUrl || '',
    site: draft.site || live?.site || '',
    author: draft.author ?? live?.author ?? null,
    postText: draft.postText ?? live?.postText ?? null,
  };
  const card: LibraryCard = {
    hash: draft.hash,
    mime: draft.mime,
    byteLength: draft.original.size,
    ...post,
    savedAt: live?.savedAt ?? draft.savedAt ?? now,
    updatedAt: mode === 'import' ? (draft.updatedAt ?? now) : now,
    notes,
    tags,
    deletedAt: 0,
    ...deriveSearchFields(analysis, post, notes, tags),
  };
  return { card, analysis, created: !live };
}

/** Saves cards, one transaction for all: a card whose bytes are already saved is updated, never duplicated. */
export async function saveCards(database: LibraryDatabase, drafts: readonly CardDraft[], options: { mode?: SaveMode; now?: number } = {}): Promise<SaveOutcome[]> {
  const { mode = 'save', now = Date.now() } = options;
  const unique = [...new Map(drafts.map((draft) => [draft.hash, draft])).values()];
  // Read before the transaction: awaiting anything but IndexedDB inside it would end it.
  const thumbnails = await Promise.all(unique.map(async (draft) => ({ hash: draft.hash, bytes: new Uint8Array(await draft.thumbnail.arrayBuffer()), mime: draft.thumbnail.type })));
  const outcomes = await writing(() =>
    database.transaction('rw', [database.cards, database.analyses, database.originals, database.thumbnails], async () => {
      const existing = await database.cards.bulkGet(unique.map((draft) => draft.hash));
      const writes = unique.map((draft, index) => plannedWrite(existing[index], draft, mode, now));
      const rewritten = writes.flatMap((write, index) => (write.analysis ? [{ write, analysis: write.analysis, draft: unique[index], thumbnail: thumbnails[index] }] : []));
      await database.analyses.bulkPut(rewritten.map(({ write, analysis }) => ({ hash: write.card.hash, analysis })));
      await database.originals.bulkPut(rewritten.flatMap(({ draft }) => (draft ? [{ hash: draft.hash, blob: draft.original }] : [])));
      await database.thumbnails.bulkPut(rewritten.flatMap(({ thumbnail }) => (thumbnail ? [thumbnail] : [])));
      await database.cards.bulkPut(writes.map((write) => write.card));
      return new Map(writes.map((write) => [write.card.hash, { hash: write.card.hash, created: write.created }]));
    }),
  );
  return drafts.map((draft) => outcomes.get(draft.hash) ?? { hash: draft.hash, created: false });
}

export async function saveCard(database: LibraryDatabase, draft: CardDraft, options: { mode?: SaveMode; now?: number } = {}): Promise<SaveOutcome> {
  const [outcome] = await saveCards(database, [draft], options);
  if (!outcome) throw libraryError('write-failed');
  return outcome;
}

/** One card, live or deleted-but-undoable; undefined when there is none. */
export function getCard(database: LibraryDatabase, hash: string): Promise<LibraryCard | undefined> {
  return reading(() => database.cards.get(hash));
}

/** One card with its analysis. */
export function getSavedCard(database: LibraryDatabase, hash: string): Promise<SavedCard | undefined> {
  return reading(() =>
    database.transaction('r', [database.cards, database.analyses], async () => {
      const [card, stored] = await Promise.all([database.cards.get(hash), database.analyses.get(hash)]);
      return card && stored ? { ...card, analysis: stored.analysis } : undefined;
    }),
  );
}

export function getOriginal(database: LibraryDatabase, hash: string): Promise<Blob | undefined> {
  return reading(async () => (await database.originals.get(hash))?.blob);
}

/** Thumbnails for the tiles on screen, in one read. */
export function getThumbnails(database: LibraryDatabase, hashes: readonly string[]): Promise<Map<string, { bytes: Uint8Array; mime: string }>> {
  return reading(async () => {
    const rows = await database.thumbnails.bulkGet([...hashes]);
    return new Map(rows.flatMap((row) => (row ? [[row.hash, { bytes: row.bytes, mime: row.mime }] as const] : [])));
  });
}

/** The newest live cards: enough to paint the first screen of the grid before the whole library is read. */
export function newestLiveCards(database: LibraryDatabase, limit: number): Promise<LibraryCard[]> {
  return reading(() =>
    database.cards
      .orderBy('savedAt')
      .reverse()
      .filter((card) => !card.deletedAt)
      .limit(limit)
      .toArray(),
  );
}

/** Every live card (no image bytes), in no particular order. */
export function liveCards(database: LibraryDatabase): Promise<LibraryCard[]> {
  return reading(() => database.cards.where('deletedAt').equals(0).toArray());
}

/** Live cards matching a query, sorted; a label or site filter narrows the read through its index. */
export function listCards(database: LibraryDatabase, query: LibraryQuery = {}): Promise<LibraryCard[]> {
  return reading(async () => {
    const candidates = query.label
      ? await database.cards.where('labels').equalsIgnoreCase(query.label).distinct().toArray()
      : query.site
        ? await database.cards.where('site').equals(query.site).toArray()
        : await database.cards.where('deletedAt').equals(0).toArray();
    return applyQuery(candidates, query);
  });
}

export function countLiveCards(database: LibraryDatabase): Promise<number> {
  return reading(() => database.cards.where('deletedAt').equals(0).count());
}

/** Deletes cards so that they can be restored: they leave every list at once and are purged later. */
export function deleteCards(database: LibraryDatabase, hashes: readonly string[], now = Date.now()): Promise<number> {
  return writing(() =>
    database.cards
      .where('hash')
      .anyOf([...hashes])
      .filter((card) => !card.deletedAt)
      .modify({ deletedAt: now }),
  );
}

/** Undoes deleteCards for cards not purged yet; returns how many came back. */
export function restoreCards(database: LibraryDatabase, hashes: readonly string[]): Promise<number> {
  return writing(() =>
    database.cards
      .where('hash')
      .anyOf([...hashes])
      .filter((card) => card.deletedAt > 0)
      .modify({ deletedAt: 0 }),
  );
}

/** Removes deleted cards and their images for good: the given ones, or those deleted before a time. */
export function purgeDeleted(database: LibraryDatabase, which: { hashes: readonly string[] } | { deletedBefore: number }): Promise<number> {
  return writing(() =>
    database.transaction('rw', [database.cards, database.analyses, database.originals, database.thumbnails], async () => {
      const doomed = await ('hashes' in which
        ? database.cards.where('hash').anyOf([...which.hashes]).filter((card) => card.deletedAt > 0)
        : database.cards.where('deletedAt').between(1, which.deletedBefore, true, false)
      ).primaryKeys();
      await database.cards.bulkDelete(doomed);
      await database.analyses.bulkDelete(doomed);
      await database.originals.bulkDelete(doomed);
      await database.thumbnails.bulkDelete(doomed);
      return doomed.length;
    }),
  );
}

async function updateCard(database: LibraryDatabase, hash: string, change: (card: LibraryCard) => Pick<LibraryCard, 'notes' | 'tags'>, now: number): Promise<LibraryCard> {
  return writing(() =>
    database.transaction('rw', database.cards, async () => {
      const card = await database.cards.get(hash);
      if (!card || card.deletedAt) throw libraryError('not-found');
      const { notes, tags } = change(card);
      const updated: LibraryCard = { ...card, notes, tags, updatedAt: now };
      updated.searchText = searchTextOf(updated);
      await database.cards.put(updated);
      return updated;
    }),
  );
}

export function updateNotes(database: LibraryDatabase, hash: string, notes: string, now = Date.now()): Promise<LibraryCard> {
  return updateCard(database, hash, (card) => ({ notes, tags: card.tags }), now);
}

export function updateTags(database: LibraryDatabase, hash: string, tags: readonly string[], now = Date.now()): Promise<LibraryCard> {
  return updateCard(database, hash, (card) => ({ notes: card.notes, tags: normalizeTags(tags) }), now);
}

/**
 * Calls `onCards` with every live card now and again after any change, from this or another
 * extension context (Dexie relays changes over a BroadcastChannel). Returns the unsubscribe.
 */
export function watchLiveCards(database: LibraryDatabase, onCards: (cards: LibraryCard[]) => void, onError: (error: Error) => void): () => void {
  const subscription = liveQuery(() => database.cards.where('deletedAt').equals(0).toArray()).subscribe({
    next: onCards,
    error: (error: unknown) => onError(toLibraryError(error, 'read')),
  });
  return () => subscription.unsubscribe();
}
