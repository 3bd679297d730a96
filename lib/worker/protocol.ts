import type { AnalysisResult, BackendPreference, Box, RgbaImage } from '../engine/types';
import type { LabelStage } from './labels';
import type { AnalysisProgress, PairEvidence } from '../messaging/protocol';

/** What the worker needs besides the bytes: see BytesRequest in lib/messaging/protocol.ts. */
export interface AnalyzeOptions {
  render: boolean;
  backend?: BackendPreference;
}

export interface WorkerPicture {
  name: string;
  bytes: ArrayBuffer;
}

/** Messages between a worker host (offscreen document or Firefox background page) and the analysis worker. */
export type WorkerRequest =
  | ({ kind: 'analyze'; id: number; name: string; bytes: ArrayBuffer } & AnalyzeOptions)
  /** Two pictures of one post as one card (lib/worker/analyze-pair.ts), first on the left. */
  | ({ kind: 'analyze-pair'; id: number; name: string; pictures: [WorkerPicture, WorkerPicture]; evidence?: PairEvidence } & AnalyzeOptions)
  | { kind: 'abort'; id: number };

export type WorkerReply =
  /** Sent before the result, for single images: see AnalysisProgress. */
  | { kind: 'progress'; id: number; progress: AnalysisProgress }
  | { kind: 'result'; id: number; result: AnalysisResult; annotatedPng: ArrayBuffer | null; modelLoadMs: number }
  | { kind: 'failure'; id: number; error: string };

/**
 * Messages between the analysis worker and the label worker it starts (lib/worker/label-reader.ts):
 * the card's pixels and panels go there, each panel's label comes back.
 */
export type LabelWorkerRequest =
  | { kind: 'read-labels'; id: number; image: RgbaImage; panels: Box[]; backend: BackendPreference }
  /** The analysis that asked was cancelled: a queued request is dropped, a running one stops before its next strip. */
  | { kind: 'abort'; id: number };

export type LabelWorkerReply =
  | { kind: 'labels'; id: number; stage: LabelStage }
  | { kind: 'failure'; id: number; error: string };
