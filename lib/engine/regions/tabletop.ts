/**
 * Tabletop object candidates (cups, bowls, plates, saucers, glasses): compact regions outside
 * the person whose outlines include a closed, roughly horizontal elliptical rim. A first,
 * model-free detector: Canny edges on a ~320 px copy, edge chains split into smooth arcs,
 * ellipses fitted to single arcs and pairs of arcs, kept when edges with matching gradient run
 * round most of the outline. Ellipses that overlap (a cup's rim on its saucer) make one object,
 * whose mask is the convex hull of its rims, minus the person and the label cut-outs.
 */
import { lumaOf } from '../image';
import type { Box, GrayImage, RgbaImage } from '../types';
import { cannyEdges, traceEdgeChains, type EdgeMap } from './edges';
import {
  addMoments,
  ellipseDistanceAt,
  ellipseFromMoments,
  ellipseMoments,
  ellipsePerimeter,
  ellipsePointInto,
  ellipsePolygon,
  fitEllipse,
  insideEllipse,
  type Ellipse,
  type EllipseMoments,
  type FitFrame,
  type OutlinePoint,
} from './ellipse';
import { clippedBounds, fillPolygon, INSIDE, regionMask, type Point } from './mask';
import { ScratchArrays } from './scratch';
import type { RegionMask, TabletopObject } from './types';

export interface TabletopOptions {
  /** The person mask, or null when there is none (or it is not to be trusted). */
  person: RegionMask | null;
  /** Panel-sized mask of pixels that belong to no region (label pills). */
  exclude: Uint8Array | null;
  /** The face box, panel pixels: objects never overlap it. */
  faceBox: Box | null;
  /**
   * The same picture at a larger size (the native panel, when `pixels` is a shrunk working copy):
   * the edges are found on it, so rims do not depend on how the copy was shrunk.
   */
  edgeSource?: RgbaImage;
}

/** Edge analysis runs on a copy whose longer side is this many pixels. */
const WORKING_SIZE = 320;
const MIN_CHAIN = 12;
/** Douglas–Peucker tolerance (working pixels) when cutting chains into arcs. */
const ARC_TOLERANCE = 1.2;
/** A turn sharper than this (degrees) between polyline segments is a corner: the arc ends. */
const CORNER_DEGREES = 50;
/** Turns smaller than this (degrees) carry no sign: straight stretches join either side. */
const STRAIGHT_DEGREES = 4;
/** An arc alone is fitted when it turns at least this far (degrees); pairs need this much each. */
const SINGLE_ARC_TURN = 70;
const PAIR_ARC_TURN = 15;
/** At most this many arcs (the longest) are paired. */
const MAX_PAIRED_ARCS = 50;
/** Ellipse size and shape limits: axes as shares of the working image's shorter/longer side. */
const MIN_SEMI_MAJOR_SHARE = 0.06;
const MAX_SEMI_MAJOR_SHARE = 0.7;
const MIN_AXIS_RATIO = 0.3;
/** Rims seen from above lie roughly level: the major axis within this many degrees of horizontal, unless nearly round. */
const MAX_TILT_DEGREES = 35;
const ROUND_RATIO = 0.8;
/** How far (share of the minor axis) the outline may reach beyond the image. */
const OUTSIDE_SLACK = 0.08;
/** Share of the outline with an edge of matching direction within 2 px, and the longest gap allowed. */
const MIN_SUPPORT = 0.55;
const MAX_GAP_SHARE = 0.35;
/** Edge gradient must be this well aligned (|cos|) with the outline's normal. */
const MIN_ALIGNMENT = 0.75;
/** Support minus clutter (edges on both sides of the outline) a rim must keep. */
const MIN_CONTRAST = 0.4;
/** A supporting edge chain must run along at least this share of the outline. */
const MIN_CHAIN_STRETCH = 0.06;
/** An object may hold at most this share of person pixels, and cover at most this share of the panel. */
const MAX_PERSON_SHARE = 0.2;
const MAX_PANEL_SHARE = 0.6;
const MIN_PANEL_SHARE = 0.004;
/** With a person in the panel, objects sit in its lower part: centre below this share of the height. */
const PORTRAIT_MIN_CENTRE_Y = 0.4;
/** An object's lowest point lies below this share of the panel's height. */
const MIN_BOTTOM_SHARE = 0.6;
/**
 * Before its refit (on edge pixels within 2 px of it) a candidate is held to looser placement
 * tests: this much more person or label inside, and its centre and outline this many working
 * pixels further up or into the face box.
 */
const PLACEMENT_SLACK = 0.1;
const REFIT_SHIFT = 4;
/** A panel "has a person" from this share of person pixels. */
const PERSON_PRESENT_SHARE = 0.03;

/** Edges with the chain each pixel was traced into (1-based), and a zeroed counter per chain for the support checks. */
type ChainedEdges = EdgeMap & { chainIds: Int32Array; chainCounts: Int32Array };

