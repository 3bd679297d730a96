import { detectCard } from '../engine/detect';
import { sha256Hex } from '../engine/hash';
import { cropRgba } from '../engine/image';
import { pairDetection, pairKey, pairPanelBoxes, pairSource } from '../engine/pair';
import { failedResult, zeroTimings } from '../engine/result';
import { checkDecodable } from '../engine/sniff';
import { composePairPixels } from '../library/pair';
import type { PairEvidence } from '../messaging/protocol';
import { analyzeDetected, throwIfAborted, type BytesAnalysis, type BytesOptions } from './analyze-bytes';

export interface PairPicture {
  name: string;
  bytes: Uint8Array;
}

/** Which of the two pictures the browser cannot decode, in words ("The second picture (b.jpg)"), after drawing them together failed. */
async function undecodablePicture(pictures: readonly [PairPicture, PairPicture]): Promise<string> {
  for (const [index, picture] of pictures.entries()) {
    const decoded = await createImageBitmap(new Blob([picture.bytes as Uint8Array<ArrayBuffer>])).catch(() => null);
    decoded?.close();
    if (!decoded) return `The ${index === 0 ? 'first' : 'second'} picture (${picture.name})`;
  }
  return 'One of the two pictures';
}

/**
 * Two pictures of one post as one card: each is checked and hashed, both are drawn side by side
 * (lib/library/pair.ts), and the card stages run with the panels known to be the two pictures.
 * The result's hash is the pair's key (order matters) and its `source` names both pictures.
 */
export async function analyzePairBytes(name: string, pictures: readonly [PairPicture, PairPicture], options: BytesOptions & { evidence?: PairEvidence }): Promise<BytesAnalysis> {
  const started = performance.now();
  const timings = zeroTimings();
  for (const [index, picture] of pictures.entries()) {
    const header = checkDecodable(picture.bytes);
    if (header.ok) continue;
    timings.total = performance.now() - started;
    const which = index === 0 ? 'first' : 'second';
    return { result: failedResult(name, header.reason, `The ${which} picture (${picture.name}): ${header.error}`, timings), annotatedPng: null, modelLoadMs: 0 };
  }

  const hashes = Promise.all(pictures.map((picture) => sha256Hex(picture.bytes)));
  const decodeStarted = performance.now();
  let composed;
  try {
    const [first, second] = pictures.map((picture) => new Blob([picture.bytes as Uint8Array<ArrayBuffer>]));
    composed = await composePairPixels(first as Blob, second as Blob);
  } catch {
    timings.total = performance.now() - started;
    return { result: failedResult(name, 'corrupt', `${await undecodablePicture(pictures)} could not be decoded (damaged or truncated file).`, timings), annotatedPng: null, modelLoadMs: 0 };
  }
  timings.decode = performance.now() - decodeStarted;
  throwIfAborted(options.signal);

  // Each picture's own detection says whether it can be a panel at all (too small, too thin, blank).
  const detectStarted = performance.now();
  const [firstBox, secondBox] = pairPanelBoxes(composed.layout);
  const detection = pairDetection(composed.layout, [detectCard(cropRgba(composed.image, firstBox)), detectCard(cropRgba(composed.image, secondBox))]);
  timings.detect = performance.now() - detectStarted;

  const [firstHash, secondHash] = await hashes;
  const [firstPicture, secondPicture] = pictures;
  const [firstSize, secondSize] = composed.sizes;
  const source = pairSource([
    { file: firstPicture.name, hash: firstHash as string, ...firstSize },
    { file: secondPicture.name, hash: secondHash as string, ...secondSize },
  ]);
  return analyzeDetected(name, composed.image, detection, { hash: pairKey(firstHash as string, secondHash as string), started, timings, source, evidence: options.evidence }, options);
}
