/**
 * ceramic: do the cups, bowls and plates on the table look made of something? Per tabletop object,
 * at native resolution: how crisp its rims and silhouette are (steepest step against the edge's
 * own range, so contrast does not count, only blur), whether its matte body keeps the image's grain
 * under smooth shading rather than mushy blotches, how far its specular highlight rises towards
 * white, whether that highlight sits on the side the scene is lit from, and whether a contact
 * shadow grounds it. Objects are weighed by their area.
 */
import { ScratchArrays } from '../regions/scratch';
import type { PanelRegionMaps, RegionMask, TabletopObject } from '../regions/types';
import type { Box, RgbaImage } from '../types';
import { createPanelContext, type PanelContext } from './context';
import {
  HeatGrid,
  boxMeanIn,
  clampBox,
  growBox,
  inside,
  keyLightDirection,
  LevelHistogram,
  lumaAtOffset,
  lumaWindowInto,
  median,
  medianInPlace,
  round3,
  saturating,
  scoreFromTerms,
  tilesInMask,
  TEXTURE_TILE,
  type LumaWindow,
} from './pixels';
import type { Signal, SignalMeasurement, Term } from './types';

const MIN_OBJECT_PIXELS = 256;
/** Rim band: pixels this close (panel pixels) to the object's silhouette, inside or out. */
const RIM_REACH = 4;
/** Rim pixels are the strongest tenth of the band's steps. */
const RIM_STRONGEST_SHARE = 0.1;
/** An edge window (7×7) must span this many levels. */
const RIM_MIN_RANGE = 16;
/** Pixel budget for the rim scan of one object: bigger objects are strided. */
const RIM_PIXEL_BUDGET = 12_000;
const MAX_BODY_TILES = 40;
/** Pixels sampled per object for its level statistics. */
const LEVEL_SAMPLE_BUDGET = 8_000;
/** Highlights: the object's brightest 1 % (direction) and its 99.5th percentile (strength). */
const HIGHLIGHT_DIRECTION_QUANTILE = 0.99;
const HIGHLIGHT_PEAK_QUANTILE = 0.995;
/** Highlight offset (share of the object's half-size) and key-light strength below which direction is not judged. */
const MIN_HIGHLIGHT_OFFSET = 0.15;
const MIN_KEY_LIGHT = 0.1;
/** Contact-shadow bands, as shares of the object's height and width. */
const CONTACT_BAND_HEIGHT = 0.1;
const CONTACT_SIDE_WIDTH = 0.3;

// Where each term's credibility reaches 0, one half, or 1 (docs/accuracy.md).
const RIM_SOFT = 0.15;
const RIM_CRISP = 0.55;
const GRAIN_TO_MOTTLE_HALF = 0.5;
const GRAIN_TO_NOISE_HALF = 0.6;
const SPECULAR_FULL = 0.6;
const CONTACT_FULL = 0.3;

/** Weights of the terms in the score, by evidence name. */
const WEIGHTS = { rimSharpness: 3, grainToMottle: 1, grainToNoise: 1, specularRise: 1, specularAgreement: 1, contactShadow: 1 } as const;

interface ObjectEvidence {
  pixels: number;
  rimSharpness: number;
  grainToMottle: number;
  grainToNoise: number;
  specularRise: number;
  specularAgreement: number;
  contactShadow: number;
}

function nearSilhouette(mask: RegionMask, x: number, y: number): boolean {
  const here = inside(mask, x, y);
  const clampX = (value: number) => Math.min(mask.width - 1, Math.max(0, value));
  const clampY = (value: number) => Math.min(mask.height - 1, Math.max(0, value));
  return (
    inside(mask, clampX(x + RIM_REACH), y) !== here ||
    inside(mask, clampX(x - RIM_REACH), y) !== here ||
    inside(mask, x, clampY(y + RIM_REACH)) !== here ||
    inside(mask, x, clampY(y - RIM_REACH)) !== here
  );
}