interface Arc {
  /** Views into the traced chain's own arrays. */
  xs: Int32Array;
  ys: Int32Array;
  /** Total absolute turning along the arc, degrees. */
  turning: number;
}

export interface Rim {
  ellipse: Ellipse;
  support: number;
}

/** The channels, edge maps and chain ids of `findRimEllipses`, reused from panel to panel (none of them outlives a call). */
const CHANNEL_SCRATCH = new ScratchArrays();
const EDGE_SCRATCH = new ScratchArrays();

/**
 * Every closed elliptical rim in the picture, before any person or placement filter, in
 * working pixels (`scale` = working / panel).
 */
export function findRimEllipses(
  pixels: RgbaImage,
  admissible?: (ellipse: Ellipse, scale: number, workingHeight: number) => boolean,
): { rims: Rim[]; scale: number; width: number; height: number } {
  const channels = shrunkYCbCr(pixels, WORKING_SIZE, CHANNEL_SCRATCH);
  const small = channels[0];
  const scale = small.width / pixels.width;
  const edges = cannyEdges(channels, { blurPasses: 2 }, EDGE_SCRATCH);
  const chains = traceEdgeChains(edges, MIN_CHAIN, EDGE_SCRATCH);
  // Which chain each edge pixel belongs to (0: none long enough): a rim follows few long chains, texture many short ones.
  const chainIds = CHANNEL_SCRATCH.int32(0, edges.width * edges.height);
  for (let index = 0; index < chains.length; index++) {
    const { xs, ys } = chains[index] as { xs: Int32Array; ys: Int32Array };
    for (let point = 0; point < xs.length; point++) chainIds[(ys[point] as number) * edges.width + (xs[point] as number)] = index + 1;
  }
  const arcs: Arc[] = [];
  for (const chain of chains) splitIntoArcs(chain.xs, chain.ys, arcs);
  const map = { ...edges, chainIds, chainCounts: new Int32Array(chains.length + 1) };
  return { rims: findRims(arcs, map, admissible ? (ellipse) => admissible(ellipse, scale, small.height) : undefined), scale, width: small.width, height: small.height };
}

export function findTabletopObjects(pixels: RgbaImage, options: TabletopOptions): TabletopObject[] {
  const personShare = (options.person?.pixels ?? 0) / (pixels.width * pixels.height);
  const hasPerson = personShare >= PERSON_PRESENT_SHARE;
  /** Whether a rim may be an object on the table: little person or label inside, below the top of a portrait, off the face. */
  const placed = (ellipse: Ellipse, scale: number, workingHeight: number, slack: 0 | 1) => {
    if (hasPerson && ellipse.centreY < workingHeight * PORTRAIT_MIN_CENTRE_Y - slack * REFIT_SHIFT) return false;
    const faceBox = options.faceBox?.map((value) => value * scale) as Box | undefined;
    if (faceBox && boxesOverlap(ellipseBox(ellipse), growBox(faceBox, -slack * REFIT_SHIFT))) return false;
    if (!options.person && !options.exclude) return true;
    return interiorMostlyFree(ellipse, options.person?.data ?? null, options.exclude, pixels.width, pixels.height, scale, MAX_PERSON_SHARE + slack * PLACEMENT_SLACK, 0.3 + slack * PLACEMENT_SLACK);
  };
  // Candidates that could not pass the placement tests even after refitting are not worth the edge-support checks.
  const edgeSource = options.edgeSource ?? pixels;
  const toMaps = edgeSource.width / pixels.width;
  const { rims, scale: edgeScale, height: workingHeight } = findRimEllipses(edgeSource, (ellipse, scale, height) => placed(ellipse, scale * toMaps, height, 1));
  // Working (edge) pixels per pixel of `pixels`.
  const scale = edgeScale * toMaps;
  const kept = rims.filter(({ ellipse }) => placed(ellipse, scale, workingHeight, 0));

  const objects: TabletopObject[] = [];
  for (const group of groupRims(kept)) {
    const outline = convexHull(group.flatMap(({ ellipse }) => ellipsePolygon(ellipse, 72))).map((point) => ({ x: point.x / scale, y: point.y / scale }));
    // Objects stand on something: their lowest point is in the lower part of the panel (eyes, wheels, clocks on a wall are not).
    if (Math.max(...outline.map((point) => point.y)) < pixels.height * MIN_BOTTOM_SHARE) continue;
    const data = new Uint8Array(pixels.width * pixels.height);
    fillPolygon(data, pixels.width, pixels.height, outline);
    const bounds = hullBox(outline);
    const [left, top, right, bottom] = clippedBounds(pixels.width, pixels.height, bounds);
    for (let y = top; y < bottom; y++) {
      for (let index = y * pixels.width + left; index < y * pixels.width + right; index++) {
        if ((options.person?.data[index] ?? 0) >= INSIDE || (options.exclude?.[index] ?? 0) >= INSIDE) data[index] = 0;
      }
    }
    const confidence = Math.max(...group.map((rim) => rim.support));
    const mask = regionMask(data, pixels.width, pixels.height, confidence, Math.round(pixels.width * pixels.height * MIN_PANEL_SHARE), bounds);
    if (!mask || mask.pixels > pixels.width * pixels.height * MAX_PANEL_SHARE) continue;
    objects.push({ mask, kind: kindOf(group) });
  }
  return objects.sort((first, second) => second.mask.pixels - first.mask.pixels);
}

