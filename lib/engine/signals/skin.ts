/**
 * skin: is the skin real or smoothed? On native-resolution tiles of the face skin (of the body
 * skin, neck, arms and hands, when the face shows none; reported beside a face) it measures fine texture against a yardstick:
 * the panel's own grain (skin smoother than the wall behind it has been smoothed: the noise floor is
 * what the image's resolution and noise predict) or, where larger, the skin's own shading slope / 6 (a
 * tone curve stretches the skin's grain and its shading by the same gain, so crushed shadows do not read as
 * richer skin; smoothing leaves the shading). It also measures fine grain against the skin's own
 * mid-band detail (a tone curve scales both, smoothing removes the first), micro-contrast, texture
 * inside the highlights (waxy, plastic highlights are glassy), and how crisp the skin-to-fabric
 * boundary is. Faces too small to show texture pull the score towards 50 instead of pretending.
 */
import { ScratchArrays } from '../regions/scratch';
import type { PanelRegionMaps, RegionMask } from '../regions/types';
import type { Box, RgbaImage } from '../types';
import { createPanelContext, type PanelContext } from './context';
import { HeatGrid, MASK_INSIDE, boxMeanIn, clampBox, growBox, logCredibility, lumaWindowInto, median, quantile, round3, scoreFromTerms, tilesInMask } from './pixels';
import type { Signal, SignalMeasurement } from './types';

const MIN_SKIN_PIXELS = 64;
/** Skin tiles are small: a face a hundred pixels tall still gives dozens of them. */
const SKIN_TILE = 10;
const MAX_TILES_PER_MASK = 120;
/** Skin pixels this dark or bright are clipped: no texture to judge (the shadow signal judges them). */
const CLIPPED_LOW = 8;
const CLIPPED_HIGH = 250;
/** The quantile across skin tiles that stands for plain skin. */
const PLAIN_SKIN_QUANTILE = 0.3;
/** Highlights: the skin's brightest fifth of tiles. */
const HIGHLIGHT_TILE_SHARE = 0.2;
/** Face heights (pixels) from which texture can be judged at all, and fully. */
const FACE_HEIGHT_UNJUDGED = 24;
const FACE_HEIGHT_JUDGED = 64;
/** Skin-to-fabric boundary: a garment pixel this close (pixels) makes a skin pixel a boundary pixel. */
const BOUNDARY_REACH = 2;
/** A boundary window must span this many levels to have an edge to judge. */
const BOUNDARY_MIN_RANGE = 12;
const MIN_BOUNDARY_PIXELS = 16;
/** An area (face or body skin) with fewer measurable tiles than this is not judged on its own. */
const MIN_AREA_TILES = 4;
/** Shading slope: the 7×7 mean's change over this many pixels either side, per pixel (coarse enough that grain averages out). */
const SHADING_STEP = 3;
/**
 * The texture yardstick is the larger of the panel's grain and the skin's own shading slope / this. A tone
 * curve scales the skin's grain and its shading slope alike (both are the curve's gain at the skin's
 * levels), while smoothing leaves the slope; the panel's grain does not follow a curve on compressed or
 * flat backgrounds (crushed shadows clip its dark tiles, JPEG keeps its 8-bit floor). Real faces in the
 * fixture photos: slope 4-8 grey levels per pixel, panel grain 0.35-2.
 */
const SHADING_TO_GRAIN = 6;

/**
 * Skin texture / the panel's grain that counts as one half. Real skin in the fixture photos sits
 * at 2-7 times the flattest background's grain (pores, fine hair, noise on a curved surface); skin
 * only as grainy as a flat wall (ratio 0.5 and below) scores 0, eight times and above scores 1.
 */
const TEXTURE_EVEN = 2;
/** Fine grain / mid-band detail of the skin itself that counts as one half (real skin: 0.5-1), and the octaves either way to 0 and 1. */
const FINE_TO_MID_EVEN = 0.5;
const FINE_TO_MID_OCTAVES = 1.5;
/** Mid-band detail / the panel's grain that counts as one half (real skin: 2-9). */
const MICRO_CONTRAST_EVEN = 4;
/** Edge steepness (steepest step / range) from which the boundary counts as crisp, and fully crisp. */
const BOUNDARY_SOFT = 0.1;
const BOUNDARY_CRISP = 0.5;

