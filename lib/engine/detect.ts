/**
 * Finds "model A vs model B" cards: two pictures side by side or stacked, separated by a
 * gutter (a uniform band) or a hard seam (a straight line where the content jumps).
 *
 * Everything runs on two strips built in one pass over the image: the column strip keeps
 * every column and averages rows in bands ("lanes"), the row strip does the converse. Averaging
 * along a split line keeps the split sharp, so splits and borders land on exact source pixels.
 */
import { clamp } from './image';
import type { Box, CardDetection, Grid, Layout, NotCardReason, RgbaImage } from './types';

/** Images with a side under this many pixels are too small to judge. */
const MIN_SIDE = 64;
/** Cards are at most this many times longer than wide (1:6). */
const MAX_ASPECT = 6;
/** Samples taken along a split line; each averages the source pixels of its lane. */
const LANES_PER_STRIP = 256;
/** Luma standard deviation under which the whole image counts as one flat colour. */
const UNIFORM_IMAGE_LUMA_STD = 2.5;
/** Largest per-channel distance from the line colour for a lane to count as "same colour". */
const UNIFORM_TOLERANCE = 12;
/** Share of lanes that must match for a line to be uniform; lets a label pill overlap a gutter. */
const UNIFORM_LANE_SHARE = 0.96;
/** Splits are searched in this part of the card; a 1x2 split must sit in the narrower one. */
const SEARCH_BAND: readonly [number, number] = [0.25, 0.75];
const PAIR_BAND: readonly [number, number] = [0.3, 0.7];
/** Triptych splits sit within this distance (fraction of the card) of 1/3 and 2/3. */
const THIRDS_TOLERANCE = 0.05;
/** Luma step (0-255) a lane needs across a seam to vote for it. */
const SEAM_MIN_STEP = 6;
/** How many times larger than the neighbouring steps the step across a seam must be. */
const SEAM_DOMINANCE = 2;
/** Share of lanes that must vote for a seam to be accepted. */
const SEAM_MIN_SHARE = 0.5;
/** Outer borders and panel margins are trimmed by at most this share of their length per side. */
const MAX_TRIM_SHARE = 0.3;

/**
 * Pixels averaged along one axis. `positions` runs across split lines (columns for the
 * column strip), `lanes` along them; values are stored lane-major.
 */
interface Strip {
  positions: number;
  lanes: number;
  /** Source pixels per lane (the last lane may hold fewer). */
  laneSize: number;
  /** Source extent along the lanes, to map lanes back to pixels. */
  laneExtent: number;
  rgb: Float32Array;
  luma: Float32Array;
}

/** A span of lanes [from, to) that a measurement is restricted to. */
interface LaneRange {
  from: number;
  to: number;
}

/** A split found along one axis: the panels end at `start` and resume at `end` (equal for a seam). */
interface Split {
  start: number;
  end: number;
  kind: 'gutter' | 'seam';
  /** 0-1: how consistently the split holds along its length. */
  strength: number;
}

export function detectCard(img: RgbaImage): CardDetection {
  const { width, height } = img;
  if (Math.min(width, height) < MIN_SIDE) return notCard('too-small', 1);
  if (Math.max(width, height) > MAX_ASPECT * Math.min(width, height)) return notCard('extreme-aspect', 1);

  const { columns, rows } = buildStrips(img);
  if (lumaStandardDeviation(columns) < UNIFORM_IMAGE_LUMA_STD) return notCard('uniform', 1);

  const card = trimCard(columns, rows);
  const cardColumnLanes = lanesInside(rows, card.left, card.right);
  const cardRowLanes = lanesInside(columns, card.top, card.bottom);
  const verticalSplits = chooseSplits(columns, card.left, card.right, cardRowLanes);
  const horizontalSplits = chooseSplits(rows, card.top, card.bottom, cardColumnLanes);

  const grid: Grid = { rows: horizontalSplits.length + 1, cols: verticalSplits.length + 1 };
  const found = [...verticalSplits, ...horizontalSplits];
  if (found.length === 0) {
    const best = Math.max(
      strongestCandidate(columns, card.left, card.right, cardRowLanes),
      strongestCandidate(rows, card.top, card.bottom, cardColumnLanes),
    );
    return notCard('no-split', confidenceBelow(best));
  }
  const splitConfidence = Math.min(...found.map((split) => confidenceAbove(split.strength)));
  if (found.length > 1) return { ...notCard('grid', splitConfidence), grid };

  const [split] = found;
  if (!split) return notCard('no-split', 1);
  const layout: Layout = verticalSplits.length === 1 ? 'side-by-side' : 'stacked';
  const panels = panelBoxes(layout, split, card, columns, rows);
  return { isComparison: true, layout, confidence: splitConfidence, grid, panels, reason: null };
}

