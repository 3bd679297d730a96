import { getSavedCard, saveCard } from '../db/cards';
import { openLibrary, type LibraryDatabase } from '../db/schema';
import { sha256Hex } from '../engine/hash';
import { withCaptionLabels } from '../engine/ocr/read-labels';
import { isPairResult, pairKey } from '../engine/pair';
import { composePair } from '../library/pair';
import { analysisResultProblems } from '../engine/schema';
import { httpUrlOrNull } from '../library/derive';
import { cardDraft } from '../library/draft';
import { withKeptHeatmaps } from '../library/heatmaps';
import type { AnalysisResult } from '../engine/types';
import type { PostInfo } from '../library/types';
import { sentPageBytes, type LibrarySaveReply, type LibrarySaveRequest, type PairPictureBytes } from '../messaging/protocol';
import { normalHost } from '../settings/settings';
import { analyzeImageUrl, displayName, pairImagesOf, pairName, readPairImage } from './analysis-service';
import { analyzePairWithEngine, analyzeWithEngine } from './engine-client';
import { MAX_IMAGE_BYTES, tooLargeMessage } from '../messaging/image-size';
import { fetchImageBytes } from './fetch-image';

// What a page may put in a saved card's author and text fields (the content script already trims them).
const MAX_AUTHOR = 200;
const MAX_POST_TEXT = 4000;

// The open connection, as a promise so concurrent saves share it; a restarted worker just opens it again.
let library: Promise<LibraryDatabase> | null = null;

function libraryDatabase(): Promise<LibraryDatabase> {
  library ??= openLibrary().catch((error: unknown) => {
    library = null; // a blocked upgrade or a full disk may clear up: the next save tries again
    throw error;
  });
  return library;
}

function siteOf(pageUrl: string): string {
  try {
    const url = new URL(pageUrl);
    return url.protocol === 'http:' || url.protocol === 'https:' ? normalHost(url.hostname) : '';
  } catch {
    return '';
  }
}

export function postInfoOf(request: LibrarySaveRequest): PostInfo {
  return {
    postUrl: httpUrlOrNull(request.postUrl),
    pageUrl: request.pageUrl,
    site: siteOf(request.pageUrl),
    author: request.author?.slice(0, MAX_AUTHOR) ?? null,
    postText: request.postText?.slice(0, MAX_POST_TEXT) ?? null,
  };
}

/**
 * Bytes the page read itself (`blob:` / `data:`). The page could send any bytes, so they go
 * through the same check as a download: a hash other than the analysis's is analysed afresh.
 */
async function pageBytes(sent: unknown): Promise<{ ok: true; bytes: Uint8Array } | { ok: false; error: string }> {
  const bytes = await sentPageBytes(sent);
  if (bytes.length === 0) return { ok: false, error: 'the page gave no image bytes.' };
  if (bytes.length > MAX_IMAGE_BYTES) return { ok: false, error: tooLargeMessage(bytes.length, 'the image') };
  return { ok: true, bytes };
}

/**
 * Saves a card the overlay shows: fetches the image's bytes itself (so the page cannot substitute
 * others), keys them by hash, makes the thumbnail here, and upserts the card. Errors say why in words.
 */
export async function saveToLibrary(request: LibrarySaveRequest): Promise<LibrarySaveReply> {
  const problems = analysisResultProblems(request.result);
  if (problems.length) throw new Error(`Not saved: the analysis sent with this card is malformed (${problems.slice(0, 3).join(', ')}).`);
  if (!request.result.ok) throw new Error('Not saved: this image could not be analysed.');
  if (request.pair) return savePairToLibrary(request, request.pair);
  const fetched = request.bytes ? await pageBytes(request.bytes) : await fetchImageBytes(request.url);
  if (!fetched.ok) throw new Error(`Not saved: ${fetched.error}`);

  let analysis = request.result;
  if (analysis.hash !== (await sha256Hex(fetched.bytes))) {
    // The server sent other bytes than it did for the analysis (re-encoded or edited): analyse these.
    analysis = (await analyzeWithEngine({ name: analysis.file, bytes: fetched.bytes, render: false })).result;
    if (!analysis.ok) throw new Error(`Not saved: ${analysis.error ?? 'the image could not be analysed'}`);
  }
  const database = await libraryDatabase();
  const saved = await getSavedCard(database, analysis.hash ?? '').catch(() => undefined);
  const draft = await cardDraft(fetched.bytes, withKeptHeatmaps(analysis, saved && !saved.deletedAt ? saved.analysis : undefined), postInfoOf(request));
  return saveCard(database, draft);
}

