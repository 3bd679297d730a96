import type {
  AnalysisResult,
  Backends,
  CardDetection,
  Consistency,
  FailureReason,
  PanelResult,
  Timings,
} from './types';

export function zeroTimings(): Timings {
  return { total: 0, decode: 0, detect: 0, ocr: 0, face: 0, segment: 0, signals: 0 };
}

const NO_CONSISTENCY: Consistency = { identity: null, pose: null, framing: null, lighting: null, controlled: null };
const NO_BACKENDS: Backends = { onnx: null, mediapipe: null };

/** A file that could not be analysed: every analysis field is null, the reason says why. */
export function failedResult(file: string, reason: FailureReason, error: string, timings: Timings = zeroTimings()): AnalysisResult {
  return {
    file,
    ok: false,
    error,
    reason,
    isComparison: null,
    layout: null,
    confidence: null,
    grid: null,
    panels: [],
    consistency: { ...NO_CONSISTENCY },
    verdict: { winner: null, summary: error },
    backend: { ...NO_BACKENDS },
    timingsMs: timings,
    hash: null,
    size: null,
  };
}

/** A panel whose later stages (labels, regions, signals) have not produced anything. */
function panelFromBox(box: PanelResult['box']): PanelResult {
  return {
    box,
    label: null,
    labelBox: null,
    labelSource: null,
    photo: null,
    gateReason: null,
    regions: null,
    signals: { shadow: null, skin: null, knit: null, ceramic: null },
    realism: null,
  };
}

/** Why a two-picture post was not taken as a card (pair.ts). */
export const UNRELATED_PICTURES = 'Two pictures of one post that show different scenes, and no post text names them as a comparison: not a comparison card.';

export function describeDetection(detection: CardDetection): string {
  if (detection.isComparison && detection.layout) {
    const layout = detection.layout === 'side-by-side' ? 'side by side' : 'stacked';
    return `Two-panel comparison card (${layout}); no realism checks have run on it, so there is no winner.`;
  }
  switch (detection.reason) {
    case 'grid':
      return `A ${detection.grid?.rows ?? '?'}×${detection.grid?.cols ?? '?'} grid, not a two-panel comparison.`;
    case 'too-small':
      return 'Too small to be a comparison card.';
    case 'extreme-aspect':
      return 'Too long and thin to be a comparison card.';
    case 'uniform':
      return 'A nearly uniform image, not a comparison card.';
    case 'unrelated-pictures':
      return UNRELATED_PICTURES;
    default:
      return 'A single picture: no split between two panels was found.';
  }
}

export function resultFromDetection(
  file: string,
  detection: CardDetection,
  meta: { hash: string; width: number; height: number },
  timings: Timings,
): AnalysisResult {
  return {
    file,
    ok: true,
    error: null,
    reason: detection.reason,
    isComparison: detection.isComparison,
    layout: detection.layout,
    confidence: detection.confidence,
    grid: detection.grid,
    panels: detection.panels.map(panelFromBox),
    consistency: { ...NO_CONSISTENCY },
    verdict: { winner: null, summary: describeDetection(detection) },
    backend: { ...NO_BACKENDS },
    timingsMs: timings,
    hash: meta.hash,
    size: { width: meta.width, height: meta.height },
  };
}
