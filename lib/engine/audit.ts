/**
 * Controlled-comparison audit: do the two panels show the same setup (same person, same pose,
 * same framing, same light), so that a difference between them is the renderer's? It compares
 * the setup only, with measures that the rendering under test cannot move: landmark geometry,
 * face boxes, and light direction from brightness *ranks* (a tone curve or smoothing leaves ranks'
 * centroid where it was). Darker shadows, smoother skin or softer fabric are the signals' business.
 * The mesh itself is not immune: on a small or turned face a tone curve moves its points by a few
 * pixels, as much as two different people's meshes differ, so identity also asks the face's own
 * brightness layout (ranks, in the mesh's frame), which a tone curve cannot change.
 */
import type { FaceFinding, PanelRegionMaps } from './regions/types';
import { THUMBNAIL_SIDE } from './signals/context';
import { keyLightDirection, thumbnail, type Thumbnail } from './signals/pixels';
import type { Box, Consistency, RgbaImage } from './types';

export interface AuditPanel {
  panel: RgbaImage;
  /** The panel's region maps, of which the audit reads the face only (`panelFace` gives it before the maps exist). */
  regions: Pick<PanelRegionMaps, 'face'> | null;
  /** The panel's shared 128-px thumbnail, when the caller has one. */
  thumbnail?: Thumbnail;
}

export interface AuditResult {
  consistency: Consistency;
  /** Whole-panel structure alignment, 0-1 (used as framing when there is no face). */
  structure: number;
  /** Agreement of the two faces' brightness layouts, 0-1 (part of identity); null without both meshes. */
  faceLayout: number | null;
  /** Why the comparison is not controlled, in words; empty otherwise. */
  reasons: string[];
}

/** A component below this says the setups differ: not controlled. */
export const UNCONTROLLED_BELOW = 0.5;
/** Every component at or above this (and framing known): controlled. In between: can't tell (null). */
export const CONTROLLED_FROM = 0.7;

// Where each component reaches 0 (docs/accuracy.md).
/** Face centre moved by this share of the panel's diagonal-normalised size. */
const FACE_SHIFT_AT_ZERO = 0.2;
/** Face size ratio (larger / smaller). */
const FACE_SIZE_RATIO_AT_ZERO = 1.6;
/** Panel aspect ratio (crop) ratio. */
const ASPECT_RATIO_AT_ZERO = 1.5;
/** Difference of the key-light vectors (each about -1 to 1 per axis). */
const LIGHT_DIFFERENCE_AT_ZERO = 0.6;
/** Landmark shape residual (RMS, share of the face's RMS radius) after the best similarity alignment. */
const LANDMARK_RESIDUAL_AT_ZERO = 0.1;
/** Head rotation between the panels, degrees. */
const ROTATION_AT_ZERO = 30;
/** Structure grid: both panels are compared on this many cells per side, whatever their aspect. */
const STRUCTURE_GRID = 32;
/** Face layout: cells per side of the grid laid over each face, reaching this many mesh radii either side of its centre. */
const FACE_LAYOUT_GRID = 12;
const FACE_LAYOUT_SPAN = 1.6;
/** Luma samples per cell side (a cell of a large face is averaged over these, not over every pixel). */
const FACE_LAYOUT_SAMPLES = 8;
/** 1 − rank correlation of the two layouts at which face layout agreement reaches 0. */
const FACE_LAYOUT_DISAGREEMENT_AT_ZERO = 0.5;
/** Samples per side of the face box for its key light, and the Gaussian window's sigma (share of the half-box). */
const FACE_LIGHT_SAMPLES = 32;
const FACE_LIGHT_WINDOW_SIGMA = 0.5;

/**
 * Face-mesh points that move little with expression (eye corners, nose bridge and tip, nose wings,
 * forehead, the jaw and cheek contour): MediaPipe's 478-point topology.
 */
export const RIGID_LANDMARKS = [
  33, 133, 362, 263, 168, 6, 197, 195, 5, 4, 1, 98, 327, 10, 151, 109, 338, 67, 297, 234, 454, 93, 323, 132, 361, 58, 288, 172, 397, 136, 365, 150, 379,
  149, 378, 152,
] as const;

