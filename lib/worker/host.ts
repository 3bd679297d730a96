import { base64ToBytes, bytesToBase64 } from '../messaging/base64';
import type { AnalysisProgress, AnalysisReply, BytesRequest, PairBytesRequest } from '../messaging/protocol';
import { AnalysisWorkerBridge } from './bridge';

/** Starts the analysis worker lazily; used by the offscreen document (Chrome) and the background page (Firefox). */
export function createWorkerBridge(): AnalysisWorkerBridge {
  return new AnalysisWorkerBridge(() => new Worker(new URL('./analysis.worker.ts', import.meta.url), { type: 'module', name: 'sidelight-analysis' }));
}

export async function analyzeInWorker(
  bridge: AnalysisWorkerBridge,
  request: BytesRequest,
  options: { signal?: AbortSignal; onProgress?: (progress: AnalysisProgress) => void } = {},
): Promise<AnalysisReply> {
  const { result, annotatedPng, modelLoadMs } = await bridge.analyze(request.name, base64ToBytes(request.bytesBase64), {
    render: request.render,
    backend: request.backend,
    ...options,
  });
  return { result, annotatedPngBase64: annotatedPng ? bytesToBase64(new Uint8Array(annotatedPng)) : null, cached: false, modelLoadMs };
}

export async function analyzePairInWorker(bridge: AnalysisWorkerBridge, request: PairBytesRequest, signal?: AbortSignal): Promise<AnalysisReply> {
  const [first, second] = request.pictures;
  const { result, annotatedPng, modelLoadMs } = await bridge.analyzePair(
    request.name,
    [
      { name: first.name, bytes: base64ToBytes(first.bytesBase64) },
      { name: second.name, bytes: base64ToBytes(second.bytesBase64) },
    ],
    { render: request.render, backend: request.backend, signal },
  );
  return { result, annotatedPngBase64: annotatedPng ? bytesToBase64(new Uint8Array(annotatedPng)) : null, cached: false, modelLoadMs };
}
