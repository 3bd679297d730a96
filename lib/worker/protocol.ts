import type { AnalysisResult, BackendPreference } from '../engine/types';
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