function linear(value: number, atZero: number): number {
  return Math.max(0, Math.min(1, 1 - value / atZero));
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function faceOf(panel: AuditPanel): FaceFinding | null {
  return panel.regions?.face ?? null;
}

/** Face position, size and crop: 1 = same framing. */
export function faceFraming(a: { box: Box; width: number; height: number }, b: { box: Box; width: number; height: number }): number {
  const centre = ({ box: [x, y, width, height], width: panelWidth, height: panelHeight }: typeof a): [number, number] => [
    (x + width / 2) / panelWidth,
    (y + height / 2) / panelHeight,
  ];
  const [ax, ay] = centre(a);
  const [bx, by] = centre(b);
  const shift = Math.hypot(ax - bx, ay - by);
  const sizeA = Math.sqrt((a.box[2] * a.box[3]) / (a.width * a.height));
  const sizeB = Math.sqrt((b.box[2] * b.box[3]) / (b.width * b.height));
  const sizeRatio = Math.max(sizeA, sizeB) / Math.max(1e-9, Math.min(sizeA, sizeB));
  return Math.min(linear(shift, FACE_SHIFT_AT_ZERO), linear(Math.log(sizeRatio), Math.log(FACE_SIZE_RATIO_AT_ZERO)), cropAgreement(a, b));
}

function cropAgreement(a: { width: number; height: number }, b: { width: number; height: number }): number {
  const ratio = a.width / a.height / (b.width / b.height);
  return linear(Math.abs(Math.log(ratio)), Math.log(ASPECT_RATIO_AT_ZERO));
}

/** Both panels resampled to one grid, brightness ranked, correlated: 1 = same picture structure. */
export function structureAlignment(a: Thumbnail, b: Thumbnail): number {
  return rankCorrelation(resample(a), resample(b));
}

/** Spearman correlation of two equal-length value lists (ties share their mean rank); negative counts as 0. */
function rankCorrelation(valuesA: Float64Array, valuesB: Float64Array): number {
  const gridA = rankNormalised(valuesA, valuesA.length);
  const gridB = rankNormalised(valuesB, valuesB.length);
  let product = 0;
  let energyA = 0;
  let energyB = 0;
  for (let index = 0; index < gridA.length; index++) {
    const valueA = gridA[index] ?? 0;
    const valueB = gridB[index] ?? 0;
    product += valueA * valueB;
    energyA += valueA * valueA;
    energyB += valueB * valueB;
  }
  if (energyA === 0 || energyB === 0) return energyA === energyB ? 1 : 0;
  return Math.max(0, product / Math.sqrt(energyA * energyB));
}

/** Area-average of the thumbnail's luma onto the structure grid. */
function resample(small: Thumbnail): Float64Array {
  const out = new Float64Array(STRUCTURE_GRID * STRUCTURE_GRID);
  const counts = new Float64Array(out.length);
  for (let row = 0; row < small.height; row++) {
    const gridRow = Math.min(STRUCTURE_GRID - 1, Math.floor((row * STRUCTURE_GRID) / small.height));
    for (let column = 0; column < small.width; column++) {
      const gridColumn = Math.min(STRUCTURE_GRID - 1, Math.floor((column * STRUCTURE_GRID) / small.width));
      out[gridRow * STRUCTURE_GRID + gridColumn] = (out[gridRow * STRUCTURE_GRID + gridColumn] ?? 0) + (small.luma[row * small.width + column] ?? 0);
      counts[gridRow * STRUCTURE_GRID + gridColumn] = (counts[gridRow * STRUCTURE_GRID + gridColumn] ?? 0) + 1;
    }
  }
  for (let index = 0; index < out.length; index++) out[index] = (out[index] ?? 0) / Math.max(1, counts[index] ?? 0);
  return out;
}

/**
 * Ranks scaled to -0.5..0.5 (ties share their mean rank): each value's tie run found by binary search in a
 * sorted copy (a numeric typed-array sort, no comparator call per pair).
 */
export function rankNormalised(values: Float64Array, count: number): Float64Array {
  const sorted = values.slice(0, count).sort();
  const ranks = new Float64Array(count);
  const scale = Math.max(1, count - 1);
  for (let index = 0; index < count; index++) {
    const value = values[index] as number;
    // First position holding `value`, and first past it.
    let low = 0;
    let high = count;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((sorted[middle] as number) < value) low = middle + 1;
      else high = middle;
    }
    const start = low;
    high = count;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((sorted[middle] as number) <= value) low = middle + 1;
      else high = middle;
    }
    ranks[index] = (start + low - 1) / 2 / scale - 0.5;
  }
  return ranks;
}

