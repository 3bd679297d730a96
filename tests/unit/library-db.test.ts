import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deleteCards, getCard, getOriginal, getSavedCard, getThumbnails, listCards, liveCards, purgeDeleted, restoreCards, saveCard, saveCards, updateNotes, updateTags } from '../../lib/db/cards';
import { LibraryError } from '../../lib/db/errors';
import { openLibrary, type LibraryDatabase } from '../../lib/db/schema';
import { auditCardOf, auditCardOfRow, auditModels } from '../../lib/library/audit';
import type { LibraryQuery } from '../../lib/library/types';
import { sampleAnalysis, sampleDraft, type SampleCard } from './library-fixtures';

let databaseCount = 0;
const opened: LibraryDatabase[] = [];

async function freshLibrary(): Promise<{ name: string; database: LibraryDatabase }> {
  const name = `library-test-${++databaseCount}`;
  const database = await openLibrary({ name });
  opened.push(database);
  return { name, database };
}

afterEach(() => {
  vi.restoreAllMocks();
  for (const database of opened.splice(0)) database.close();
});

const quotaError = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

describe('saving cards', () => {
  it('saves a card with its bytes, thumbnail and derived fields', async () => {
    const { database } = await freshLibrary();
    const outcome = await saveCard(database, sampleDraft({ hash: 'a1', labels: ['Nano Banana', 'Nano Banana Pro'], winner: 1, controlled: true, postText: 'Which one is real?' }), { now: 1000 });
    expect(outcome).toEqual({ hash: 'a1', created: true });
    const card = await getCard(database, 'a1');
    expect(card).toMatchObject({ hash: 'a1', savedAt: 1000, updatedAt: 1000, deletedAt: 0, labels: ['Nano Banana', 'Nano Banana Pro'], verdict: 'B', winnerLabel: 'Nano Banana Pro', controlled: 'yes' });
    expect(card?.searchText).toContain('which one is real?');
    expect(await (await getOriginal(database, 'a1'))?.text()).toBe('original:a1');
    const thumbnails = await getThumbnails(database, ['a1', 'missing']);
    expect([...thumbnails.keys()]).toEqual(['a1']);
    expect(new TextDecoder().decode(thumbnails.get('a1')?.bytes)).toBe('thumbnail:a1');
    expect(thumbnails.get('a1')?.mime).toBe('image/webp');
    expect((await getSavedCard(database, 'a1'))?.analysis.verdict.winner).toBe(1);
    expect(card).not.toHaveProperty('analysis'); // list rows stay small
  });

  it('saving the same card twice updates it instead of adding a second one', async () => {
    const { database } = await freshLibrary();
    await saveCard(database, sampleDraft({ hash: 'a1', labels: ['Old label', null] }), { now: 1000 });
    await updateNotes(database, 'a1', 'keep me', 1500);
    const again = await saveCard(database, sampleDraft({ hash: 'a1', labels: ['New label', null], author: '@new' }), { now: 2000 });
    expect(again).toEqual({ hash: 'a1', created: false });
    const cards = await liveCards(database);
    expect(cards).toHaveLength(1);
    expect(cards[0]).toMatchObject({ savedAt: 1000, updatedAt: 2000, labels: ['New label'], author: '@new', notes: 'keep me' });
  });

  it('two concurrent saves of the same bytes leave exactly one card', async () => {
    const { database } = await freshLibrary();
    const outcomes = await Promise.all([saveCard(database, sampleDraft({ hash: 'same', author: '@tab1' })), saveCard(database, sampleDraft({ hash: 'same', author: '@tab2' }))]);
    expect(outcomes.map((outcome) => outcome.created).sort()).toEqual([false, true]);
    expect(await liveCards(database)).toHaveLength(1);
    expect(await database.originals.count()).toBe(1);
    expect(await database.thumbnails.count()).toBe(1);
  });

  it('two connections (two tabs) saving at once still leave one card', async () => {
    const { name, database } = await freshLibrary();
    const other = await openLibrary({ name });
    opened.push(other);
    await Promise.all([saveCard(database, sampleDraft({ hash: 'shared' })), saveCard(other, sampleDraft({ hash: 'shared' })), saveCard(other, sampleDraft({ hash: 'other' }))]);
    expect((await liveCards(database)).map((card) => card.hash).sort()).toEqual(['other', 'shared']);
  });

  it('an import keeps the existing analysis and notes and adds the imported tags', async () => {
    const { database } = await freshLibrary();
    await saveCard(database, sampleDraft({ hash: 'a1', labels: ['Mine', null], notes: 'my note', tags: ['keep'] }), { now: 1000 });
    const outcome = await saveCard(database, sampleDraft({ hash: 'a1', labels: ['Theirs', null], notes: 'their note', tags: ['Imported', 'keep'] }), { mode: 'import', now: 2000 });
    expect(outcome.created).toBe(false);
    expect(await getCard(database, 'a1')).toMatchObject({ labels: ['Mine'], notes: 'my note', tags: ['keep', 'imported'], updatedAt: 2000 });
    expect((await getSavedCard(database, 'a1'))?.analysis.panels[0]?.label).toBe('Mine');
    // Importing the same card again changes nothing, not even its date.
    await saveCard(database, sampleDraft({ hash: 'a1', tags: ['keep'] }), { mode: 'import', now: 3000 });
    expect((await getCard(database, 'a1'))?.updatedAt).toBe(2000);
  });
});

