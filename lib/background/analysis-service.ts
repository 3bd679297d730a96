import { sha256Hex } from '../engine/hash';
import { pairKey, withPairEvidence } from '../engine/pair';
import { labelsFromCaption, withCaptionLabels } from '../engine/ocr/read-labels';
import { failedResult } from '../engine/result';
import type { AnalysisResult, PairImage } from '../engine/types';
import {
  messageBytes,
  sentPageBytes,
  type AnalysisProgress,
  type AnalysisReply,
  type BytesRequest,
  type EngineStatus,
  type ImageRequest,
  type PageBytesRequest,
  type PairEvidence,
  type PairImageRequest,
  type PairPictureBytes,
  type PairRequest,
  type UploadedPairRequest,
} from '../messaging/protocol';
import { analyzePairWithEngine, analyzeWithEngine, engineHost } from './engine-client';
import { MAX_IMAGE_BYTES, tooLargeMessage } from '../messaging/image-size';
import { fetchImageBytes, type FetchedImage } from './fetch-image';
import { getCachedResult, getCachedResultForUrl, getUrlHash, putCachedResult, putUrlHash } from './result-cache';
import { recordAnalysis } from './stats';

/** A short, readable name for a page image's result: the last path segment of its URL. */
export function displayName(url: string): string {
  if (url.startsWith('data:')) return 'data-url-image';
  if (url.startsWith('blob:')) return 'blob-image';
  try {
    const path = new URL(url).pathname;
    return decodeURIComponent(path.split('/').filter(Boolean).pop() ?? url);
  } catch {
    return url;
  }
}

/**
 * Analyses bytes once per content hash; the cached result is relabelled with this file's name.
 * The cache holds what the image alone says; caption labels are added per request, after it.
 */
async function analyzeCached(
  name: string,
  bytes: Uint8Array,
  render: boolean,
  context: Pick<BytesRequest, 'backend' | 'altText' | 'postText'> = {},
  onProgress?: (progress: AnalysisProgress) => void,
): Promise<{ reply: AnalysisReply; hash: string }> {
  const hash = await sha256Hex(bytes);
  const cached = render ? null : await getCachedResult(hash);
  const reply = cached
    ? { result: { ...cached, file: name }, annotatedPngBase64: null, cached: true }
    : await analyzeWithEngine({ backend: context.backend, name, bytes, render }, onProgress);
  if (!cached && reply.result.ok) await putCachedResult(hash, reply.result);
  return { hash, reply: { ...reply, result: withCaptionLabels(reply.result, context.altText, context.postText) } };
}

async function recordReply(reply: AnalysisReply): Promise<AnalysisReply> {
  const { result } = reply;
  await recordAnalysis({ ok: result.ok, isComparison: result.isComparison, cached: reply.cached, totalMs: result.timingsMs.total, backend: result.backend });
  return reply;
}

/**
 * A page image by address: an address analysed before (on any page, before a reload) is answered
 * from the cache without downloading it again; otherwise the bytes are fetched and analysed once per content hash.
 * `onProgress` hears when the image turns out to be a card, before its card stages run.
 */
export async function analyzeImageUrl(request: ImageRequest, onProgress?: (progress: AnalysisProgress) => void): Promise<AnalysisReply> {
  const name = displayName(request.url);
  const captions = { altText: request.altText, postText: request.postText };
  const known = request.url.startsWith('http') ? await getCachedResultForUrl(request.url) : null;
  if (known) {
    const result = withCaptionLabels({ ...known.result, file: name }, captions.altText, captions.postText);
    return recordReply({ result, annotatedPngBase64: null, cached: true });
  }
  const fetched = await fetchImageBytes(request.url);
  if (!fetched.ok) return recordReply({ result: failedResult(name, fetched.reason, fetched.error), annotatedPngBase64: null, cached: false });
  const { hash, reply } = await analyzeCached(name, fetched.bytes, false, captions, onProgress);
  if (reply.result.ok && request.url.startsWith('http')) await putUrlHash(request.url, hash);
  return recordReply(reply);
}

