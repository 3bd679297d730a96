import { readPanelLabels, type PanelLabel } from '../engine/ocr/read-labels';
import type { BackendPreference, Box, RgbaImage } from '../engine/types';
import { loadOcrRecognizer } from '../models/ocr';
import type { OnnxBackend } from '../models/onnx';

export interface LabelStage {
  labels: PanelLabel[];
  /** The backend the recogniser ran on; null when no label strip needed it. */
  backend: OnnxBackend | null;
  /** Label finding and recognition, model loading excluded. */
  ocrMs: number;
  /** Time spent loading the recogniser during this call (first use only). */
  modelLoadMs: number;
}

/** The OCR stage of the pipeline: the engine reads the labels, lib/models runs the recogniser. */
export async function readLabelsInWorker(
  image: RgbaImage,
  panels: readonly Box[],
  options: { backend: BackendPreference; signal?: AbortSignal },
): Promise<LabelStage> {
  const started = performance.now();
  let modelLoadMs = 0;
  let backend: OnnxBackend | null = null;
  const { labels, linesRecognized } = await readPanelLabels(image, panels, {
    signal: options.signal,
    loadRecognizer: async () => {
      const { recognizer, loadMs } = await loadOcrRecognizer(options.backend);
      modelLoadMs = loadMs;
      backend = recognizer.backend;
      return recognizer;
    },
  });
  return { labels, backend: linesRecognized > 0 ? backend : null, ocrMs: performance.now() - started - modelLoadMs, modelLoadMs };
}
