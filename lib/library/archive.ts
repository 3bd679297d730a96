import { Zip, ZipDeflate, ZipPassThrough, strFromU8, strToU8, unzipSync } from 'fflate';
import { sha256Hex } from '../engine/hash';
import { analysisResultProblems } from '../engine/schema';
import { RESULT_SCHEMA_VERSION, type AnalysisResult } from '../engine/types';
import { httpUrlOrNull, normalizeTags } from './derive';
import type { LibraryCard, PostInfo } from './types';

/**
 * The library's export: a ZIP holding one JSON index (below), each card's original image (so an
 * import restores the very same card, same hash) and its annotated PNG (for people, not for import).
 */
export const ARCHIVE_FORMAT = 'sidelight-library';
export const ARCHIVE_VERSION = 1;
export const ARCHIVE_INDEX_PATH = 'sidelight-library.json';

export interface ArchiveCard extends PostInfo {
  hash: string;
  mime: string;
  /** Path of the original image inside the ZIP. */
  original: string;
  /** Path of the annotated PNG inside the ZIP; null when the image could not be drawn. */
  annotated: string | null;
  savedAt: number;
  updatedAt: number;
  notes: string;
  tags: string[];
  analysis: AnalysisResult;
}

export interface ArchiveIndex {
  format: typeof ARCHIVE_FORMAT;
  version: typeof ARCHIVE_VERSION;
  /** The version of `analysis` (the `sidelight analyze --json` result schema). */
  resultSchemaVersion: number;
  exportedAt: string;
  cards: ArchiveCard[];
}

/** What an export reads per card besides its row: the analysis, the original bytes and the annotated PNG. */
export interface ArchiveContents {
  analysis: AnalysisResult;
  original: Uint8Array;
  annotatedPng: Uint8Array | null;
}

const EXTENSIONS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp', 'image/gif': 'gif', 'image/bmp': 'bmp', 'image/avif': 'avif' };

function slug(card: LibraryCard): string {
  const words = card.labels.length ? card.labels.join(' vs ') : card.file.replace(/\.[a-z0-9]+$/i, '');
  return words.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'card';
}

/**
 * Writes cards into a ZIP, one card at a time (images are stored, not recompressed), so a large
 * library is never held twice in memory. `load` reads a card's analysis and bytes and draws its annotated PNG.
 */
export async function writeArchive(
  cards: readonly LibraryCard[],
  load: (card: LibraryCard) => Promise<ArchiveContents>,
  options: { exportedAt?: Date; signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<Blob> {
  const chunks: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else chunks.push(chunk);
  });
  const addFile = (path: string, bytes: Uint8Array, compress: boolean) => {
    const file = compress ? new ZipDeflate(path, { level: 6 }) : new ZipPassThrough(path);
    zip.add(file);
    file.push(bytes, true);
  };

  const index: ArchiveIndex = { format: ARCHIVE_FORMAT, version: ARCHIVE_VERSION, resultSchemaVersion: RESULT_SCHEMA_VERSION, exportedAt: (options.exportedAt ?? new Date()).toISOString(), cards: [] };
  for (const [done, card] of cards.entries()) {
    options.signal?.throwIfAborted();
    const contents = await load(card);
    const original = `originals/${card.hash}.${EXTENSIONS[card.mime] ?? 'bin'}`;
    const annotated = contents.annotatedPng ? `annotated/${slug(card)}-${card.hash.slice(0, 12)}.png` : null;
    addFile(original, contents.original, false);
    if (annotated && contents.annotatedPng) addFile(annotated, contents.annotatedPng, false);
    index.cards.push({
      hash: card.hash,
      mime: card.mime,
      original,
      annotated,
      postUrl: card.postUrl,
      pageUrl: card.pageUrl,
      site: card.site,
      author: card.author,
      postText: card.postText,
      savedAt: card.savedAt,
      updatedAt: card.updatedAt,
      notes: card.notes,
      tags: card.tags,
      analysis: contents.analysis,
    });
    options.onProgress?.(done + 1, cards.length);
  }
  addFile(ARCHIVE_INDEX_PATH, strToU8(JSON.stringify(index, null, 2)), true);
  zip.end();
  if (failure) throw failure;
  return new Blob(chunks as Uint8Array<ArrayBuffer>[], { type: 'application/zip' });
}

