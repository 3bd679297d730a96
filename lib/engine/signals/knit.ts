/**
 * knit: does the garment read as fabric? On native-resolution tiles of the garment it measures
 * texture energy against the panel's own grain, how directional the fine structure is (ribs and
 * stitches run one way; smeared or noisy fabric has no direction), the texture left in the
 * darkest folds, and light absorption: a black knit is dark but not flat, so tiles with no texture
 * count against it. Tiles crushed or blown to flat are left out: that is the shadow signal's finding,
 * and a garment with nothing left to judge gives null.
 */
import type { PanelRegionMaps, RegionMask } from '../regions/types';
import type { Box, RgbaImage } from '../types';
import { createPanelContext, type PanelContext } from './context';
import { HeatGrid, MASK_INSIDE, boxMean, logCredibility, lumaWindowInto, median, medianInPlace, round3, scoreFromTerms, tilesInMask, TEXTURE_TILE } from './pixels';
import type { Signal, SignalMeasurement } from './types';

const MIN_GARMENT_PIXELS = 256;
const MAX_TILES = 80;
const CLIPPED_LOW = 8;
const CLIPPED_HIGH = 250;
/** A tile with less texture than this share of the noise floor is flat. */
const FLAT_TEXTURE_SHARE = 0.5;
/** A tile with more than this share of clipped pixels is left out: clipping is the shadow signal's finding. */
const MAX_CLIPPED_SHARE = 0.5;
/** Less than this share of the garment's tiles left to judge: knit is not measurable here (null). */
const MIN_MEASURABLE_SHARE = 0.1;
/** Structure-tensor coherence of noise alone over a tile, and of a clearly directional weave. */
const COHERENCE_NOISE = 0.1;
const COHERENCE_DIRECTIONAL = 0.4;
/** The darkest third of the tiles are the shadowed folds. */
const FOLD_SHARE = 1 / 3;

/** Texture / noise floor that counts as one half: fabric exactly as grainy as the wall behind it. */
const TEXTURE_EVEN = 1;
/** Weights of the terms in the score, by evidence name (flatShare counts as 1 − flatShare). */
const WEIGHTS = { textureToNoise: 3, directionality: 1, foldDetail: 1, flatShare: 1 } as const;

export interface GarmentTile {
  texture: number;
  coherence: number;
  meanLuma: number;
  /** Mostly crushed or blown: nothing of the fabric to judge here (the shadow signal judges clipping). */
  clipped: boolean;
}

/** Coherence (0 = no direction, 1 = one direction) of the fine band's gradients over the window's inner pixels. */
function coherenceOf(residual: Float32Array, width: number, height: number): number {
  let xx = 0;
  let yy = 0;
  let xy = 0;
  for (let row = 1; row < height - 1; row++) {
    for (let column = 1, index = row * width + 1; column < width - 1; column++, index++) {
      const gradientX = ((residual[index + 1] as number) - (residual[index - 1] as number)) / 2;
      const gradientY = ((residual[index + width] as number) - (residual[index - width] as number)) / 2;
      xx += gradientX * gradientX;
      yy += gradientY * gradientY;
      xy += gradientX * gradientY;
    }
  }
  const trace = xx + yy;
  return trace <= 1e-9 ? 0 : Math.sqrt((xx - yy) * (xx - yy) + 4 * xy * xy) / trace;
}

/**
 * The garment's tiles: texture (median |fine residual| over the tile's unclipped garment pixels), coherence of the
 * fine band's gradients over the window's inner pixels, mean luma, and whether the tile is mostly clipped. The
 * per-tile work is `readGarmentTile` and `coherenceOf`, with no array or closure per tile or pixel.
 */
export function scanGarment(panel: RgbaImage, regions: PanelRegionMaps, noiseFloor: number, heat: HeatGrid): GarmentTile[] {
  const garment = regions.garment;
  if (!garment) return [];
  const tiles: GarmentTile[] = [];
  const values = new Float32Array(TEXTURE_TILE * TEXTURE_TILE);
  // One set of buffers for every tile's window (a window clamped at the panel's edge uses the start of each).
  const side = TEXTURE_TILE + 2 * GARMENT_BORDER;
  const buffers: GarmentBuffers = { luma: new Float32Array(side * side), smooth: new Float32Array(side * side), scratch: new Float32Array(side * side), residual: new Float32Array(side * side) };
  const read = new Float64Array(6);
  const boxes = tilesInMask(garment, TEXTURE_TILE, MAX_TILES, 0.6);
  for (let tileIndex = 0; tileIndex < boxes.length; tileIndex++) {
    const tile = boxes[tileIndex] as Box;
    readGarmentTile(panel, garment, tile[0], tile[1], buffers, values, read);
    const measured = read[0] as number;
    const clipped = read[1] as number;
    const counted = read[2] as number;
    if (counted === 0) continue;
    const isClipped = clipped / counted > MAX_CLIPPED_SHARE || measured < TEXTURE_TILE;
    const texture = isClipped ? 0 : medianInPlace(values, measured);
    tiles.push({ texture, coherence: coherenceOf(buffers.residual, read[4] as number, read[5] as number), meanLuma: (read[3] as number) / counted, clipped: isClipped });
    if (!isClipped) heat.paint(tile, 1 - logCredibility(texture / noiseFloor, TEXTURE_EVEN));
  }
  return tiles;
}

