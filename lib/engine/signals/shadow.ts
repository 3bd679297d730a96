/**
 * shadow: does the face survive inside the shadow? Reads the face and body skin at native resolution
 * (crushed share, how deep the skin's shadows sit under its mid-tones, detail left in its dark tones),
 * the dark tones of skin and background (posterization: levels combed out of the histogram), and
 * the whole frame (flat clipped blacks and whites). A dark face that keeps grain and texture is not
 * crushed, so a dark scene is not penalised for being dark; a face that dies in the shadow is.
 */
import type { PanelRegionMaps, RegionMask } from '../regions/types';
import type { RgbaImage } from '../types';
import { createPanelContext, type PanelContext } from './context';
import {
  HeatGrid,
  clamp01,
  inside,
  LevelHistogram,
  MASK_INSIDE,
  lumaAtOffset,
  lumaWindowInto,
  round3,
  scoreFromTerms,
  tilesInMask,
  TEXTURE_TILE,
} from './pixels';
import type { Signal, SignalMeasurement } from './types';

/** At or below this luma, with a flat 3×3 neighbourhood, a pixel is crushed: black with nothing to recover. */
export const CRUSHED_LUMA = 8;
/** Highlights at or above this luma, flat, are blown. */
const BLOWN_LUMA = 250;
/** A 3×3 neighbourhood spanning at most this many levels holds no detail. */
const FLAT_RANGE = 2;
/** Dark tones: the darkest third of the range. */
const DARK_LUMA = 85;
/** Skin regions smaller than this (pixels) are not judged. */
const MIN_SKIN_PIXELS = 64;
const MAX_TILES_PER_MASK = 120;
/** Frame samples along the longer side for the clipping count. */
const FRAME_SAMPLES = 128;
/** Histogram levels need this many neighbours on average before an empty one counts as combed out. */
const COMB_MIN_NEIGHBOURS = 4;
/** Fewer dark samples than this say nothing about posterization. */
const COMB_MIN_SAMPLES = 400;

// Where each term's credibility reaches 0 (documented in docs/accuracy.md).
const SKIN_CRUSHED_SHARE_AT_ZERO = 0.05;
const FRAME_CLIPPED_SHARE_AT_ZERO = 0.2;
const COMB_GAP_SHARE_AT_ZERO = 0.25;
/**
 * Shadow floor (skin 5th percentile / skin median) from which the floor term is fully credible.
 * The ratio ignores exposure (a dim, evenly dark face keeps it), and falls when shadows sink
 * towards black under the mid-tones.
 */
const SHADOW_FLOOR_FULL = 0.5;
/** Less than this share of the skin in dark tones: the dark-detail term does not apply. */
const MIN_DARK_SKIN_SHARE = 0.01;

/** Weights of the terms in the score, by evidence name (frameClipped: frameCrushedShare + frameBlownShare). */
const WEIGHTS = { skinCrushedShare: 3, skinShadowFloor: 3, skinDarkDetail: 1, frameClipped: 3, darkCombedShare: 1 } as const;

interface SkinScan {
  luma: LevelHistogram;
  crushed: number;
  dark: number;
  darkWithDetail: number;
}