/**
 * Luma and chroma (full-range BT.601 Y, Cb, Cr) averaged over blocks, so the longer side is at
 * most `maxSide`; one pass over the panel. With `scratch`, the channels are its float32 slots 0-2.
 */
export function shrunkYCbCr(pixels: RgbaImage, maxSide: number, scratch?: ScratchArrays): [GrayImage, GrayImage, GrayImage] {
  const factor = Math.min(1, maxSide / Math.max(pixels.width, pixels.height));
  const width = Math.max(1, Math.round(pixels.width * factor));
  const height = Math.max(1, Math.round(pixels.height * factor));
  const channel = (slot: number) => (scratch ? scratch.float32(slot, width * height) : new Float32Array(width * height));
  const lumas = channel(0);
  const blues = channel(1);
  const reds = channel(2);
  const columnOf = new Int32Array(pixels.width);
  for (let x = 0; x < pixels.width; x++) columnOf[x] = Math.min(width - 1, Math.floor((x * width) / pixels.width));
  // Blocks of 2+ source pixels a side are averaged from every other row and column: nearly the same mean, a quarter of the reads.
  const step = factor <= 0.5 ? 2 : 1;
  // Samples per block: sampled columns falling in its column times sampled rows falling in its row.
  const columnSamples = new Uint32Array(width);
  const rowSamples = new Uint32Array(height);
  for (let x = 0; x < pixels.width; x += step) {
    const column = columnOf[x] as number;
    columnSamples[column] = (columnSamples[column] as number) + 1;
  }
  for (let y = 0; y < pixels.height; y += step) {
    const row = Math.min(height - 1, Math.floor((y * height) / pixels.height));
    rowSamples[row] = (rowSamples[row] as number) + 1;
  }
  const data = pixels.data;
  for (let y = 0; y < pixels.height; y += step) {
    const rowOffset = Math.min(height - 1, Math.floor((y * height) / pixels.height)) * width;
    for (let x = 0, offset = y * pixels.width * 4; x < pixels.width; x += step, offset += step * 4) {
      const target = rowOffset + (columnOf[x] as number);
      const red = data[offset] as number;
      const green = data[offset + 1] as number;
      const blue = data[offset + 2] as number;
      lumas[target] = (lumas[target] as number) + lumaOf(red, green, blue);
      blues[target] = (blues[target] as number) - 0.168736 * red - 0.331264 * green + 0.5 * blue;
      reds[target] = (reds[target] as number) + 0.5 * red - 0.418688 * green - 0.081312 * blue;
    }
  }
  for (let y = 0, index = 0; y < height; y++) {
    for (let x = 0; x < width; x++, index++) {
      const count = Math.max(1, (rowSamples[y] as number) * (columnSamples[x] as number));
      lumas[index] = (lumas[index] as number) / count;
      blues[index] = (blues[index] as number) / count;
      reds[index] = (reds[index] as number) / count;
    }
  }
  return [
    { data: lumas, width, height },
    { data: blues, width, height },
    { data: reds, width, height },
  ];
}

/** A small rim above a larger one (a cup on a saucer) reads as a cup; one flat wide rim as a plate. */
function kindOf(group: Rim[]): string {
  const byArea = [...group].sort((first, second) => second.ellipse.a * second.ellipse.b - first.ellipse.a * first.ellipse.b);
  const largest = byArea[0]?.ellipse;
  if (!largest) return 'object';
  const smallerAbove = byArea.some(({ ellipse }) => ellipse.a < largest.a * 0.8 && ellipse.centreY < largest.centreY - largest.b * 0.2);
  if (smallerAbove) return 'cup';
  if (group.length === 1 && largest.b / largest.a < 0.6) return 'plate';
  return 'object';
}

/** Interior samples per ellipse: four rings of 12, 24, 36 and 48 points, and the centre. */
const INTERIOR_SAMPLES = 121;

/**
 * Whether at most `personShare` of the ellipse's interior samples (four rings and the centre, in
 * working pixels) fall on the person mask and at most `excludedShare` on the excluded pixels,
 * both panel-sized masks looked up at working / `scale`. Stops at the first share exceeded.
 */