/** Weights of the terms in the score, by evidence name. */
const WEIGHTS = { textureToNoise: 2, fineToMid: 2, microContrast: 1, highlightTexture: 1, boundaryCrispness: 1 } as const;

export interface SkinTexture {
  /** Per tile: mean |luma − 3×3 mean| (fine grain). */
  tileTexture: number[];
  /** Per tile: mean |3×3 mean − 7×7 mean| (mid-band detail). */
  tileMicroContrast: number[];
  /** Per tile: mean luma, to find the highlight tiles. */
  tileLuma: number[];
  /** Per tile: mean shading slope, |∂x| + |∂y| of the 7×7 mean (differences across 2 × SHADING_STEP pixels), grey levels per pixel. */
  tileShading: number[];
  tiles: Parameters<HeatGrid['paint']>[0][];
}

/**
 * Luma and its 3×3 and 7×7 means over a grid of panel pixels (one tile's window, or one region holding
 * every tile's window): the grid's box in the panel, its width and height, and its buffers.
 */
interface TextureGrid {
  left: number;
  top: number;
  width: number;
  height: number;
  luma: Float32Array;
  fine: Float32Array;
  coarse: Float32Array;
}

/**
 * The skin scan's windows and the boundary's luma plane, kept from one panel to the next: fresh arrays of this size
 * cost the worker page faults and garbage collections (docs/performance.md, "The signals stage in the worker").
 */
const SKIN_SCRATCH = new ScratchArrays();

/**
 * The texture terms of every measurable skin tile of the mask. `grouping` chooses how the tiles' windows are read:
 * one region holding them all, or a window per tile, or (`auto`) whichever reads fewer pixels; the results are the same.
 */