/** Every skin pixel inside the mask's tiles: its luma, whether it is crushed, dark, or dark with detail. */
function scanSkin(panel: RgbaImage, mask: RegionMask, scan: SkinScan, channels: Float64Array[], heat: HeatGrid): void {
  const side = TEXTURE_TILE + 2;
  // One buffer for every tile's window.
  const buffer = new Float32Array(side * side);
  for (const tile of tilesInMask(mask, TEXTURE_TILE, MAX_TILES_PER_MASK, 0.25)) {
    const [left, top] = tile;
    const window = lumaWindowInto(panel, [left - 1, top - 1, side, side], buffer);
    const [windowLeft, windowTop] = window.box;
    let tilePixels = 0;
    let tileCrushed = 0;
    const width = window.width;
    for (let y = Math.max(top, windowTop + 1); y < Math.min(top + TEXTURE_TILE, windowTop + window.height - 1); y++) {
      const maskRow = y * mask.width;
      for (let x = Math.max(left, windowLeft + 1); x < Math.min(left + TEXTURE_TILE, windowLeft + width - 1); x++) {
        if ((mask.data[maskRow + x] as number) < MASK_INSIDE) continue;
        const index = (y - windowTop) * width + (x - windowLeft);
        const luma = buffer[index] as number;
        // The 3×3 neighbourhood's range, written out (this runs for every skin pixel).
        const a = buffer[index - width - 1] as number;
        const b = buffer[index - width] as number;
        const c = buffer[index - width + 1] as number;
        const d = buffer[index - 1] as number;
        const f = buffer[index + 1] as number;
        const g = buffer[index + width - 1] as number;
        const h = buffer[index + width] as number;
        const i = buffer[index + width + 1] as number;
        const range = Math.max(a, b, c, d, luma, f, g, h, i) - Math.min(a, b, c, d, luma, f, g, h, i);
        scan.luma.add(luma);
        tilePixels++;
        if (luma <= CRUSHED_LUMA && range <= FLAT_RANGE) {
          scan.crushed++;
          tileCrushed++;
        }
        if (luma < DARK_LUMA) {
          scan.dark++;
          if (range > FLAT_RANGE) scan.darkWithDetail++;
          collectChannels(panel, x, y, channels);
        }
      }
    }
    if (tilePixels > 0) heat.paint(tile, tileCrushed / tilePixels / SKIN_CRUSHED_SHARE_AT_ZERO);
  }
}

/** Counts the pixel's red, green and blue levels into the three channel histograms. */
function collectChannels(panel: RgbaImage, x: number, y: number, channels: Float64Array[]): void {
  const offset = (y * panel.width + x) * 4;
  for (let channel = 0; channel < 3; channel++) {
    const histogram = channels[channel];
    const level = panel.data[offset + channel] ?? 0;
    if (histogram) histogram[level] = (histogram[level] ?? 0) + 1;
  }
}

/** The 8 neighbours of a pixel (rows, columns), in reading order. */
const NEIGHBOUR_ROWS = [-1, -1, -1, 0, 0, 1, 1, 1] as const;
const NEIGHBOUR_COLUMNS = [-1, 0, 1, -1, 1, -1, 0, 1] as const;

function insideAny(masks: RegionMask[], x: number, y: number): boolean {
  for (const mask of masks) if (inside(mask, x, y)) return true;
  return false;
}

interface FrameScan {
  samples: number;
  crushed: number;
  blown: number;
}

/** Clipped pixels over a sample grid of the whole frame; dark background samples feed the posterization check. */
function scanFrame(panel: RgbaImage, regions: PanelRegionMaps, channels: Float64Array[], heat: HeatGrid): FrameScan {
  const step = Math.max(1, Math.floor(Math.max(panel.width, panel.height) / FRAME_SAMPLES));
  const skin = [regions.faceSkin, regions.otherSkin].filter((mask): mask is RegionMask => mask !== null);
  const scan: FrameScan = { samples: 0, crushed: 0, blown: 0 };
  const rgba = panel.data;
  const rowBytes = panel.width * 4;
  for (let y = 1; y < panel.height - 1; y += step) {
    for (let x = 1; x < panel.width - 1; x += step) {
      const offset = (y * panel.width + x) * 4;
      const luma = lumaAtOffset(rgba, offset);
      scan.samples++;
      const clippedCandidate = luma <= CRUSHED_LUMA || luma >= BLOWN_LUMA;
      if (clippedCandidate) {
        let low = luma;
        let high = luma;
        for (let neighbour = 0; neighbour < 8; neighbour++) {
          const value = lumaAtOffset(rgba, offset + (NEIGHBOUR_ROWS[neighbour] as number) * rowBytes + 4 * (NEIGHBOUR_COLUMNS[neighbour] as number));
          if (value < low) low = value;
          if (value > high) high = value;
        }
        if (high - low <= FLAT_RANGE) {
          if (luma <= CRUSHED_LUMA) scan.crushed++;
          else scan.blown++;
          heat.paint([x - step / 2, y - step / 2, step, step], 1);
        }
      }
      if (luma < DARK_LUMA && !insideAny(skin, x, y)) collectChannels(panel, x, y, channels);
    }
  }
  return scan;
}

/**
 * Posterization of the dark tones, from per-channel level histograms: the share of levels that are
 * empty while their neighbours are well filled (a tone curve that stretches shadows combs levels
 * out). NaN when there are too few dark samples to tell.
 */
