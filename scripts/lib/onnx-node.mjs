// Runs an ONNX model in Node with onnxruntime-web's Node build (plain wasm, 1 thread): for checks
// of build-time model rewrites (tests/unit/ocr-model-rewrite.test.ts). The extension itself loads
// models only through lib/models.
import * as ort from 'onnxruntime-web';

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

/**
 * A session on `bytes` (optimised as the extension's are, graphOptimizationLevel 'all') whose
 * `run` takes one float32 input and returns the first output.
 * @param {Uint8Array} bytes
 * @returns {Promise<{ run(data: Float32Array, dims: number[]): Promise<{ data: Float32Array, dims: number[] }>, release(): Promise<void> }>}
 */
export async function nodeSession(bytes) {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  const [inputName] = session.inputNames;
  const [outputName] = session.outputNames;
  return {
    async run(data, dims) {
      const outputs = await session.run({ [inputName]: new ort.Tensor('float32', data, dims) });
      const output = outputs[outputName];
      return { data: new Float32Array(output.data), dims: [...output.dims] };
    },
    release: () => session.release(),
  };
}
