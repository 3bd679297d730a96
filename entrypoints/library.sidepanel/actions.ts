import type { AddedImage, ImportSummary, LibraryActions } from '@/components/library/LibraryView';
import { deleteCards, getOriginal, getSavedCard, getThumbnails, purgeDeleted, restoreCards, saveCard, saveCards, updateNotes, updateTags } from '@/lib/db/cards';
import type { LibraryDatabase } from '@/lib/db/schema';
import { streamArchive, writeArchive } from '@/lib/library/archive';
import { cardDraft } from '@/lib/library/draft';
import { composePair, pairCaption, pairNotComparisonReason } from '@/lib/library/pair';
import { makeThumbnail } from '@/lib/library/thumbnail';
import { thumbnailUrls } from '@/lib/library/thumbnail-urls';
import type { CardDraft, PostInfo, SavedCard } from '@/lib/library/types';
import { sendMessage } from '@/lib/messaging/runtime';
import { decodeToRgba } from '@/lib/worker/decode';
import { renderAnnotatedPng } from '@/lib/worker/render';

/** Cards per import transaction: big enough to be quick, small enough that a failure loses little work. */
const IMPORT_BATCH = 25;
const LOCAL_FILE: PostInfo = { postUrl: null, pageUrl: '', site: '', author: null, postText: null };

function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement('a'), { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

async function originalBytes(database: LibraryDatabase, hash: string): Promise<Uint8Array> {
  const original = await getOriginal(database, hash);
  if (!original) throw new Error('The image of this card is missing from the library.');
  return new Uint8Array(await original.arrayBuffer());
}

/** The annotated card, drawn here (page canvas) from the original bytes and the saved analysis. */
async function annotatedPng(card: SavedCard, bytes: Uint8Array): Promise<Blob> {
  const image = await decodeToRgba(bytes);
  return new Blob([await renderAnnotatedPng(image, card.analysis)], { type: 'image/png' });
}

/** Wires the library view to the database (directly: this is an extension page), the engine (by message) and downloads. */
export function libraryActions(opening: Promise<LibraryDatabase>): LibraryActions {
  const thumbnails = thumbnailUrls(async (hashes) => getThumbnails(await opening, hashes));

  async function cardOrThrow(database: LibraryDatabase, hash: string): Promise<SavedCard> {
    const card = await getSavedCard(database, hash);
    if (!card || card.deletedAt) throw new Error('That card is no longer in the library.');
    return card;
  }

  return {
    loadThumbnail: (hash) => thumbnails.get(hash),

    async loadAnalysis(hash) {
      return (await cardOrThrow(await opening, hash)).analysis;
    },

    async renderAnnotated(hash) {
      const database = await opening;
      return annotatedPng(await cardOrThrow(database, hash), await originalBytes(database, hash));
    },

    async loadOriginal(hash) {
      const original = await getOriginal(await opening, hash);
      if (!original) throw new Error('The image of this card is missing from the library.');
      return original;
    },

    async deleteCards(hashes) {
      await deleteCards(await opening, hashes);
    },
    async restoreCards(hashes) {
      await restoreCards(await opening, hashes);
    },
    async purgeCards(hashes) {
      await purgeDeleted(await opening, { hashes });
      hashes.forEach((hash) => thumbnails.forget(hash));
    },
    async updateNotes(hash, notes) {
      await updateNotes(await opening, hash, notes);
    },
    async updateTags(hash, tags) {
      await updateTags(await opening, hash, tags);
    },

    async exportCards(hashes, onProgress) {
      const database = await opening;
      const cards = [];
      for (const hash of hashes) cards.push(await cardOrThrow(database, hash));
      const zip = await writeArchive(
        cards,
        async (card) => {
          const saved = await cardOrThrow(database, card.hash);
          const bytes = await originalBytes(database, card.hash);
          // A card the browser cannot draw any more still exports its original and its result.
          const annotated = await annotatedPng(saved, bytes).then(
            async (png) => new Uint8Array(await png.arrayBuffer()),
            () => null,
          );
          return { analysis: saved.analysis, original: bytes, annotatedPng: annotated };
        },
        { onProgress },
      );
      download(zip, `sidelight-library-${new Date().toISOString().slice(0, 10)}.zip`);
    },

    async importArchive(file): Promise<ImportSummary> {
      const database = await opening;
      const summary: ImportSummary = { added: 0, updated: 0, skipped: [] };
      // The ZIP is read in chunks and saved a batch at a time: a large export never sits in memory whole.
      const streaming = streamArchive(
        file,
        async (entries) => {
          const drafts: CardDraft[] = [];
          for (const { card, original } of entries) {
            const blob = new Blob([original as Uint8Array<ArrayBuffer>], { type: card.mime });
            try {
              drafts.push({ ...card, original: blob, thumbnail: await makeThumbnail(blob) });
            } catch {
              summary.skipped.push(`${card.hash.slice(0, 12)}: its image could not be decoded`);
            }
          }
          for (const outcome of await saveCards(database, drafts, { mode: 'import' })) {
            if (outcome.created) summary.added++;
            else summary.updated++;
          }
        },
        { batchSize: IMPORT_BATCH },
      );
      try {
        summary.skipped.unshift(...(await streaming).skipped);
      } catch (error) {
        const saved = summary.added + summary.updated;
        if (!saved) throw error;
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(`${message} The ${saved} cards read before it stopped are saved; importing the file again adds the rest without duplicates.`, { cause: error });
      }
      return summary;
    },

    async addPair(first, second) {
      const name = `${first.name} + ${second.name}`;
      try {
        const database = await opening;
        const picture = async (file: File) => ({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
        // Files named after models ("nano-banana-pro.png") label the panels, as a post's "A vs B" would.
        const caption = pairCaption(first.name, second.name);
        // The same analysis as a two-image post: the panels are the two files, never a guessed split.
        const { result } = await sendMessage('analyze-pair-bytes', { pictures: [await picture(first), await picture(second)], render: false, postText: caption });
        if (!result.ok) return { name, outcome: 'failed', message: result.error ?? 'it could not be analysed' };
        if (!result.isComparison) return { name, outcome: 'not-a-comparison', message: pairNotComparisonReason(result) };
        // The library keeps the two set side by side as one picture: the card the panel boxes are on.
        const bytes = new Uint8Array(await (await composePair(first, second)).png.arrayBuffer());
        const outcome = await saveCard(database, await cardDraft(bytes, result, { ...LOCAL_FILE, postText: caption }));
        return { name, outcome: outcome.created ? 'added' : 'updated' };
      } catch (error) {
        return { name, outcome: 'failed', message: error instanceof Error ? error.message : String(error) };
      }
    },

    async addImages(files) {
      const database = await opening;
      const added: AddedImage[] = [];
      for (const file of files) {
        try {
          const bytes = new Uint8Array(await file.arrayBuffer());
          const { result } = await sendMessage('analyze-bytes', { name: file.name, bytes, render: false });
          if (!result.ok) {
            added.push({ name: file.name, outcome: 'failed', message: result.error ?? 'it could not be analysed' });
            continue;
          }
          const outcome = await saveCard(database, await cardDraft(bytes, result, LOCAL_FILE));
          added.push({ name: file.name, outcome: outcome.created ? 'added' : 'updated' });
        } catch (error) {
          added.push({ name: file.name, outcome: 'failed', message: error instanceof Error ? error.message : String(error) });
        }
      }
      return added;
    },
  };
}