export function interiorMostlyFree(ellipse: Ellipse, person: Uint8Array | null, exclude: Uint8Array | null, width: number, height: number, scale: number, personShare: number, excludedShare: number): boolean {
  const personLimit = INTERIOR_SAMPLES * personShare;
  const excludedLimit = INTERIOR_SAMPLES * excludedShare;
  const cos = Math.cos(ellipse.angle);
  const sin = Math.sin(ellipse.angle);
  let personHits = 0;
  let excludedHits = 0;
  const count = (x: number, y: number) => {
    const panelX = Math.min(width - 1, Math.max(0, Math.floor(x / scale)));
    const panelY = Math.min(height - 1, Math.max(0, Math.floor(y / scale)));
    const at = panelY * width + panelX;
    if (person && (person[at] ?? 0) >= INSIDE) personHits++;
    if (exclude && (exclude[at] ?? 0) >= INSIDE) excludedHits++;
    return personHits <= personLimit && excludedHits <= excludedLimit;
  };
  for (let ring = 1; ring <= 4; ring++) {
    const radius = ring / 4.5;
    const samples = ring * 12;
    const ringA = ellipse.a * radius;
    const ringB = ellipse.b * radius;
    for (let index = 0; index < samples; index++) {
      // ellipsePoint's position on the ring, without its normal.
      const t = (2 * Math.PI * index) / samples;
      const u = ringA * Math.cos(t);
      const v = ringB * Math.sin(t);
      if (!count(ellipse.centreX + u * cos - v * sin, ellipse.centreY + u * sin + v * cos)) return false;
    }
  }
  return count(ellipse.centreX, ellipse.centreY);
}

function hullBox(points: Point[]): Box {
  const left = Math.floor(Math.min(...points.map((point) => point.x)));
  const top = Math.floor(Math.min(...points.map((point) => point.y)));
  return [left, top, Math.ceil(Math.max(...points.map((point) => point.x))) - left + 1, Math.ceil(Math.max(...points.map((point) => point.y))) - top + 1];
}

function growBox([x, y, width, height]: Box, margin: number): Box {
  return [x - margin, y - margin, Math.max(0, width + 2 * margin), Math.max(0, height + 2 * margin)];
}

function ellipseBox(ellipse: Ellipse): Box {
  const cos = Math.cos(ellipse.angle);
  const sin = Math.sin(ellipse.angle);
  const halfWidth = Math.hypot(ellipse.a * cos, ellipse.b * sin);
  const halfHeight = Math.hypot(ellipse.a * sin, ellipse.b * cos);
  return [ellipse.centreX - halfWidth, ellipse.centreY - halfHeight, 2 * halfWidth, 2 * halfHeight];
}

function boxesOverlap([ax, ay, aw, ah]: Box, [bx, by, bw, bh]: Box): boolean {
  return ax < bx + bw && bx < ax + aw && ay < by + bh && by < ay + ah;
}

/** Cuts a chain into arcs that turn one way without corners (Douglas–Peucker vertices, then turn signs), added to `arcs`. */
export function splitIntoArcs(xs: Int32Array, ys: Int32Array, arcs: Arc[] = []): Arc[] {
  const vertices = douglasPeucker(xs, ys, ARC_TOLERANCE);
  let start = vertices[0] ?? 0;
  let sign = 0;
  let turning = 0;
  const close = (end: number) => {
    if (end - start + 1 >= MIN_CHAIN) arcs.push({ xs: xs.subarray(start, end + 1), ys: ys.subarray(start, end + 1), turning });
  };
  for (let index = 1; index + 1 < vertices.length; index++) {
    const previous = vertices[index - 1] ?? 0;
    const current = vertices[index] ?? 0;
    const next = vertices[index + 1] ?? 0;
    const before = Math.atan2((ys[current] ?? 0) - (ys[previous] ?? 0), (xs[current] ?? 0) - (xs[previous] ?? 0));
    const after = Math.atan2((ys[next] ?? 0) - (ys[current] ?? 0), (xs[next] ?? 0) - (xs[current] ?? 0));
    let turn = ((after - before) * 180) / Math.PI;
    if (turn > 180) turn -= 360;
    if (turn < -180) turn += 360;
    const turnSign = Math.abs(turn) < STRAIGHT_DEGREES ? 0 : Math.sign(turn);
    if (Math.abs(turn) > CORNER_DEGREES || (turnSign !== 0 && sign !== 0 && turnSign !== sign)) {
      close(current);
      start = current;
      sign = Math.abs(turn) > CORNER_DEGREES ? 0 : turnSign;
      turning = 0;
      continue;
    }
    if (turnSign !== 0) sign = turnSign;
    turning += Math.abs(turn);
  }
  close(vertices[vertices.length - 1] ?? xs.length - 1);
  return arcs;
}

/** Douglas–Peucker's kept-point flags, one array for every chain (hundreds a panel), grown when a chain is longer. */
let KEEP_FLAGS = new Uint8Array(1024);