/** A page image whose bytes only the page can read (`blob:`, `data:`): the content script sends them. */
export async function analyzePageBytes(request: PageBytesRequest, onProgress?: (progress: AnalysisProgress) => void): Promise<AnalysisReply> {
  const name = displayName(request.url);
  const bytes = await sentPageBytes(request.bytes);
  if (bytes.length > MAX_IMAGE_BYTES) {
    return recordReply({ result: failedResult(name, 'too-large', tooLargeMessage(bytes.length)), annotatedPngBase64: null, cached: false });
  }
  const { reply } = await analyzeCached(name, bytes, false, { altText: request.altText, postText: request.postText }, onProgress);
  return recordReply(reply);
}

export async function analyzeUploadedBytes(request: BytesRequest): Promise<AnalysisReply> {
  const { backend, altText, postText } = request;
  const { reply } = await analyzeCached(request.name, messageBytes(request.bytes), request.render, { backend, altText, postText });
  return reply;
}

/** The two pictures' display names, as a pair's `file`: "first.jpg + second.jpg". */
export function pairName(images: readonly PairImageRequest[]): string {
  return images.map((image) => displayName(image.url)).join(' + ');
}

/**
 * One picture of a pair, read as `analyze-image` and `analyze-page-bytes` read theirs: the page's
 * bytes for its own addresses (size-checked), a download with the extension's limits otherwise.
 */
export async function readPairImage(image: PairImageRequest): Promise<FetchedImage> {
  if (typeof image.url !== 'string') return { ok: false, reason: 'fetch-failed', error: 'The picture has no address.' };
  if (!image.bytes) return fetchImageBytes(image.url);
  const bytes = await sentPageBytes(image.bytes, 'The picture');
  if (bytes.length > MAX_IMAGE_BYTES) return { ok: false, reason: 'too-large', error: tooLargeMessage(bytes.length) };
  return { ok: true, bytes };
}

/** Checks that a request names exactly two pictures (the one shape a pair has). */
export function pairImagesOf(images: unknown): [PairImageRequest, PairImageRequest] {
  if (!Array.isArray(images) || images.length !== 2 || !images.every((image) => typeof image === 'object' && image !== null && typeof (image as PairImageRequest).url === 'string')) {
    throw new Error('A pair is exactly two pictures, each with its address.');
  }
  return images as [PairImageRequest, PairImageRequest];
}

/** A cached or fresh pair result under this request's names: the pair's `file` and each picture's `source.images[i].file`. */
function withPairNames(result: AnalysisResult, name: string, pictureNames: readonly [string, string]): AnalysisResult {
  const source = result.source ? { ...result.source, images: result.source.images.map((image, index) => ({ ...image, file: pictureNames[index] as string })) as [PairImage, PairImage] } : undefined;
  return source ? { ...result, file: name, source } : { ...result, file: name };
}

interface PairPictureRead {
  name: string;
  bytes: Uint8Array;
}

type Captions = { altText?: string | null; postText?: string | null };

/** What the engine needs to apply the pair's evidence test itself: whether this request's caption names a model for each picture. */
function pairEvidence(captions: Captions): PairEvidence {
  const labels = labelsFromCaption(2, captions.altText, captions.postText);
  return { captionLabelled: labels !== null && labels.every((label) => Boolean(label.label)) };
}

/**
 * A cached pair result that holds for this request. The engine ends a pair it finds unrelated
 * early, and caches that: only when the labels did not settle it, which a caption naming both
 * pictures' models would have (so such a request analyses the pair in full).
 */
function cachedPairHolds(cached: AnalysisResult | null, evidence: PairEvidence): cached is AnalysisResult {
  return cached !== null && !(cached.reason === 'unrelated-pictures' && evidence.captionLabelled);
}

/**
 * Two pictures' bytes as one card, once per pair key (both pictures' content, in order): the
 * cache answers unless the annotated card is wanted. Returns each picture's content hash too.
 */
async function analyzePairCached(
  name: string,
  pictures: readonly [PairPictureRead, PairPictureRead],
  options: Pick<UploadedPairRequest, 'render' | 'backend'> & { captions: Captions },
): Promise<{ reply: AnalysisReply; hashes: [string, string] }> {
  const hashes: [string, string] = [await sha256Hex(pictures[0].bytes), await sha256Hex(pictures[1].bytes)];
  const key = await pairKey(...hashes);
  const names: [string, string] = [pictures[0].name, pictures[1].name];
  const evidence = pairEvidence(options.captions);
  const stored = options.render ? null : await getCachedResult(key);
  const cached = cachedPairHolds(stored, evidence) ? stored : null;
  const reply: AnalysisReply = cached
    ? { result: withPairNames(cached, name, names), annotatedPngBase64: null, cached: true }
    : await analyzePairWithEngine({
        name,
        pictures: [
          { name: names[0], bytes: pictures[0].bytes },
          { name: names[1], bytes: pictures[1].bytes },
        ],
        render: options.render,
        backend: options.backend,
        evidence,
      });
  if (!cached && reply.result.ok) await putCachedResult(key, reply.result);
  return { reply, hashes };
}

