import type { AnalysisResult, BackendPreference } from '../engine/types';

/** What the content script knows about an image it asks about. */
export interface ImageRequest {
  /** The image's address (its largest srcset candidate); http(s). blob: and data: go as bytes (`analyze-page-bytes`). */
  url: string;
  /** The page the image was seen on; recorded with results, never fetched. */
  pageUrl: string;
  /** The image's alt text and its post's text: label sources when the card shows no readable label. */
  altText?: string | null;
  postText?: string | null;
  /**
   * The content script's name for this request: progress on it comes back to the asking frame as
   * `content-analysis-progress` with this ticket. No progress is sent without one.
   */
  ticket?: string;
}

/**
 * How far an analysis has got, sent before its result: the image is a comparison card and its
 * card stages (labels, models, signals) are running. `modelsLoading` when the engine has not run
 * them before and is loading its models first (the first card of a session).
 */
export interface AnalysisProgress {
  stage: 'card-found';
  modelsLoading: boolean;
}

/**
 * Image bytes a content script sends for a picture only the page can read: a Blob, which the browser
 * hands over by reference (the page's main thread copies no bytes into the message), or the bytes.
 */
export type PageBytes = Blob | Uint8Array;

/** A page image whose address only the page can read (`blob:`, `data:`): the content script sends its bytes. */
export interface PageBytesRequest extends ImageRequest {
  /** The image bytes (messages are structured clones: manifest `message_serialization`, wxt.config.ts). */
  bytes: PageBytes;
}

export interface BytesRequest {
  /** A display name for the result's `file` field. */
  name: string;
  /** The image bytes. */
  bytes: Uint8Array;
  /** Also draw the annotated PNG. */
  render: boolean;
  /** Model backend (the CLI's --backend); 'auto' when absent. */
  backend?: BackendPreference;
  /** The image's alt text and its post's text: label sources when the card shows no readable label. */
  altText?: string | null;
  postText?: string | null;
  /** Set by the background for the engine's host: its `engine-progress` messages carry it back. */
  progressId?: string;
}

/** One picture of a pair: http(s) addresses are fetched by the background, `blob:`/`data:` ones come as the page's bytes. */
export interface PairImageRequest {
  url: string;
  /** The picture's bytes, for addresses only the page can read; absent or null for http(s). */
  bytes?: PageBytes | null;
}

/** Two pictures of one post (a two-image post on X, Bluesky, Facebook...) analysed as one card, first on the left. */
export interface PairRequest {
  images: [PairImageRequest, PairImageRequest];
  /** The page the pictures were seen on; recorded with results, never fetched. */
  pageUrl: string;
  /** The pictures' alt texts and the post's text: label sources for the two panels. */
  altText?: string | null;
  postText?: string | null;
}

/** What the background hands the engine for a pair: both pictures' bytes, in panel order. */
export interface PairBytesRequest {
  /** A display name for the result's `file` field. */
  name: string;
  pictures: [PairPictureBytes, PairPictureBytes];
  render: boolean;
  backend?: BackendPreference;
  /** Set when the pair is kept only with evidence that it is a card (see PairEvidence): lets the engine stop early when it is not. */
  evidence?: PairEvidence;
}

/**
 * What the engine must know to apply a pair's evidence test (lib/engine/pair.ts `withPairEvidence`)
 * itself, right after the faces: whether the post's caption names a model for each picture.
 */
export interface PairEvidence {
  captionLabelled: boolean;
}

/** Two local files (a pair dropped on the library, `sidelight analyze --pair`) as one card, first on the left. */
export interface UploadedPairRequest {
  pictures: [PairPictureBytes, PairPictureBytes];
  /** Also draw the annotated PNG. */
  render: boolean;
  /** Model backend (the CLI's --backend); 'auto' when absent. */
  backend?: BackendPreference;
  /** Label sources for the two panels (the library's and the CLI's "A vs B" from file names named after models). */
  altText?: string | null;
  postText?: string | null;
}

/** One picture of a pair, as its display name and bytes. */
export interface PairPictureBytes {
  name: string;
  bytes: Uint8Array;
}

export interface AnalysisReply {
  result: AnalysisResult;
  /** The annotated card as PNG, base64, when `render` was asked for and the image decoded. */
  annotatedPngBase64: string | null;
  /** True when the result came from the content-hash cache. */
  cached: boolean;
  /** Milliseconds this request spent loading models (first use in the worker only), outside `timingsMs`. */
  modelLoadMs?: number;
}

/** The overlay's Save button: the image (the background fetches its bytes itself), where it was seen, and the analysis shown. */
export interface LibrarySaveRequest extends ImageRequest {
  postUrl: string | null;
  author: string | null;
  postText: string | null;
  result: AnalysisResult;
  /**
   * The image's bytes as the page holds them, for `blob:` and `data:` addresses (the background
   * cannot fetch a page's blob:); http(s) images are fetched by the background instead.
   */
  bytes?: PageBytes | null;
  /**
   * Set when the card is a pair (`result.source.kind === 'pair'`): both pictures, fetched or
   * checked like `url`/`bytes`, and saved as the pair's side-by-side card.
   */
  pair?: [PairImageRequest, PairImageRequest] | null;
}

export interface LibrarySaveReply {
  /** SHA-256 of the saved image bytes: the card's key in the library. */
  hash: string;
  /** False when the card was already saved and has been updated. */
  created: boolean;
}

export interface EngineStatus {
  host: 'offscreen' | 'background-page';
  ready: boolean;
}