function douglasPeucker(xs: Int32Array, ys: Int32Array, tolerance: number): number[] {
  if (KEEP_FLAGS.length < xs.length) KEEP_FLAGS = new Uint8Array(xs.length * 2);
  const keep = KEEP_FLAGS.fill(0, 0, xs.length);
  keep[0] = 1;
  keep[xs.length - 1] = 1;
  // Segments still to split, as first, last index pairs (flat: no array per segment).
  const stack: number[] = [0, xs.length - 1];
  while (stack.length > 0) {
    const last = stack.pop() as number;
    const first = stack.pop() as number;
    const x0 = xs[first] ?? 0;
    const y0 = ys[first] ?? 0;
    const dx = (xs[last] ?? 0) - x0;
    const dy = (ys[last] ?? 0) - y0;
    const length = Math.hypot(dx, dy);
    let worst = -1;
    let worstDistance = 0;
    for (let index = first + 1; index < last; index++) {
      const px = (xs[index] ?? 0) - x0;
      const py = (ys[index] ?? 0) - y0;
      const distance = length === 0 ? Math.hypot(px, py) : Math.abs(px * dy - py * dx) / length;
      if (distance > worstDistance) {
        worstDistance = distance;
        worst = index;
      }
    }
    if (worst > 0 && worstDistance > tolerance) {
      keep[worst] = 1;
      stack.push(first, worst, worst, last);
    }
  }
  const vertices: number[] = [];
  for (let index = 0; index < xs.length; index++) if (keep[index]) vertices.push(index);
  return vertices;
}

/** Ellipses from arcs and pairs of arcs that pass the shape limits and are supported all round by edges. */
function findRims(arcs: Arc[], map: ChainedEdges, admissible?: (ellipse: Ellipse) => boolean): Rim[] {
  // One frame for every arc, so the moments of two arcs add up to the moments of the pair.
  const frame: FitFrame = { originX: map.width / 2, originY: map.height / 2, scale: Math.max(map.width, map.height) / 2 };
  const candidates: Ellipse[] = [];
  for (const arc of arcs) {
    if (arc.turning < SINGLE_ARC_TURN) continue;
    const ellipse = fitEllipse(arc.xs, arc.ys);
    if (ellipse) candidates.push(ellipse);
  }
  const longest = arcs
    .filter((arc) => arc.turning >= PAIR_ARC_TURN && arc.xs.length >= MIN_CHAIN)
    .sort((first, second) => second.xs.length - first.xs.length)
    .slice(0, MAX_PAIRED_ARCS);
  // Every arc's power sums in one array (views of 15 values each).
  const allMoments = new Float64Array(15 * longest.length);
  const pairable = longest.map((arc, index) => ({ arc, moments: ellipseMoments(arc.xs, arc.ys, frame, allMoments.subarray(15 * index, 15 * index + 15)), box: pointsBox(arc.xs, arc.ys) }));
  const reach = 2 * Math.max(map.width, map.height) * MAX_SEMI_MAJOR_SHARE;
  const pairMoments: EllipseMoments = new Float64Array(15);
  for (let first = 0; first < pairable.length; first++) {
    for (let second = first + 1; second < pairable.length; second++) {
      const one = pairable[first];
      const other = pairable[second];
      if (!one || !other) continue;
      // Arcs farther apart than the largest allowed rim cannot lie on one.
      const width = Math.max(one.box[2], other.box[2]) - Math.min(one.box[0], other.box[0]);
      const height = Math.max(one.box[3], other.box[3]) - Math.min(one.box[1], other.box[1]);
      if (width > reach || height > reach) continue;
      const ellipse = ellipseFromMoments(addMoments(one.moments, other.moments, pairMoments), frame);
      if (!ellipse || !plausible(ellipse, map)) continue;
      // Both arcs must lie on the fitted ellipse, not just average out onto it.
      if (!nearOnAverage(ellipse, one.arc, 1.5) || !nearOnAverage(ellipse, other.arc, 1.5)) continue;
      candidates.push(ellipse);
    }
  }

  const rims: Rim[] = [];
  const seen = new Set<string>();
  for (const candidate of candidates) {
    // Pairs of arcs from one rim give nearly the same ellipse many times over: judge it once.
    const key = [candidate.centreX / 2, candidate.centreY / 2, candidate.a / 3, candidate.b / 3, candidate.angle * 10].map(Math.round).join();
    if (seen.has(key)) continue;
    seen.add(key);
    if (!plausible(candidate, map) || (admissible && !admissible(candidate))) continue;
    const coarse = supportedSamples(candidate, map, 36, MIN_SUPPORT * 0.7);
    if (!coarse || supportShare(coarse) < MIN_SUPPORT * 0.7) continue;
    let ellipse = candidate;
    let hits = supportedSamples(ellipse, map) as boolean[];
    if (supportShare(hits) < MIN_SUPPORT * 0.7) continue;
    // Refit on every edge pixel along the outline, then judge the refined ellipse.
    const refined = refit(ellipse, map);
    if (refined && plausible(refined, map)) {
      const refinedHits = supportedSamples(refined, map) as boolean[];
      if (supportShare(refinedHits) >= supportShare(hits)) {
        ellipse = refined;
        hits = refinedHits;
      }
    }
    const share = supportShare(hits);
    if (share >= MIN_SUPPORT && longestGapShare(hits) <= MAX_GAP_SHARE && share - clutter(ellipse, map) >= MIN_CONTRAST) rims.push({ ellipse, support: share });
  }
  return suppressDuplicates(rims);
}