/** Pixels of window around each garment tile. */
const GARMENT_BORDER = 2;

interface GarmentBuffers {
  luma: Float32Array<ArrayBuffer>;
  smooth: Float32Array<ArrayBuffer>;
  scratch: Float32Array<ArrayBuffer>;
  residual: Float32Array<ArrayBuffer>;
}

/**
 * One garment tile (its top-left corner at left, top): the luma of the tile and GARMENT_BORDER pixels around it,
 * clamped to the panel (lumaWindowInto's rows), its fine residual (luma − 3×3 mean) in `buffers.residual`,
 * and |residual| of each unclipped garment pixel in `values`. `read` gets the values written, the clipped and the
 * garment pixels, their luma sum, and the window's width and height. A small function called for every tile:
 * V8 optimises such a function sooner than a loop inside a large one, which is what a session's first cards run on.
 */
function readGarmentTile(panel: RgbaImage, garment: RegionMask, left: number, top: number, buffers: GarmentBuffers, values: Float32Array, read: Float64Array): void {
  const side = TEXTURE_TILE + 2 * GARMENT_BORDER;
  const { luma, smooth, residual } = buffers;
  const { width, height, box } = lumaWindowInto(panel, [left - GARMENT_BORDER, top - GARMENT_BORDER, side, side], luma);
  const [windowLeft, windowTop] = box;
  boxMean(luma, width, height, 1, smooth, buffers.scratch);
  const size = width * height;
  for (let index = 0; index < size; index++) residual[index] = (luma[index] as number) - (smooth[index] as number);
  const garmentData = garment.data;
  const garmentWidth = garment.width;
  let measured = 0;
  let clipped = 0;
  let counted = 0;
  let lumaSum = 0;
  for (let y = top; y < top + TEXTURE_TILE; y++) {
    const maskRow = y * garmentWidth;
    for (let x = left; x < left + TEXTURE_TILE; x++) {
      if ((garmentData[maskRow + x] as number) < MASK_INSIDE) continue;
      const index = (y - windowTop) * width + (x - windowLeft);
      const value = luma[index] as number;
      counted++;
      lumaSum += value;
      if (value <= CLIPPED_LOW || value >= CLIPPED_HIGH) {
        clipped++;
        continue;
      }
      values[measured++] = Math.abs(residual[index] as number);
    }
  }
  read[0] = measured;
  read[1] = clipped;
  read[2] = counted;
  read[3] = lumaSum;
  read[4] = width;
  read[5] = height;
}

export function measureKnit(panel: RgbaImage, regions: PanelRegionMaps, context: PanelContext = createPanelContext(panel, regions)): SignalMeasurement | null {
  if (!regions.garment || regions.garment.pixels < MIN_GARMENT_PIXELS) return null;
  const noiseFloor = context.noiseFloor();
  const heat = new HeatGrid(panel.width, panel.height);
  const tiles = scanGarment(panel, regions, noiseFloor, heat);
  const measurable = tiles.filter((tile) => !tile.clipped);
  if (measurable.length === 0 || measurable.length < MIN_MEASURABLE_SHARE * tiles.length) return null;

  const textureToNoise = median(measurable.map((tile) => tile.texture)) / noiseFloor;
  const directionality = median(measurable.map((tile) => tile.coherence));
  const byDarkness = [...measurable].sort((a, b) => a.meanLuma - b.meanLuma);
  const folds = byDarkness.slice(0, Math.max(1, Math.round(measurable.length * FOLD_SHARE)));
  const foldDetail = median(folds.map((tile) => tile.texture)) / noiseFloor;
  const flatShare = measurable.filter((tile) => tile.texture < FLAT_TEXTURE_SHARE * noiseFloor).length / measurable.length;
  const meanLuma = measurable.reduce((sum, tile) => sum + tile.meanLuma, 0) / measurable.length;

  const score = scoreFromTerms([
    { value: logCredibility(textureToNoise, TEXTURE_EVEN), weight: WEIGHTS.textureToNoise },
    { value: (directionality - COHERENCE_NOISE) / (COHERENCE_DIRECTIONAL - COHERENCE_NOISE), weight: WEIGHTS.directionality },
    { value: logCredibility(foldDetail, TEXTURE_EVEN), weight: WEIGHTS.foldDetail },
    { value: 1 - flatShare, weight: WEIGHTS.flatShare },
  ]);
  return {
    score,
    evidence: {
      textureToNoise: round3(textureToNoise),
      directionality: round3(directionality),
      foldDetail: round3(foldDetail),
      flatShare: round3(flatShare),
      clippedShare: round3(1 - measurable.length / tiles.length),
      meanLuma: round3(meanLuma),
      noiseFloor: round3(noiseFloor),
    },
    heatmap: heat.toHeatmap(),
  };
}

export const knitSignal: Signal = {
  name: 'knit',
  reads: 'garment',
  measure: measureKnit,
};