export function scanTexture(panel: RgbaImage, mask: RegionMask, texture: SkinTexture, grouping: 'auto' | 'region' | 'tiles' = 'auto'): void {
  // 3 for the 7×7 mean, SHADING_STEP more for its slope.
  const border = 3 + SHADING_STEP;
  const side = SKIN_TILE + 2 * border;
  const tiles = tilesInMask(mask, SKIN_TILE, MAX_TILES_PER_MASK, 0.5);
  if (tiles.length === 0) return;
  // Neighbouring tiles' windows overlap (a 10-pixel tile reads a 22-pixel window): where the tiles lie close together, one
  // region holding all their windows costs less than a window each. The means are the same either way (boxMeanIn).
  let tilesLeft = Infinity;
  let tilesTop = Infinity;
  let tilesRight = -Infinity;
  let tilesBottom = -Infinity;
  for (const [left, top] of tiles) {
    tilesLeft = Math.min(tilesLeft, left);
    tilesTop = Math.min(tilesTop, top);
    tilesRight = Math.max(tilesRight, left + SKIN_TILE);
    tilesBottom = Math.max(tilesBottom, top + SKIN_TILE);
  }
  const region = clampBox(growBox([tilesLeft, tilesTop, tilesRight - tilesLeft, tilesBottom - tilesTop], border), panel.width, panel.height);
  const [regionLeft, regionTop, regionWidth, regionHeight] = region;
  const oneRegion = grouping === 'region' || (grouping === 'auto' && regionWidth * regionHeight <= tiles.length * side * side);
  let grid: TextureGrid;
  let scratch: Float32Array;
  if (oneRegion) {
    const size = regionWidth * regionHeight;
    const luma = lumaWindowInto(panel, region, SKIN_SCRATCH.float32(0, size)).data;
    grid = { left: regionLeft, top: regionTop, width: regionWidth, height: regionHeight, luma, fine: SKIN_SCRATCH.float32(1, size), coarse: SKIN_SCRATCH.float32(2, size) };
    scratch = SKIN_SCRATCH.float32(3, size);
    // The 3×3 mean at the tiles' pixels, the 7×7 mean also SHADING_STEP around them (for the slope).
    const tilesInRegion: Box = [tilesLeft - regionLeft, tilesTop - regionTop, tilesRight - tilesLeft, tilesBottom - tilesTop];
    boxMeanIn(grid.luma, regionWidth, regionHeight, 1, tilesInRegion, grid.fine, scratch);
    boxMeanIn(grid.luma, regionWidth, regionHeight, 3, clampBox(growBox(tilesInRegion, SHADING_STEP), regionWidth, regionHeight), grid.coarse, scratch);
  } else {
    // One set of buffers for every tile's window; only the pixels read are filled.
    grid = { left: 0, top: 0, width: 0, height: 0, luma: SKIN_SCRATCH.float32(0, side * side), fine: SKIN_SCRATCH.float32(1, side * side), coarse: SKIN_SCRATCH.float32(2, side * side) };
    scratch = SKIN_SCRATCH.float32(3, side * side);
  }
  const { luma, fine, coarse } = grid;
  const maskData = mask.data;
  // Per tile: measured pixels, and the sums of their residuals, mid-band detail, luma and shading slope.
  const sums = new Float64Array(5);
  for (let tileIndex = 0; tileIndex < tiles.length; tileIndex++) {
    const tile = tiles[tileIndex] as Box;
    const left = tile[0];
    const top = tile[1];
    if (!oneRegion) {
      [grid.left, grid.top, grid.width, grid.height] = lumaWindowInto(panel, [left - border, top - border, side, side], luma).box;
      const tileInWindow: Box = [left - grid.left, top - grid.top, SKIN_TILE, SKIN_TILE];
      boxMeanIn(luma, grid.width, grid.height, 1, tileInWindow, fine, scratch);
      boxMeanIn(luma, grid.width, grid.height, 3, clampBox(growBox(tileInWindow, SHADING_STEP), grid.width, grid.height), coarse, scratch);
    }
    sumSkinTile(grid, left, top, maskData, mask.width, sums);
    const count = sums[0] as number;
    const residualSum = sums[1] as number;
    const bandSum = sums[2] as number;
    const lumaSum = sums[3] as number;
    const shadingSum = sums[4] as number;
    if (count < SKIN_TILE) continue;
    // Means within a tile (smooth even on 8-bit grey levels), medians across tiles (robust to eyes, brows and mask edges).
    const tileTexture = residualSum / count;
    texture.tileTexture.push(tileTexture);
    texture.tileMicroContrast.push(bandSum / count);
    texture.tileLuma.push(lumaSum / count);
    texture.tileShading.push(shadingSum / count);
    texture.tiles.push(tile);
  }
}

/**
 * One skin tile of `scanTexture` (its top-left corner at left, top) over the grid's luma and means: `sums` gets the
 * measured (unclipped skin) pixels, and the sums of their |luma − 3×3 mean|, |3×3 mean − 7×7 mean|, luma, and shading
 * slope (|∂x| + |∂y| of the 7×7 mean, differences across SHADING_STEP pixels either side, fewer at the grid's edge).
 * A small function called for every tile, everything written out inside it: V8 optimises such a function sooner than
 * a loop inside a large one, which is what a session's first face card runs on.
 */