export function combedLevelShare(channels: Float64Array[]): number {
  let gaps = 0;
  let judged = 0;
  for (const histogram of channels) {
    const total = histogram.reduce((sum, count) => sum + count, 0);
    if (total < COMB_MIN_SAMPLES) continue;
    const low = Math.max(1, levelAt(histogram, total, 0.02));
    const high = Math.min(254, levelAt(histogram, total, 0.98));
    for (let level = low; level <= high; level++) {
      const neighbours = ((histogram[level - 1] ?? 0) + (histogram[level + 1] ?? 0)) / 2;
      if (neighbours < COMB_MIN_NEIGHBOURS) continue;
      judged++;
      if ((histogram[level] ?? 0) === 0) gaps++;
    }
  }
  return judged === 0 ? Number.NaN : gaps / judged;
}

function levelAt(histogram: Float64Array, total: number, q: number): number {
  let seen = 0;
  for (let level = 0; level < histogram.length; level++) {
    seen += histogram[level] ?? 0;
    if (seen > q * (total - 1)) return level;
  }
  return histogram.length - 1;
}

export function measureShadow(panel: RgbaImage, regions: PanelRegionMaps, _context: PanelContext = createPanelContext(panel, regions)): SignalMeasurement | null {
  const skinMasks = [regions.faceSkin, regions.otherSkin].filter((mask): mask is RegionMask => mask !== null && mask.pixels >= MIN_SKIN_PIXELS);
  if (skinMasks.length === 0) return null;
  const heat = new HeatGrid(panel.width, panel.height);
  const channels = [new Float64Array(256), new Float64Array(256), new Float64Array(256)];
  const skin: SkinScan = { luma: new LevelHistogram(), crushed: 0, dark: 0, darkWithDetail: 0 };
  for (const mask of skinMasks) scanSkin(panel, mask, skin, channels, heat);
  if (skin.luma.total === 0) return null;
  const frame = scanFrame(panel, regions, channels, heat);

  const skinCrushedShare = skin.crushed / skin.luma.total;
  const skinMedian = skin.luma.quantile(0.5);
  const skinShadowFloor = skinMedian > 0 ? skin.luma.quantile(0.05) / skinMedian : 0;
  const darkShare = skin.dark / skin.luma.total;
  const skinDarkDetail = darkShare >= MIN_DARK_SKIN_SHARE ? skin.darkWithDetail / skin.dark : Number.NaN;
  const frameCrushedShare = frame.samples > 0 ? frame.crushed / frame.samples : 0;
  const frameBlownShare = frame.samples > 0 ? frame.blown / frame.samples : 0;
  const darkCombedShare = combedLevelShare(channels);

  const score = scoreFromTerms([
    { value: 1 - skinCrushedShare / SKIN_CRUSHED_SHARE_AT_ZERO, weight: WEIGHTS.skinCrushedShare },
    { value: skinShadowFloor / SHADOW_FLOOR_FULL, weight: WEIGHTS.skinShadowFloor },
    Number.isFinite(skinDarkDetail) ? { value: skinDarkDetail, weight: WEIGHTS.skinDarkDetail } : null,
    { value: 1 - (frameCrushedShare + frameBlownShare) / FRAME_CLIPPED_SHARE_AT_ZERO, weight: WEIGHTS.frameClipped },
    Number.isFinite(darkCombedShare) ? { value: 1 - darkCombedShare / COMB_GAP_SHARE_AT_ZERO, weight: WEIGHTS.darkCombedShare } : null,
  ]);
  const evidence: Record<string, number> = {
    skinCrushedShare: round3(skinCrushedShare),
    skinShadowFloor: round3(clamp01(skinShadowFloor)),
    skinDarkShare: round3(darkShare),
    frameCrushedShare: round3(frameCrushedShare),
    frameBlownShare: round3(frameBlownShare),
  };
  if (Number.isFinite(skinDarkDetail)) evidence.skinDarkDetail = round3(skinDarkDetail);
  if (Number.isFinite(darkCombedShare)) evidence.darkCombedShare = round3(darkCombedShare);
  return { score, evidence, heatmap: heat.toHeatmap() };
}

export const shadowSignal: Signal = {
  name: 'shadow',
  reads: 'face and body skin, dark background tones, whole frame',
  measure: measureShadow,
};
