import { Unzip, UnzipInflate, Zip, ZipDeflate, ZipPassThrough, strFromU8, strToU8 } from 'fflate';
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

export interface StreamedArchive {
  /** Cards handed to `onBatch`. */
  read: number;
  /** One line per card left out, saying why. */
  skipped: string[];
}

/** A ZIP as a Blob (a File the user picked: read in chunks, never whole) or bytes already in memory. */
export type ArchiveSource = Blob | Uint8Array;

/** The index is JSON text about the cards: larger than this is no export of ours (and would exhaust memory). */
export const MAX_INDEX_BYTES = 256 * 1024 * 1024;
/** No saved image is this large (the background refuses to fetch anything over 40 MB). */
export const MAX_ORIGINAL_BYTES = 64 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;
const ZIP_SIGNATURES = [
  [0x50, 0x4b, 0x03, 0x04],
  [0x50, 0x4b, 0x05, 0x06],
];

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

/** The source's bytes in chunks, in order. */
async function* chunksOf(source: ArchiveSource): AsyncGenerator<Uint8Array> {
  if (source instanceof Uint8Array) {
    for (let offset = 0; offset < source.length; offset += CHUNK_BYTES) yield source.subarray(offset, offset + CHUNK_BYTES);
    return;
  }
  const reader = source.stream().getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      // Some sources hand over the whole file as one chunk (Node's Blob): cut it up so batches still flow.
      for (let offset = 0; offset < value.length; offset += CHUNK_BYTES) yield value.subarray(offset, offset + CHUNK_BYTES);
    }
  } finally {
    reader.releaseLock();
  }
}

async function startsLikeZip(source: ArchiveSource): Promise<boolean> {
  const head = source instanceof Uint8Array ? source.subarray(0, 4) : new Uint8Array(await source.slice(0, 4).arrayBuffer());
  return ZIP_SIGNATURES.some((signature) => signature.every((byte, index) => head[index] === byte));
}

function damaged(error: unknown): ArchiveError {
  return new ArchiveError(`This ZIP archive is damaged (${error instanceof Error ? error.message : 'unreadable'}).`);
}

/**
 * One pass over the ZIP: `want` picks the entries to decompress (the others are skipped, not
 * inflated); each finished one goes to `onFile`, which may be async: the next chunk is read only
 * after it settles, so at most one chunk plus the files being collected sit in memory.
 */