function sumSkinTile(grid: TextureGrid, left: number, top: number, maskData: Uint8Array, maskWidth: number, sums: Float64Array): void {
  const { luma, fine, coarse } = grid;
  const gridLeft = grid.left;
  const gridTop = grid.top;
  const gridWidth = grid.width;
  const gridHeight = grid.height;
  let count = 0;
  let residualSum = 0;
  let bandSum = 0;
  let lumaSum = 0;
  let shadingSum = 0;
  for (let y = top; y < top + SKIN_TILE; y++) {
    const maskRow = y * maskWidth;
    const row = y - gridTop;
    // The slope's rows SHADING_STEP either side (fewer at the grid's edge).
    const row0 = Math.max(0, row - SHADING_STEP);
    const row1 = Math.min(gridHeight - 1, row + SHADING_STEP);
    for (let x = left; x < left + SKIN_TILE; x++) {
      if ((maskData[maskRow + x] as number) < MASK_INSIDE) continue;
      const column = x - gridLeft;
      const index = row * gridWidth + column;
      const value = luma[index] as number;
      if (value <= CLIPPED_LOW || value >= CLIPPED_HIGH) continue;
      const residual = Math.abs(value - (fine[index] as number));
      residualSum += residual;
      bandSum += Math.abs((fine[index] as number) - (coarse[index] as number));
      lumaSum += value;
      const column0 = Math.max(0, column - SHADING_STEP);
      const column1 = Math.min(gridWidth - 1, column + SHADING_STEP);
      const across = column1 > column0 ? Math.abs((coarse[row * gridWidth + column1] as number) - (coarse[row * gridWidth + column0] as number)) / (column1 - column0) : 0;
      const down = row1 > row0 ? Math.abs((coarse[row1 * gridWidth + column] as number) - (coarse[row0 * gridWidth + column] as number)) / (row1 - row0) : 0;
      shadingSum += across + down;
      count++;
    }
  }
  sums[0] = count;
  sums[1] = residualSum;
  sums[2] = bandSum;
  sums[3] = lumaSum;
  sums[4] = shadingSum;
}

/** Median steepness (steepest one-pixel step / window range) where skin meets the garment; NaN without such a boundary. */
export function boundaryCrispness(panel: RgbaImage, skinMasks: RegionMask[], garment: RegionMask | null): number {
  if (!garment) return Number.NaN;
  const steepness: number[] = [];
  const rgba = panel.data;
  const garmentData = garment.data;
  for (const skin of skinMasks) {
    const [boxX, boxY, boxWidth, boxHeight] = skin.box;
    const yFrom = Math.max(3, boxY);
    const yTo = Math.min(panel.height - 4, boxY + boxHeight);
    const xFrom = Math.max(3, boxX);
    const xTo = Math.min(panel.width - 4, boxX + boxWidth);
    if (yTo <= yFrom || xTo <= xFrom) continue;
    // Luma over the scanned area and the 3 pixels around it, each pixel computed once, when a window first needs it
    // (windows two pixels apart overlap): the same float32 levels lumaWindow gives; −1 = not computed yet.
    const planeLeft = xFrom - 3;
    const planeTop = yFrom - 3;
    const planeWidth = xTo - xFrom + 6;
    const plane = SKIN_SCRATCH.float32(4, planeWidth * (yTo - yFrom + 6)).fill(-1);
    // Every other row and column: the boundary is long enough that half its pixels tell the same.
    for (let y = yFrom; y < yTo; y += 2) {
      for (let x = xFrom; x < xTo; x += 2) {
        if ((skin.data[y * skin.width + x] as number) < MASK_INSIDE) continue;
        const nearGarment =
          (garmentData[y * garment.width + Math.min(panel.width - 1, x + BOUNDARY_REACH)] as number) >= MASK_INSIDE ||
          (garmentData[y * garment.width + Math.max(0, x - BOUNDARY_REACH)] as number) >= MASK_INSIDE ||
          (garmentData[Math.min(panel.height - 1, y + BOUNDARY_REACH) * garment.width + x] as number) >= MASK_INSIDE ||
          (garmentData[Math.max(0, y - BOUNDARY_REACH) * garment.width + x] as number) >= MASK_INSIDE;
        if (!nearGarment) continue;
        // The 7×7 window round (x, y): never clamped, x and y stay 3 pixels inside the panel.
        const origin = (y - 3 - planeTop) * planeWidth + (x - 3 - planeLeft);
        const windowSteepness = steepnessAt(rgba, panel.width, ((y - 3) * panel.width + x - 3) * 4, plane, planeWidth, origin);
        if (windowSteepness >= 0) steepness.push(windowSteepness);
      }
    }
  }
  return steepness.length >= MIN_BOUNDARY_PIXELS ? median(steepness) : Number.NaN;
}