function notCard(reason: NotCardReason, confidence: number): CardDetection {
  return { isComparison: false, layout: null, confidence: round3(confidence), grid: null, panels: [], reason };
}

/** Confidence for an accepted split: 0.5 at the acceptance threshold, 1 for a perfect split. */
function confidenceAbove(strength: number): number {
  return round3(0.5 + 0.5 * clamp((strength - SEAM_MIN_SHARE) / (1 - SEAM_MIN_SHARE), 0, 1));
}

/** Confidence that there is no split: 1 when nothing split-like was seen, 0.5 at the threshold. */
function confidenceBelow(bestStrength: number): number {
  return round3(1 - 0.5 * clamp(bestStrength / SEAM_MIN_SHARE, 0, 1));
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

// ---------------------------------------------------------------------------------------------
// Strips

/** Builds the column strip (all columns, row bands) and the row strip (all rows, column bands). */
function buildStrips(img: RgbaImage): { columns: Strip; rows: Strip } {
  const { width, height, data } = img;
  const rowsPerLane = Math.ceil(height / LANES_PER_STRIP);
  const columnsPerLane = Math.ceil(width / LANES_PER_STRIP);
  const columns = emptyStrip(width, height, rowsPerLane);
  const rows = emptyStrip(height, width, columnsPerLane);
  const laneOfColumn = new Int32Array(width);
  for (let x = 0; x < width; x++) laneOfColumn[x] = Math.floor(x / columnsPerLane);

  for (let y = 0; y < height; y++) {
    const columnStripRow = Math.floor(y / rowsPerLane) * width * 3;
    let pixel = y * width * 4;
    for (let x = 0; x < width; x++, pixel += 4) {
      const red = data[pixel] ?? 0;
      const green = data[pixel + 1] ?? 0;
      const blue = data[pixel + 2] ?? 0;
      const columnCell = columnStripRow + x * 3;
      columns.rgb[columnCell] = (columns.rgb[columnCell] ?? 0) + red;
      columns.rgb[columnCell + 1] = (columns.rgb[columnCell + 1] ?? 0) + green;
      columns.rgb[columnCell + 2] = (columns.rgb[columnCell + 2] ?? 0) + blue;
      const rowCell = ((laneOfColumn[x] ?? 0) * height + y) * 3;
      rows.rgb[rowCell] = (rows.rgb[rowCell] ?? 0) + red;
      rows.rgb[rowCell + 1] = (rows.rgb[rowCell + 1] ?? 0) + green;
      rows.rgb[rowCell + 2] = (rows.rgb[rowCell + 2] ?? 0) + blue;
    }
  }
  finishStrip(columns);
  finishStrip(rows);
  return { columns, rows };
}

function emptyStrip(positions: number, laneExtent: number, laneSize: number): Strip {
  const lanes = Math.ceil(laneExtent / laneSize);
  return {
    positions,
    lanes,
    laneSize,
    laneExtent,
    rgb: new Float32Array(positions * lanes * 3),
    luma: new Float32Array(positions * lanes),
  };
}

/** Turns the per-lane sums into means and fills in luma. */
function finishStrip(strip: Strip): void {
  for (let lane = 0; lane < strip.lanes; lane++) {
    const pixelsInLane = Math.min(strip.laneSize, strip.laneExtent - lane * strip.laneSize);
    for (let position = 0; position < strip.positions; position++) {
      const cell = lane * strip.positions + position;
      const red = (strip.rgb[cell * 3] ?? 0) / pixelsInLane;
      const green = (strip.rgb[cell * 3 + 1] ?? 0) / pixelsInLane;
      const blue = (strip.rgb[cell * 3 + 2] ?? 0) / pixelsInLane;
      strip.rgb[cell * 3] = red;
      strip.rgb[cell * 3 + 1] = green;
      strip.rgb[cell * 3 + 2] = blue;
      strip.luma[cell] = 0.299 * red + 0.587 * green + 0.114 * blue;
    }
  }
}

/** Lanes lying wholly inside the source span [from, to); the overlapping ones if none does. */
function lanesInside(strip: Strip, from: number, to: number): LaneRange {
  const first = Math.ceil(from / strip.laneSize);
  const last = to >= strip.laneExtent ? strip.lanes : Math.floor(to / strip.laneSize);
  if (last > first) return { from: first, to: last };
  return { from: Math.floor(from / strip.laneSize), to: Math.min(strip.lanes, Math.ceil(to / strip.laneSize)) };
}

function lumaStandardDeviation(strip: Strip): number {
  let sum = 0;
  let sumOfSquares = 0;
  for (const value of strip.luma) {
    sum += value;
    sumOfSquares += value * value;
  }
  const mean = sum / strip.luma.length;
  return Math.sqrt(Math.max(0, sumOfSquares / strip.luma.length - mean * mean));
}

// ---------------------------------------------------------------------------------------------
// Uniform lines: gutters and borders

interface LineColour {
  uniform: boolean;
  /** Share of lanes within tolerance of the line colour. */
  share: number;
  red: number;
  green: number;
  blue: number;
}

/** Whether the line at `position` is one colour across the lanes, tolerating a few outliers. */
function lineColour(strip: Strip, position: number, lanes: LaneRange): LineColour {
  const laneCount = Math.max(1, lanes.to - lanes.from);
  // A plain mean is dragged by outliers (a label pill), so re-average the lanes near it once.
  let [red, green, blue] = meanColour(strip, position, lanes, null, Infinity);
  [red, green, blue] = meanColour(strip, position, lanes, [red, green, blue], UNIFORM_TOLERANCE * 3);
  let matching = 0;
  for (let lane = lanes.from; lane < lanes.to; lane++) {
    if (colourDistance(strip, lane * strip.positions + position, red, green, blue) <= UNIFORM_TOLERANCE) matching++;
  }
  const share = matching / laneCount;
  return { uniform: share >= UNIFORM_LANE_SHARE, share, red, green, blue };
}

function meanColour(
  strip: Strip,
  position: number,
  lanes: LaneRange,
  around: [number, number, number] | null,
  radius: number,
): [number, number, number] {
  let red = 0;
  let green = 0;
  let blue = 0;
  let count = 0;
  for (let lane = lanes.from; lane < lanes.to; lane++) {
    const cell = lane * strip.positions + position;
    if (around && colourDistance(strip, cell, around[0], around[1], around[2]) > radius) continue;
    red += strip.rgb[cell * 3] ?? 0;
    green += strip.rgb[cell * 3 + 1] ?? 0;
    blue += strip.rgb[cell * 3 + 2] ?? 0;
    count++;
  }
  if (count === 0) return around ?? [0, 0, 0];
  return [red / count, green / count, blue / count];
}

/** Largest per-channel difference between a strip cell and a colour. */
function colourDistance(strip: Strip, cell: number, red: number, green: number, blue: number): number {
  return Math.max(
    Math.abs((strip.rgb[cell * 3] ?? 0) - red),
    Math.abs((strip.rgb[cell * 3 + 1] ?? 0) - green),
    Math.abs((strip.rgb[cell * 3 + 2] ?? 0) - blue),
  );
}

function sameColour(a: LineColour, b: LineColour): boolean {
  return Math.max(Math.abs(a.red - b.red), Math.abs(a.green - b.green), Math.abs(a.blue - b.blue)) <= UNIFORM_TOLERANCE;
}

/**
 * Moves `from` and `to` inwards past uniform lines of one colour (a frame or margin),
 * by at most MAX_TRIM_SHARE of the span per side.
 */
function trimUniformBorder(strip: Strip, from: number, to: number, lanes: LaneRange): [number, number] {
  const maxTrim = Math.floor((to - from) * MAX_TRIM_SHARE);
  const trimmedStart = uniformRunLength(strip, from, 1, maxTrim, lanes);
  const trimmedEnd = uniformRunLength(strip, to - 1, -1, maxTrim, lanes);
  return [from + trimmedStart, to - trimmedEnd];
}

/** How many lines from `start`, stepping by `direction`, are uniform and of the first line's colour. */
function uniformRunLength(strip: Strip, start: number, direction: 1 | -1, limit: number, lanes: LaneRange): number {
  const first = lineColour(strip, start, lanes);
  if (!first.uniform) return 0;
  let length = 1;
  while (length < limit) {
    const next = lineColour(strip, start + direction * length, lanes);
    if (!next.uniform || !sameColour(first, next)) break;
    length++;
  }
  return length;
}

interface CardArea {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** The card without its outer frame: rows first (frames span the full width), then columns. */
function trimCard(columns: Strip, rows: Strip): CardArea {
  const [top, bottom] = trimUniformBorder(rows, 0, rows.positions, { from: 0, to: rows.lanes });
  const [left, right] = trimUniformBorder(columns, 0, columns.positions, lanesInside(columns, top, bottom));
  return { left, right, top, bottom };
}

/**
 * Runs of uniform, same-coloured lines whose middle lies in the search band, with
 * non-uniform content somewhere on both sides.
 */
function findGutters(strip: Strip, from: number, to: number, lanes: LaneRange): Split[] {
  const length = to - from;
  const bandStart = from + Math.floor(length * SEARCH_BAND[0]);
  const bandEnd = from + Math.ceil(length * SEARCH_BAND[1]);
  const gutters: Split[] = [];
  let position = bandStart;
  while (position < bandEnd) {
    const colour = lineColour(strip, position, lanes);
    if (!colour.uniform) {
      position++;
      continue;
    }
    let start = position;
    let end = position + 1;
    let weakestShare = colour.share;
    const extendsRun = (candidate: number): boolean => {
      const next = lineColour(strip, candidate, lanes);
      if (!next.uniform || !sameColour(colour, next)) return false;
      weakestShare = Math.min(weakestShare, next.share);
      return true;
    };
    while (start > from && extendsRun(start - 1)) start--;
    while (end < to && extendsRun(end)) end++;
    const middle = (start + end) / 2;
    const contentBefore = hasContent(strip, from, start, lanes);
    const contentAfter = hasContent(strip, end, to, lanes);
    if (contentBefore && contentAfter && middle >= bandStart && middle <= bandEnd) {
      gutters.push({ start, end, kind: 'gutter', strength: weakestShare });
    }
    position = end;
  }
  return gutters;
}

/** Whether any line in [from, to) is not uniform. */
function hasContent(strip: Strip, from: number, to: number, lanes: LaneRange): boolean {
  for (let position = from; position < to; position++) {
    if (!lineColour(strip, position, lanes).uniform) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Hard seams

/** Luma step between lines position-1 and position in one lane. */
function lumaStep(strip: Strip, lane: number, position: number): number {
  const row = lane * strip.positions;
  return Math.abs((strip.luma[row + position] ?? 0) - (strip.luma[row + position - 1] ?? 0));
}

/**
 * Share of lanes in which the luma step between lines position-1 and position is clear and
 * dominates the steps around it. Steps right next to it are skipped: resampling or JPEG
 * spreads a seam over two lines.
 */
function columnSeamStrength(strip: Strip, position: number, lanes: LaneRange): number {
  if (position < 4 || position > strip.positions - 4) return 0;
  let votes = 0;
  for (let lane = lanes.from; lane < lanes.to; lane++) {
    const step = lumaStep(strip, lane, position);
    if (step < SEAM_MIN_STEP) continue;
    const around =
      (lumaStep(strip, lane, position - 3) +
        lumaStep(strip, lane, position - 2) +
        lumaStep(strip, lane, position + 2) +
        lumaStep(strip, lane, position + 3)) /
      4;
    if (step >= SEAM_DOMINANCE * around) votes++;
  }
  return votes / Math.max(1, lanes.to - lanes.from);
}

/** Local maxima of seam strength in the search band that reach the acceptance share. */
function findSeams(strip: Strip, from: number, to: number, lanes: LaneRange): Split[] {
  const strengths = seamStrengths(strip, from, to, lanes);
  const seams: Split[] = [];
  for (const [position, strength] of strengths) {
    if (strength < SEAM_MIN_SHARE) continue;
    const isPeak =
      strength >= (strengths.get(position - 1) ?? 0) &&
      strength >= (strengths.get(position - 2) ?? 0) &&
      strength > (strengths.get(position + 1) ?? 0) &&
      strength > (strengths.get(position + 2) ?? 0);
    if (isPeak) seams.push({ start: position, end: position, kind: 'seam', strength });
  }
  return seams;
}

function seamStrengths(strip: Strip, from: number, to: number, lanes: LaneRange): Map<number, number> {
  const length = to - from;
  const bandStart = from + Math.floor(length * SEARCH_BAND[0]);
  const bandEnd = from + Math.ceil(length * SEARCH_BAND[1]);
  const strengths = new Map<number, number>();
  for (let position = bandStart; position < bandEnd; position++) {
    strengths.set(position, columnSeamStrength(strip, position, lanes));
  }
  return strengths;
}

/** The strongest split-like evidence in the band, accepted or not (for the no-split confidence). */
function strongestCandidate(strip: Strip, from: number, to: number, lanes: LaneRange): number {
  let best = 0;
  for (const strength of seamStrengths(strip, from, to, lanes).values()) best = Math.max(best, strength);
  return best;
}

// ---------------------------------------------------------------------------------------------
// Choosing splits

/**
 * The splits along one axis: two near 1/3 and 2/3 (a triptych), else the best single one in
 * the middle band, preferring splits near the centre (comparison panels are near equal).
 */
function chooseSplits(strip: Strip, from: number, to: number, lanes: LaneRange): Split[] {
  const gutters = findGutters(strip, from, to, lanes);
  // A gutter's edges are seams too; keep only seams that are not part of a gutter.
  const seams = findSeams(strip, from, to, lanes).filter(
    (seam) => !gutters.some((gutter) => seam.start >= gutter.start - 2 && seam.start <= gutter.end + 2),
  );
  const candidates = [...gutters, ...seams];
  const length = to - from;
  const relative = (split: Split): number => ((split.start + split.end) / 2 - from) / length;

  const nearThird = candidates.filter((split) => Math.abs(relative(split) - 1 / 3) <= THIRDS_TOLERANCE);
  const nearTwoThirds = candidates.filter((split) => Math.abs(relative(split) - 2 / 3) <= THIRDS_TOLERANCE);
  const firstThird = strongest(nearThird);
  const secondThird = strongest(nearTwoThirds);
  if (firstThird && secondThird) return [firstThird, secondThird];

  const central = candidates.filter((split) => relative(split) >= PAIR_BAND[0] && relative(split) <= PAIR_BAND[1]);
  const ranked = central
    .map((split) => ({ split, score: split.strength * (1 - 1.5 * Math.abs(relative(split) - 0.5)) }))
    .sort((a, b) => b.score - a.score);
  const best = ranked[0];
  return best ? [best.split] : [];
}

function strongest(splits: Split[]): Split | undefined {
  return [...splits].sort((a, b) => b.strength - a.strength)[0];
}

// ---------------------------------------------------------------------------------------------
// Panels

/** The two picture areas on either side of the split, each trimmed of uniform margins. */
function panelBoxes(layout: Layout, split: Split, card: CardArea, columns: Strip, rows: Strip): Box[] {
  const areas: CardArea[] =
    layout === 'side-by-side'
      ? [
          { ...card, right: split.start },
          { ...card, left: split.end },
        ]
      : [
          { ...card, bottom: split.start },
          { ...card, top: split.end },
        ];
  return areas.map((area) => {
    const [top, bottom] = trimUniformBorder(rows, area.top, area.bottom, lanesInside(rows, area.left, area.right));
    const [left, right] = trimUniformBorder(columns, area.left, area.right, lanesInside(columns, top, bottom));
    return [left, top, right - left, bottom - top];
  });
}
export function debugSeams(img: RgbaImage): string {
  const { columns, rows } = buildStrips(img);
  const out: string[] = [];
  for (const [name, strip, other] of [['V', columns, rows], ['H', rows, columns]] as const) {
    const lanes = { from: 0, to: strip.lanes };
    const s = seamStrengths(strip, 0, strip.positions, lanes);
    const top = [...s.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
    out.push(name + ' ' + top.map(([p, v]) => `${p}:${v.toFixed(2)}`).join(' '));
    void other;
  }
  return out.join(' | ');
}
