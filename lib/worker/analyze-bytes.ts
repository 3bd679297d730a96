import { checkDecodable } from '../engine/sniff';
import { detectCard } from '../engine/detect';
import { sha256Hex } from '../engine/hash';
import { failedResult, resultFromDetection, zeroTimings } from '../engine/result';
import type { AnalysisResult } from '../engine/types';
import { decodeToRgba } from './decode';
import { renderAnnotatedPng } from './render';

export interface BytesAnalysis {
  result: AnalysisResult;
  annotatedPng: ArrayBuffer | null;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DOMException('The analysis was cancelled.', 'AbortError');
}

/** The whole pipeline for one image: header check, decode, hash, detection, result (and drawing). */
export async function analyzeBytes(
  name: string,
  bytes: Uint8Array,
  options: { render: boolean; signal?: AbortSignal },
): Promise<BytesAnalysis> {
  const started = performance.now();
  const timings = zeroTimings();
  const header = checkDecodable(bytes);
  if (!header.ok) {
    timings.total = performance.now() - started;
    return { result: failedResult(name, header.reason, header.error, timings), annotatedPng: null };
  }

  const hashPromise = sha256Hex(bytes);
  const decodeStarted = performance.now();
  let image;
  try {
    image = await decodeToRgba(bytes);
  } catch {
    timings.total = performance.now() - started;
    return {
      result: failedResult(name, 'corrupt', `The ${header.format.toUpperCase()} data could not be decoded (damaged or truncated file).`, timings),
      annotatedPng: null,
    };
  }
  timings.decode = performance.now() - decodeStarted;
  throwIfAborted(options.signal);

  const detectStarted = performance.now();
  const detection = detectCard(image);
  timings.detect = performance.now() - detectStarted;
  const hash = await hashPromise;
  timings.total = performance.now() - started;

  const result = resultFromDetection(name, detection, { hash, width: image.width, height: image.height }, timings);
  throwIfAborted(options.signal);
  const annotatedPng = options.render ? await renderAnnotatedPng(image, result) : null;
  return { result, annotatedPng };
}