/**
 * One boundary pixel's 7×7 window for `boundaryCrispness`: its luma filled into the plane where not computed yet, then the
 * steepest one-pixel step / the window's range, or −1 when the range is under BOUNDARY_MIN_RANGE. `offset`: the window's
 * top-left byte in `rgba`, `origin`: its index in `plane`. A small function called per pixel, so that V8 optimises it
 * after a few pixels (a loop inside the large caller would run a session's first face card unoptimised).
 */
function steepnessAt(rgba: Uint8ClampedArray, panelWidth: number, offset: number, plane: Float32Array, planeWidth: number, origin: number): number {
  for (let row = 0; row < 7; row++) {
    const rowOffset = offset + row * panelWidth * 4;
    for (let column = 0, at = origin + row * planeWidth; column < 7; column++, at++) {
      if ((plane[at] as number) >= 0) continue;
      const pixel = rowOffset + 4 * column;
      plane[at] = 0.299 * (rgba[pixel] as number) + 0.587 * (rgba[pixel + 1] as number) + 0.114 * (rgba[pixel + 2] as number);
    }
  }
  let low = Infinity;
  let high = -Infinity;
  let steepest = 0;
  for (let row = 0; row < 7; row++) {
    for (let column = 0, at = origin + row * planeWidth; column < 7; column++, at++) {
      const value = plane[at] as number;
      low = Math.min(low, value);
      high = Math.max(high, value);
      if (column + 1 < 7) steepest = Math.max(steepest, Math.abs((plane[at + 1] as number) - value));
      if (row + 1 < 7) steepest = Math.max(steepest, Math.abs((plane[at + planeWidth] as number) - value));
    }
  }
  return high - low >= BOUNDARY_MIN_RANGE ? steepest / (high - low) : -1;
}

/** The texture terms of one skin area (face skin, or body skin), from its tiles; null when it gives no tile. */
interface AreaTerms {
  /** Median shading slope of the area's tiles, grey levels per pixel. */
  shadingSlope: number;
  /** What texture is measured against: the larger of the panel's grain and shadingSlope / SHADING_TO_GRAIN. */
  yardstick: number;
  textureToNoise: number;
  fineToMid: number;
  microContrast: number;
  highlightTexture: number;
}

function areaTerms(panel: RgbaImage, mask: RegionMask, noiseFloor: number, heat: HeatGrid): AreaTerms | null {
  const texture: SkinTexture = { tileTexture: [], tileMicroContrast: [], tileLuma: [], tileShading: [], tiles: [] };
  scanTexture(panel, mask, texture);
  if (texture.tileTexture.length < MIN_AREA_TILES) return null;
  const shadingSlope = median(texture.tileShading);
  // A tone curve stretches the skin's grain and its shading alike; the panel's grain need not follow it.
  const yardstick = Math.max(noiseFloor, shadingSlope / SHADING_TO_GRAIN);
  texture.tiles.forEach((tile, index) => heat.paint(tile, 1 - logCredibility((texture.tileTexture[index] ?? 0) / yardstick, TEXTURE_EVEN)));
  // A low quantile across tiles: the plain skin between features (eyes, brows, nostrils, mask edges that miss them by a few pixels).
  const skinTexture = quantile(texture.tileTexture, PLAIN_SKIN_QUANTILE);
  const skinMidBand = quantile(texture.tileMicroContrast, PLAIN_SKIN_QUANTILE);
  // Highlights: the brightest fifth of the skin tiles (at least one).
  const byBrightness = texture.tileLuma.map((luma, index) => ({ luma, texture: texture.tileTexture[index] ?? 0 })).sort((a, b) => b.luma - a.luma);
  const highlightTiles = byBrightness.slice(0, Math.max(1, Math.round(byBrightness.length * HIGHLIGHT_TILE_SHARE)));
  return {
    shadingSlope,
    yardstick,
    textureToNoise: skinTexture / yardstick,
    // Fine grain against the skin's own mid-band detail: a tone curve scales both, smoothing removes the first.
    fineToMid: skinTexture / Math.max(1e-6, skinMidBand),
    microContrast: skinMidBand / yardstick,
    highlightTexture: median(highlightTiles.map((tile) => tile.texture)) / yardstick,
  };
}