function pointsBox(xs: Int32Array, ys: Int32Array): [number, number, number, number] {
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (let index = 0; index < xs.length; index++) {
    const x = xs[index] ?? 0;
    const y = ys[index] ?? 0;
    if (x < left) left = x;
    if (x > right) right = x;
    if (y < top) top = y;
    if (y > bottom) bottom = y;
  }
  return [left, top, right, bottom];
}

/**
 * Whether the arc's mean distance from the ellipse is at most `limit`. Stops once the running
 * total alone says no: the distances are never negative, so the total only grows.
 */
function nearOnAverage(ellipse: Ellipse, arc: Arc, limit: number): boolean {
  const cos = Math.cos(ellipse.angle);
  const sin = Math.sin(ellipse.angle);
  const count = Math.max(1, arc.xs.length);
  let total = 0;
  for (let index = 0; index < arc.xs.length; index++) {
    total += ellipseDistanceAt(ellipse, cos, sin, arc.xs[index] as number, arc.ys[index] as number);
    if (total / count > limit) return false;
  }
  return !(total / count > limit);
}

function plausible(ellipse: Ellipse, map: ChainedEdges): boolean {
  const shorter = Math.min(map.width, map.height);
  const longer = Math.max(map.width, map.height);
  if (ellipse.a < shorter * MIN_SEMI_MAJOR_SHARE || ellipse.a > longer * MAX_SEMI_MAJOR_SHARE) return false;
  const ratio = ellipse.b / ellipse.a;
  if (ratio < MIN_AXIS_RATIO) return false;
  if (ratio < ROUND_RATIO && Math.abs(ellipse.angle) > (MAX_TILT_DEGREES * Math.PI) / 180) return false;
  // A rim cut off by the frame is not a closed rim: the outline may leave the image by a sliver only.
  const box = ellipseBox(ellipse);
  const x = box[0];
  const y = box[1];
  const width = box[2];
  const height = box[3];
  const slack = ellipse.b * OUTSIDE_SLACK;
  return x >= -slack && y >= -slack && x + width <= map.width - 1 + slack && y + height <= map.height - 1 + slack;
}

function outlineSamples(ellipse: Ellipse, count?: number): number {
  return count ?? Math.max(36, Math.min(180, Math.round(ellipsePerimeter(ellipse) / 2)));
}

/** The chain id (≥ 1; 0 for an untraced pixel) of the first edge pixel whose gradient follows the normal at one of the offsets along it; -1 for none. */
function alignedEdgeAt(map: ChainedEdges, point: OutlinePoint, offsets: readonly number[]): number {
  for (let step = 0; step < offsets.length; step++) {
    const offset = offsets[step] as number;
    const x = Math.round(point.x + point.normalX * offset);
    const y = Math.round(point.y + point.normalY * offset);
    if (x < 0 || y < 0 || x >= map.width || y >= map.height) continue;
    const at = y * map.width + x;
    if (map.edges[at] !== 1) continue;
    const gx = map.gradientX[at] ?? 0;
    const gy = map.gradientY[at] ?? 0;
    const length = Math.hypot(gx, gy);
    if (length > 0 && Math.abs((gx * point.normalX + gy * point.normalY) / length) >= MIN_ALIGNMENT) return map.chainIds[at] ?? 0;
  }
  return -1;
}

/**
 * Per outline sample: is there an edge pixel within 2 px along the normal whose gradient follows
 * the normal, on a chain that follows the outline for a good stretch (not a wrinkle crossing it)?
 * With `giveUpBelow`, null as soon as the samples on any traced chain so far plus those left make
 * less than that share (supported samples are among them, so `supportShare` would fall short).
 */
