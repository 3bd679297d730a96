// Test-only extension page (bundled by scripts/lib/test-page.mjs, never shipped): times each stage
// of reading a card's labels, the way lib/engine/ocr/read-labels.ts runs them, with the
// recogniser of the caller's choice (the shipped one, or another file put beside this page to
// compare two models in one browser). Used by `npm run bench:ocr -- --stages`.
import { detectCard } from '../../../../lib/engine/detect';
import { ctcGreedyDecode, parseRecognitionKeys } from '../../../../lib/engine/ocr/ctc';
import { findLabelStrips } from '../../../../lib/engine/ocr/label-strips';
import { lineText } from '../../../../lib/engine/ocr/read-labels';
import { recognitionInput } from '../../../../lib/engine/ocr/recognition-input';
import { snapModelName } from '../../../../lib/engine/model-names';
import type { Box, RgbaImage } from '../../../../lib/engine/types';
import { loadOnnxModel } from '../../../../lib/models/onnx';
import { decodeToRgba } from '../../../../lib/worker/decode';

export interface StripTiming {
  /** Model input columns. */
  width: number;
  inputMs: number;
  modelMs: number;
  decodeMs: number;
  /** Word gaps, clean-up and catalogue snapping. */
  textMs: number;
  text: string;
  confidence: number;
}

export interface CardTiming {
  findMs: number;
  strips: StripTiming[];
}

export interface OcrStagesApi {
  /** Decodes the card and finds its panels (not timed); returns the number of panels. */
  load(imageBase64: string): Promise<number>;
  /** One timed pass over the loaded card's labels with the model at `modelUrl` (loaded and warmed on first use). */
  run(modelUrl: string): Promise<CardTiming>;
}

let card: { image: RgbaImage; panels: Box[] } | null = null;
let keys: string[] | null = null;
const warmed = new Set<string>();

async function load(imageBase64: string): Promise<number> {
  // The pipeline's own decoder: the pixels every stage after it sees.
  const image = await decodeToRgba(Uint8Array.from(atob(imageBase64), (char) => char.charCodeAt(0)));
  card = { image, panels: detectCard(image).panels };
  keys ??= parseRecognitionKeys(await (await fetch('/models/ocr/ppocr_keys_v1.txt')).text());
  return card.panels.length;
}

async function run(modelUrl: string): Promise<CardTiming> {
  if (!card || !keys) throw new Error('load a card first');
  const { image, panels } = card;
  const model = await loadOnnxModel(new URL(modelUrl, location.href).href, 'wasm');
  if (!warmed.has(modelUrl)) {
    await model.run({ data: new Float32Array(3 * 48 * 320), dims: [1, 3, 48, 320] });
    warmed.add(modelUrl);
  }
  let started = performance.now();
  const strips = findLabelStrips(image, panels);
  const findMs = performance.now() - started;
  const timings: StripTiming[] = [];
  for (const strip of strips) {
    if (!strip) continue;
    started = performance.now();
    const input = recognitionInput(image, strip.cropBox);
    const inputMs = performance.now() - started;
    started = performance.now();
    const output = await model.run({ data: input.data, dims: input.dims });
    const modelMs = performance.now() - started;
    const [, frames = 0, classes = 0] = output.dims;
    started = performance.now();
    const decoding = ctcGreedyDecode(output.data, frames, classes, keys);
    const decodeMs = performance.now() - started;
    started = performance.now();
    const text = snapModelName(lineText(decoding, strip, input, frames));
    const textMs = performance.now() - started;
    timings.push({ width: input.dims[3], inputMs, modelMs, decodeMs, textMs, text, confidence: decoding.confidence });
  }
  return { findMs, strips: timings };
}

(globalThis as unknown as { sidelightOcrStages: OcrStagesApi }).sidelightOcrStages = { load, run };
document.body.dataset.ready = 'true';
