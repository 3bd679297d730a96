import 'fake-indexeddb/auto';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getCard, getSavedCard, liveCards, saveCards } from '../../lib/db/cards';
import { openLibrary, type LibraryDatabase } from '../../lib/db/schema';
import { sha256Hex } from '../../lib/engine/hash';
import { ARCHIVE_INDEX_PATH, ArchiveError, readArchive, streamArchive, writeArchive, type ArchiveEntry, type ArchiveIndex } from '../../lib/library/archive';
import { LibraryError } from '../../lib/db/errors';
import type { CardDraft, LibraryCard } from '../../lib/library/types';
import { sampleDraft } from './library-fixtures';

/** Cards whose hashes really are the SHA-256 of their "image" bytes, as saved cards' are. */
async function realCards(count: number): Promise<{ drafts: CardDraft[]; bytes: Map<string, Uint8Array> }> {
  const drafts: CardDraft[] = [];
  const bytes = new Map<string, Uint8Array>();
  for (let index = 0; index < count; index++) {
    const image = strToU8(`image bytes ${index}`);
    const hash = await sha256Hex(image);
    bytes.set(hash, image);
    drafts.push({ ...sampleDraft({ hash, labels: ['Model A', `Model ${index}`], winner: 0, notes: `note ${index}`, tags: ['set'] }), original: new Blob([image]) });
  }
  return { drafts, bytes };
}

async function exportOf(database: LibraryDatabase, cards: LibraryCard[], bytes: Map<string, Uint8Array>): Promise<Uint8Array> {
  const blob = await writeArchive(
    cards,
    async (card) => {
      const saved = await getSavedCard(database, card.hash);
      if (!saved) throw new Error(`missing ${card.hash}`);
      return { analysis: saved.analysis, original: bytes.get(card.hash) ?? new Uint8Array(), annotatedPng: strToU8(`png of ${card.hash}`) };
    },
    { exportedAt: new Date('2026-11-26T12:00:00Z') },
  );
  return new Uint8Array(await blob.arrayBuffer());
}