/**
 * Key light over the face: a sample grid of native luma over the face box, seen through a Gaussian
 * window centred on the face (so hair, ears or background at the box's edge fade out instead of
 * popping in and out with a few pixels' shift), as the deviation-weighted centroid of the samples:
 * x right, y down, -1 to 1. Deviations from the mean, divided by their mean size, so a tone curve
 * that is linear over the face (black point, gain) does not move it.
 */
export function faceLight(panel: RgbaImage, face: FaceFinding): [number, number] {
  const [boxX, boxY, boxWidth, boxHeight] = face.box;
  const count = FACE_LIGHT_SAMPLES * FACE_LIGHT_SAMPLES;
  const luma = new Float64Array(count);
  const window = new Float64Array(count);
  const offsetX = new Float64Array(count);
  const offsetY = new Float64Array(count);
  for (let row = 0; row < FACE_LIGHT_SAMPLES; row++) {
    const v = ((row + 0.5) / FACE_LIGHT_SAMPLES) * 2 - 1;
    const y = Math.min(panel.height - 1, Math.max(0, Math.floor(boxY + ((v + 1) / 2) * boxHeight)));
    for (let column = 0; column < FACE_LIGHT_SAMPLES; column++) {
      const u = ((column + 0.5) / FACE_LIGHT_SAMPLES) * 2 - 1;
      const x = Math.min(panel.width - 1, Math.max(0, Math.floor(boxX + ((u + 1) / 2) * boxWidth)));
      const index = row * FACE_LIGHT_SAMPLES + column;
      const offset = (y * panel.width + x) * 4;
      luma[index] = 0.299 * (panel.data[offset] ?? 0) + 0.587 * (panel.data[offset + 1] ?? 0) + 0.114 * (panel.data[offset + 2] ?? 0);
      window[index] = Math.exp(-(u * u + v * v) / (2 * FACE_LIGHT_WINDOW_SIGMA * FACE_LIGHT_WINDOW_SIGMA));
      offsetX[index] = u;
      offsetY[index] = v;
    }
  }
  let weightSum = 0;
  let meanLuma = 0;
  for (let index = 0; index < count; index++) {
    weightSum += window[index] ?? 0;
    meanLuma += (window[index] ?? 0) * (luma[index] ?? 0);
  }
  meanLuma /= Math.max(1e-9, weightSum);
  let x = 0;
  let y = 0;
  let spread = 0;
  for (let index = 0; index < count; index++) {
    const deviation = (window[index] ?? 0) * ((luma[index] ?? 0) - meanLuma);
    x += deviation * (offsetX[index] ?? 0);
    y += deviation * (offsetY[index] ?? 0);
    spread += Math.abs(deviation) * Math.hypot(offsetX[index] ?? 0, offsetY[index] ?? 0);
  }
  return spread < 1e-9 ? [0, 0] : [x / spread, y / spread];
}

/**
 * Agreement of two faces' brightness layouts, 0-1: each panel's luma averaged over a grid laid on
 * its own face (centred on the mesh's rigid points, sized by their RMS radius, so framing does not
 * enter), ranked, and correlated over the cells inside both panels. Ranks make it blind to tone
 * curves (a crushed shadow only ties the darkest cells), and cells of several pixels to smoothing;
 * two different faces, with their own features, hair and shading, share little of the layout.
 * null when a mesh is missing or degenerate, or when fewer than half the cells lie in both panels.
 */