function supportedSamples(ellipse: Ellipse, map: ChainedEdges, count?: number, giveUpBelow?: number): boolean[] | null {
  const samples = outlineSamples(ellipse, count);
  const chains = sampleChains(samples);
  // Samples per chain, in the map's counters (all 0 between calls).
  const stretch = map.chainCounts;
  const cos = Math.cos(ellipse.angle);
  const sin = Math.sin(ellipse.angle);
  const point: OutlinePoint = { x: 0, y: 0, normalX: 0, normalY: 0 };
  let onChains = 0;
  let given = false;
  // Samples judged (all of them unless given up): only these hold this call's chains.
  let judged = 0;
  for (let index = 0; index < samples; index++, judged++) {
    if (giveUpBelow !== undefined && (onChains + samples - index) / samples < giveUpBelow) {
      given = true;
      break;
    }
    const chain = alignedEdgeAt(map, ellipsePointInto(ellipse, cos, sin, (2 * Math.PI * index) / samples, point), ON_OUTLINE);
    chains[index] = chain;
    if (chain > 0) {
      stretch[chain] = (stretch[chain] as number) + 1;
      onChains++;
    }
  }
  const minStretch = Math.max(2, samples * MIN_CHAIN_STRETCH);
  const hits: boolean[] = [];
  for (let index = 0; index < samples && !given; index++) {
    const chain = chains[index] as number;
    hits.push(chain > 0 && (stretch[chain] as number) >= minStretch);
  }
  for (let index = 0; index < judged; index++) {
    const chain = chains[index] as number;
    if (chain > 0) stretch[chain] = 0;
  }
  return given ? null : hits;
}

/** The chain of each outline sample, in one array kept for every call (outlines have at most 180 samples; a new small array a call added up to hundreds a panel). */
let SAMPLE_CHAINS = new Int32Array(180);

function sampleChains(samples: number): Int32Array {
  if (SAMPLE_CHAINS.length < samples) SAMPLE_CHAINS = new Int32Array(samples);
  return SAMPLE_CHAINS;
}

const ON_OUTLINE = [0, -1, 1, -2, 2] as const;

function supportShare(hits: boolean[]): number {
  return hits.filter(Boolean).length / Math.max(1, hits.length);
}

/**
 * Share of the outline where parallel edges run on both sides a few pixels away: texture
 * (wrinkles, wood grain, foliage) supports any ellipse drawn over it, a rim stands alone.
 */
function clutter(ellipse: Ellipse, map: ChainedEdges): number {
  const samples = outlineSamples(ellipse);
  const distance = Math.max(5, Math.round(ellipse.b * 0.12));
  const inner = [-distance, -distance - 1, -distance + 1];
  const outer = [distance, distance + 1, distance - 1];
  let cluttered = 0;
  const cos = Math.cos(ellipse.angle);
  const sin = Math.sin(ellipse.angle);
  const point: OutlinePoint = { x: 0, y: 0, normalX: 0, normalY: 0 };
  for (let index = 0; index < samples; index++) {
    ellipsePointInto(ellipse, cos, sin, (2 * Math.PI * index) / samples, point);
    if (alignedEdgeAt(map, point, inner) >= 0 && alignedEdgeAt(map, point, outer) >= 0) cluttered++;
  }
  return cluttered / samples;
}

/** The longest run of unsupported outline samples, as a share of the outline (wrapping round). */
function longestGapShare(hits: boolean[]): number {
  const first = hits.indexOf(true);
  if (first === -1) return 1;
  let longest = 0;
  let run = 0;
  for (let step = 1; step <= hits.length; step++) {
    if (hits[(first + step) % hits.length]) run = 0;
    else longest = Math.max(longest, ++run);
  }
  return longest / hits.length;
}

function refit(ellipse: Ellipse, map: ChainedEdges): Ellipse | null {
  const xs: number[] = [];
  const ys: number[] = [];
  const [boxX, boxY, boxWidth, boxHeight] = ellipseBox(ellipse);
  const cos = Math.cos(ellipse.angle);
  const sin = Math.sin(ellipse.angle);
  // Edge pixels within 2 px of the ellipse, in scan order (within 2 px of its box).
  const left = Math.max(0, Math.ceil(boxX - 2));
  const right = Math.min(map.width - 1, Math.floor(boxX + boxWidth + 2));
  const top = Math.max(0, Math.ceil(boxY - 2));
  const bottom = Math.min(map.height - 1, Math.floor(boxY + boxHeight + 2));
  const band = new Float64Array(4);
  for (let y = top; y <= bottom; y++) {
    // Only the row's stretches in the ring round the outline can hold such pixels: the rest of the box is not read.
    nearOutlineColumns(ellipse, cos, sin, y, 2, band);
    const from = Math.max(left, band[0] as number);
    const to = Math.min(right, band[1] as number);
    const skipFrom = band[2] as number;
    const skipTo = band[3] as number;
    for (let x = from, index = y * map.width + from; x <= to; x++, index++) {
      if (x >= skipFrom && x <= skipTo) {
        index += skipTo - x;
        x = skipTo;
        continue;
      }
      if (map.edges[index] !== 1 || ellipseDistanceAt(ellipse, cos, sin, x, y) > 2) continue;
      xs.push(x);
      ys.push(y);
    }
  }
  return xs.length >= 20 ? fitEllipse(xs, ys) : null;
}