describe('library export and import', () => {
  it('writes one schema-versioned JSON, the originals and the annotated PNGs', async () => {
    const database = await openLibrary({ name: 'archive-write' });
    const { drafts, bytes } = await realCards(2);
    await saveCards(database, drafts);
    const files = unzipSync(await exportOf(database, await liveCards(database), bytes));
    const index = JSON.parse(strFromU8(files[ARCHIVE_INDEX_PATH]!)) as ArchiveIndex;
    expect(index).toMatchObject({ format: 'sidelight-library', version: 1, resultSchemaVersion: 1, exportedAt: '2026-11-26T12:00:00.000Z' });
    expect(index.cards).toHaveLength(2);
    for (const card of index.cards) {
      expect(files[card.original]).toEqual(bytes.get(card.hash));
      expect(card.annotated).toMatch(/^annotated\/model-a-vs-model-\d-[0-9a-f]{12}\.png$/);
      expect(strFromU8(files[card.annotated!]!)).toBe(`png of ${card.hash}`);
    }
    database.close();
  });

  it('export → delete everything → import gives back the same cards, and importing twice adds nothing', async () => {
    const database = await openLibrary({ name: 'archive-roundtrip' });
    const { drafts, bytes } = await realCards(3);
    await saveCards(database, drafts, { now: 1234 });
    const before = await liveCards(database);
    const analyses = new Map(await Promise.all(before.map(async (card) => [card.hash, (await getSavedCard(database, card.hash))?.analysis] as const)));
    const zip = await exportOf(database, before, bytes);
    await Promise.all([database.cards.clear(), database.analyses.clear(), database.originals.clear(), database.thumbnails.clear()]);

    const read = await readArchive(zip);
    expect(read.skipped).toEqual([]);
    const importDrafts = (entries: typeof read.entries): CardDraft[] =>
      entries.map(({ card, original }) => ({ ...card, original: new Blob([original as Uint8Array<ArrayBuffer>], { type: card.mime }), thumbnail: new Blob(['thumb']) }));
    const first = await saveCards(database, importDrafts(read.entries), { mode: 'import', now: 9999 });
    expect(first.every((outcome) => outcome.created)).toBe(true);
    const second = await saveCards(database, importDrafts((await readArchive(zip)).entries), { mode: 'import', now: 10_000 });
    expect(second.some((outcome) => outcome.created)).toBe(false);

    const after = await liveCards(database);
    expect(after).toHaveLength(3);
    for (const card of before) {
      const restored = await getCard(database, card.hash);
      expect((await getSavedCard(database, card.hash))?.analysis).toEqual(analyses.get(card.hash));
      expect(analyses.get(card.hash)).toBeDefined();
      expect(restored).toMatchObject({ savedAt: 1234, updatedAt: 1234, notes: card.notes, tags: card.tags, labels: card.labels, author: card.author, postUrl: card.postUrl });
    }
    database.close();
  });

  it('skips cards whose image does not match their hash or whose analysis is malformed, and says why', async () => {
    const database = await openLibrary({ name: 'archive-bad-cards' });
    const { drafts, bytes } = await realCards(3);
    await saveCards(database, drafts);
    const files = unzipSync(await exportOf(database, await liveCards(database), bytes));
    const index = JSON.parse(strFromU8(files[ARCHIVE_INDEX_PATH]!)) as ArchiveIndex;
    const [tampered, malformed] = index.cards;
    files[tampered!.original] = strToU8('different bytes');
    (malformed!.analysis as unknown as Record<string, unknown>).verdict = 'B wins';
    files[ARCHIVE_INDEX_PATH] = strToU8(JSON.stringify(index));
    const read = await readArchive(zipSync(files));
    expect(read.entries).toHaveLength(1);
    expect(read.skipped).toEqual([expect.stringMatching(/^card 1 .*does not match its hash/), expect.stringMatching(/^card 2: analysis does not match the result schema \(analysis\.verdict\)/)]);
    database.close();
  });

  it.each<[string, Uint8Array, RegExp]>([
    ['a file that is not a ZIP', strToU8('hello'), /not a ZIP archive/],
    ['a ZIP without the index', zipSync({ 'photo.png': strToU8('x') }), /no sidelight-library\.json/],
    ['an index of another format', zipSync({ [ARCHIVE_INDEX_PATH]: strToU8('{"format":"other","cards":[]}') }), /not a Sidelight library export/],
    ['an export from a newer Sidelight', zipSync({ [ARCHIVE_INDEX_PATH]: strToU8('{"format":"sidelight-library","version":99,"cards":[]}') }), /newer Sidelight/],
  ])('refuses %s with a clear message', async (_label, zip, message) => {
    const failure = await readArchive(zip).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ArchiveError);
    expect((failure as Error).message).toMatch(message);
  });
});

/** Cards whose "images" are a few hundred kilobytes each, like real cards, with true hashes. */
async function largeCards(count: number, size = 300_000): Promise<{ drafts: CardDraft[]; bytes: Map<string, Uint8Array> }> {
  const drafts: CardDraft[] = [];
  const bytes = new Map<string, Uint8Array>();
  for (let index = 0; index < count; index++) {
    const image = new Uint8Array(size);
    for (let offset = 0; offset < size; offset++) image[offset] = (offset * 31 + index * 7) & 0xff;
    const hash = await sha256Hex(image);
    bytes.set(hash, image);
    drafts.push({ ...sampleDraft({ hash, labels: ['Nano Banana', `Model ${index}`], winner: 1, controlled: true }), original: new Blob([image]) });
  }
  return { drafts, bytes };
}

function toDrafts(entries: ArchiveEntry[]): CardDraft[] {
  return entries.map(({ card, original }) => ({ ...card, original: new Blob([original as Uint8Array<ArrayBuffer>], { type: card.mime }), thumbnail: new Blob(['thumb']) }));
}

