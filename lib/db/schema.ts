import { Dexie, type EntityTable, type Transaction } from 'dexie';
import { cardPanels, deriveSearchFields, normalizeTags } from '../library/derive';
import type { AnalysisResult } from '../engine/types';
import type { CardSearchFields, LibraryCard } from '../library/types';
import { libraryError, toLibraryError } from './errors';

export const LIBRARY_DB_NAME = 'sidelight-library';

/** A card's original image bytes, read only to draw, export or re-analyse it. */
export interface StoredOriginal {
  hash: string;
  blob: Blob;
}

/**
 * A card's thumbnail as plain bytes, not a Blob: the grid shows it through a data: URL, because
 * URL.createObjectURL on a Blob read from IndexedDB costs milliseconds of main thread per tile.
 */
export interface StoredThumbnail {
  hash: string;
  bytes: Uint8Array;
  mime: string;
}

export interface StoredAnalysis {
  hash: string;
  analysis: AnalysisResult;
}

/** A card row as schema version 1 stored it: the analysis inline, no derived fields. */
type VersionOneCard = Omit<LibraryCard, keyof CardSearchFields | 'deletedAt'> & Partial<LibraryCard> & { analysis?: AnalysisResult };

/**
 * Schema versions, oldest first. Never edit a released one: add a version with an upgrade.
 * 1: cards (metadata with the analysis JSON inline), originals, thumbnails.
 * 2: the analysis moves to its own table, so listing cards reads small rows; cards gain derived
 *    search fields (labels, verdict, controlled, scores, searchText) and soft delete (deletedAt),
 *    with indexes for label, tag and live-card lookups.
 * 3: cards gain `panels` (each panel's label and scores), so the model audit works from the card
 *    rows the page already holds instead of reading every analysis. No index changes.
 */
const VERSIONS = [
  { version: 1, stores: { cards: 'hash, savedAt, site', originals: 'hash', thumbnails: 'hash' } },
  {
    version: 2,
    stores: { cards: 'hash, savedAt, updatedAt, site, deletedAt, *labels, *tags', analyses: 'hash' },
    upgrade: async (transaction: Transaction) => {
      const moved: StoredAnalysis[] = [];
      await transaction
        .table<VersionOneCard, string>('cards')
        .toCollection()
        .modify((card) => {
          const analysis = card.analysis;
          if (!analysis) return;
          moved.push({ hash: card.hash, analysis });
          const tags = normalizeTags(card.tags ?? []);
          const notes = card.notes ?? '';
          Object.assign(card, deriveSearchFields(analysis, card, notes, tags), { tags, notes, deletedAt: 0 });
          delete card.analysis;
        });
      await transaction.table<StoredAnalysis, string>('analyses').bulkPut(moved);
    },
  },
  {
    version: 3,
    stores: { cards: 'hash, savedAt, updatedAt, site, deletedAt, *labels, *tags', analyses: 'hash' },
    upgrade: async (transaction: Transaction) => {
      const analyses = new Map((await transaction.table<StoredAnalysis, string>('analyses').toArray()).map((stored) => [stored.hash, stored.analysis]));
      await transaction
        .table<LibraryCard, string>('cards')
        .toCollection()
        .modify((card) => {
          const analysis = analyses.get(card.hash);
          card.panels = analysis ? cardPanels(analysis) : [];
        });
    },
  },
] as const;

export const LIBRARY_SCHEMA_VERSION = VERSIONS.length;
export type LibrarySchemaVersion = 1 | 2 | 3;

export class LibraryDatabase extends Dexie {
  declare cards: EntityTable<LibraryCard, 'hash'>;
  declare analyses: EntityTable<StoredAnalysis, 'hash'>;
  declare originals: EntityTable<StoredOriginal, 'hash'>;
  declare thumbnails: EntityTable<StoredThumbnail, 'hash'>;

  constructor(name: string, upToVersion: LibrarySchemaVersion, dependencies?: { indexedDB: IDBFactory; IDBKeyRange: typeof IDBKeyRange }) {
    super(name, dependencies);
    for (const step of VERSIONS.slice(0, upToVersion)) {
      const version = this.version(step.version).stores(step.stores);
      if ('upgrade' in step) version.upgrade(step.upgrade);
    }
  }
}

export interface OpenLibraryOptions {
  name?: string;
  /** Older schema versions exist so tests can build a database the way a previous release did. */
  schemaVersion?: LibrarySchemaVersion;
  dependencies?: { indexedDB: IDBFactory; IDBKeyRange: typeof IDBKeyRange };
}

/**
 * Opens (creating or upgrading) the library database. An upgrade that another open tab blocks
 * is given up at once with a 'blocked' LibraryError rather than hanging: the old data stays
 * as it was, and the next open retries the upgrade.
 */
export async function openLibrary({ name = LIBRARY_DB_NAME, schemaVersion = LIBRARY_SCHEMA_VERSION, dependencies }: OpenLibraryOptions = {}): Promise<LibraryDatabase> {
  const database = new LibraryDatabase(name, schemaVersion, dependencies);
  let blocked = false;
  database.on('blocked', () => {
    blocked = true;
    database.close();
  });
  try {
    await database.open();
  } catch (error) {
    throw blocked ? libraryError('blocked', error) : toLibraryError(error, 'open');
  }
  return database;
}