describe('failed writes', () => {
  it('a quota error surfaces as a typed error and leaves saved cards intact', async () => {
    const { database } = await freshLibrary();
    await saveCards(database, [sampleDraft({ hash: 'kept', labels: ['A', 'B'] }), sampleDraft({ hash: 'also-kept' })]);
    const before = await getSavedCard(database, 'kept');
    const put = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw quotaError();
    });
    const failure = await saveCards(database, [sampleDraft({ hash: 'new' }), sampleDraft({ hash: 'kept', labels: ['Overwritten', null] })]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LibraryError);
    expect(failure).toMatchObject({ kind: 'quota' });
    expect((failure as LibraryError).message).toMatch(/out of storage space/);
    expect(put).toHaveBeenCalledTimes(1); // quota errors are not retried
    put.mockRestore();
    expect((await liveCards(database)).map((card) => card.hash).sort()).toEqual(['also-kept', 'kept']);
    expect(await getSavedCard(database, 'kept')).toEqual(before);
    expect(await getOriginal(database, 'new')).toBeUndefined();
  });

  it('retries a transient failure once and then saves', async () => {
    const { database } = await freshLibrary();
    const realPut = IDBObjectStore.prototype.put;
    let failures = 0;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (failures++ === 0) throw new DOMException('The browser had a hiccup.', 'UnknownError');
      return realPut.apply(this, args);
    });
    expect(await saveCard(database, sampleDraft({ hash: 'eventually' }))).toEqual({ hash: 'eventually', created: true });
    expect(await getCard(database, 'eventually')).toBeDefined();
  });

  it('a write that keeps failing is reported, not dropped, and nothing else changes', async () => {
    const { database } = await freshLibrary();
    await saveCard(database, sampleDraft({ hash: 'kept' }));
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('Disk I/O failed.', 'UnknownError');
    });
    await expect(saveCard(database, sampleDraft({ hash: 'lost' }))).rejects.toMatchObject({ kind: 'write-failed', message: expect.stringContaining('Disk I/O failed.') });
    vi.restoreAllMocks();
    expect((await liveCards(database)).map((card) => card.hash)).toEqual(['kept']);
  });
});