describe('streamed import', () => {
  afterEach(() => vi.restoreAllMocks());

  it('reads a File in chunks and hands cards over a batch at a time, before the whole ZIP has been read again', async () => {
    const database = await openLibrary({ name: 'archive-stream' });
    const { drafts, bytes } = await largeCards(8);
    await saveCards(database, drafts);
    const zip = new Blob([(await exportOf(database, await liveCards(database), bytes)) as Uint8Array<ArrayBuffer>]);
    await Promise.all([database.cards.clear(), database.analyses.clear(), database.originals.clear(), database.thumbnails.clear()]);

    // A File's stream as a browser gives it (64 KiB chunks; Node's Blob yields one chunk), counting
    // the bytes each pass has pulled when a batch arrives.
    const CHUNK = 64 * 1024;
    let pulled = 0;
    vi.spyOn(zip, 'stream').mockImplementation(() => {
      pulled = 0;
      return new ReadableStream<Uint8Array<ArrayBuffer>>({
        async pull(controller) {
          if (pulled >= zip.size) return controller.close();
          const chunk = new Uint8Array(await zip.slice(pulled, pulled + CHUNK).arrayBuffer());
          pulled += chunk.length;
          controller.enqueue(chunk);
        },
      });
    });
    const pulledAtBatch: number[] = [];
    const batchSizes: number[] = [];
    const streamed = await streamArchive(
      zip,
      async (entries) => {
        pulledAtBatch.push(pulled);
        batchSizes.push(entries.length);
        await saveCards(database, toDrafts(entries), { mode: 'import' });
      },
      { batchSize: 3 },
    );
    expect(streamed).toEqual({ read: 8, skipped: [] });
    expect(batchSizes).toEqual([3, 3, 2]);
    // The first batch was saved when under half of the file had been read in the second pass.
    expect(pulledAtBatch[0]).toBeLessThan(zip.size / 2);
    expect((await liveCards(database)).map((card) => card.hash).sort()).toEqual([...bytes.keys()].sort());
    database.close();
  });

  it('a failed save stops the import with the typed error, and the batches saved before it stay', async () => {
    const database = await openLibrary({ name: 'archive-stream-quota' });
    const { drafts, bytes } = await largeCards(6, 50_000);
    await saveCards(database, drafts);
    const zip = await exportOf(database, await liveCards(database), bytes);
    await Promise.all([database.cards.clear(), database.analyses.clear(), database.originals.clear(), database.thumbnails.clear()]);

    let batches = 0;
    const failure = await streamArchive(
      zip,
      async (entries) => {
        if (++batches === 2) {
          vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
            throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
          });
        }
        await saveCards(database, toDrafts(entries), { mode: 'import' });
      },
      { batchSize: 2 },
    ).catch((error: unknown) => error);
    vi.restoreAllMocks();
    expect(failure).toBeInstanceOf(LibraryError);
    expect(failure).toMatchObject({ kind: 'quota' });
    expect(await liveCards(database)).toHaveLength(2);

    // Importing the same file again adds the rest, without duplicates.
    const again = await streamArchive(zip, async (entries) => void (await saveCards(database, toDrafts(entries), { mode: 'import' })), { batchSize: 2 });
    expect(again.read).toBe(6);
    expect(await liveCards(database)).toHaveLength(6);
    database.close();
  });

  it('reports images missing from the ZIP, and refuses a damaged or cut-off one with a clear message', async () => {
    const database = await openLibrary({ name: 'archive-stream-damaged' });
    const { drafts, bytes } = await realCards(3);
    await saveCards(database, drafts);
    const zip = await exportOf(database, await liveCards(database), bytes);
    const files = unzipSync(zip);
    const index = JSON.parse(strFromU8(files[ARCHIVE_INDEX_PATH]!)) as ArchiveIndex;
    delete files[index.cards[2]!.original];
    const read = await readArchive(new Blob([zipSync(files)]));
    expect(read.entries).toHaveLength(2);
    expect(read.skipped).toEqual([expect.stringMatching(/^card 3 \([0-9a-f]{12}\): its image originals\/.* is missing from the ZIP$/)]);

    // Cut off before the index (a download that stopped early).
    await expect(readArchive(zip.subarray(0, Math.floor(zip.length * 0.6)))).rejects.toThrow(/no sidelight-library\.json|damaged/);
    // The index's compressed bytes overwritten.
    const scrambled = zip.slice();
    const indexAt = Buffer.from(scrambled).lastIndexOf(ARCHIVE_INDEX_PATH) + ARCHIVE_INDEX_PATH.length;
    const localIndexAt = Buffer.from(scrambled).indexOf(ARCHIVE_INDEX_PATH, Buffer.from(scrambled).indexOf('annotated/')) + ARCHIVE_INDEX_PATH.length;
    expect(indexAt).toBeGreaterThan(localIndexAt);
    scrambled.fill(0xff, localIndexAt + 4, localIndexAt + 64);
    await expect(readArchive(scrambled)).rejects.toBeInstanceOf(ArchiveError);
    database.close();
  });
});
