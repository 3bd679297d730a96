import { sha256Hex } from '../engine/hash';
import { withCaptionLabels } from '../engine/ocr/read-labels';
import { failedResult } from '../engine/result';
import { base64ToBytes, bytesToBase64 } from '../messaging/base64';
import type { AnalysisReply, BytesRequest, EngineStatus, ImageRequest } from '../messaging/protocol';
import { analyzeWithEngine, engineHost } from './engine-client';
import { fetchImageBytes } from './fetch-image';
import { getCachedResult, putCachedResult } from './result-cache';
import { recordAnalysis } from './stats';

/** A short, readable name for a page image's result: the last path segment of its URL. */
export function displayName(url: string): string {
  if (url.startsWith('data:')) return 'data-url-image';
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
): Promise<AnalysisReply> {
  const hash = await sha256Hex(bytes);
  const cached = render ? null : await getCachedResult(hash);
  const reply = cached
    ? { result: { ...cached, file: name }, annotatedPngBase64: null, cached: true }
    : await analyzeWithEngine({ backend: context.backend, name, bytesBase64: bytesToBase64(bytes), render });
  if (!cached && reply.result.ok) await putCachedResult(hash, reply.result);
  return { ...reply, result: withCaptionLabels(reply.result, context.altText, context.postText) };
}

export async function analyzeImageUrl(request: ImageRequest): Promise<AnalysisReply> {
  const name = displayName(request.url);
  const fetched = await fetchImageBytes(request.url);
  const reply = fetched.ok
    ? await analyzeCached(name, fetched.bytes, false, { altText: request.altText, postText: request.postText })
    : { result: failedResult(name, fetched.reason, fetched.error), annotatedPngBase64: null, cached: false };
  const { result } = reply;
  await recordAnalysis({ ok: result.ok, isComparison: result.isComparison, cached: reply.cached, totalMs: result.timingsMs.total, backend: result.backend });
  return reply;
}

export function analyzeUploadedBytes(request: BytesRequest): Promise<AnalysisReply> {
  const { backend, altText, postText } = request;
  return analyzeCached(request.name, base64ToBytes(request.bytesBase64), request.render, { backend, altText, postText });
}

export function engineStatus(): Promise<EngineStatus> {
  return Promise.resolve({ host: engineHost(), ready: true });
}
