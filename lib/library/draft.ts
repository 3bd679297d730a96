import { sha256Hex } from '../engine/hash';
import { sniffImage } from '../engine/sniff';
import type { AnalysisResult } from '../engine/types';
import { makeThumbnail } from './thumbnail';
import type { CardDraft, PostInfo } from './types';

/** The MIME type of image bytes, from their header (the server's Content-Type is not trusted). */
export function imageMime(bytes: Uint8Array): string {
  const format = sniffImage(bytes).format;
  if (!format || format === 'svg') return 'application/octet-stream';
  return `image/${format}`;
}

/** Everything a save needs from an image's bytes: its hash, type and thumbnail, with the analysis keyed by that hash. */
export async function cardDraft(
  bytes: Uint8Array,
  analysis: AnalysisResult,
  post: PostInfo,
  extra: Pick<CardDraft, 'savedAt' | 'notes' | 'tags'> = {},
): Promise<CardDraft> {
  const hash = await sha256Hex(bytes);
  const mime = imageMime(bytes);
  const original = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime });
  return { hash, mime, original, thumbnail: await makeThumbnail(original), analysis: { ...analysis, hash }, ...post, ...extra };
}