/** The caption labels of this request, then the pair's own test: two pictures stay a card only with evidence that they are one. */
function withPairCaptions(reply: AnalysisReply, captions: Captions): AnalysisReply {
  return { ...reply, result: withPairEvidence(withCaptionLabels(reply.result, captions.altText, captions.postText)) };
}

/**
 * Two pictures of one post as one card, once per pair key (both pictures' content, in order):
 * when both addresses were downloaded before, the cached pair answers without downloading again.
 * Caption labels are added per request, after the cache, as for single images.
 */
export async function analyzePair(request: PairRequest): Promise<AnalysisReply> {
  const images = pairImagesOf(request.images);
  const name = pairName(images);
  const names: [string, string] = [displayName(images[0].url), displayName(images[1].url)];
  const knownHashes = await Promise.all(images.map((image) => (!image.bytes && image.url.startsWith('http') ? getUrlHash(image.url) : null)));
  if (knownHashes[0] && knownHashes[1]) {
    const known = await getCachedResult(await pairKey(knownHashes[0], knownHashes[1]));
    if (cachedPairHolds(known, pairEvidence(request))) return recordReply(withPairCaptions({ result: withPairNames(known, name, names), annotatedPngBase64: null, cached: true }, request));
  }
  const read = await Promise.all(images.map(readPairImage));
  const failed = read.findIndex((picture) => !picture.ok);
  if (failed >= 0) {
    const failure = read[failed] as Extract<FetchedImage, { ok: false }>;
    const result = failedResult(name, failure.reason, `The ${failed === 0 ? 'first' : 'second'} picture: ${failure.error}`);
    return recordReply({ result, annotatedPngBase64: null, cached: false });
  }
  const [first, second] = read.map((picture) => (picture as Extract<FetchedImage, { ok: true }>).bytes) as [Uint8Array, Uint8Array];
  const { reply, hashes } = await analyzePairCached(name, [{ name: names[0], bytes: first }, { name: names[1], bytes: second }], { render: false, captions: request });
  if (reply.result.ok) {
    for (const [index, image] of images.entries()) if (!image.bytes && image.url.startsWith('http')) await putUrlHash(image.url, hashes[index] as string);
  }
  return recordReply(withPairCaptions(reply, request));
}

/** Checks that a request holds exactly two named pictures' bytes. */
function uploadedPicturesOf(pictures: unknown): [PairPictureBytes, PairPictureBytes] {
  const valid = (picture: unknown) => typeof picture === 'object' && picture !== null && typeof (picture as PairPictureBytes).name === 'string' && (picture as PairPictureBytes).bytes instanceof Uint8Array;
  if (!Array.isArray(pictures) || pictures.length !== 2 || !pictures.every(valid)) throw new Error('A pair is exactly two pictures, each with its name and bytes.');
  return pictures as [PairPictureBytes, PairPictureBytes];
}

/**
 * Two local files as one card (the library's "One comparison card", `sidelight analyze --pair`):
 * the same engine, cache and evidence test as a two-image post; `file` is "first + second".
 */
export async function analyzeUploadedPair(request: UploadedPairRequest): Promise<AnalysisReply> {
  const [first, second] = uploadedPicturesOf(request.pictures);
  const name = `${first.name} + ${second.name}`;
  const pictures: [PairPictureRead, PairPictureRead] = [
    { name: first.name, bytes: first.bytes },
    { name: second.name, bytes: second.bytes },
  ];
  const { reply } = await analyzePairCached(name, pictures, { render: request.render, backend: request.backend, captions: request });
  return withPairCaptions(reply, request);
}

export function engineStatus(): Promise<EngineStatus> {
  return Promise.resolve({ host: engineHost(), ready: true });
}
