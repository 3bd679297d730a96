// Test-only extension page (bundled by scripts/lib/test-page.mjs, never shipped): reads a card's
// labels with lib/models/ocr on WASM and on WebGPU, recording the recogniser's raw outputs, and
// compares them. Proves the WebGPU path even where a software adapter makes it too slow to use.
import { detectCard } from '../../../../lib/engine/detect';
import { readPanelLabels, type LineRecognizer, type PanelLabel, type RecognitionOutput } from '../../../../lib/engine/ocr/read-labels';
import type { BackendPreference, RgbaImage } from '../../../../lib/engine/types';
import { loadOcrRecognizer } from '../../../../lib/models/ocr';

export interface BackendReading {
  backend: string;
  labels: PanelLabel[];
  outputs: RecognitionOutput[];
}

export interface BackendComparison {
  adapter: { present: boolean; fallback: boolean | null };
  wasm: { backend: string; labels: PanelLabel[] };
  webgpu: { backend: string; labels: PanelLabel[] };
  lines: number;
  /** Largest |p_webgpu − p_wasm| over every probability of every line. */
  maxAbsDiff: number;
  /** Share of frames whose most likely class is the same on both backends. */
  argmaxAgreement: number;
  /** Frames × classes compared per line; equal shapes are required. */
  shapes: [number, number][];
}

export interface OnnxCheckApi {
  compare(imageBase64: string): Promise<BackendComparison>;
}

async function decode(imageBase64: string): Promise<RgbaImage> {
  const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(imageBase64), (char) => char.charCodeAt(0))]));
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2D context');
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
  return { data, width, height };
}

async function read(image: RgbaImage, preference: BackendPreference): Promise<BackendReading> {
  const panels = detectCard(image).panels;
  const outputs: RecognitionOutput[] = [];
  let backend = 'none';
  const { labels } = await readPanelLabels(image, panels, {
    loadRecognizer: async (): Promise<LineRecognizer> => {
      const { recognizer } = await loadOcrRecognizer(preference);
      backend = recognizer.backend;
      return {
        keys: recognizer.keys,
        recognize: async (input) => {
          const output = await recognizer.recognize(input);
          outputs.push({ ...output, probabilities: output.probabilities.slice() });
          return output;
        },
      };
    },
  });
  return { backend, labels, outputs };
}

function argmaxAt(probabilities: Float32Array, frame: number, classes: number): number {
  let best = 0;
  for (let index = 1; index < classes; index++) if ((probabilities[frame * classes + index] ?? 0) > (probabilities[frame * classes + best] ?? 0)) best = index;
  return best;
}

async function adapterState(): Promise<BackendComparison['adapter']> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<{ info?: { isFallbackAdapter?: boolean } } | null> } }).gpu;
  const adapter = gpu ? await gpu.requestAdapter().catch(() => null) : null;
  return { present: Boolean(adapter), fallback: adapter ? Boolean(adapter.info?.isFallbackAdapter) : null };
}

async function compare(imageBase64: string): Promise<BackendComparison> {
  const image = await decode(imageBase64);
  const wasm = await read(image, 'wasm');
  const webgpu = await read(image, 'webgpu');
  let maxAbsDiff = 0;
  let frames = 0;
  let agreeing = 0;
  const shapes: [number, number][] = [];
  wasm.outputs.forEach((reference, line) => {
    const other = webgpu.outputs[line];
    shapes.push([reference.frames, reference.classes]);
    if (!other || other.frames !== reference.frames || other.classes !== reference.classes) {
      maxAbsDiff = Number.POSITIVE_INFINITY;
      return;
    }
    for (let index = 0; index < reference.probabilities.length; index++) {
      maxAbsDiff = Math.max(maxAbsDiff, Math.abs((reference.probabilities[index] ?? 0) - (other.probabilities[index] ?? 0)));
    }
    for (let frame = 0; frame < reference.frames; frame++) {
      frames++;
      if (argmaxAt(reference.probabilities, frame, reference.classes) === argmaxAt(other.probabilities, frame, other.classes)) agreeing++;
    }
  });
  return {
    adapter: await adapterState(),
    wasm: { backend: wasm.backend, labels: wasm.labels },
    webgpu: { backend: webgpu.backend, labels: webgpu.labels },
    lines: wasm.outputs.length,
    maxAbsDiff,
    argmaxAgreement: frames === 0 ? 0 : agreeing / frames,
    shapes,
  };
}

(globalThis as unknown as { sidelightOnnxCheck: OnnxCheckApi }).sidelightOnnxCheck = { compare };
document.body.dataset.ready = 'true';
