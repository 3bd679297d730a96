import { checkDecodable } from '../engine/sniff';
import { detectCard } from '../engine/detect';
import { sha256Hex } from '../engine/hash';
import { failedResult, resultFromDetection, zeroTimings } from '../engine/result';
import type { AnalysisResult, BackendPreference, Box, CardDetection, Layout, PairSource, RgbaImage, Timings } from '../engine/types';
import { cropRgba } from '../engine/image';
import { encodePanelHeatmaps } from '../engine/heatmap-codec';
import { judgeCard, type CardJudgement } from '../engine/judge';
import { auditComparison, type AuditPanel } from '../engine/audit';
import { withPairEvidence } from '../engine/pair';
import { panelFace } from '../engine/regions/build';
import { decodeToRgba } from './decode';
import { createLabelReader } from './label-reader';
import type { LabelStage } from './labels';
import { findCardFaces, mapCardRegions, preloadRegionModels, type FacePass, type RegionStage } from './regions';
import { renderAnnotatedPng } from './render';
import type { AnalysisProgress, PairEvidence } from '../messaging/protocol';

export interface BytesAnalysis {
  result: AnalysisResult;
  annotatedPng: ArrayBuffer | null;
  /** Time this image spent waiting for models to load (first use only); not part of `timingsMs`. */
  modelLoadMs: number;
}

export interface BytesOptions {
  render: boolean;
  signal?: AbortSignal;
  backend?: BackendPreference;
  /** Told when the image turns out to be a card, before its card stages run (the overlay's progress badge). */
  onProgress?: (progress: AnalysisProgress) => void;
}

/** Set once a card's stages have run in this worker: later cards find their models loaded. */
let cardStagesRun = false;
/** The label worker, started with this worker's first card and stopped with this worker. */
const labelReader = createLabelReader();

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DOMException('The analysis was cancelled.', 'AbortError');
}

/** The whole pipeline for one image: header check, decode, hash, detection, labels, result (and drawing). */
export async function analyzeBytes(
  name: string,
  bytes: Uint8Array,
  options: BytesOptions,
): Promise<BytesAnalysis> {
  const started = performance.now();
  const timings = zeroTimings();
  const header = checkDecodable(bytes);
  if (!header.ok) {
    timings.total = performance.now() - started;
    return { result: failedResult(name, header.reason, header.error, timings), annotatedPng: null, modelLoadMs: 0 };
  }

  const hashPromise = sha256Hex(bytes);
  const decodeStarted = performance.now();
  let image;
  try {
    image = await decodeToRgba(bytes);
  } catch {
    timings.total = performance.now() - started;
    return {
      result: failedResult(name, 'corrupt', `The ${header.format.toUpperCase()} data could not be decoded (damaged or truncated file).`, timings),
      annotatedPng: null,
      modelLoadMs: 0,
    };
  }
  timings.decode = performance.now() - decodeStarted;
  throwIfAborted(options.signal);

  const detectStarted = performance.now();
  const detection = detectCard(image);
  timings.detect = performance.now() - detectStarted;
  return analyzeDetected(name, image, detection, { hash: hashPromise, started, timings }, options);
}

/** What the card stages need besides the pixels: the content key (awaited last), when the analysis began, the timings so far. */
export interface StagesContext {
  hash: Promise<string>;
  started: number;
  timings: Timings;
  /** Set for a card made of two pictures: goes into the result as `source`. */
  source?: PairSource;
  /** Set for a pair kept only with evidence that it is a card: see `unrelatedEarly`. */
  evidence?: PairEvidence;
}

/**
 * The stages after detection, for any card whose panels are known (detected in one image, or the
 * two pictures of a pair): labels, region maps, signals, audit, verdict, the result (and drawing).
 */