async function scanArchive(
  source: ArchiveSource,
  want: (path: string) => number | null,
  onFile: (path: string, bytes: Uint8Array) => Promise<void> | void,
  signal?: AbortSignal,
): Promise<void> {
  const finished: { path: string; bytes: Uint8Array }[] = [];
  let failure: unknown = null;
  const unzip = new Unzip((file) => {
    const limit = want(file.name);
    if (limit === null) return;
    const parts: Uint8Array[] = [];
    let size = 0;
    file.ondata = (error, data, final) => {
      if (failure) return;
      if (error) {
        failure = error;
        return;
      }
      size += data.length;
      if (size > limit) {
        failure = new ArchiveError(`${file.name} in this ZIP is larger than any Sidelight export holds.`);
        file.terminate();
        return;
      }
      parts.push(data);
      if (final) {
        const bytes = parts.length === 1 && parts[0] ? parts[0] : new Uint8Array(size);
        if (parts.length !== 1) {
          let offset = 0;
          for (const part of parts) {
            bytes.set(part, offset);
            offset += part.length;
          }
        }
        finished.push({ path: file.name, bytes });
      }
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  const drain = async () => {
    if (failure) throw failure instanceof ArchiveError ? failure : damaged(failure);
    while (finished.length) {
      const next = finished.shift();
      if (next) await onFile(next.path, next.bytes);
    }
  };
  let pending: Uint8Array | null = null;
  for await (const chunk of chunksOf(source)) {
    signal?.throwIfAborted();
    // Hold one chunk back so the last push can say it is the last.
    if (pending) {
      try {
        unzip.push(pending, false);
      } catch (error) {
        throw damaged(error);
      }
      await drain();
    }
    pending = chunk;
  }
  try {
    unzip.push(pending ?? new Uint8Array(0), true);
  } catch (error) {
    throw damaged(error);
  }
  await drain();
}

interface PlannedCard {
  position: number;
  card: ArchiveCard;
}

/** The index's cards that pass the checks, by the path of their original image; the others, said why. */
interface Skip {
  position: number;
  text: string;
}

function planImport(index: Record<string, unknown> & { cards: unknown[] }): { byPath: Map<string, PlannedCard[]>; skipped: Skip[] } {
  const byPath = new Map<string, PlannedCard[]>();
  const skipped: Skip[] = [];
  for (const [position, raw] of index.cards.entries()) {
    const where = `card ${position + 1}`;
    if (!isRecord(raw)) {
      skipped.push({ position, text: `${where}: not an object` });
      continue;
    }
    const problem = cardProblems(raw);
    if (problem) {
      skipped.push({ position, text: `${where}: ${problem}` });
      continue;
    }
    const hash = raw.hash as string;
    const savedAt = finiteOr(raw.savedAt, Date.now());
    const card: ArchiveCard = {
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
    };
    const planned = byPath.get(card.original) ?? [];
    planned.push({ position, card });
    byPath.set(card.original, planned);
  }
  return { byPath, skipped };
}

/**
 * Reads an export back in two streamed passes, so a large library never sits in memory whole:
 * the first decompresses only the JSON index and checks its format and version and each card's
 * analysis against the result schema; the second decompresses each card's original image, checks
 * that it still hashes to the card's hash, and hands the cards to `onBatch` a batch at a time
 * (the next is read once a batch is saved). Cards that fail are skipped and reported; a file that
 * is not a Sidelight export at all throws ArchiveError.
 */
export async function streamArchive(
  source: ArchiveSource,
  onBatch: (entries: ArchiveEntry[]) => Promise<void>,
  options: { batchSize?: number; signal?: AbortSignal } = {},
): Promise<StreamedArchive> {
  const { batchSize = 25, signal } = options;
  if (!(await startsLikeZip(source))) throw new ArchiveError('This file is not a ZIP archive.');

  let indexBytes: Uint8Array | null = null;
  await scanArchive(
    source,
    (path) => (path === ARCHIVE_INDEX_PATH && !indexBytes ? MAX_INDEX_BYTES : null),
    (_path, bytes) => {
      indexBytes ??= bytes;
    },
    signal,
  );
  if (!indexBytes) throw new ArchiveError(`This ZIP is not a Sidelight library export: it has no ${ARCHIVE_INDEX_PATH}.`);
  let index: unknown;
  try {
    index = JSON.parse(strFromU8(indexBytes));
  } catch {
    throw new ArchiveError(`${ARCHIVE_INDEX_PATH} is not valid JSON.`);
  }
  indexBytes = null;
  if (!isRecord(index) || index.format !== ARCHIVE_FORMAT || !Array.isArray(index.cards)) throw new ArchiveError('This ZIP is not a Sidelight library export.');
  if (typeof index.version !== 'number' || index.version > ARCHIVE_VERSION) {
    throw new ArchiveError(`This export was made by a newer Sidelight (format version ${String(index.version)}); update Sidelight to import it.`);
  }

  const { byPath, skipped: problems } = planImport(index as Record<string, unknown> & { cards: unknown[] });
  let batch: ArchiveEntry[] = [];
  let read = 0;
  const flush = async () => {
    if (!batch.length) return;
    const entries = batch;
    batch = [];
    await onBatch(entries);
    read += entries.length;
  };
  await scanArchive(
    source,
    (path) => (byPath.has(path) ? MAX_ORIGINAL_BYTES : null),
    async (path, original) => {
      const planned = byPath.get(path) ?? [];
      byPath.delete(path); // a path listed twice in the ZIP is read once
      const hash = await sha256Hex(original);
      for (const { position, card } of planned) {
        if (hash !== card.hash) problems.push({ position, text: `card ${position + 1} (${card.hash.slice(0, 12)}): its image does not match its hash (changed or damaged)` });
        else batch.push({ card, original });
      }
      if (batch.length >= batchSize) await flush();
    },
    signal,
  );
  await flush();
  for (const planned of byPath.values()) {
    for (const { position, card } of planned) problems.push({ position, text: `card ${position + 1} (${card.hash.slice(0, 12)}): its image ${card.original} is missing from the ZIP` });
  }
  problems.sort((a, b) => a.position - b.position);
  return { read, skipped: problems.map((problem) => problem.text) };
}

/** Reads a whole export into memory: every card that passes the checks, and why the others did not. */
export async function readArchive(source: ArchiveSource): Promise<ReadArchive> {
  const entries: ArchiveEntry[] = [];
  const { skipped } = await streamArchive(source, async (batch) => {
    entries.push(...batch);
  });
  return { entries, skipped };
}
