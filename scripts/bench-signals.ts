/**
 * The degradation suite behind `npm run bench:signals` (run by scripts/bench-signals.mjs): on the
 * fixture photos it builds controlled two-panel cards with one panel degraded one way, identical
 * pairs and pairs of two different photos, runs the signals, the audit and the verdict, and
 * reports how often each does what it should. Region maps are hand-drawn
 * (tests/fixtures/regions/photos.json), not model output. Strengths, crops, sizes, sides, JPEG
 * quality and region jitter are drawn from a seeded generator, so no signal can be tuned to one strength.
 */
import { existsSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import sharp from 'sharp';
import { auditComparison } from '../lib/engine/audit';
import type { PanelRegionMaps, RegionMask } from '../lib/engine/regions/types';
import { panelSignalsResult, SIGNAL_NAMES } from '../lib/engine/signals/realism';
import { measurePanel, type PanelSignals } from '../lib/engine/signals/registry';
import type { Box, Consistency, RgbaImage, SignalName } from '../lib/engine/types';
import { decideVerdict, type Verdict } from '../lib/engine/verdict';
import { judgeCard } from '../lib/engine/judge';
import { cardRegionSpecs, photoRegionSpecs, placeSpec, regionMapsFromSpec, type PanelRegionSpec } from '../tests/unit/signals-regions';
import { seededRandom } from './lib/seeded-random.mjs';

const FIXTURES = new URL('../tests/fixtures/', import.meta.url).pathname;

export type Degradation = 'crushed shadows' | 'skin smoothing' | 'fabric blur' | 'mushy tableware';
export const DEGRADATIONS: readonly Degradation[] = ['crushed shadows', 'skin smoothing', 'fabric blur', 'mushy tableware'];
export const TARGET: Record<Degradation, SignalName> = {
  'crushed shadows': 'shadow',
  'skin smoothing': 'skin',
  'fabric blur': 'knit',
  'mushy tableware': 'ceramic',
};

export { seededRandom };

const uniform = (random: () => number, low: number, high: number) => low + (high - low) * random();

function rgba(data: Buffer, width: number, height: number): RgbaImage {
  return { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), width, height };
}

async function decode(path: string): Promise<RgbaImage> {
  const { data, info } = await sharp(path).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return rgba(data, info.width, info.height);
}

// ---------------------------------------------------------------------------------------------
// Degradations: each changes one property of the panel, inside its region (feathered) or by a global curve.

/** A curve that drives the darkest `blackPoint` levels to black and stretches the rest. */
export function crushShadows(image: RgbaImage, blackPoint: number): RgbaImage {
  const table = new Uint8ClampedArray(256);
  for (let level = 0; level < 256; level++) table[level] = Math.round((255 * Math.max(0, level - blackPoint)) / (255 - blackPoint));
  const out = new Uint8ClampedArray(image.data.length);
  for (let index = 0; index < out.length; index++) out[index] = index % 4 === 3 ? (image.data[index] ?? 255) : (table[image.data[index] ?? 0] ?? 0);
  return { data: out, width: image.width, height: image.height };
}

/** The mask softened over `radius` pixels, as 0-1 blend weights. */
function feather(mask: RegionMask, radius: number): Float32Array {
  const source = new Float32Array(mask.data.length);
  for (let index = 0; index < source.length; index++) source[index] = (mask.data[index] ?? 0) / 255;
  return boxBlur(source, mask.width, mask.height, radius);
}

function boxBlur(source: Float32Array, width: number, height: number, radius: number): Float32Array {
  const r = Math.max(0, Math.round(radius));
  if (r === 0) return source.slice();
  const horizontal = new Float32Array(source.length);
  const out = new Float32Array(source.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let dx = -r; dx <= r; dx++) sum += source[y * width + Math.min(width - 1, Math.max(0, x + dx))] ?? 0;
      horizontal[y * width + x] = sum / (2 * r + 1);
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let dy = -r; dy <= r; dy++) sum += horizontal[Math.min(height - 1, Math.max(0, y + dy)) * width + x] ?? 0;
      out[y * width + x] = sum / (2 * r + 1);
    }
  }
  return out;
}

