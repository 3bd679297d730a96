/** Pixel buffers and result shapes shared by the engine, the worker, the CLI and the overlay. */

/** RGBA, 8 bits per channel, row-major, like ImageData. */
export interface RgbaImage {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/** One channel (luma or a mask), row-major. */
export interface GrayImage {
  data: Float32Array;
  width: number;
  height: number;
}

/** [x, y, width, height] in source-image pixels. */
export type Box = [number, number, number, number];

export type Layout = 'side-by-side' | 'stacked';

export interface Grid {
  rows: number;
  cols: number;
}

/** Why an image is not a comparison card. */
export type NotCardReason =
  | 'no-split'
  | 'grid'
  | 'too-small'
  | 'extreme-aspect'
  | 'uniform'
  /** Two pictures of one post that show different scenes, with nothing naming them as a comparison (pair.ts). */
  | 'unrelated-pictures';

export interface CardDetection {
  isComparison: boolean;
  layout: Layout | null;
  /** 0-1: how sure the detector is of `isComparison`. */
  confidence: number;
  /** Shape of the panel grid found (1x2, 2x1, 2x2, 1x3...), null when no split was found. */
  grid: Grid | null;
  /** Picture areas, left-to-right or top-to-bottom; empty when not a comparison. */
  panels: Box[];
  /** Set when `isComparison` is false. */
  reason: NotCardReason | null;
}

export interface SignalScore {
  score: number;
  evidence: Record<string, number>;
}

export interface RegionSummary {
  box: Box;
  pixels: number;
  confidence: number;
}

export interface PanelRegions {
  face: { box: Box; landmarks: number } | null;
  faceSkin: RegionSummary | null;
  otherSkin: RegionSummary | null;
  garment: RegionSummary | null;
  tabletop: { box: Box; pixels: number }[] | null;
}

export type SignalName = 'shadow' | 'skin' | 'knit' | 'ceramic';

/**
 * A signal's heat map in transit (lib/engine/heatmap-codec.ts): cell (x, y) covers panel pixels
 * (x / scale, y / scale); `cells` is base64 of the PackBits-coded 0-255 levels, row-major.
 */
export interface EncodedHeatmap {
  width: number;
  height: number;
  scale: number;
  cells: string;
}

export interface PanelResult {
  box: Box;
  label: string | null;
  labelBox: Box | null;
  labelSource: 'ocr' | 'post-text' | 'alt-text' | null;
  photo: boolean | null;
  gateReason: 'graphic' | null;
  regions: PanelRegions | null;
  signals: Record<SignalName, SignalScore | null>;
  realism: number | null;
  /** Where each signal found its problems, for drawing; absent when no signal ran (an optional v1 addition). */
  heatmaps?: Record<SignalName, EncodedHeatmap | null>;
}

export interface Consistency {
  identity: number | null;
  pose: number | null;
  framing: number | null;
  lighting: number | null;
  controlled: boolean | null;
}

export interface Timings {
  total: number;
  decode: number;
  detect: number;
  ocr: number;
  face: number;
  segment: number;
  signals: number;
}

export interface Backends {
  onnx: 'wasm' | 'webgpu' | null;
  mediapipe: 'cpu' | 'gpu' | null;
}

/** What the caller asks of the model stages: WebGPU on a real GPU else WASM, or one of them. */
export type BackendPreference = 'auto' | 'wasm' | 'webgpu';

/** Why a file could not be analysed at all (`ok: false`). */
export type FailureReason =
  | 'empty'
  | 'not-an-image'
  | 'unsupported-format'
  | 'too-large'
  | 'corrupt'
  | 'fetch-failed'
  | 'unreadable'
  | 'aborted'
  | 'internal';

/** One image's analysis: the `results[]` entry of `sidelight analyze --json` (schema version 1). */
export interface AnalysisResult {
  file: string;
  ok: boolean;
  error: string | null;
  reason: NotCardReason | FailureReason | null;
  isComparison: boolean | null;
  layout: Layout | null;
  confidence: number | null;
  grid: Grid | null;
  panels: PanelResult[];
  consistency: Consistency;
  verdict: { winner: 0 | 1 | null; summary: string };
  backend: Backends;
  timingsMs: Timings;
  /** SHA-256 of the image bytes, hex. */
  hash: string | null;
  /** Source image size in pixels. */
  size: { width: number; height: number } | null;
  /**
   * Where the card came from when it is not one picture (an optional v1 addition): two pictures
   * of one post analysed as one card. Absent for a single image.
   */
  source?: PairSource;
}

/** One picture of a pair: its name, the SHA-256 of its bytes and its own size in pixels. */
export interface PairImage {
  file: string;
  hash: string;
  width: number;
  height: number;
}

/** Two pictures set side by side as one card (lib/engine/pair.ts); `images[i]` is panel i. */
export interface PairSource {
  kind: 'pair';
  images: [PairImage, PairImage];
}

export const RESULT_SCHEMA_VERSION = 1;
