import { isEncodedHeatmap } from './heatmap-codec';

/**
 * Checks that a value has the shape of a schema-version-1 analysis result (docs/cli.md):
 * every field present, of the right type. Returns the problems found; empty means valid.
 * Used by the CLI test and by anything that reads results back (library import).
 */
export function analysisResultProblems(value: unknown, path = 'result'): string[] {
  const problems: string[] = [];
  const check = (condition: boolean, what: string) => {
    if (!condition) problems.push(`${path}.${what}`);
  };
  if (!isObject(value)) return [`${path} is not an object`];
  const result = value;
  check(typeof result.file === 'string', 'file: string');
  check(typeof result.ok === 'boolean', 'ok: boolean');
  check(isNullOr(result.error, 'string'), 'error: string|null');
  check(isNullOr(result.reason, 'string'), 'reason: string|null');
  check(isNullOr(result.isComparison, 'boolean'), 'isComparison: boolean|null');
  check(result.layout === null || result.layout === 'side-by-side' || result.layout === 'stacked', 'layout');
  check(result.confidence === null || isUnit(result.confidence), 'confidence: 0-1|null');
  check(result.grid === null || (isObject(result.grid) && isCount(result.grid.rows) && isCount(result.grid.cols)), 'grid');
  if (Array.isArray(result.panels)) result.panels.forEach((panel, index) => problems.push(...panelProblems(panel, `${path}.panels[${index}]`)));
  else check(false, 'panels: array');
  const consistency = result.consistency;
  check(
    isObject(consistency) &&
      ['identity', 'pose', 'framing', 'lighting'].every((key) => consistency[key] === null || isUnit(consistency[key])) &&
      isNullOr(consistency.controlled, 'boolean'),
    'consistency',
  );
  const verdict = result.verdict;
  check(isObject(verdict) && (verdict.winner === null || verdict.winner === 0 || verdict.winner === 1) && typeof verdict.summary === 'string', 'verdict');
  const backend = result.backend;
  check(
    isObject(backend) && [null, 'wasm', 'webgpu'].includes(backend.onnx as string | null) && [null, 'cpu', 'gpu'].includes(backend.mediapipe as string | null),
    'backend',
  );
  const timings = result.timingsMs;
  check(
    isObject(timings) && ['total', 'decode', 'detect', 'ocr', 'face', 'segment', 'signals'].every((key) => typeof timings[key] === 'number' && (timings[key] as number) >= 0),
    'timingsMs',
  );
  // Optional (a v1 addition): a card made of two pictures names both, in panel order.
  if ('source' in result) check(pairSourceValid(result.source, result.panels), 'source');
  return problems;
}

/** `source` of a pair: kind "pair", two pictures with a name, a SHA-256 and a size; a card of two pictures has two panels or none. */
function pairSourceValid(source: unknown, panels: unknown): boolean {
  if (!isObject(source) || source.kind !== 'pair' || !Array.isArray(source.images) || source.images.length !== 2) return false;
  const picturesValid = source.images.every(
    (image) => isObject(image) && typeof image.file === 'string' && typeof image.hash === 'string' && /^[0-9a-f]{64}$/.test(image.hash) && isCount(image.width) && isCount(image.height),
  );
  return picturesValid && Array.isArray(panels) && (panels.length === 0 || panels.length === 2);
}

function panelProblems(panel: unknown, path: string): string[] {
  if (!isObject(panel)) return [`${path} is not an object`];
  const problems: string[] = [];
  const check = (condition: boolean, what: string) => {
    if (!condition) problems.push(`${path}.${what}`);
  };
  check(isBox(panel.box), 'box');
  check(isNullOr(panel.label, 'string'), 'label');
  check(panel.labelBox === null || isBox(panel.labelBox), 'labelBox');
  check([null, 'ocr', 'post-text', 'alt-text'].includes(panel.labelSource as string | null), 'labelSource');
  check(isNullOr(panel.photo, 'boolean'), 'photo');
  check(panel.gateReason === null || panel.gateReason === 'graphic', 'gateReason');
  check(panel.regions === null || regionsValid(panel.regions), 'regions');
  const signals = panel.signals;
  check(
    isObject(signals) &&
      ['shadow', 'skin', 'knit', 'ceramic'].every((key) => {
        const signal = signals[key];
        return signal === null || (isObject(signal) && typeof signal.score === 'number' && isObject(signal.evidence));
      }),
    'signals',
  );
  check(panel.realism === null || (typeof panel.realism === 'number' && panel.realism >= 0 && panel.realism <= 100), 'realism');
  // Optional (a v1 addition): per-signal heat maps, each null or a well-formed encoding.
  if ('heatmaps' in panel) {
    const heatmaps = panel.heatmaps;
    check(isObject(heatmaps) && ['shadow', 'skin', 'knit', 'ceramic'].every((key) => heatmaps[key] === null || isEncodedHeatmap(heatmaps[key])), 'heatmaps');
  }
  return problems;
}

/** The per-panel region summary (PanelRegions): every field present, null or of the right shape. */
function regionsValid(regions: unknown): boolean {
  if (!isObject(regions)) return false;
  const face = regions.face;
  const summaryValid = (summary: unknown) =>
    summary === null || (isObject(summary) && isBox(summary.box) && Number.isInteger(summary.pixels) && (summary.pixels as number) >= 0 && isUnit(summary.confidence));
  return (
    (face === null || (isObject(face) && isBox(face.box) && Number.isInteger(face.landmarks) && (face.landmarks as number) >= 0)) &&
    summaryValid(regions.faceSkin) &&
    summaryValid(regions.otherSkin) &&
    summaryValid(regions.garment) &&
    (regions.tabletop === null ||
      (Array.isArray(regions.tabletop) &&
        regions.tabletop.every((object) => isObject(object) && isBox(object.box) && Number.isInteger(object.pixels) && (object.pixels as number) >= 0)))
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function isNullOr(value: unknown, type: 'string' | 'boolean'): boolean {
  return value === null || typeof value === type;
}
function isUnit(value: unknown): boolean {
  return typeof value === 'number' && value >= 0 && value <= 1;
}
function isCount(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) > 0;
}
function isBox(value: unknown): boolean {
  return Array.isArray(value) && value.length === 4 && value.every((entry) => Number.isInteger(entry) && entry >= 0);
}