export function faceLayoutAgreement(a: { panel: RgbaImage; landmarks: Float32Array | null }, b: { panel: RgbaImage; landmarks: Float32Array | null }): number | null {
  const layoutA = faceLayoutGrid(a.panel, a.landmarks);
  const layoutB = faceLayoutGrid(b.panel, b.landmarks);
  if (!layoutA || !layoutB) return null;
  const inBoth = Array.from({ length: layoutA.length }, (_, cell) => cell).filter((cell) => Number.isFinite(layoutA[cell]) && Number.isFinite(layoutB[cell]));
  if (inBoth.length < layoutA.length / 2) return null;
  const correlation = rankCorrelation(Float64Array.from(inBoth, (cell) => layoutA[cell] ?? 0), Float64Array.from(inBoth, (cell) => layoutB[cell] ?? 0));
  return linear(1 - correlation, FACE_LAYOUT_DISAGREEMENT_AT_ZERO);
}

/** Mean luma per cell of the grid over the face (NaN for a cell outside the panel); null without a usable mesh. */
function faceLayoutGrid(panel: RgbaImage, mesh: Float32Array | null): Float64Array | null {
  if (!mesh || mesh.length < 3 * 468) return null;
  let centreX = 0;
  let centreY = 0;
  for (const landmark of RIGID_LANDMARKS) {
    centreX += (mesh[landmark * 3] ?? 0) / RIGID_LANDMARKS.length;
    centreY += (mesh[landmark * 3 + 1] ?? 0) / RIGID_LANDMARKS.length;
  }
  let squares = 0;
  for (const landmark of RIGID_LANDMARKS) squares += ((mesh[landmark * 3] ?? 0) - centreX) ** 2 + ((mesh[landmark * 3 + 1] ?? 0) - centreY) ** 2;
  const radius = Math.sqrt(squares / RIGID_LANDMARKS.length);
  if (!(radius >= 1)) return null;
  const side = FACE_LAYOUT_GRID * FACE_LAYOUT_SAMPLES;
  const step = (2 * FACE_LAYOUT_SPAN * radius) / side;
  const sums = new Float64Array(FACE_LAYOUT_GRID * FACE_LAYOUT_GRID);
  const counts = new Float64Array(sums.length);
  for (let row = 0; row < side; row++) {
    const y = Math.floor(centreY - FACE_LAYOUT_SPAN * radius + (row + 0.5) * step);
    if (y < 0 || y >= panel.height) continue;
    for (let column = 0; column < side; column++) {
      const x = Math.floor(centreX - FACE_LAYOUT_SPAN * radius + (column + 0.5) * step);
      if (x < 0 || x >= panel.width) continue;
      const cell = Math.floor(row / FACE_LAYOUT_SAMPLES) * FACE_LAYOUT_GRID + Math.floor(column / FACE_LAYOUT_SAMPLES);
      const offset = (y * panel.width + x) * 4;
      sums[cell] = (sums[cell] ?? 0) + 0.299 * (panel.data[offset] ?? 0) + 0.587 * (panel.data[offset + 1] ?? 0) + 0.114 * (panel.data[offset + 2] ?? 0);
      counts[cell] = (counts[cell] ?? 0) + 1;
    }
  }
  // A cell counts when at least half of it lies inside the panel.
  return sums.map((sum, cell) => ((counts[cell] ?? 0) >= (FACE_LAYOUT_SAMPLES * FACE_LAYOUT_SAMPLES) / 2 ? sum / (counts[cell] ?? 1) : Number.NaN));
}

/**
 * Identity from the mesh's shape, unless the faces' brightness layouts clearly agree: then the
 * same face is in both panels and a larger mesh disagreement is the landmark model's own wobble
 * (a small or turned face under another tone curve). A layout that only half agrees never lifts
 * the mesh's verdict, so a different face on the same background stays a different person.
 */
export function combinedIdentity(meshIdentity: number, faceLayout: number | null): number {
  return faceLayout !== null && faceLayout >= CONTROLLED_FROM ? Math.max(meshIdentity, faceLayout) : meshIdentity;
}

function lightAgreement(a: [number, number], b: [number, number]): number {
  return linear(Math.hypot(a[0] - b[0], a[1] - b[1]), LIGHT_DIFFERENCE_AT_ZERO);
}

/**
 * Identity and pose from two 478-point meshes: after removing position and scale, the best
 * rotation (Horn's quaternion method) that maps one face onto the other gives the pose change, and
 * what is left over (the shape residual) gives identity. null when either mesh is missing.
 */