export async function analyzeDetected(
  name: string,
  image: RgbaImage,
  detection: CardDetection,
  context: StagesContext,
  options: BytesOptions,
): Promise<BytesAnalysis> {
  const { timings } = context;
  if (detection.isComparison) {
    options.onProgress?.({ stage: 'card-found', modelsLoading: !cardStagesRun });
    cardStagesRun = true;
    // A first card: the region models load while the labels are read.
    preloadRegionModels();
  }
  // The labels are read on the label worker while this one runs the face pass and segmentation,
  // which do not need them; they are awaited where they are needed (the pair test, the region maps).
  const labels = detection.isComparison ? readLabelsAside(image, detection.panels, options) : null;
  const faces = detection.isComparison ? await findCardFaces(image, detection.panels, options.signal) : null;
  if (labels && context.evidence) {
    const early = await unrelatedEarly(name, image, detection, labels, faces, context, options);
    if (early) return early;
  }
  // Region maps per panel (regionStage.panels holds each panel's pixels and full masks for the signals).
  const labelBoxes = async () => (labels ? ((await labels()).stage?.labels.map((label) => label.labelBox) ?? []) : []);
  const regionStage = detection.isComparison ? await mapCardRegions(image, detection.panels, labelBoxes, options.signal, faces ?? undefined) : null;
  timings.face = regionStage?.faceMs ?? 0;
  timings.segment = regionStage?.segmentMs ?? 0;
  const signalsStarted = performance.now();
  const judgement = detection.isComparison ? judgePanels(image, detection.panels, detection.layout, regionStage) : null;
  timings.signals = judgement ? performance.now() - signalsStarted : 0;
  const { stage: labelStage, loadWaitMs } = labels ? await labels() : NO_LABEL_STAGE;
  const modelLoadMs = loadWaitMs + (regionStage?.modelLoadMs ?? 0);
  const result = await labelledResult(name, image, detection, context, labelStage, modelLoadMs);
  if (regionStage) {
    result.panels = result.panels.map((panel, index) => ({ ...panel, regions: regionStage.summaries[index] ?? null }));
    result.backend.mediapipe = regionStage.backend;
  }
  if (judgement) {
    result.panels = result.panels.map((panel, index) => {
      // Heat maps travel with the result, compact (heatmap-codec.ts), for the overlay to draw.
      const heatmaps = judgement.heatmaps[index];
      const measured = heatmaps && Object.values(heatmaps).some((heatmap) => heatmap !== null);
      return { ...panel, ...judgement.panels[index], ...(measured ? { heatmaps: encodePanelHeatmaps(heatmaps) } : {}) };
    });
    result.consistency = judgement.consistency;
    result.verdict = judgement.verdict;
  }
  return finished(image, result, modelLoadMs, options);
}

/**
 * The result of the stages so far: the detection, the total time (models loaded: a first card's
 * model loading is reported apart), the pair's source and the labels read.
 */
async function labelledResult(
  name: string,
  image: RgbaImage,
  detection: CardDetection,
  context: StagesContext,
  labelStage: LabelStage | null,
  modelLoadMs: number,
): Promise<AnalysisResult> {
  const { timings, started } = context;
  timings.ocr = labelStage?.ocrMs ?? 0;
  const hash = await context.hash;
  timings.total = performance.now() - started - modelLoadMs;
  const result = resultFromDetection(name, detection, { hash, width: image.width, height: image.height }, timings);
  if (context.source) result.source = context.source;
  if (labelStage) {
    result.panels = result.panels.map((panel, index) => ({ ...panel, ...labelStage.labels[index] }));
    result.backend.onnx = labelStage.backend;
  }
  return result;
}

/** The analysis as handed back: the result, drawn onto the card when asked. */
async function finished(image: RgbaImage, result: AnalysisResult, modelLoadMs: number, options: BytesOptions): Promise<BytesAnalysis> {
  throwIfAborted(options.signal);
  const annotatedPng = options.render ? await renderAnnotatedPng(image, result) : null;
  return { result, annotatedPng, modelLoadMs };
}

/**
 * A pair stays a card only with evidence that it is one (lib/engine/pair.ts `withPairEvidence`):
 * labels on both pictures or from the caption, or an audit that does not find two different setups.
 * The audit reads the faces alone, so when the labels do not settle it, it runs right after the face
 * pass, and a pair it finds unrelated (most two-picture posts) ends there, with the result the whole
 * pipeline and the test would have given, without segmentation, maps or signals. Otherwise the
 * face pass is handed on to the region stage.
 */