describe('schema versions', () => {
  /** A card as schema version 1 stored it: no derived fields, no deletedAt. */
  function versionOneCard(hash: string) {
    const analysis = sampleAnalysis({ hash, labels: ['GPT Image', 'Imagen 4'], winner: 0, controlled: false, signals: { shadow: [55, 20] } });
    return { hash, mime: 'image/webp', byteLength: 11, analysis, postUrl: null, pageUrl: 'https://bsky.app/', site: 'bsky.app', author: '@v1', postText: 'old post', savedAt: 500, updatedAt: 500, notes: 'from v1', tags: ['Old Tag'] };
  }

  it('upgrades a version-1 database to the current schema without losing a card', async () => {
    const name = `library-upgrade-${++databaseCount}`;
    const old = await openLibrary({ name, schemaVersion: 1 });
    expect(old.verno).toBe(1);
    await old.table('cards').put(versionOneCard('v1card'));
    await old.table('originals').put({ hash: 'v1card', blob: new Blob(['v1 bytes']) });
    await old.table('thumbnails').put({ hash: 'v1card', bytes: new TextEncoder().encode('v1 thumb'), mime: 'image/webp' });
    old.close();

    const { database } = { database: await openLibrary({ name }) };
    opened.push(database);
    expect(database.verno).toBe(3);
    const card = await getCard(database, 'v1card');
    expect(card).toMatchObject({ hash: 'v1card', notes: 'from v1', tags: ['old tag'], deletedAt: 0, labels: ['GPT Image', 'Imagen 4'], verdict: 'A', winnerLabel: 'GPT Image', controlled: 'no' });
    expect(card?.scores.shadow).toBe(55);
    expect(card?.panels.map((panel) => [panel.label, panel.scores.shadow])).toEqual([
      ['GPT Image', 55],
      ['Imagen 4', 20],
    ]);
    expect(card).not.toHaveProperty('analysis');
    expect((await getSavedCard(database, 'v1card'))?.analysis).toEqual(versionOneCard('v1card').analysis);
    expect(new TextDecoder().decode((await getThumbnails(database, ['v1card'])).get('v1card')?.bytes)).toBe('v1 thumb');
    expect(await (await getOriginal(database, 'v1card'))?.text()).toBe('v1 bytes');
    // The new indexes work on the upgraded card.
    expect((await listCards(database, { label: 'imagen 4' })).map((found) => found.hash)).toEqual(['v1card']);
  });

  it('upgrades a version-2 database: every card gains its panels from its stored analysis, nothing else changes', async () => {
    const name = `library-upgrade-v2-${++databaseCount}`;
    const old = await openLibrary({ name, schemaVersion: 2 });
    expect(old.verno).toBe(2);
    await saveCards(old, [
      sampleDraft({ hash: 'k1', labels: ['Nano Banana', 'GPT Image 1'], winner: 0, controlled: true, signals: { skin: [61, 44] }, realism: [61, 44], notes: 'kept' }),
      sampleDraft({ hash: 'k2', labels: ['Imagen 4', null], controlled: null }),
    ]);
    await deleteCards(old, ['k2'], 777);
    // Rows as version 2 wrote them: no panels.
    await old.table('cards').toCollection().modify((row: Record<string, unknown>) => void delete row.panels);
    const before = await old.table('cards').toArray();
    expect(before.every((row: Record<string, unknown>) => !('panels' in row))).toBe(true);
    old.close();

    const database = await openLibrary({ name });
    opened.push(database);
    expect(database.verno).toBe(3);
    const after = await database.cards.toArray();
    expect(after).toHaveLength(2);
    for (const row of after) {
      const { panels, ...rest } = row;
      expect(rest).toEqual(before.find((old: { hash: string }) => old.hash === row.hash));
      expect(panels).toHaveLength(2);
    }
    expect(after.find((row) => row.hash === 'k1')?.panels[0]).toEqual({ label: 'Nano Banana', scores: { shadow: null, skin: 61, knit: null, ceramic: null, realism: 61 } });
    expect(after.find((row) => row.hash === 'k2')).toMatchObject({ deletedAt: 777, panels: [{ label: 'Imagen 4' }, { label: null }] });
    expect(auditModels((await liveCards(database)).map(auditCardOfRow)).models.map((model) => model.model)).toEqual(['Nano Banana', 'GPT Image 1']); // one card each; the winner first
  });

  it('an upgrade blocked by another open tab fails with a clear error, then succeeds once it closes', async () => {
    const name = `library-blocked-${++databaseCount}`;
    const old = await openLibrary({ name, schemaVersion: 1 });
    await old.table('cards').put(versionOneCard('kept'));
    old.close();
    // A tab running the previous release that ignores "versionchange".
    const holder = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const failure = await openLibrary({ name }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LibraryError);
    expect(failure).toMatchObject({ kind: 'blocked', message: expect.stringContaining('Close other library tabs') });
    holder.close();
    const database = await openLibrary({ name });
    opened.push(database);
    expect((await liveCards(database)).map((card) => card.hash)).toEqual(['kept']);
  });
});