export function landmarkAgreement(a: Float32Array | null, b: Float32Array | null): { identity: number; pose: number } | null {
  if (!a || !b) return null;
  const pointsA = rigidPoints(a);
  const pointsB = rigidPoints(b);
  if (!pointsA || !pointsB) return null;
  const { rotationDegrees, residual } = alignSimilarity(pointsA, pointsB);
  return { identity: linear(residual, LANDMARK_RESIDUAL_AT_ZERO), pose: linear(rotationDegrees, ROTATION_AT_ZERO) };
}

/** The rigid points, centred and scaled to unit RMS radius; null when the mesh is too short or degenerate. */
function rigidPoints(mesh: Float32Array): Float64Array | null {
  if (mesh.length < 3 * 468) return null;
  const points = new Float64Array(RIGID_LANDMARKS.length * 3);
  RIGID_LANDMARKS.forEach((landmark, position) => {
    for (let axis = 0; axis < 3; axis++) points[position * 3 + axis] = mesh[landmark * 3 + axis] ?? 0;
  });
  const centre = [0, 0, 0];
  for (let position = 0; position < RIGID_LANDMARKS.length; position++) {
    for (let axis = 0; axis < 3; axis++) centre[axis] = (centre[axis] ?? 0) + (points[position * 3 + axis] ?? 0) / RIGID_LANDMARKS.length;
  }
  let squares = 0;
  for (let index = 0; index < points.length; index++) {
    points[index] = (points[index] ?? 0) - (centre[index % 3] ?? 0);
    squares += (points[index] ?? 0) ** 2;
  }
  const radius = Math.sqrt(squares / RIGID_LANDMARKS.length);
  if (radius < 1e-6) return null;
  for (let index = 0; index < points.length; index++) points[index] = (points[index] ?? 0) / radius;
  return points;
}

/** Best rotation of `b` onto `a` (both centred, unit RMS): its angle, and the RMS distance left (share of the radius). */
function alignSimilarity(a: Float64Array, b: Float64Array): { rotationDegrees: number; residual: number } {
  // Cross-covariance S = Σ b aᵀ, then Horn's symmetric 4×4 matrix; its top eigenvector is the rotation quaternion.
  const s = new Float64Array(9);
  const count = a.length / 3;
  for (let point = 0; point < count; point++) {
    for (let row = 0; row < 3; row++) {
      for (let column = 0; column < 3; column++) s[row * 3 + column] = (s[row * 3 + column] ?? 0) + (b[point * 3 + row] ?? 0) * (a[point * 3 + column] ?? 0);
    }
  }
  const at = (row: number, column: number) => s[row * 3 + column] ?? 0;
  const [xx, xy, xz, yx, yy, yz, zx, zy, zz] = [at(0, 0), at(0, 1), at(0, 2), at(1, 0), at(1, 1), at(1, 2), at(2, 0), at(2, 1), at(2, 2)];
  const horn = [
    [xx + yy + zz, yz - zy, zx - xz, xy - yx],
    [yz - zy, xx - yy - zz, xy + yx, zx + xz],
    [zx - xz, xy + yx, -xx + yy - zz, yz + zy],
    [xy - yx, zx + xz, yz + zy, -xx - yy + zz],
  ];
  const { values, vectors } = symmetricEigen(horn);
  let best = 0;
  for (let index = 1; index < 4; index++) if ((values[index] ?? -Infinity) > (values[best] ?? -Infinity)) best = index;
  const w = Math.abs(vectors[0]?.[best] ?? 1);
  const rotationDegrees = (2 * Math.acos(Math.min(1, w)) * 180) / Math.PI;
  // Unit-RMS sets, best rotation and scale: the residual per point is √(1 - (λmax / count)²) of the radius.
  const residual = Math.sqrt(Math.max(0, 1 - ((values[best] ?? 0) / count) ** 2));
  return { rotationDegrees, residual };
}

