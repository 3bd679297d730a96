import { sha256Hex } from '../engine/hash';
import { withCaptionLabels } from '../engine/ocr/read-labels';
import { failedResult } from '../engine/result';
import { base64ToBytes, bytesToBase64 } from '../messaging/base64';
import type { AnalysisReply, BytesRequest, EngineStatus, ImageRequest, PageBytesRequest } from '../messaging/protocol';
import { analyzeWithEngine, engineHost } from './engine-client';
import { fetchImageBytes, MAX_IMAGE_BYTES } from './fetch-image';
import { getCachedResult, getCachedResultForUrl, putCachedResult, putUrlHash } from './result-cache';
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
): Promise<{ reply: AnalysisReply; hash: string }> {
  const hash = await sha256Hex(bytes);
  const cached = render ? null : await getCachedResult(hash);
  const reply = cached
    ? { result: { ...cached, file: name }, annotatedPngBase64: null, cached: true }
    : await analyzeWithEngine({ backend: context.backend, name, bytesBase64: bytesToBase64(bytes), render });
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
 */
export async function analyzeImageUrl(request: ImageRequest): Promise<AnalysisReply> {
  const name = displayName(request.url);
  const captions = { altText: request.altText, postText: request.postText };
  const known = request.url.startsWith('http') ? await getCachedResultForUrl(request.url) : null;
  if (known) {
    const result = withCaptionLabels({ ...known.result, file: name }, captions.altText, captions.postText);
    return recordReply({ result, annotatedPngBase64: null, cached: true });
  }
  const fetched = await fetchImageBytes(request.url);
  if (!fetched.ok) return recordReply({ result: failedResult(name, fetched.reason, fetched.error), annotatedPngBase64: null, cached: false });
  const { hash, reply } = await analyzeCached(name, fetched.bytes, false, captions);
  if (reply.result.ok && request.url.startsWith('http')) await putUrlHash(request.url, hash);
  return recordReply(reply);
}

/** A page image whose bytes only the page can read (`blob:`, `data:`): the content script sends them. */
export async function analyzePageBytes(request: PageBytesRequest): Promise<AnalysisReply> {
  const name = displayName(request.url);
  const bytes = base64ToBytes(request.bytesBase64);
  if (bytes.length > MAX_IMAGE_BYTES) {
    return recordReply({ result: failedResult(name, 'too-large', `The image is ${(bytes.length / 1048576).toFixed(0)} MB; Sidelight reads files up to ${MAX_IMAGE_BYTES / 1048576} MB.`), annotatedPngBase64: null, cached: false });
  }
  const { reply } = await analyzeCached(name, bytes, false, { altText: request.altText, postText: request.postText });
  return recordReply(reply);
}

export async function analyzeUploadedBytes(request: BytesRequest): Promise<AnalysisReply> {
  const { backend, altText, postText } = request;
  const { reply } = await analyzeCached(request.name, base64ToBytes(request.bytesBase64), request.render, { backend, altText, postText });
  return reply;
}

export function engineStatus(): Promise<EngineStatus> {
  return Promise.resolve({ host: engineHost(), ready: true });
}