describe('the audit from card rows', () => {
  it('live rows carry each panel label and its scores: the audit from them equals the audit from the analyses', async () => {
    const { database } = await freshLibrary();
    await saveCards(database, [
      sampleDraft({ hash: 'a', labels: ['Nano Banana', 'Nano Banana Pro'], winner: 1, controlled: true, signals: { shadow: [40, 62] }, realism: [40, 62], author: '@one' }),
      sampleDraft({ hash: 'b', labels: ['NanoBanana Pro', 'GPT Image 1'], winner: 0, controlled: true, signals: { skin: [55, 41] }, realism: [55, 41] }),
      sampleDraft({ hash: 'c', labels: [null, 'GPT Image 1'], winner: 1, controlled: false, signals: { knit: [30, 70] } }),
      sampleDraft({ hash: 'gone', labels: ['GPT Image 1', 'Nano Banana'], winner: 0, controlled: true }),
    ]);
    await deleteCards(database, ['gone']);
    // Saved again with a changed verdict: the row follows the latest analysis.
    await saveCard(database, sampleDraft({ hash: 'b', labels: ['NanoBanana Pro', 'GPT Image 1'], winner: null, controlled: true, signals: { skin: [55, 52] }, realism: [55, 52] }));
    const rows = await liveCards(database);
    expect(rows.find((card) => card.hash === 'c')?.panels).toEqual([
      { label: null, scores: { shadow: null, skin: null, knit: 30, ceramic: null, realism: null } },
      { label: 'GPT Image 1', scores: { shadow: null, skin: null, knit: 70, ceramic: null, realism: null } },
    ]);
    const fromRows = rows.map(auditCardOfRow);
    const fromAnalyses = await Promise.all(rows.map(async (card) => auditCardOf(card, (await getSavedCard(database, card.hash))!.analysis)));
    const byHash = (list: typeof fromRows) => [...list].sort((x, y) => x.hash.localeCompare(y.hash));
    expect(byHash(fromRows)).toEqual(byHash(fromAnalyses));
    const pro = auditModels(fromRows).models.find((entry) => entry.model === 'Nano Banana Pro');
    expect(pro?.columns.overall).toEqual({ cards: 2, won: 1, lost: 0, even: 1 });
    expect(pro?.columns.skin).toEqual({ cards: 1, won: 0, lost: 0, even: 1 });
  });
});

describe('delete, undo, notes and tags', () => {
  it('a deleted card leaves every list, comes back on undo, and is gone once purged', async () => {
    const { database } = await freshLibrary();
    await saveCards(database, [sampleDraft({ hash: 'a' }), sampleDraft({ hash: 'b' })]);
    expect(await deleteCards(database, ['a'], 5000)).toBe(1);
    expect((await listCards(database)).map((card) => card.hash)).toEqual(['b']);
    expect(await restoreCards(database, ['a'])).toBe(1);
    expect((await listCards(database)).map((card) => card.hash).sort()).toEqual(['a', 'b']);

    await deleteCards(database, ['a'], 5000);
    expect(await purgeDeleted(database, { deletedBefore: 5000 })).toBe(0); // deleted at 5000: not before
    expect(await purgeDeleted(database, { hashes: ['a', 'b'] })).toBe(1); // b is live: untouched
    expect(await getCard(database, 'a')).toBeUndefined();
    expect(await getOriginal(database, 'a')).toBeUndefined();
    expect(await getSavedCard(database, 'a')).toBeUndefined();
    expect(await database.analyses.count()).toBe(1);
    expect(await restoreCards(database, ['a'])).toBe(0);
    expect((await listCards(database)).map((card) => card.hash)).toEqual(['b']);
  });

  it('saving a deleted card again brings it back as a new save', async () => {
    const { database } = await freshLibrary();
    await saveCard(database, sampleDraft({ hash: 'a', notes: 'old' }), { now: 100 });
    await deleteCards(database, ['a']);
    expect(await saveCard(database, sampleDraft({ hash: 'a' }), { now: 900 })).toEqual({ hash: 'a', created: true });
    expect(await getCard(database, 'a')).toMatchObject({ deletedAt: 0, savedAt: 900, notes: '' });
  });

  it('notes and tags are searchable once updated; a missing card is a typed error', async () => {
    const { database } = await freshLibrary();
    await saveCard(database, sampleDraft({ hash: 'a' }));
    await updateNotes(database, 'a', 'Hands look wrong');
    await updateTags(database, 'a', [' Hands ', 'hands', 'Portrait']);
    expect(await getCard(database, 'a')).toMatchObject({ notes: 'Hands look wrong', tags: ['hands', 'portrait'] });
    expect((await listCards(database, { text: 'wrong' })).length).toBe(1);
    expect((await listCards(database, { tag: 'portrait' })).length).toBe(1);
    await expect(updateNotes(database, 'nope', 'x')).rejects.toMatchObject({ kind: 'not-found' });
  });
});