/** Jacobi eigen-decomposition of a small symmetric matrix: eigenvalues and eigenvectors (as columns). */
export function symmetricEigen(matrix: number[][]): { values: number[]; vectors: number[][] } {
  const size = matrix.length;
  const a = matrix.map((row) => [...row]);
  const vectors = Array.from({ length: size }, (_, row) => Array.from({ length: size }, (_, column) => (row === column ? 1 : 0)));
  const get = (rows: number[][], row: number, column: number) => rows[row]?.[column] ?? 0;
  const set = (rows: number[][], row: number, column: number, value: number) => {
    const target = rows[row];
    if (target) target[column] = value;
  };
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let p = 0; p < size; p++) for (let q = p + 1; q < size; q++) off += get(a, p, q) ** 2;
    if (off < 1e-20) break;
    for (let p = 0; p < size; p++) {
      for (let q = p + 1; q < size; q++) {
        const apq = get(a, p, q);
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (get(a, q, q) - get(a, p, p)) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sine = t * c;
        for (let k = 0; k < size; k++) {
          const akp = get(a, k, p);
          const akq = get(a, k, q);
          set(a, k, p, c * akp - sine * akq);
          set(a, k, q, sine * akp + c * akq);
        }
        for (let k = 0; k < size; k++) {
          const apk = get(a, p, k);
          const aqk = get(a, q, k);
          set(a, p, k, c * apk - sine * aqk);
          set(a, q, k, sine * apk + c * aqk);
        }
        for (let k = 0; k < size; k++) {
          const vkp = get(vectors, k, p);
          const vkq = get(vectors, k, q);
          set(vectors, k, p, c * vkp - sine * vkq);
          set(vectors, k, q, sine * vkp + c * vkq);
        }
      }
    }
  }
  return { values: Array.from({ length: size }, (_, index) => get(a, index, index)), vectors };
}

/** The audit of two panels (in card order). */
export function auditComparison(a: AuditPanel, b: AuditPanel): AuditResult {
  const smallA = a.thumbnail ?? thumbnail(a.panel, THUMBNAIL_SIDE);
  const smallB = b.thumbnail ?? thumbnail(b.panel, THUMBNAIL_SIDE);
  const structure = round3(structureAlignment(smallA, smallB));
  const faceA = faceOf(a);
  const faceB = faceOf(b);
  const reasons: string[] = [];

  if ((faceA === null) !== (faceB === null)) {
    return {
      consistency: { identity: null, pose: null, framing: round3(Math.min(structure, cropAgreement(a.panel, b.panel))), lighting: null, controlled: false },
      structure,
      faceLayout: null,
      reasons: [`a face in the ${faceA ? 'first' : 'second'} panel only`],
    };
  }

  let identity: number | null = null;
  let pose: number | null = null;
  let faceLayout: number | null = null;
  let framing: number;
  let lighting: number;
  if (faceA && faceB) {
    const landmarks = landmarkAgreement(faceA.landmarks, faceB.landmarks);
    faceLayout = landmarks ? faceLayoutAgreement({ panel: a.panel, landmarks: faceA.landmarks }, { panel: b.panel, landmarks: faceB.landmarks }) : null;
    faceLayout = faceLayout === null ? null : round3(faceLayout);
    identity = landmarks ? round3(combinedIdentity(landmarks.identity, faceLayout)) : null;
    pose = landmarks ? round3(landmarks.pose) : null;
    framing = round3(faceFraming({ box: faceA.box, width: a.panel.width, height: a.panel.height }, { box: faceB.box, width: b.panel.width, height: b.panel.height }));
    lighting = round3(lightAgreement(faceLight(a.panel, faceA), faceLight(b.panel, faceB)));
  } else {
    framing = round3(Math.min(structure, cropAgreement(a.panel, b.panel)));
    lighting = round3(lightAgreement(keyLightDirection(smallA.luma, smallA.width, smallA.height), keyLightDirection(smallB.luma, smallB.width, smallB.height)));
  }

  const components: [string, number | null][] = [
    ['a different person', identity],
    ['a different pose', pose],
    [faceA ? 'different framing' : 'a different picture', framing],
    ['different light', lighting],
  ];
  for (const [reason, value] of components) if (value !== null && value < UNCONTROLLED_BELOW) reasons.push(reason);
  const known = components.map(([, value]) => value).filter((value): value is number => value !== null);
  const controlled = reasons.length > 0 ? false : known.every((value) => value >= CONTROLLED_FROM) ? true : null;
  return { consistency: { identity, pose, framing, lighting, controlled }, structure, faceLayout, reasons };
}