async function unrelatedEarly(
  name: string,
  image: RgbaImage,
  detection: CardDetection,
  labels: () => Promise<LabelsRead>,
  faces: FacePass | null,
  context: StagesContext,
  options: BytesOptions,
): Promise<BytesAnalysis | null> {
  const { stage: labelStage, loadWaitMs } = await labels();
  const found = labelStage?.labels ?? [];
  const pictureLabelled = found.length === 2 && found.every((label) => Boolean(label.label));
  const noPictureLabel = found.every((label) => label.label === null);
  // withCaptionLabels fills the labels from the caption only when no picture has one.
  if (pictureLabelled || (noPictureLabel && context.evidence?.captionLabelled)) return null;
  if (!faces || faces.panels.length !== 2) return null;
  const [first, second] = faces.panels.map(({ pixels, outputs }) => ({ panel: pixels, regions: { face: panelFace({ ...outputs, person: null }) } })) as [AuditPanel, AuditPanel];
  const audit = auditComparison(first, second);
  if (audit.consistency.controlled !== false) return null;

  context.timings.face = faces.faceMs;
  context.timings.segment = faces.segmentMs;
  const modelLoadMs = loadWaitMs + faces.modelLoadMs;
  const result = await labelledResult(name, image, detection, context, labelStage, modelLoadMs);
  result.backend.mediapipe = 'cpu';
  result.consistency = audit.consistency;
  return finished(image, withPairEvidence(result), modelLoadMs, options);
}

/**
 * The realism stage: photo gate, signals, audit and verdict over the two panels. Panels whose
 * region maps could not be built are judged on their pixels alone (the photo gate only).
 */
function judgePanels(image: RgbaImage, panels: readonly Box[], layout: Layout | null, regionStage: RegionStage | null): CardJudgement | null {
  const [first, second] = panels.map((box, index) => {
    const mapped = regionStage?.panels[index];
    return mapped ? { panel: mapped.pixels, regions: mapped.regions } : { panel: cropRgba(image, box), regions: null };
  });
  return first && second ? judgeCard(first, second, layout) : null;
}

/** The label stage as this worker waits for it. */
interface LabelsRead {
  /** Null for a card whose labels could not be read (see readLabels). */
  stage: LabelStage | null;
  /** How much of this worker's wait for the labels was a wait for the recogniser to load (first use only). */
  loadWaitMs: number;
}

const NO_LABEL_STAGE: LabelsRead = { stage: null, loadWaitMs: 0 };

/**
 * Starts reading the labels on the label worker and returns how to wait for them: the first wait
 * is measured against the recogniser's loading, later ones get the same answer. Rejects only when
 * the analysis is cancelled.
 */
function readLabelsAside(image: RgbaImage, panels: Box[], options: BytesOptions): () => Promise<LabelsRead> {
  const reading = readLabels(image, panels, options);
  // A card cancelled before anything waits for its labels: the rejection is expected, not unhandled.
  reading.catch(() => undefined);
  let waited: Promise<LabelsRead> | null = null;
  const wait = async (): Promise<LabelsRead> => {
    const waitStarted = performance.timeOrigin + performance.now();
    const stage = await reading;
    const loadEndedAt = stage?.loadEndedAt ?? null;
    // Loading that ended before this worker began to wait cost it nothing: it ran beside the face pass.
    const loadWaitMs = stage && loadEndedAt !== null ? Math.min(stage.modelLoadMs, Math.max(0, loadEndedAt - waitStarted)) : 0;
    return { stage, loadWaitMs };
  };
  return () => (waited ??= wait());
}

/** The label stage; a model or label worker that fails leaves the labels empty rather than failing the card. */
async function readLabels(image: RgbaImage, panels: Box[], options: BytesOptions): Promise<LabelStage | null> {
  try {
    return await labelReader.read(image, panels, {
      backend: options.backend ?? 'auto',
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    console.warn('Sidelight: label reading failed:', error);
    return null;
  }
}