/** Median of steepest-step / range (7×7) over the strongest steps of the silhouette band and the object's own edges. */
function rimSharpness(window: LumaWindow, mask: RegionMask): number {
  const [windowLeft, windowTop, width, height] = window.box;
  const stride = Math.max(1, Math.ceil(Math.sqrt((width * height) / RIM_PIXEL_BUDGET)));
  const candidates: number[] = [];
  const steps = new LevelHistogram();
  const stepAt = (index: number) => {
    const value = window.data[index] ?? 0;
    return Math.max(Math.abs((window.data[index + 1] ?? 0) - value), Math.abs((window.data[index + width] ?? 0) - value));
  };
  for (let row = 3; row < height - 3; row += stride) {
    for (let column = 3; column < width - 3; column += stride) {
      const x = windowLeft + column;
      const y = windowTop + row;
      if (!inside(mask, x, y) && !nearSilhouette(mask, x, y)) continue;
      const index = row * width + column;
      candidates.push(index);
      steps.add(stepAt(index));
    }
  }
  if (candidates.length === 0) return Number.NaN;
  const strongLevel = steps.quantile(1 - RIM_STRONGEST_SHARE);
  const steepness: number[] = [];
  for (const index of candidates) {
    if (stepAt(index) < strongLevel) continue;
    let low = Infinity;
    let high = -Infinity;
    let steepest = 0;
    for (let dy = -3; dy <= 3; dy++) {
      for (let dx = -3; dx <= 3; dx++) {
        const at = index + dy * width + dx;
        const value = window.data[at] ?? 0;
        low = Math.min(low, value);
        high = Math.max(high, value);
        if (dx < 3) steepest = Math.max(steepest, Math.abs((window.data[at + 1] ?? 0) - value));
        if (dy < 3) steepest = Math.max(steepest, Math.abs((window.data[at + width] ?? 0) - value));
      }
    }
    if (high - low >= RIM_MIN_RANGE) steepness.push(steepest / (high - low));
  }
  return steepness.length > 0 ? median(steepness) : Number.NaN;
}

/** Grain (fine residual) and mottle (3×3 mean − 9×9 mean) of the body, away from the rims and the highlight. */
function bodyTexture(panel: RgbaImage, mask: RegionMask, highlightLevel: number, noiseFloor: number, heat: HeatGrid): { grainToMottle: number; grainToNoise: number } {
  const grainToMottle: number[] = [];
  const grain: number[] = [];
  const border = 4;
  const grainValues = new Float32Array(TEXTURE_TILE * TEXTURE_TILE);
  const mottleValues = new Float32Array(TEXTURE_TILE * TEXTURE_TILE);
  // One set of buffers for every tile's window; the means are taken at the tile's pixels only.
  const side = TEXTURE_TILE + 2 * border;
  const windowLuma = new Float32Array(side * side);
  const fine = new Float32Array(side * side);
  const coarse = new Float32Array(side * side);
  const scratch = new Float32Array(side * side);
  for (const tile of tilesInMask(mask, TEXTURE_TILE, MAX_BODY_TILES, 0.9)) {
    const [left, top] = tile;
    const window = lumaWindowInto(panel, [left - border, top - border, side, side], windowLuma);
    const [windowLeft, windowTop] = window.box;
    const tileInWindow: Box = [left - windowLeft, top - windowTop, TEXTURE_TILE, TEXTURE_TILE];
    boxMeanIn(windowLuma, window.width, window.height, 1, tileInWindow, fine, scratch);
    boxMeanIn(windowLuma, window.width, window.height, 4, tileInWindow, coarse, scratch);
    let count = 0;
    for (let y = top; y < top + TEXTURE_TILE; y++) {
      for (let x = left; x < left + TEXTURE_TILE; x++) {
        if (!inside(mask, x, y) || nearSilhouette(mask, x, y)) continue;
        const index = (y - windowTop) * window.width + (x - windowLeft);
        const luma = window.data[index] ?? 0;
        if (luma >= highlightLevel || luma <= 8) continue;
        grainValues[count] = Math.abs(luma - (fine[index] ?? 0));
        mottleValues[count] = Math.abs((fine[index] ?? 0) - (coarse[index] ?? 0));
        count++;
      }
    }
    if (count < TEXTURE_TILE * 4) continue;
    const tileGrain = medianInPlace(grainValues, count);
    grain.push(tileGrain);
    grainToMottle.push(tileGrain / Math.max(0.25, medianInPlace(mottleValues, count)));
    heat.paint(tile, 1 - saturating(tileGrain / noiseFloor, GRAIN_TO_NOISE_HALF));
  }
  return {
    grainToMottle: grainToMottle.length > 0 ? median(grainToMottle) : Number.NaN,
    grainToNoise: grain.length > 0 ? median(grain) / noiseFloor : Number.NaN,
  };
}

