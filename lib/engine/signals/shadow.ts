/**
 * shadow: does the face survive inside the shadow? Reads the face and body skin at native resolution
 * (crushed share, how deep the skin's shadows sit under its mid-tones, detail left in its dark tones),
 * the dark tones of skin and background (posterization: levels combed out of the histogram), and
 * the whole frame (flat clipped blacks and whites). A dark face that keeps grain and texture is not
 * crushed, so a dark scene is not penalised for being dark; a face that dies in the shadow is.
 */
import type { PanelRegionMaps, RegionMask } from '../regions/types';
import type { Box, RgbaImage } from '../types';
import { createPanelContext, type PanelContext } from './context';
import {
  HeatGrid,
  HISTOGRAM_BINS_PER_LEVEL,
  lumaWindowInto,
  clamp01,
  LevelHistogram,
  MASK_INSIDE,
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

export interface SkinScan {
  luma: LevelHistogram;
  crushed: number;
  dark: number;
  darkWithDetail: number;
}

/**
 * Every skin pixel inside the mask's tiles: its luma, whether it is crushed, dark, or dark with detail; dark pixels'
 * levels go into the channel histograms. The per-tile work is `countSkinTile`, with no array or closure per tile or pixel.
 */
export function scanSkin(panel: RgbaImage, mask: RegionMask, scan: SkinScan, channels: ChannelHistograms, heat: HeatGrid): void {
  const side = TEXTURE_TILE + 2;
  // One buffer for every tile's window, and the tile's counts: skin pixels, crushed, dark, dark with detail.
  const buffer = new Float32Array(side * side);
  const counts = new Int32Array(4);
  const tiles = tilesInMask(mask, TEXTURE_TILE, MAX_TILES_PER_MASK, 0.25);
  for (let tileIndex = 0; tileIndex < tiles.length; tileIndex++) {
    const tile = tiles[tileIndex] as Box;
    countSkinTile(panel, mask, tile[0], tile[1], buffer, scan.luma.counts, channels, counts);
    const tilePixels = counts[0] as number;
    const tileCrushed = counts[1] as number;
    scan.luma.total += tilePixels;
    scan.crushed += tileCrushed;
    scan.dark += counts[2] as number;
    scan.darkWithDetail += counts[3] as number;
    if (tilePixels > 0) heat.paint(tile, tileCrushed / tilePixels / SKIN_CRUSHED_SHARE_AT_ZERO);
  }
}

/**
 * One tile of `scanSkin` (its top-left corner at left, top): the window's luma (the tile and a pixel around it,
 * clamped to the panel: lumaWindowInto's rows), then each skin pixel's bin in `levels` (LevelHistogram's
 * quarter levels), its 3×3 range, and the dark pixels' levels in the channel histograms; `counts` gets the tile's
 * skin pixels, crushed, dark and dark-with-detail pixels. A small function called for every tile, everything written
 * out inside it: V8 optimises such a function sooner than a loop inside a large one, which is what a session's first
 * face card runs on.
 */
function countSkinTile(
  panel: RgbaImage,
  mask: RegionMask,
  left: number,
  top: number,
  buffer: Float32Array,
  levels: Float64Array,
  channels: ChannelHistograms,
  counts: Int32Array,
): void {
  const side = TEXTURE_TILE + 2;
  const rgba = panel.data;
  const panelWidth = panel.width;
  const { width, height, box } = lumaWindowInto(panel, [left - 1, top - 1, side, side], buffer);
  const [windowLeft, windowTop] = box;
  const maskData = mask.data;
  const maskWidth = mask.width;
  const red = channels.red;
  const green = channels.green;
  const blue = channels.blue;
  let tilePixels = 0;
  let crushed = 0;
  let dark = 0;
  let darkWithDetail = 0;
  const yTo = Math.min(top + TEXTURE_TILE, windowTop + height - 1);
  const xFrom = Math.max(left, windowLeft + 1);
  const xTo = Math.min(left + TEXTURE_TILE, windowLeft + width - 1);
  for (let y = Math.max(top, windowTop + 1); y < yTo; y++) {
    const maskRow = y * maskWidth;
    for (let x = xFrom; x < xTo; x++) {
      if ((maskData[maskRow + x] as number) < MASK_INSIDE) continue;
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
      // LevelHistogram.add: luma levels lie in 0-255, so the bin needs no clamping.
      const bin = Math.round(luma * HISTOGRAM_BINS_PER_LEVEL);
      levels[bin] = (levels[bin] as number) + 1;
      tilePixels++;
      if (luma <= CRUSHED_LUMA && range <= FLAT_RANGE) crushed++;
      if (luma < DARK_LUMA) {
        dark++;
        if (range > FLAT_RANGE) darkWithDetail++;
        const offset = (y * panelWidth + x) * 4;
        const redLevel = rgba[offset] as number;
        const greenLevel = rgba[offset + 1] as number;
        const blueLevel = rgba[offset + 2] as number;
        red[redLevel] = (red[redLevel] as number) + 1;
        green[greenLevel] = (green[greenLevel] as number) + 1;
        blue[blueLevel] = (blue[blueLevel] as number) + 1;
      }
    }
  }
  counts[0] = tilePixels;
  counts[1] = crushed;
  counts[2] = dark;
  counts[3] = darkWithDetail;
}

/** Red, green and blue level histograms (256 levels each) of the dark pixels the posterization check reads. */
export interface ChannelHistograms {
  red: Float64Array;
  green: Float64Array;
  blue: Float64Array;
}

export interface FrameScan {
  samples: number;
  crushed: number;
  blown: number;
}

/**
 * Clipped pixels over a sample grid of the whole frame; dark background samples feed the posterization check.
 * One loop, the 3×3 neighbourhood, the skin masks' tests and the histograms written out (see scanSkin).
 */
export function scanFrame(panel: RgbaImage, regions: PanelRegionMaps, channels: ChannelHistograms, heat: HeatGrid): FrameScan {
  const step = Math.max(1, Math.floor(Math.max(panel.width, panel.height) / FRAME_SAMPLES));
  // The two skin masks (either may be absent): a sample inside one is skin, judged by scanSkin.
  const faceSkin = regions.faceSkin;
  const otherSkin = regions.otherSkin;
  const faceSkinData = faceSkin ? faceSkin.data : null;
  const faceSkinWidth = faceSkin ? faceSkin.width : 0;
  const otherSkinData = otherSkin ? otherSkin.data : null;
  const otherSkinWidth = otherSkin ? otherSkin.width : 0;
  const { red, green, blue } = channels;
  let samples = 0;
  let crushed = 0;
  let blown = 0;
  const rgba = panel.data;
  const panelWidth = panel.width;
  const rowBytes = panelWidth * 4;
  const half = step / 2;
  for (let y = 1; y < panel.height - 1; y += step) {
    for (let x = 1; x < panelWidth - 1; x += step) {
      const offset = (y * panelWidth + x) * 4;
      const redLevel = rgba[offset] as number;
      const greenLevel = rgba[offset + 1] as number;
      const blueLevel = rgba[offset + 2] as number;
      const luma = 0.299 * redLevel + 0.587 * greenLevel + 0.114 * blueLevel;
      samples++;
      if (luma <= CRUSHED_LUMA || luma >= BLOWN_LUMA) {
        const above = offset - rowBytes;
        const below = offset + rowBytes;
        const a = 0.299 * (rgba[above - 4] as number) + 0.587 * (rgba[above - 3] as number) + 0.114 * (rgba[above - 2] as number);
        const b = 0.299 * (rgba[above] as number) + 0.587 * (rgba[above + 1] as number) + 0.114 * (rgba[above + 2] as number);
        const c = 0.299 * (rgba[above + 4] as number) + 0.587 * (rgba[above + 5] as number) + 0.114 * (rgba[above + 6] as number);
        const d = 0.299 * (rgba[offset - 4] as number) + 0.587 * (rgba[offset - 3] as number) + 0.114 * (rgba[offset - 2] as number);
        const f = 0.299 * (rgba[offset + 4] as number) + 0.587 * (rgba[offset + 5] as number) + 0.114 * (rgba[offset + 6] as number);
        const g = 0.299 * (rgba[below - 4] as number) + 0.587 * (rgba[below - 3] as number) + 0.114 * (rgba[below - 2] as number);
        const h = 0.299 * (rgba[below] as number) + 0.587 * (rgba[below + 1] as number) + 0.114 * (rgba[below + 2] as number);
        const i = 0.299 * (rgba[below + 4] as number) + 0.587 * (rgba[below + 5] as number) + 0.114 * (rgba[below + 6] as number);
        if (Math.max(a, b, c, d, luma, f, g, h, i) - Math.min(a, b, c, d, luma, f, g, h, i) <= FLAT_RANGE) {
          if (luma <= CRUSHED_LUMA) crushed++;
          else blown++;
          heat.paintBox(x - half, y - half, step, step, 1);
        }
      }
      if (luma < DARK_LUMA) {
        const skin =
          (faceSkinData !== null && (faceSkinData[y * faceSkinWidth + x] ?? 0) >= MASK_INSIDE) ||
          (otherSkinData !== null && (otherSkinData[y * otherSkinWidth + x] ?? 0) >= MASK_INSIDE);
        if (!skin) {
          red[redLevel] = (red[redLevel] as number) + 1;
          green[greenLevel] = (green[greenLevel] as number) + 1;
          blue[blueLevel] = (blue[blueLevel] as number) + 1;
        }
      }
    }
  }
  return { samples, crushed, blown };
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
  const channels: ChannelHistograms = { red: new Float64Array(256), green: new Float64Array(256), blue: new Float64Array(256) };
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
  const darkCombedShare = combedLevelShare([channels.red, channels.green, channels.blue]);

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