/** Gaussian-like blur (three box passes) of every colour channel. */
function blurChannels(image: RgbaImage, sigma: number): Float32Array[] {
  const radius = Math.max(1, Math.round(Math.sqrt((12 * sigma * sigma) / 3 + 1) - 1) / 2);
  return [0, 1, 2].map((channel) => {
    let plane: Float32Array = new Float32Array(image.width * image.height);
    for (let index = 0; index < plane.length; index++) plane[index] = image.data[index * 4 + channel] ?? 0;
    for (let pass = 0; pass < 3; pass++) plane = boxBlur(plane, image.width, image.height, radius);
    return plane;
  });
}

function blend(image: RgbaImage, weights: Float32Array, replacement: (pixel: number, channel: number) => number): RgbaImage {
  const out = new Uint8ClampedArray(image.data);
  for (let pixel = 0; pixel < weights.length; pixel++) {
    const weight = weights[pixel] ?? 0;
    if (weight <= 0) continue;
    for (let channel = 0; channel < 3; channel++) {
      const offset = pixel * 4 + channel;
      out[offset] = Math.round((1 - weight) * (image.data[offset] ?? 0) + weight * replacement(pixel, channel));
    }
  }
  return { data: out, width: image.width, height: image.height };
}

/** Edge-preserving (bilateral) smoothing inside the mask: what a beauty filter does to skin. */
export function smoothSkin(image: RgbaImage, mask: RegionMask, spatialSigma: number, rangeSigma: number): RgbaImage {
  const weights = feather(mask, 2);
  const radius = Math.ceil(2 * spatialSigma);
  const { width, height, data } = image;
  const luma = (offset: number) => 0.299 * (data[offset] ?? 0) + 0.587 * (data[offset + 1] ?? 0) + 0.114 * (data[offset + 2] ?? 0);
  const smoothed = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const pixel = y * width + x;
      if ((weights[pixel] ?? 0) <= 0) continue;
      const centre = luma(pixel * 4);
      let total = 0;
      const sums = [0, 0, 0];
      for (let dy = -radius; dy <= radius; dy++) {
        const sy = Math.min(height - 1, Math.max(0, y + dy));
        for (let dx = -radius; dx <= radius; dx++) {
          const sx = Math.min(width - 1, Math.max(0, x + dx));
          const offset = (sy * width + sx) * 4;
          const difference = luma(offset) - centre;
          const weight = Math.exp(-(dx * dx + dy * dy) / (2 * spatialSigma * spatialSigma) - (difference * difference) / (2 * rangeSigma * rangeSigma));
          total += weight;
          for (let channel = 0; channel < 3; channel++) sums[channel] = (sums[channel] ?? 0) + weight * (data[offset + channel] ?? 0);
        }
      }
      for (let channel = 0; channel < 3; channel++) smoothed[pixel * 3 + channel] = (sums[channel] ?? 0) / total;
    }
  }
  return blend(image, weights, (pixel, channel) => smoothed[pixel * 3 + channel] ?? 0);
}

/** Texture removal on the garment: a blur inside its mask. */
export function blurFabric(image: RgbaImage, mask: RegionMask, sigma: number): RgbaImage {
  const blurred = blurChannels(image, sigma);
  return blend(image, feather(mask, 2), (pixel, channel) => blurred[channel]?.[pixel] ?? 0);
}