/** Mean luma under the object against beside it (below 1 = a contact shadow); NaN when the bands fall off the panel or on other objects. */
function contactShadowRatio(panel: RgbaImage, mask: RegionMask, others: RegionMask[]): number {
  const [x, y, width, height] = mask.box;
  const band = Math.max(2, Math.round(height * CONTACT_BAND_HEIGHT));
  const bottom = y + height;
  const free = (px: number, py: number) => px >= 0 && py >= 0 && px < panel.width && py < panel.height && !inside(mask, px, py) && !others.some((other) => inside(other, px, py));
  const meanOver = (left: number, top: number, right: number, lowest: number): number => {
    let sum = 0;
    let count = 0;
    const step = Math.max(1, Math.floor((right - left) / 40));
    for (let py = top; py < lowest; py++) {
      for (let px = left; px < right; px += step) {
        if (!free(px, py)) continue;
        sum += lumaAtOffset(panel.data, (py * panel.width + px) * 4);
        count++;
      }
    }
    return count >= 8 ? sum / count : Number.NaN;
  };
  const under = meanOver(Math.round(x + 0.2 * width), bottom, Math.round(x + 0.8 * width), bottom + band);
  const side = Math.round(width * CONTACT_SIDE_WIDTH);
  const left = meanOver(x - side, bottom - band, x, bottom + band);
  const right = meanOver(x + width, bottom - band, x + width + side, bottom + band);
  const beside = [left, right].filter(Number.isFinite);
  if (!Number.isFinite(under) || beside.length === 0) return Number.NaN;
  const besideMean = beside.reduce((sum, value) => sum + value, 0) / beside.length;
  return besideMean > 0 ? under / besideMean : Number.NaN;
}

/** An object's luma window (up to ~650 kB a cup), reused from one object to the next: read only inside `measureObject`. */
const CERAMIC_SCRATCH = new ScratchArrays();

function measureObject(
  panel: RgbaImage,
  object: TabletopObject,
  others: RegionMask[],
  keyLight: [number, number],
  noiseFloor: number,
  heat: HeatGrid,
): ObjectEvidence {
  const { mask } = object;
  const [x, y, width, height] = mask.box;
  const windowBox = clampBox(growBox(mask.box, RIM_REACH + 4), panel.width, panel.height);
  const window = lumaWindowInto(panel, windowBox, CERAMIC_SCRATCH.float32(0, windowBox[2] * windowBox[3]));
  const [windowLeft, windowTop] = window.box;

  // Levels from a strided sample of the object (at most LEVEL_SAMPLE_BUDGET pixels); the highlight centroid from every pixel above its level.
  const levels = new LevelHistogram();
  const levelStride = Math.max(1, Math.floor(Math.sqrt(mask.pixels / LEVEL_SAMPLE_BUDGET)));
  for (let row = 0; row < window.height; row += levelStride) {
    for (let column = 0; column < window.width; column += levelStride) {
      if (inside(mask, windowLeft + column, windowTop + row)) levels.add(window.data[row * window.width + column] ?? 0);
    }
  }
  const bodyLevel = levels.quantile(0.5);
  const peak = levels.quantile(HIGHLIGHT_PEAK_QUANTILE);
  const specularRise = bodyLevel >= 255 ? 0 : Math.max(0, (peak - bodyLevel) / (255 - bodyLevel));
  const directionLevel = levels.quantile(HIGHLIGHT_DIRECTION_QUANTILE);
  let highlightX = 0;
  let highlightY = 0;
  let highlightCount = 0;
  for (let row = 0; row < window.height; row++) {
    for (let column = 0; column < window.width; column++) {
      if ((window.data[row * window.width + column] ?? 0) < directionLevel || !inside(mask, windowLeft + column, windowTop + row)) continue;
      highlightX += windowLeft + column;
      highlightY += windowTop + row;
      highlightCount++;
    }
  }
  let specularAgreement = Number.NaN;
  if (highlightCount > 0) {
    const offsetX = (highlightX / highlightCount - (x + width / 2)) / (width / 2);
    const offsetY = (highlightY / highlightCount - (y + height / 2)) / (height / 2);
    const offset = Math.hypot(offsetX, offsetY);
    const light = Math.hypot(keyLight[0], keyLight[1]);
    if (offset >= MIN_HIGHLIGHT_OFFSET && light >= MIN_KEY_LIGHT) {
      specularAgreement = (1 + (offsetX * keyLight[0] + offsetY * keyLight[1]) / (offset * light)) / 2;
    }
  }
  const { grainToMottle, grainToNoise } = bodyTexture(panel, mask, directionLevel, noiseFloor, heat);
  const rim = rimSharpness(window, mask);
  if (Number.isFinite(rim)) heat.paint(mask.box, 0.5 * (1 - (rim - RIM_SOFT) / (RIM_CRISP - RIM_SOFT)));
  const contact = contactShadowRatio(panel, mask, others);
  return {
    pixels: mask.pixels,
    rimSharpness: rim,
    grainToMottle,
    grainToNoise,
    specularRise,
    specularAgreement,
    contactShadow: Number.isFinite(contact) ? 1 - contact : Number.NaN,
  };
}