/**
 * Saves a two-image post's card: both pictures are read as `analyze-pair` reads them (downloaded,
 * or the page's bytes size-checked), a pair key other than the analysis's is analysed afresh, and
 * the library keeps the two set side by side as one picture (lib/library/pair.ts), keyed by its hash.
 */
async function savePairToLibrary(request: LibrarySaveRequest, pair: unknown): Promise<LibrarySaveReply> {
  const images = pairImagesOf(pair);
  const read = await Promise.all(images.map(readPairImage));
  const failure = read.find((picture) => !picture.ok);
  if (failure && !failure.ok) throw new Error(`Not saved: ${failure.error}`);
  const [first, second] = read.map((picture) => (picture.ok ? picture.bytes : new Uint8Array())) as [Uint8Array, Uint8Array];
  let analysis = request.result;
  const key = await pairKey(await sha256Hex(first), await sha256Hex(second));
  if (analysis.hash !== key || !isPairResult(analysis)) {
    // The pictures are not the ones analysed (re-encoded, edited, or another post's): analyse these.
    const name = pairName(images);
    const pictures: [PairPictureBytes, PairPictureBytes] = [
      { name: displayName(images[0].url), bytes: first },
      { name: displayName(images[1].url), bytes: second },
    ];
    analysis = (await analyzePairWithEngine({ name, pictures, render: false })).result;
    if (!analysis.ok) throw new Error(`Not saved: ${analysis.error ?? 'the pictures could not be analysed'}`);
    analysis = withCaptionLabels(analysis, null, request.postText);
  }
  const toBlob = (bytes: Uint8Array) => new Blob([bytes as Uint8Array<ArrayBuffer>]);
  const card = new Uint8Array(await (await composePair(toBlob(first), toBlob(second))).png.arrayBuffer());
  const cardHash = await sha256Hex(card);
  const database = await libraryDatabase();
  const saved = await getSavedCard(database, cardHash).catch(() => undefined);
  const kept = withKeptHeatmaps({ ...analysis, hash: cardHash }, saved && !saved.deletedAt ? saved.analysis : undefined);
  return saveCard(database, await cardDraft(card, kept, postInfoOf(request)));
}

/**
 * A card saved before kept labels from its post's caption, which a page image alone does not
 * carry: a save that read no labels keeps those rather than erasing them.
 */
async function withSavedLabels(result: AnalysisResult): Promise<AnalysisResult> {
  if (!result.hash || result.panels.some((panel) => panel.label !== null)) return result;
  const saved = await getSavedCard(await libraryDatabase(), result.hash).catch(() => undefined);
  const panels = saved?.analysis.panels;
  if (!saved || saved.deletedAt || !panels || panels.length !== result.panels.length || panels.every((panel) => panel.label === null)) return result;
  return { ...result, panels: result.panels.map((panel, index) => ({ ...panel, label: panels[index]?.label ?? null, labelBox: panels[index]?.labelBox ?? null, labelSource: panels[index]?.labelSource ?? null })) };
}

/**
 * The context menu's "Save to library" on any image: analyses it (the result cache answers when
 * the overlay already did) and saves it through the overlay's Save path. The menu knows the
 * image and the page, not the post: author and text are kept from an earlier save, if any.
 */
export async function saveImageFromPage(srcUrl: string, pageUrl: string): Promise<LibrarySaveReply> {
  const { result } = await analyzeImageUrl({ url: srcUrl, pageUrl });
  if (!result.ok) throw new Error(`Not saved: ${result.error ?? 'the image could not be analysed'}`);
  return saveToLibrary({ url: srcUrl, pageUrl, postUrl: null, author: null, postText: null, result: await withSavedLabels(result) });
}