function areaScore(terms: AreaTerms, crispness: number): number {
  return scoreFromTerms([
    { value: logCredibility(terms.textureToNoise, TEXTURE_EVEN), weight: WEIGHTS.textureToNoise },
    { value: logCredibility(terms.fineToMid, FINE_TO_MID_EVEN, FINE_TO_MID_OCTAVES), weight: WEIGHTS.fineToMid },
    { value: logCredibility(terms.microContrast, MICRO_CONTRAST_EVEN), weight: WEIGHTS.microContrast },
    { value: logCredibility(terms.highlightTexture, TEXTURE_EVEN), weight: WEIGHTS.highlightTexture },
    Number.isFinite(crispness) ? { value: (crispness - BOUNDARY_SOFT) / (BOUNDARY_CRISP - BOUNDARY_SOFT), weight: WEIGHTS.boundaryCrispness } : null,
  ]);
}

export function measureSkin(panel: RgbaImage, regions: PanelRegionMaps, context: PanelContext = createPanelContext(panel, regions)): SignalMeasurement | null {
  const faceSkin = regions.faceSkin && regions.faceSkin.pixels >= MIN_SKIN_PIXELS ? regions.faceSkin : null;
  const bodySkin = regions.otherSkin && regions.otherSkin.pixels >= MIN_SKIN_PIXELS ? regions.otherSkin : null;
  if (!faceSkin && !bodySkin) return null;
  const noiseFloor = context.noiseFloor();
  const heat = new HeatGrid(panel.width, panel.height);
  // Face skin is judged on its own, body skin (neck, arms, hands) only when the face shows none: a beauty filter smooths the
  // face, and pooling its tiles with a neck or a hand that kept their texture hid it (docs/accuracy.md).
  const face = faceSkin ? areaTerms(panel, faceSkin, noiseFloor, heat) : null;
  const body = bodySkin ? areaTerms(panel, bodySkin, noiseFloor, heat) : null;
  const scored = face ?? body;
  if (!scored) return null;
  const crispness = boundaryCrispness(panel, [faceSkin, bodySkin].filter((mask): mask is RegionMask => mask !== null), regions.garment);
  const raw = areaScore(scored, crispness);
  const faceHeight = regions.face?.box[3] ?? regions.faceSkin?.box[3] ?? Math.max(...[faceSkin, bodySkin].map((mask) => mask?.box[3] ?? 0));
  const reliability = Math.min(1, Math.max(0, (faceHeight - FACE_HEIGHT_UNJUDGED) / (FACE_HEIGHT_JUDGED - FACE_HEIGHT_UNJUDGED)));
  const score = Math.round(10 * (50 + (raw - 50) * reliability)) / 10;

  const evidence: Record<string, number> = {
    textureToNoise: round3(scored.textureToNoise),
    fineToMid: round3(scored.fineToMid),
    microContrast: round3(scored.microContrast),
    highlightTexture: round3(scored.highlightTexture),
    noiseFloor: round3(noiseFloor),
    shadingSlope: round3(scored.shadingSlope),
    faceHeightPx: Math.round(faceHeight),
  };
  if (face && body) {
    // Body skin beside a judged face: reported, not scored (a face-only beauty filter leaves it as it was).
    evidence.bodyScore = Math.round(10 * areaScore(body, crispness)) / 10;
    evidence.bodyTextureToNoise = round3(body.textureToNoise);
  }
  if (Number.isFinite(crispness)) evidence.boundaryCrispness = round3(crispness);
  return { score, evidence, heatmap: heat.toHeatmap() };
}

export const skinSignal: Signal = {
  name: 'skin',
  reads: 'face skin and body skin, the skin-to-garment boundary',
  measure: measureSkin,
};