/** Pixel-weighted mean over the objects where the term applied; NaN where it applied to none. */
function weighedMean(objects: ObjectEvidence[], pick: (object: ObjectEvidence) => number): number {
  let sum = 0;
  let weight = 0;
  for (const object of objects) {
    const value = pick(object);
    if (!Number.isFinite(value)) continue;
    sum += value * object.pixels;
    weight += object.pixels;
  }
  return weight === 0 ? Number.NaN : sum / weight;
}

export function measureCeramic(panel: RgbaImage, regions: PanelRegionMaps, context: PanelContext = createPanelContext(panel, regions)): SignalMeasurement | null {
  const objects = (regions.tabletop ?? []).filter((object) => object.mask.pixels >= MIN_OBJECT_PIXELS);
  if (objects.length === 0) return null;
  const noiseFloor = context.noiseFloor();
  const small = context.thumbnail();
  const keyLight = keyLightDirection(small.luma, small.width, small.height);
  const heat = new HeatGrid(panel.width, panel.height);
  const measured = objects.map((object) =>
    measureObject(panel, object, objects.filter((other) => other !== object).map((other) => other.mask), keyLight, noiseFloor, heat),
  );

  const evidence: Record<string, number> = { objects: objects.length, noiseFloor: round3(noiseFloor) };
  const terms: (Term | null)[] = [];
  const add = (name: keyof typeof WEIGHTS, value: number, credibility: (value: number) => number) => {
    if (!Number.isFinite(value)) return;
    evidence[name] = round3(value);
    terms.push({ value: credibility(value), weight: WEIGHTS[name] });
  };
  add('rimSharpness', weighedMean(measured, (object) => object.rimSharpness), (value) => (value - RIM_SOFT) / (RIM_CRISP - RIM_SOFT));
  add('grainToMottle', weighedMean(measured, (object) => object.grainToMottle), (value) => saturating(value, GRAIN_TO_MOTTLE_HALF));
  add('grainToNoise', weighedMean(measured, (object) => object.grainToNoise), (value) => saturating(value, GRAIN_TO_NOISE_HALF));
  add('specularRise', weighedMean(measured, (object) => object.specularRise), (value) => value / SPECULAR_FULL);
  add('specularAgreement', weighedMean(measured, (object) => object.specularAgreement), (value) => value);
  add('contactShadow', weighedMean(measured, (object) => object.contactShadow), (value) => value / CONTACT_FULL);
  return { score: scoreFromTerms(terms), evidence, heatmap: heat.toHeatmap() };
}

export const ceramicSignal: Signal = {
  name: 'ceramic',
  reads: 'tabletop objects (cups, bowls, plates, glasses)',
  measure: measureCeramic,
};