describe('search, filters and sort', () => {
  const cards: SampleCard[] = [
    { hash: 'c1', labels: ['Nano Banana', 'Nano Banana Pro'], winner: 1, controlled: true, site: 'x.com', author: '@minimaxir', postText: 'barista hero', savedAt: 1000, signals: { shadow: [30, 80] }, realism: [40, 90] },
    { hash: 'c2', labels: ['Midjourney v7', 'Nano Banana'], winner: 0, controlled: false, site: 'reddit.com', author: 'u/artist', postText: 'castle at dusk', savedAt: 2000, signals: { shadow: [60, 10] }, realism: [70, 20] },
    { hash: 'c3', labels: [null, null], winner: null, controlled: null, site: 'x.com', author: '@other', postText: 'two random gens', savedAt: 3000 },
    { hash: 'c4', labels: ['GPT Image', 'Imagen 4'], winner: null, controlled: true, site: 'bsky.app', author: '@minimaxir', postText: 'knit sweater test', savedAt: 4000, signals: { knit: [50, 55], shadow: [45, 45] }, realism: [50, 55], tags: ['knit'] },
  ];

  it.each<[string, LibraryQuery, string[]]>([
    ['everything, newest first', {}, ['c4', 'c3', 'c2', 'c1']],
    ['oldest first', { sort: 'savedAt', direction: 'asc' }, ['c1', 'c2', 'c3', 'c4']],
    ['search by label, any case', { text: 'nano BANANA' }, ['c2', 'c1']],
    ['search by author', { text: '@minimaxir' }, ['c4', 'c1']],
    ['search by site', { text: 'reddit' }, ['c2']],
    ['search by post text', { text: 'castle' }, ['c2']],
    ['every term must match', { text: 'minimaxir knit' }, ['c4']],
    ['no match', { text: 'dalle' }, []],
    ['filter by site', { site: 'x.com' }, ['c3', 'c1']],
    ['filter by model label', { label: 'nano banana pro' }, ['c1']],
    ['filter by a label on either panel', { label: 'Nano Banana' }, ['c2', 'c1']],
    ['controlled only', { controlled: 'yes' }, ['c4', 'c1']],
    ['not controlled', { controlled: 'no' }, ['c2']],
    ['controlled unknown', { controlled: 'unknown' }, ['c3']],
    ['with a winner', { verdict: 'decided' }, ['c2', 'c1']],
    ['without a winner', { verdict: 'undecided' }, ['c4', 'c3']],
    ['by tag', { tag: 'knit' }, ['c4']],
    ['filters combine', { site: 'x.com', verdict: 'decided', controlled: 'yes' }, ['c1']],
    ['label filter and search combine', { label: 'nano banana', text: 'castle' }, ['c2']],
    ['highest shadow first, unmeasured last', { sort: 'shadow' }, ['c1', 'c2', 'c4', 'c3']],
    ['lowest shadow first, unmeasured still last', { sort: 'shadow', direction: 'asc' }, ['c4', 'c2', 'c1', 'c3']],
    ['by realism', { sort: 'realism' }, ['c1', 'c2', 'c4', 'c3']],
    ['by knit', { sort: 'knit' }, ['c4', 'c3', 'c2', 'c1']],
  ])('%s', async (_label, query, expected) => {
    const { database } = await freshLibrary();
    await saveCards(
      database,
      cards.map((card) => sampleDraft(card)),
    );
    expect((await listCards(database, query)).map((card) => card.hash)).toEqual(expected);
  });
});
