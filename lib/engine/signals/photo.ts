/**
 * The photo gate: is this panel a photograph (or photoreal render) at all? UI screenshots, charts,
 * text, flat illustrations and cartoons are flat fills cut by hard edges; photographs are shaded.
 * On a block-averaged thumbnail (which averages away paper grain and sensor noise alike) it counts
 * pixels in flat fills and pixels on gentle shading gradients, and calls the panel a photograph when
 * shading is at least `MIN_SHADED_SHARE_OF_SMOOTH` of the two. Crushed blacks are left out of both
 * counts: they are the shadow signal's business, and must not turn a badly exposed photo into a graphic.
 */
import type { RgbaImage } from '../types';
import { THUMBNAIL_SIDE } from './context';
import type { Thumbnail } from './pixels';
import { round3, thumbnail } from './pixels';

/** A 3×3 neighbourhood whose luma spans at most this many levels is a flat fill. */
const FLAT_RANGE = 3;
/** Gradient magnitude (levels per thumbnail pixel) of gentle shading: above grain, below edges. */
const SHADING_MIN_GRADIENT = 1;
const SHADING_MAX_GRADIENT = 10;
const SHADING_MIN_GRADIENT_SQUARED = SHADING_MIN_GRADIENT ** 2;
const SHADING_MAX_GRADIENT_SQUARED = SHADING_MAX_GRADIENT ** 2;
/** Thumbnail pixels this dark are clipped shadow, not fill: left out. */
const CLIPPED_BLACK = 16;
/**
 * Photograph when shading / (shading + flat) reaches this. Measured on the fixtures (docs/accuracy.md):
 * photos 0.51 (brick wall) to 1.0, the cartoon 0.25, UI screenshots 0.03-0.05.
 */
export const MIN_SHADED_SHARE_OF_SMOOTH = 0.4;
/** Panels smaller than this (either side, pixels) are not judged: too little to tell. */
const MIN_SIDE = 24;

export interface PhotoGate {
  photo: boolean;
  gateReason: 'graphic' | null;
  evidence: { flatShare: number; shadedShare: number; shadedOfSmooth: number };
}

export function photoGate(panel: RgbaImage, small: Thumbnail = thumbnail(panel, THUMBNAIL_SIDE)): PhotoGate {
  if (panel.width < MIN_SIDE || panel.height < MIN_SIDE) {
    return { photo: true, gateReason: null, evidence: { flatShare: 0, shadedShare: 0, shadedOfSmooth: 1 } };
  }
  const { luma, width, height } = small;
  let counted = 0;
  let flat = 0;
  let shaded = 0;
  for (let row = 1; row < height - 1; row++) {
    for (let column = 1, index = row * width + 1; column < width - 1; column++, index++) {
      const centre = luma[index] as number;
      if (centre < CLIPPED_BLACK) continue;
      counted++;
      // The 3×3 neighbourhood, unrolled: its range (flat fill?) and the central differences (shading?).
      const above = index - width;
      const below = index + width;
      const north = luma[above] as number;
      const south = luma[below] as number;
      const west = luma[index - 1] as number;
      const east = luma[index + 1] as number;
      let low = Math.min(centre, north, south, west, east);
      let high = Math.max(centre, north, south, west, east);
      low = Math.min(low, luma[above - 1] as number, luma[above + 1] as number, luma[below - 1] as number, luma[below + 1] as number);
      high = Math.max(high, luma[above - 1] as number, luma[above + 1] as number, luma[below - 1] as number, luma[below + 1] as number);
      if (high - low <= FLAT_RANGE) flat++;
      const gradientX = (east - west) / 2;
      const gradientY = (south - north) / 2;
      // Compared squared: no square root per pixel.
      const gradientSquared = gradientX * gradientX + gradientY * gradientY;
      if (gradientSquared > SHADING_MIN_GRADIENT_SQUARED && gradientSquared < SHADING_MAX_GRADIENT_SQUARED) shaded++;
    }
  }
  // Nothing but clipped black: no evidence of a graphic, and the shadow signal will say what it sees.
  if (counted === 0 || flat + shaded === 0) {
    return { photo: true, gateReason: null, evidence: { flatShare: 0, shadedShare: 0, shadedOfSmooth: 1 } };
  }
  const shadedOfSmooth = shaded / (shaded + flat);
  const photo = shadedOfSmooth >= MIN_SHADED_SHARE_OF_SMOOTH;
  return {
    photo,
    gateReason: photo ? null : 'graphic',
    evidence: { flatShare: round3(flat / counted), shadedShare: round3(shaded / counted), shadedOfSmooth: round3(shadedOfSmooth) },
  };
}
