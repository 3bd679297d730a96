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
  /**
   * When that loading ended, as `performance.timeOrigin + performance.now()` (comparable across
   * workers); null when nothing was loaded. Tells the analysis worker how much of its wait for
   * the labels was a wait for the model.
   */
  loadEndedAt: number | null;
}

/** The OCR stage of the pipeline, run in the label worker: the engine reads the labels, lib/models runs the recogniser. */
export async function readLabelsInWorker(
  image: RgbaImage,
  panels: readonly Box[],
  options: { backend: BackendPreference; signal?: AbortSignal },
): Promise<LabelStage> {
  const started = performance.now();
  let modelLoadMs = 0;
  let loadEndedAt: number | null = null;
  let backend: OnnxBackend | null = null;
  const { labels, linesRecognized } = await readPanelLabels(image, panels, {
    signal: options.signal,
    loadRecognizer: async () => {
      const { recognizer, loadMs } = await loadOcrRecognizer(options.backend);
      modelLoadMs = loadMs;
      if (loadMs > 0) loadEndedAt = performance.timeOrigin + performance.now();
      backend = recognizer.backend;
      return recognizer;
    },
  });
  return { labels, backend: linesRecognized > 0 ? backend : null, ocrMs: performance.now() - started - modelLoadMs, modelLoadMs, loadEndedAt };
}