/**
 * The columns of row `y` that may lie within `distance` of the ellipse by `ellipseDistanceAt`,
 * a pixel wider on each side than exact: [first, last] into `into[0]`, `into[1]` (first > last
 * when none), and a stretch inside it, [into[2], into[3]], that lies too deep inside (empty when
 * into[2] > into[3]). That distance is |r − 1| times the centre's distance to the outline along the
 * ray (r: the ellipse's normalised radius), which is at least b, so |r − 1| ≤ distance / b.
 */
export function nearOutlineColumns(ellipse: Ellipse, cos: number, sin: number, y: number, distance: number, into: Float64Array): void {
  const dy = y - ellipse.centreY;
  const aa = ellipse.a * ellipse.a;
  const bb = ellipse.b * ellipse.b;
  // r² = p·dx² + q·dx + c along the row (dx = x − centre x).
  const p = (cos * cos) / aa + (sin * sin) / bb;
  const q = 2 * dy * cos * sin * (1 / aa - 1 / bb);
  const c = dy * dy * ((sin * sin) / aa + (cos * cos) / bb);
  const reach = distance / ellipse.b;
  const outer = (1 + reach) * (1 + reach);
  const outerRoot = q * q - 4 * p * (c - outer);
  into[0] = 1;
  into[1] = 0;
  into[2] = 1;
  into[3] = 0;
  if (!(outerRoot >= 0)) return;
  const outerHalf = Math.sqrt(outerRoot) / (2 * p);
  const middle = -q / (2 * p) + ellipse.centreX;
  into[0] = Math.floor(middle - outerHalf) - 1;
  into[1] = Math.ceil(middle + outerHalf) + 1;
  if (reach >= 1) return;
  const inner = (1 - reach) * (1 - reach);
  const innerRoot = q * q - 4 * p * (c - inner);
  if (!(innerRoot > 0)) return;
  const innerHalf = Math.sqrt(innerRoot) / (2 * p);
  into[2] = Math.ceil(middle - innerHalf) + 1;
  into[3] = Math.floor(middle + innerHalf) - 1;
}

function suppressDuplicates(rims: Rim[]): Rim[] {
  const sorted = [...rims].sort((first, second) => second.support * ellipsePerimeter(second.ellipse) - first.support * ellipsePerimeter(first.ellipse));
  const kept: Rim[] = [];
  for (const rim of sorted) {
    const duplicate = kept.some(({ ellipse }) => {
      const centreDistance = Math.hypot(ellipse.centreX - rim.ellipse.centreX, ellipse.centreY - rim.ellipse.centreY);
      return centreDistance < 0.15 * ellipse.a && Math.abs(ellipse.a - rim.ellipse.a) < 0.15 * ellipse.a && Math.abs(ellipse.b - rim.ellipse.b) < 0.2 * ellipse.b;
    });
    if (!duplicate) kept.push(rim);
  }
  return kept;
}

/** Rims that overlap (one's centre inside the other, or a good part of one's outline inside the other) are one object. */
function groupRims(rims: Rim[]): Rim[][] {
  const parent = rims.map((_, index) => index);
  const find = (index: number): number => {
    while (parent[index] !== index) index = parent[index] ?? index;
    return index;
  };
  const overlaps = (one: Ellipse, other: Ellipse) => {
    if (insideEllipse(one, other.centreX, other.centreY) || insideEllipse(other, one.centreX, one.centreY)) return true;
    const outline = ellipsePolygon(one, 36);
    return outline.filter((point) => insideEllipse(other, point.x, point.y)).length >= outline.length * 0.15;
  };
  for (let first = 0; first < rims.length; first++) {
    for (let second = first + 1; second < rims.length; second++) {
      const one = rims[first]?.ellipse;
      const other = rims[second]?.ellipse;
      if (one && other && overlaps(one, other)) parent[find(second)] = find(first);
    }
  }
  const groups = new Map<number, Rim[]>();
  rims.forEach((rim, index) => {
    const root = find(index);
    groups.set(root, [...(groups.get(root) ?? []), rim]);
  });
  return [...groups.values()];
}

/** Andrew's monotone chain. */
export function convexHull(points: Point[]): Point[] {
  const sorted = [...points].sort((first, second) => first.x - second.x || first.y - second.y);
  if (sorted.length < 3) return sorted;
  const cross = (o: Point, a: Point, b: Point) => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
  const lower: Point[] = [];
  for (const point of sorted) {
    while (lower.length >= 2 && cross(lower[lower.length - 2] as Point, lower[lower.length - 1] as Point, point) <= 0) lower.pop();
    lower.push(point);
  }
  const upper: Point[] = [];
  for (const point of [...sorted].reverse()) {
    while (upper.length >= 2 && cross(upper[upper.length - 2] as Point, upper[upper.length - 1] as Point, point) <= 0) upper.pop();
    upper.push(point);
  }
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
}