export interface ArchiveEntry {
  card: ArchiveCard;
  original: Uint8Array;
}

export interface ReadArchive {
  entries: ArchiveEntry[];
  /** One line per card left out, saying why. */
  skipped: string[];
}

export class ArchiveError extends Error {
  override readonly name = 'ArchiveError';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const finiteOr = (value: unknown, fallback: number): number => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);

function cardProblems(value: Record<string, unknown>): string | null {
  if (typeof value.hash !== 'string' || !/^[0-9a-f]{64}$/.test(value.hash)) return 'no valid hash';
  if (typeof value.original !== 'string') return 'no original image path';
  if (typeof value.mime !== 'string') return 'no image type';
  const problems = analysisResultProblems(value.analysis, 'analysis');
  return problems.length ? `analysis does not match the result schema (${problems.slice(0, 3).join(', ')})` : null;
}

/**
 * Reads an export back: checks the index's format and version, each card's analysis against the
 * result schema, and that each original image's bytes still hash to the card's hash. Cards that
 * fail are skipped and reported; a file that is not a Sidelight export at all throws ArchiveError.
 */
export async function readArchive(zipBytes: Uint8Array): Promise<ReadArchive> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zipBytes);
  } catch (error) {
    throw new ArchiveError(`This file is not a ZIP archive (${error instanceof Error ? error.message : 'unreadable'}).`);
  }
  const indexBytes = files[ARCHIVE_INDEX_PATH];
  if (!indexBytes) throw new ArchiveError(`This ZIP is not a Sidelight library export: it has no ${ARCHIVE_INDEX_PATH}.`);
  let index: unknown;
  try {
    index = JSON.parse(strFromU8(indexBytes));
  } catch {
    throw new ArchiveError(`${ARCHIVE_INDEX_PATH} is not valid JSON.`);
  }
  if (!isRecord(index) || index.format !== ARCHIVE_FORMAT || !Array.isArray(index.cards)) throw new ArchiveError('This ZIP is not a Sidelight library export.');
  if (typeof index.version !== 'number' || index.version > ARCHIVE_VERSION) {
    throw new ArchiveError(`This export was made by a newer Sidelight (format version ${String(index.version)}); update Sidelight to import it.`);
  }

  const entries: ArchiveEntry[] = [];
  const skipped: string[] = [];
  for (const [position, raw] of index.cards.entries()) {
    const where = `card ${position + 1}`;
    if (!isRecord(raw)) {
      skipped.push(`${where}: not an object`);
      continue;
    }
    const problem = cardProblems(raw);
    if (problem) {
      skipped.push(`${where}: ${problem}`);
      continue;
    }
    const hash = raw.hash as string;
    const original = files[raw.original as string];
    if (!original) {
      skipped.push(`${where} (${hash.slice(0, 12)}): its image ${String(raw.original)} is missing from the ZIP`);
      continue;
    }
    if ((await sha256Hex(original)) !== hash) {
      skipped.push(`${where} (${hash.slice(0, 12)}): its image does not match its hash (changed or damaged)`);
      continue;
    }
    const savedAt = finiteOr(raw.savedAt, Date.now());
    entries.push({
      original,
      card: {
        hash,
        mime: raw.mime as string,
        original: raw.original as string,
        annotated: stringOrNull(raw.annotated),
        postUrl: httpUrlOrNull(stringOrNull(raw.postUrl)),
        pageUrl: stringOrNull(raw.pageUrl) ?? '',
        site: stringOrNull(raw.site) ?? '',
        author: stringOrNull(raw.author),
        postText: stringOrNull(raw.postText),
        savedAt,
        updatedAt: finiteOr(raw.updatedAt, savedAt),
        notes: stringOrNull(raw.notes) ?? '',
        tags: normalizeTags(Array.isArray(raw.tags) ? raw.tags.filter((tag): tag is string => typeof tag === 'string') : []),
        analysis: { ...(raw.analysis as AnalysisResult), hash },
      },
    });
  }
  return { entries, skipped };
}