/** Mushy tableware: blur and contrast loss (towards each object's mean colour) inside the objects. */
export function mushyTableware(image: RgbaImage, masks: RegionMask[], sigma: number, contrast: number): RgbaImage {
  let out = image;
  for (const mask of masks) {
    const blurred = blurChannels(out, sigma);
    const means = [0, 0, 0];
    let count = 0;
    for (let pixel = 0; pixel < mask.data.length; pixel++) {
      if ((mask.data[pixel] ?? 0) < 128) continue;
      count++;
      for (let channel = 0; channel < 3; channel++) means[channel] = (means[channel] ?? 0) + (blurred[channel]?.[pixel] ?? 0);
    }
    const mean = means.map((sum) => sum / Math.max(1, count));
    out = blend(out, feather(mask, 2), (pixel, channel) => (mean[channel] ?? 0) + ((blurred[channel]?.[pixel] ?? 0) - (mean[channel] ?? 0)) * contrast);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Cards

interface PanelPlan {
  photo: string;
  crop: Box;
  size: [number, number];
}

/** A random crop (85-100 % of each side) of the photo, sized for a panel (longer side 480-800, never upscaled). */
function planPanel(random: () => number, photo: string, spec: PanelRegionSpec, size?: [number, number]): PanelPlan {
  const [photoWidth, photoHeight] = spec.size;
  const share = uniform(random, 0.85, 1);
  const cropWidth = Math.round(photoWidth * share);
  const cropHeight = Math.round(photoHeight * share);
  const crop: Box = [Math.round(random() * (photoWidth - cropWidth)), Math.round(random() * (photoHeight - cropHeight)), cropWidth, cropHeight];
  if (size) return { photo, crop, size };
  const longSide = Math.min(Math.max(cropWidth, cropHeight), Math.round(uniform(random, 480, 800)));
  const scale = longSide / Math.max(cropWidth, cropHeight);
  return { photo, crop, size: [Math.round(cropWidth * scale), Math.round(cropHeight * scale)] };
}

async function renderPanel(plan: PanelPlan): Promise<RgbaImage> {
  const [x, y, width, height] = plan.crop;
  const { data, info } = await sharp(`${FIXTURES}${plan.photo}`)
    .extract({ left: x, top: y, width, height })
    .resize(plan.size[0], plan.size[1], { fit: 'fill' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return rgba(data, info.width, info.height);
}

/** How far each panel's drawn regions are nudged, independently: as two runs of the region models on two renderings would differ. */
const REGION_SHIFT = 0.005;
const REGION_SCALE = 0.01;

/** Region maps of a planned panel, the drawn shapes shifted (±0.5 % of the panel) and scaled (±1 %). */
function jitteredRegions(random: () => number, spec: PanelRegionSpec, plan: PanelPlan): PanelRegionMaps {
  const [x, y, width, height] = plan.crop;
  const grow = uniform(random, -REGION_SCALE, REGION_SCALE);
  const crop: Box = [
    x + uniform(random, -REGION_SHIFT, REGION_SHIFT) * width,
    y + uniform(random, -REGION_SHIFT, REGION_SHIFT) * height,
    width * (1 + grow),
    height * (1 + grow),
  ];
  return regionMapsFromSpec(placeSpec(spec, { crop, size: plan.size }));
}

/** Side by side with a white gutter, re-encoded as one JPEG (as a card is posted), split back at the known boxes. */
async function throughCard(left: RgbaImage, right: RgbaImage, gutter: number, quality: number): Promise<{ panels: [RgbaImage, RgbaImage]; jpeg: Buffer }> {
  const width = left.width + gutter + right.width;
  const height = Math.max(left.height, right.height);
  const raw = (image: RgbaImage) => ({ raw: { width: image.width, height: image.height, channels: 4 as const } });
  const jpeg = await sharp({ create: { width, height, channels: 4, background: { r: 255, g: 255, b: 255, alpha: 1 } } })
    .composite([
      { input: Buffer.from(left.data.buffer, left.data.byteOffset, left.data.byteLength), ...raw(left), left: 0, top: 0 },
      { input: Buffer.from(right.data.buffer, right.data.byteOffset, right.data.byteLength), ...raw(right), left: left.width + gutter, top: 0 },
    ])
    .jpeg({ quality })
    .toBuffer();
  const { data, info } = await sharp(jpeg).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const card = rgba(data, info.width, info.height);
  const cut = ([x, y, w, h]: Box): RgbaImage => {
    const out = new Uint8ClampedArray(w * h * 4);
    for (let row = 0; row < h; row++) out.set(card.data.subarray(((y + row) * card.width + x) * 4, ((y + row) * card.width + x + w) * 4), row * w * 4);
    return { data: out, width: w, height: h };
  };
  return { panels: [cut([0, 0, left.width, left.height]), cut([left.width + gutter, 0, right.width, right.height])], jpeg };
}

// ---------------------------------------------------------------------------------------------
// Cases

export interface CaseResult {
  kind: 'degraded' | 'identical' | 'uncontrolled';
  degradation: Degradation | null;
  photos: [string, string];
  strength: string;
  degradedSide: 0 | 1 | null;
  scores: [Record<SignalName, number | null>, Record<SignalName, number | null>];
  evidence: [Record<SignalName, Record<string, number> | null>, Record<SignalName, Record<string, number> | null>];
  consistency: Consistency;
  verdict: Verdict;
}

/** What the extension's own pipeline (its region models, signals, audit and verdict) made of one card. */
export interface PipelineJudgement {
  scores: CaseResult['scores'];
  evidence: CaseResult['evidence'];
  consistency: Consistency;
  verdict: Verdict;
}

interface Measured {
  panel: RgbaImage;
  regions: PanelRegionMaps;
  signals: PanelSignals;
}

function measure(panel: RgbaImage, regions: PanelRegionMaps): Measured {
  return { panel, regions, signals: measurePanel(panel, regions) };
}

function judge(a: Measured, b: Measured): { consistency: Consistency; verdict: Verdict } {
  const audit = auditComparison({ panel: a.panel, regions: a.regions }, { panel: b.panel, regions: b.regions });
  const panels = [a, b].map((measured) => ({ ...panelSignalsResult(measured.signals.measurements), gateReason: measured.signals.gateReason })) as [
    ReturnType<typeof panelSignalsResult> & { gateReason: 'graphic' | null },
    ReturnType<typeof panelSignalsResult> & { gateReason: 'graphic' | null },
  ];
  return { consistency: audit.consistency, verdict: decideVerdict(panels, audit.consistency, 'side-by-side', audit.reasons) };
}

function scoresOf(measured: Measured): Record<SignalName, number | null> {
  const out = {} as Record<SignalName, number | null>;
  for (const name of SIGNAL_NAMES) out[name] = measured.signals.measurements[name]?.score ?? null;
  return out;
}

function regionFor(degradation: Degradation, regions: PanelRegionMaps): RegionMask[] {
  switch (degradation) {
    case 'crushed shadows':
      return regions.faceSkin ? [regions.faceSkin] : [];
    case 'skin smoothing':
      return regions.faceSkin ? [regions.faceSkin] : [];
    case 'fabric blur':
      return regions.garment ? [regions.garment] : [];
    case 'mushy tableware':
      return (regions.tabletop ?? []).map((object) => object.mask);
  }
}

/** The reference mask (tests/fixtures/reference-masks) each local degradation covers, when the photo has one. */
const REFERENCE_REGION: Partial<Record<Degradation, string>> = { 'skin smoothing': 'faceSkin', 'fabric blur': 'garment' };

/**
 * Where a local degradation is applied: the photo's whole face skin or garment as drawn in its
 * reference mask (tests/fixtures/reference-masks: outlined point by point, the full extent of the
 * region), cropped and resized as the panel was; null when the photo has no reference mask for it
 * (then the drawn shapes of photos.json are degraded). A renderer that smooths skin or flattens a
 * knit does so over the whole face or garment, not over the few rectangles and ellipses that the
 * signals are measured on in the drawn-region suite (18-39 % of the garment, 60-67 % of the face skin).
 */
async function degradedExtent(degradation: Degradation, plan: PanelPlan): Promise<RegionMask | null> {
  const region = REFERENCE_REGION[degradation];
  if (!region) return null;
  const file = `${FIXTURES}reference-masks/${plan.photo.replace(/^photos\//, '').replace(/\.[a-z]+$/, '')}.${region}.png`;
  if (!existsSync(file)) return null;
  const [x, y, width, height] = plan.crop;
  const { data, info } = await sharp(file)
    .extractChannel(0)
    .extract({ left: x, top: y, width, height })
    .resize(plan.size[0], plan.size[1], { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const mask = new Uint8Array(info.width * info.height);
  let pixels = 0;
  for (let index = 0; index < mask.length; index++) {
    if ((data[index] ?? 0) < 128) continue;
    mask[index] = 255;
    pixels++;
  }
  return pixels === 0 ? null : { data: mask, width: info.width, height: info.height, box: [0, 0, info.width, info.height], pixels, confidence: 1 };
}

function degrade(random: () => number, degradation: Degradation, panel: RgbaImage, regions: PanelRegionMaps, extent: RegionMask | null): { image: RgbaImage; strength: string } {
  const masks = extent ? [extent] : regionFor(degradation, regions);
  switch (degradation) {
    case 'crushed shadows': {
      const blackPoint = Math.round(85 * uniform(random, 0.6, 1));
      return { image: crushShadows(panel, blackPoint), strength: `black point ${blackPoint}` };
    }
    case 'skin smoothing': {
      const faceHeight = regions.face?.box[3] ?? 100;
      const spatial = Math.max(1.5, faceHeight * uniform(random, 0.012, 0.03));
      const range = uniform(random, 10, 25);
      return { image: smoothSkin(panel, masks[0] as RegionMask, spatial, range), strength: `σs ${spatial.toFixed(1)} σr ${range.toFixed(0)}` };
    }
    case 'fabric blur': {
      const sigma = uniform(random, 1.2, 3.5);
      return { image: blurFabric(panel, masks[0] as RegionMask, sigma), strength: `σ ${sigma.toFixed(1)}` };
    }
    case 'mushy tableware': {
      const sigma = uniform(random, 1.2, 3.5);
      const contrast = uniform(random, 0.55, 0.85);
      return { image: mushyTableware(panel, masks, sigma, contrast), strength: `σ ${sigma.toFixed(1)} contrast ${contrast.toFixed(2)}` };
    }
  }
}

function hasTarget(degradation: Degradation, spec: PanelRegionSpec): boolean {
  switch (degradation) {
    case 'crushed shadows':
    case 'skin smoothing':
      return spec.faceSkin !== undefined;
    case 'fabric blur':
      return spec.garment !== undefined;
    case 'mushy tableware':
      return (spec.tabletop ?? []).length > 0;
  }
}

export interface SuiteOptions {
  seed: number;
  /**
   * Judges each card's JPEG with the real pipeline (the browser's region models) instead of the
   * drawn regions; null when the pipeline did not split it into two panels (the case is skipped and counted).
   */
  judgeWithPipeline?: (jpeg: Buffer) => Promise<PipelineJudgement | null>;
  onUnsplit?: () => void;
  /** Cases per degradation (spread over the photos that have its region), identical pairs, and different-photo pairs per photo pair. */
  casesPerDegradation: number;
  identicalPerPhoto: number;
  uncontrolledPerPair: number;
  log?: (line: string) => void;
}

export async function runSuite(options: SuiteOptions): Promise<CaseResult[]> {
  const random = seededRandom(options.seed);
  const specs = photoRegionSpecs();
  const photos = Object.keys(specs);
  const results: CaseResult[] = [];
  const card = async (a: RgbaImage, b: RgbaImage) => throughCard(a, b, [0, 4, 8][Math.floor(random() * 3)] ?? 0, Math.round(uniform(random, 85, 95)));
  /** The signals, audit and verdict of one card: on the drawn regions (jittered), or by the pipeline. */
  const judgeCase = async (
    composed: { panels: [RgbaImage, RgbaImage]; jpeg: Buffer },
    drawn: [{ spec: PanelRegionSpec; plan: PanelPlan }, { spec: PanelRegionSpec; plan: PanelPlan }],
  ): Promise<PipelineJudgement | null> => {
    // The jitter is drawn either way, so a seed gives the same cards in both modes.
    const regions = drawn.map(({ spec, plan }) => jitteredRegions(random, spec, plan)) as [PanelRegionMaps, PanelRegionMaps];
    if (options.judgeWithPipeline) {
      const judged = await options.judgeWithPipeline(composed.jpeg);
      if (!judged) options.onUnsplit?.();
      return judged;
    }
    // The product's own judgement of a card (regions shared when the panels line up).
    const judged = judgeCard({ panel: composed.panels[0], regions: regions[0] }, { panel: composed.panels[1], regions: regions[1] }, 'side-by-side');
    const scores = judged.panels.map(({ signals }) => Object.fromEntries(SIGNAL_NAMES.map((name) => [name, signals[name]?.score ?? null])));
    const evidence = judged.panels.map(({ signals }) => Object.fromEntries(SIGNAL_NAMES.map((name) => [name, signals[name]?.evidence ?? null])));
    return { scores: scores as CaseResult['scores'], evidence: evidence as CaseResult['evidence'], consistency: judged.consistency, verdict: judged.verdict };
  };

  for (const degradation of DEGRADATIONS) {
    const eligible = photos.filter((photo) => hasTarget(degradation, specs[photo] as PanelRegionSpec));
    for (let index = 0; index < options.casesPerDegradation; index++) {
      const photo = eligible[index % eligible.length] as string;
      const spec = specs[photo] as PanelRegionSpec;
      const plan = planPanel(random, photo, spec);
      const clean = await renderPanel(plan);
      const truth = regionMapsFromSpec(placeSpec(spec, plan));
      const { image: degraded, strength } = degrade(random, degradation, clean, truth, await degradedExtent(degradation, plan));
      const degradedSide: 0 | 1 = random() < 0.5 ? 0 : 1;
      const composed = await card(degradedSide === 0 ? degraded : clean, degradedSide === 0 ? clean : degraded);
      const judged = await judgeCase(composed, [{ spec, plan }, { spec, plan }]);
      if (judged) results.push({ kind: 'degraded', degradation, photos: [photo, photo], strength, degradedSide, ...judged });
    }
    options.log?.(`${degradation}: ${options.casesPerDegradation} cases`);
  }

  for (const photo of photos) {
    const spec = specs[photo] as PanelRegionSpec;
    for (let index = 0; index < options.identicalPerPhoto; index++) {
      const plan = planPanel(random, photo, spec);
      const clean = await renderPanel(plan);
      const judged = await judgeCase(await card(clean, clean), [{ spec, plan }, { spec, plan }]);
      if (judged) results.push({ kind: 'identical', degradation: null, photos: [photo, photo], strength: '', degradedSide: null, ...judged });
    }
  }
  options.log?.('identical pairs done');

  for (let first = 0; first < photos.length; first++) {
    for (let second = first + 1; second < photos.length; second++) {
      const photoA = photos[first] as string;
      const photoB = photos[second] as string;
      for (let index = 0; index < options.uncontrolledPerPair; index++) {
        const planA = planPanel(random, photoA, specs[photoA] as PanelRegionSpec);
        const planB = planPanel(random, photoB, specs[photoB] as PanelRegionSpec, planA.size);
        const composed = await card(await renderPanel(planA), await renderPanel(planB));
        const judged = await judgeCase(composed, [
          { spec: specs[photoA] as PanelRegionSpec, plan: planA },
          { spec: specs[photoB] as PanelRegionSpec, plan: planB },
        ]);
        if (judged) results.push({ kind: 'uncontrolled', degradation: null, photos: [photoA, photoB], strength: '', degradedSide: null, ...judged });
      }
    }
  }
  options.log?.('different-photo pairs done');
  return results;
}

// ---------------------------------------------------------------------------------------------
// Report

export interface Rates {
  /** Per degradation: cases, per-signal mean drop and share of cases with a drop, target-drops share, target-largest share, clean-wins share, stays-controlled share. */
  degradations: {
    degradation: Degradation;
    cases: number;
    drops: Record<SignalName, { mean: number; dropped: number; measured: number }>;
    targetDropped: number;
    targetLargest: number;
    cleanWins: number;
    staysControlled: number;
    notFlagged: number;
  }[];
  identical: { cases: number; noWinner: number };
  uncontrolled: { cases: number; flagged: number };
  degradedCases: number;
  targetDropped: number;
  targetLargest: number;
  cleanWins: number;
  staysControlled: number;
}

export function summarise(results: CaseResult[]): Rates {
  const degradations = DEGRADATIONS.map((degradation) => {
    const cases = results.filter((result) => result.kind === 'degraded' && result.degradation === degradation);
    const drops = {} as Rates['degradations'][number]['drops'];
    for (const name of SIGNAL_NAMES) {
      let sum = 0;
      let dropped = 0;
      let measured = 0;
      for (const result of cases) {
        const drop = dropOf(result, name);
        if (drop === null) continue;
        measured++;
        sum += drop;
        if (drop > 0) dropped++;
      }
      drops[name] = { mean: measured === 0 ? Number.NaN : sum / measured, dropped, measured };
    }
    const target = TARGET[degradation];
    const targetLargest = cases.filter((result) => {
      const targetDrop = dropOf(result, target);
      if (targetDrop === null || targetDrop <= 0) return false;
      return SIGNAL_NAMES.every((name) => name === target || (dropOf(result, name) ?? -Infinity) < targetDrop);
    }).length;
    return {
      degradation,
      cases: cases.length,
      drops,
      targetDropped: cases.filter((result) => (dropOf(result, target) ?? 0) > 0).length,
      targetLargest,
      cleanWins: cases.filter((result) => result.verdict.winner !== null && result.verdict.winner !== result.degradedSide).length,
      staysControlled: cases.filter((result) => result.consistency.controlled === true).length,
      notFlagged: cases.filter((result) => result.consistency.controlled !== false).length,
    };
  });
  const identical = results.filter((result) => result.kind === 'identical');
  const uncontrolled = results.filter((result) => result.kind === 'uncontrolled');
  const sum = (pick: (row: Rates['degradations'][number]) => number) => degradations.reduce((total, row) => total + pick(row), 0);
  return {
    degradations,
    identical: { cases: identical.length, noWinner: identical.filter((result) => result.verdict.winner === null).length },
    uncontrolled: { cases: uncontrolled.length, flagged: uncontrolled.filter((result) => result.consistency.controlled === false).length },
    degradedCases: sum((row) => row.cases),
    targetDropped: sum((row) => row.targetDropped),
    targetLargest: sum((row) => row.targetLargest),
    cleanWins: sum((row) => row.cleanWins),
    staysControlled: sum((row) => row.staysControlled),
  };
}

/** Clean score minus degraded score (positive = the degraded panel lost); null when either panel lacks the signal. */
export function dropOf(result: CaseResult, name: SignalName): number | null {
  if (result.degradedSide === null) return null;
  const degraded = result.scores[result.degradedSide][name];
  const clean = result.scores[result.degradedSide === 0 ? 1 : 0][name];
  return degraded === null || clean === null ? null : clean - degraded;
}

// ---------------------------------------------------------------------------------------------
// Speed and the real cards

export interface SpeedRow {
  name: string;
  panelSizes: string;
  /** Per timed run: wall-clock and CPU (user + system) milliseconds for both panels. */
  wallMs: number[];
  cpuMs: number[];
}

/** All signals (gate included) for both panels of each card, warm: `runs` timed runs after two untimed ones. */
export async function measureSpeed(runs: number, seed: number): Promise<SpeedRow[]> {
  const random = seededRandom(seed);
  const specs = photoRegionSpecs();
  const cases: { name: string; panels: [RgbaImage, PanelRegionMaps][] }[] = [];
  for (const photo of ['photos/matplotlib_grace_hopper.jpg', 'photos/minimaxir_real_mirror_selfie.webp', 'photos/skimage_coffee.png']) {
    const spec = specs[photo] as PanelRegionSpec;
    const plan = planPanel(random, photo, spec);
    const panel = await renderPanel(plan);
    const regions = regionMapsFromSpec(placeSpec(spec, plan));
    cases.push({ name: `${photo.replace('photos/', '')}, a suite card`, panels: [[panel, regions], [crushShadows(panel, 70), regions]] });
  }
  for (const [file, panels] of Object.entries(await realCardPanels())) cases.push({ name: file.replace('cards/', ''), panels: panels.map(({ panel, regions }) => [panel, regions]) });
  const rows: SpeedRow[] = [];
  for (const { name, panels } of cases) {
    const wallMs: number[] = [];
    const cpuMs: number[] = [];
    for (let run = 0; run < runs + 2; run++) {
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      for (const [panel, regions] of panels) measurePanel(panel, regions);
      const wall = performance.now() - started;
      const cpu = process.cpuUsage(cpuBefore);
      if (run < 2) continue;
      wallMs.push(wall);
      cpuMs.push((cpu.user + cpu.system) / 1000);
    }
    rows.push({ name, panelSizes: panels.map(([panel]) => `${panel.width}×${panel.height}`).join(' + '), wallMs, cpuMs });
  }
  return rows;
}

interface RealPanel {
  panel: RgbaImage;
  regions: PanelRegionMaps;
}

/** The real cards' panels with their hand-drawn regions (tests/fixtures/regions/cards.json); panels without a drawing get empty maps. */
export async function realCardPanels(): Promise<Record<string, RealPanel[]>> {
  const specs = cardRegionSpecs();
  const out: Record<string, RealPanel[]> = {};
  for (const [key, spec] of Object.entries(specs)) {
    const [file, index] = key.split('#') as [string, string];
    const card = await decode(`${FIXTURES}${file}`);
    const [x, y, width, height] = spec.panel;
    const data = new Uint8ClampedArray(width * height * 4);
    for (let row = 0; row < height; row++) data.set(card.data.subarray(((y + row) * card.width + x) * 4, ((y + row) * card.width + x + width) * 4), row * width * 4);
    (out[file] ??= [])[Number(index)] = { panel: { data, width, height }, regions: regionMapsFromSpec({ ...spec, size: [width, height] }) };
  }
  return out;
}

export interface RealCardRow {
  file: string;
  panels: { photo: boolean; gate: number; scores: Record<SignalName, number | null>; realism: number | null }[];
  consistency: Consistency;
  verdict: Verdict;
}

export async function measureRealCards(): Promise<RealCardRow[]> {
  const rows: RealCardRow[] = [];
  for (const [file, panels] of Object.entries(await realCardPanels())) {
    const [a, b] = panels.map(({ panel, regions }) => measure(panel, regions)) as [Measured, Measured];
    rows.push({
      file,
      panels: [a, b].map((measured) => ({
        photo: measured.signals.photo,
        gate: measured.signals.gate.shadedOfSmooth,
        scores: scoresOf(measured),
        realism: panelSignalsResult(measured.signals.measurements).realism,
      })),
      ...judge(a, b),
    });
  }
  return rows;
}

export function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${availableParallelism()} cores (${cpu}), Node ${process.version}`;
}

