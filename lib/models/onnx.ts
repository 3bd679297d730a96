/**
 * The one importer of onnxruntime-web, loaded only by the label worker (lib/worker/labels.worker.ts).
 * Sessions are created lazily, once per model and backend, and every call (creation included) runs
 * through one queue: WASM and WebGPU work never overlaps.
 */
import * as ort from 'onnxruntime-web';
import type { BackendPreference } from '../engine/types';

export type OnnxBackend = 'wasm' | 'webgpu';

export interface FloatTensor {
  data: Float32Array;
  dims: readonly number[];
}

export interface OnnxModel {
  readonly backend: OnnxBackend;
  /** Runs the model on one float input and returns its first output. */
  run(input: FloatTensor): Promise<FloatTensor>;
}

/** Where scripts/assets/10-ocr-models.mjs puts the runtime's wasm (only the JSEP build: it runs both WASM and WebGPU). */
const RUNTIME_FOLDER = '/ort/';

// A promise chain, not state: it only orders calls within this worker's lifetime.
let queue: Promise<unknown> = Promise.resolve();
const sessions = new Map<string, Promise<OnnxModel>>();
let runtimeConfigured = false;

function serialized<T>(task: () => Promise<T>): Promise<T> {
  const next = queue.then(task, task);
  queue = next.catch(() => undefined);
  return next;
}

function configureRuntime(): void {
  if (runtimeConfigured) return;
  // browser.runtime.getURL is not available in a worker; the worker shares the extension's origin.
  ort.env.wasm.wasmPaths = new URL(RUNTIME_FOLDER, self.location.origin).href;
  // Threads need cross-origin isolation, which extension pages do not have; on 2 cores they gave nothing.
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.logLevel = 'error';
  runtimeConfigured = true;
}

interface GpuAdapterLike {
  info?: { isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
}

interface GpuLike {
  requestAdapter(): Promise<GpuAdapterLike | null>;
}

/** 'real' for a hardware adapter, 'fallback' for a software one (SwiftShader), null for none. */
async function gpuAdapterKind(): Promise<'real' | 'fallback' | null> {
  const gpu = (navigator as Navigator & { gpu?: GpuLike }).gpu;
  if (!gpu) return null;
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return null;
    return adapter.info?.isFallbackAdapter || adapter.isFallbackAdapter ? 'fallback' : 'real';
  } catch {
    return null;
  }
}

let adapterKind: Promise<'real' | 'fallback' | null> | null = null;

/**
 * 'auto': WebGPU only on a real adapter (a software one is tens of times slower than WASM).
 * 'webgpu': any adapter, software included (correctness tests); WASM when there is none.
 */
export async function resolveOnnxBackend(preference: BackendPreference): Promise<OnnxBackend> {
  if (preference === 'wasm') return 'wasm';
  adapterKind ??= gpuAdapterKind();
  const kind = await adapterKind;
  if (kind === 'real') return 'webgpu';
  return preference === 'webgpu' && kind === 'fallback' ? 'webgpu' : 'wasm';
}

/** The model at `url` (an extension-bundled file), created on first use and reused afterwards. */
export async function loadOnnxModel(url: string, preference: BackendPreference): Promise<OnnxModel> {
  const backend = await resolveOnnxBackend(preference);
  const key = `${backend} ${url}`;
  let model = sessions.get(key);
  if (!model) {
    model = serialized(() => createModel(url, backend)).catch((error: unknown) => {
      // A model the WebGPU provider cannot take (an operator it lacks, a lost device) still runs on WASM.
      if (backend !== 'webgpu') throw error;
      console.warn(`Sidelight: ${url} could not run on WebGPU, using WASM:`, error);
      return loadOnnxModel(url, 'wasm');
    });
    sessions.set(key, model);
    // A failed creation is not cached: the next request tries again.
    model.catch(() => sessions.delete(key));
  }
  return model;
}

async function createModel(url: string, backend: OnnxBackend): Promise<OnnxModel> {
  configureRuntime();
  const session = await ort.InferenceSession.create(url, { executionProviders: [backend], graphOptimizationLevel: 'all' });
  const inputName = session.inputNames[0];
  const outputName = session.outputNames[0];
  if (!inputName || !outputName) throw new Error(`${url} has no input or no output.`);
  return {
    backend,
    run: (input) =>
      serialized(async () => {
        const feeds = { [inputName]: new ort.Tensor('float32', input.data, input.dims) };
        const outputs = await session.run(feeds);
        const output = outputs[outputName];
        if (!output || output.type !== 'float32') throw new Error(`${url} gave no float32 output.`);
        // getData() downloads from the GPU when the output lives there; on WASM it is the tensor's own array.
        const data = (await output.getData()) as Float32Array;
        const result = { data: data.slice(), dims: [...output.dims] };
        output.dispose();
        return result;
      }),
  };
}
