import type { FailureReason } from '../engine/types';
import { MAX_IMAGE_BYTES, tooLargeMessage } from '../messaging/image-size';

const FETCH_TIMEOUT_MS = 20_000;

export type FetchedImage = { ok: true; bytes: Uint8Array } | { ok: false; reason: FailureReason; error: string };

const IMAGE_CONTENT_TYPES = /^(image\/|application\/octet-stream|binary\/octet-stream)/i;

/** Downloads an image the page shows, with the extension's host permission (page canvases would be tainted). */
export async function fetchImageBytes(url: string, signal?: AbortSignal): Promise<FetchedImage> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'fetch-failed', error: 'The image address is not a valid URL.' };
  }
  if (!['http:', 'https:', 'data:'].includes(parsed.protocol)) {
    return { ok: false, reason: 'fetch-failed', error: `Images from ${parsed.protocol} addresses are read by the page script, not fetched.` };
  }
  const timeout = AbortSignal.timeout(FETCH_TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'omit', signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
  } catch (error) {
    const timedOut = timeout.aborted;
    return {
      ok: false,
      reason: 'fetch-failed',
      error: timedOut ? 'The image took too long to download.' : `The image could not be downloaded (${error instanceof Error ? error.message : 'network error'}).`,
    };
  }
  if (!response.ok) return { ok: false, reason: 'fetch-failed', error: `The image could not be downloaded (HTTP ${response.status}).` };
  const contentType = response.headers.get('content-type');
  if (contentType && !IMAGE_CONTENT_TYPES.test(contentType)) {
    return { ok: false, reason: 'not-an-image', error: `The server sent ${contentType.split(';')[0]}, not an image.` };
  }
  const declaredLength = Number(response.headers.get('content-length') ?? '0');
  if (declaredLength > MAX_IMAGE_BYTES) return tooLarge(declaredLength);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > MAX_IMAGE_BYTES) return tooLarge(bytes.length);
  return { ok: true, bytes };
}

function tooLarge(size: number): FetchedImage {
  return { ok: false, reason: 'too-large', error: tooLargeMessage(size, 'The image file') };
}