/**
 * Every message in the extension: name → who handles it, its request and its reply.
 * Background handles messages from content scripts and extension pages; the offscreen
 * document handles the ones the background forwards to the engine.
 */
export interface ProtocolMap {
  'analyze-image': { target: 'background'; request: ImageRequest; reply: AnalysisReply };
  'analyze-page-bytes': { target: 'background'; request: PageBytesRequest; reply: AnalysisReply };
  'analyze-bytes': { target: 'background'; request: BytesRequest; reply: AnalysisReply };
  /** Two pictures of one post as one card, cached by the pair's key. */
  'analyze-pair': { target: 'background'; request: PairRequest; reply: AnalysisReply };
  /** Two local files as one card, cached by the pair's key like `analyze-pair`. */
  'analyze-pair-bytes': { target: 'background'; request: UploadedPairRequest; reply: AnalysisReply };
  'engine-status': { target: 'background'; request: Record<string, never>; reply: EngineStatus };
  /** The keyboard shortcut that analyses the on-demand offer, as the browser has it now; null when none is set. */
  'analyze-shortcut': { target: 'background'; request: Record<string, never>; reply: { shortcut: string | null } };
  /** Saves a card to the library (IndexedDB, owned by the background and the library page). */
  'library-save': { target: 'background'; request: LibrarySaveRequest; reply: LibrarySaveReply };
  /** The engine's host (offscreen document) → background: progress on an `offscreen-analyze` request. */
  'engine-progress': { target: 'background'; request: { progressId: string; progress: AnalysisProgress }; reply: Record<string, never> };
  'offscreen-analyze': { target: 'offscreen'; request: BytesRequest; reply: AnalysisReply };
  'offscreen-analyze-pair': { target: 'offscreen'; request: PairBytesRequest; reply: AnalysisReply };
  'offscreen-ping': { target: 'offscreen'; request: Record<string, never>; reply: { ready: true } };
  /** Background → the tab's content script: the user asked (context menu) to analyse this image. */
  'content-analyze-image': { target: 'content'; request: { srcUrl: string }; reply: { found: boolean } };
  /** Background → a tab's top frame: the keyboard shortcut; analyse the picture offered there (on-demand mode). */
  'content-analyze-offered': { target: 'content'; request: Record<string, never>; reply: { found: boolean } };
  /** Background → the frame that asked: progress on its `analyze-image` / `analyze-page-bytes` request (`ticket`). */
  'content-analysis-progress': { target: 'content'; request: { ticket: string; progress: AnalysisProgress }; reply: Record<string, never> };
}

export type MessageName = keyof ProtocolMap;
export type Target = ProtocolMap[MessageName]['target'];
export type RequestOf<N extends MessageName> = ProtocolMap[N]['request'];
export type ReplyOf<N extends MessageName> = ProtocolMap[N]['reply'];

export interface Envelope<N extends MessageName = MessageName> {
  sidelight: 1;
  name: N;
  target: ProtocolMap[N]['target'];
  request: RequestOf<N>;
}

export type ReplyEnvelope<N extends MessageName = MessageName> =
  | { ok: true; value: ReplyOf<N> }
  | { ok: false; error: string };

const TARGETS: { [N in MessageName]: ProtocolMap[N]['target'] } = {
  'analyze-image': 'background',
  'analyze-page-bytes': 'background',
  'analyze-bytes': 'background',
  'analyze-pair': 'background',
  'analyze-pair-bytes': 'background',
  'engine-status': 'background',
  'analyze-shortcut': 'background',
  'library-save': 'background',
  'engine-progress': 'background',
  'offscreen-analyze': 'offscreen',
  'offscreen-analyze-pair': 'offscreen',
  'offscreen-ping': 'offscreen',
  'content-analyze-image': 'content',
  'content-analyze-offered': 'content',
  'content-analysis-progress': 'content',
};

export function targetOf<N extends MessageName>(name: N): ProtocolMap[N]['target'] {
  return TARGETS[name];
}

export function makeEnvelope<N extends MessageName>(name: N, request: RequestOf<N>): Envelope<N> {
  return { sidelight: 1, name, target: targetOf(name), request };
}

/** Narrows an unknown runtime message to one of ours; anything else is ignored by every listener. */
export function isEnvelope(message: unknown): message is Envelope {
  if (typeof message !== 'object' || message === null) return false;
  const candidate = message as Partial<Envelope>;
  return (
    candidate.sidelight === 1 &&
    typeof candidate.name === 'string' &&
    candidate.name in TARGETS &&
    candidate.target === TARGETS[candidate.name as MessageName] &&
    typeof candidate.request === 'object' &&
    candidate.request !== null
  );
}

/**
 * Image bytes as a message brought them. Messages are structured clones in every Sidelight context
 * (manifest `message_serialization`, wxt.config.ts); a browser that sent them as JSON would hand
 * over a plain object, refused here in words rather than analysed as garbage.
 */
export function messageBytes(value: unknown, what = 'The image'): Uint8Array {
  if (value instanceof Uint8Array) return value;
  throw new Error(`${what} did not arrive as bytes (this browser may not support structured-clone extension messages).`);
}

/** The bytes of a picture a content script sent (PageBytes): a Blob is read here, in the receiving context. */
export async function sentPageBytes(value: unknown, what = 'The image'): Promise<Uint8Array> {
  if (value instanceof Blob) return new Uint8Array(await value.arrayBuffer());
  return messageBytes(value, what);
}
