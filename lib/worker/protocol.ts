import type { AnalysisResult } from '../engine/types';

/** Messages between a worker host (offscreen document or Firefox background page) and the analysis worker. */
export type WorkerRequest =
  | { kind: 'analyze'; id: number; name: string; bytes: ArrayBuffer; render: boolean }
  | { kind: 'abort'; id: number };

export type WorkerReply =
  | { kind: 'result'; id: number; result: AnalysisResult; annotatedPng: ArrayBuffer | null }
  | { kind: 'failure'; id: number; error: string };
