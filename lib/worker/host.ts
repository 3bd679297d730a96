import { bytesToBase64 } from '../messaging/base64';
import { messageBytes, type AnalysisProgress, type AnalysisReply, type BytesRequest, type PairBytesRequest } from '../messaging/protocol';
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
  const { result, annotatedPng, modelLoadMs } = await bridge.analyze(request.name, messageBytes(request.bytes), {
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
      { name: first.name, bytes: messageBytes(first.bytes, 'The first picture') },
      { name: second.name, bytes: messageBytes(second.bytes, 'The second picture') },
    ],
    { render: request.render, backend: request.backend, evidence: request.evidence, signal },
  );
  return { result, annotatedPngBase64: annotatedPng ? bytesToBase64(new Uint8Array(annotatedPng)) : null, cached: false, modelLoadMs };
}
