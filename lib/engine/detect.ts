/**
 * Finds "model A vs model B" cards: two pictures side by side or stacked, separated by a
 * gutter (a uniform band) or a hard seam (a straight line where the content jumps).
 *
 * Instead of a small isotropic copy (where a 1 px gutter or a seam between two source pixels
 * blurs away), everything runs on two strips: the column strip keeps every column and reduces
 * the rows to bands ("lanes"), the row strip does the converse. Shrinking only along a split
 * line keeps the split sharp, so splits and borders land on exact source pixels, and the
 * strips read about a quarter of the pixels of a 2048 x 1024 image.
 */
import { clamp, lumaOf } from './image';
import { findLabelStrips, glyphHeight, type LabelStrip } from './ocr/label-strips';
import type { Box, CardDetection, Grid, Layout, NotCardReason, RgbaImage } from './types';

/** Images with a side under this many pixels are too small to judge. */
const MIN_SIDE = 64;
/** Cards are at most this many times longer than wide (1:6). */
const MAX_ASPECT = 6;
/** Samples taken along a split line; each averages two source lines of its lane. */
const LANES_PER_STRIP = 256;
/** Lanes sampled for the quick look that rules out most lines before the full uniformity test. */
const QUICK_LOOK_LANES = 16;
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
const SEAM_MIN_SHARE = 0.6;
/** Two opposite seams closer than this share of the length (at least 3 px) are a drawn line, a pole or a frame. */
const LINE_MAX_WIDTH_SHARE = 0.02;
/** Up to this share, a band whose two edges step back to the same background is a pole or a frame in the picture. */
const WIDE_LINE_MAX_WIDTH_SHARE = 0.06;
/** An object's two edges (a door jamb, a shelf board) lie at most this share of the length apart. */
const BAND_MAX_WIDTH_SHARE = 0.1;
/**
 * A line up to this many lines wide between two edges, with this share of its lanes in one colour, is a
 * thin gutter that scaling and JPEG blurred (it no longer passes as uniform), not a pole.
 */
const THIN_GUTTER_LINES = 4;
const THIN_GUTTER_SHARE = 0.9;
/** A band's flat line: this share of the lanes within this per-channel distance of its colour. */
const FLAT_BAND_SHARE = 0.9;
const FLAT_BAND_TOLERANCE = 8;
/** Mean luma change per line (0-255) under which a lane is smooth inside a band... */
const SMOOTH_STEP = 3;
/** ...and the share of smooth lanes that makes a band one painted object rather than picture content. */
const SMOOTH_BAND_SHARE = 0.75;
/** The far edge of a drawn line needs only this share of lanes voting for it. */
const LINE_PARTNER_SHARE = 0.3;
/** Share of lanes whose steps must have opposite signs for two seams to bound one line. */
const LINE_OPPOSITE_SHARE = 0.7;
/** Share of lanes next to a gutter that must differ from it: a gutter separates, a margin fades out. */
const GUTTER_EDGE_CONTRAST = 0.3;
/**
 * A uniform run at least this many lines wide whose luma drifts by more than this many levels from
 * one end of its length to the other is shaded. Measured on the bench: gutters drift at most 5
 * levels (median of each end's quarter of lanes); painted door jambs and shelf boards 9-20.
 */
const SHADED_BAND_MIN_LINES = 4;
const SHADED_BAND_DRIFT = 8;
/** Lines past a uniform run searched for the edge that makes it a frame or gutter. */
const EDGE_LOOKAHEAD = 3;
/** Share of lanes, and luma slack, for a short uniform run to step from its neighbour on one side to the other's. */
const BLEND_LANE_SHARE = 0.9;
const BLEND_TOLERANCE = 2;
/** Smeared lines at the end of a uniform run counted as part of it (resampling blur)... */
const BLURRED_EDGE_LINES = 2;
/**
 * ...and, past those, lines of JPEG ringing: nearly all lanes still close to the run colour. A
 * 4:2:0 JPEG smears colour over its 16-pixel blocks, so a flat border can end up to 15 lines
 * before the picture does.
 */
const RINGING_EDGE_LINES = 14;
const RINGING_LANE_SHARE = 0.85;
/** Outer borders and panel margins are trimmed by at most this share of their length per side. */
const MAX_TRIM_SHARE = 0.3;
/** Frames narrower than this are not completed from the other sides (a line of JPEG ringing is no frame). */
const FRAME_MIN_WIDTH = 3;
/** Sides of one frame agree in width within this many lines (scaling rounds each edge its own way). */
const FRAME_WIDTH_SLACK = 2;
/** Share of a frame line's lanes near the frame's colour on a side whose picture begins in about that colour. */
const FRAME_COMPLETE_SHARE = 0.8;
/** Uniform runs trimmed one after another at a side (a frame, the card's margin, a ringing line's far side). */
const MAX_NESTED_RUNS = 3;
/** Per-channel distance from a caption band's colour from which a lane shows glyph ink (JPEG ringing stays under it). */
const CAPTION_INK_CONTRAST = 48;
/** Lines next to a panel's end searched for the colour of a caption band. */
const CAPTION_COLOUR_LINES = 8;
/** Caption band: lines with at least this share of lanes in the band colour are its margin... */
const CAPTION_MARGIN_SHARE = 0.97;
/** ...and lines between this share and the margin share carry its text (glyphs on the band colour). */
const CAPTION_TEXT_SHARE = 0.35;
/** A caption's text lines are at least this many source lines tall... */
const CAPTION_MIN_TEXT_LINES = 4;
/** A line of a band the picture shows through is margin with at most this many runs of far lanes (patches of the picture)... */
const MARGIN_MAX_INK_RUNS = 3;
/** ...and text with at least this many (the strokes of a word or two). */
const TEXT_MIN_INK_RUNS = 6;
/** Margin lines in a row around a text line with ascender or descender lines in it (one margin-like line is a window bar's). */
const TEXT_BAND_MARGIN_LINES = 2;
/** A weak split confirmed by labels: within this share of the length from the card's middle, */
const LABEL_PAIR_REACH = 0.05;
/**
 * ...in this share of the lanes (the label search costs ~45 ms on a large photo: measured on the bench's
 * suites, 17 % of photos have a line of 0.3 there, 9 % of 0.5; the cards it finds have 0.56 or more),
 */
const LABEL_PAIR_MIN_STRENGTH = 0.5;
/** ...and no label's text within this share of the length of it. */
const LABEL_PAIR_GAP = 0.02;
/** ...the two labels' lines or glyphs' median heights within this ratio, */
const LABEL_PAIR_LINE_RATIO = 1.3;
/** ...neither under this many pixels tall, */
const LABEL_PAIR_MIN_LINE = 8;
/** ...with this many glyphs between them. */
const LABEL_PAIR_MIN_GLYPHS = 4;
/** ...and their total is at most this share of the panel's length. */
const CAPTION_MAX_TEXT_SHARE = 0.2;
/**
 * A caption's margin is flat: in at least one of its lines, CAPTION_FLAT_SHARE of the lanes lie
 * within this per-channel distance of the band colour (JPEG ringing from the glyphs and the
 * picture's edge spoils the others). A translucent bar over the picture lets the picture show
 * through, its lanes wander, and it belongs to the picture.
 */
const CAPTION_FLAT_TOLERANCE = 8;
const CAPTION_FLAT_SHARE = 0.75;

/**
 * A glyph line: of its lanes near the band colour (within CAPTION_INK_CONTRAST), at least this share
 * lie within 2 x UNIFORM_TOLERANCE of it (the band between glyphs; the rest is their antialiased rims).
 */
const GLYPH_LINE_CLOSE_SHARE = 0.8;
/**
 * ...and of those, at least this share within UNIFORM_TOLERANCE: the band itself, one flat colour
 * (JPEG shifts it a little), where a picture near its colour (a navy suit under a dark grey margin) varies.
 */
const GLYPH_LINE_EXACT_SHARE = 0.5;
/** Lines next to a picture that JPEG ringing (one 8-line block) may tie to it. */
const RINGING_BLOCK_LINES = 8;
/**
 * A band shows the picture under it when the median luma step between its neighbouring lanes is at
 * least this (texture; measured on the bench: opaque bars and captions 0-0.37, translucent bars
 * over texture 0.5-3)...
 */
const SHOW_THROUGH_TEXTURE = 0.5;
/**
 * ...or when, over a smooth stretch of picture, its lanes follow the picture past it: correlation
 * at least this (translucent 0.63-0.88, opaque at most 0.53), with a standard deviation about their
 * trend of at least SHOW_THROUGH_MIN_STD (opaque bars vary by JPEG noise only).
 */
const SHOW_THROUGH_CORRELATION = 0.6;
const SHOW_THROUGH_MIN_STD = 1;
/** Bands of two panels at one end, one opaque and one see-through, are one style of bar within this length ratio. */
const SEE_THROUGH_BAND_LENGTH_RATIO = 1.5;
/** ...and the see-through one was judged so on at least this many of its margin lines. */
const SEE_THROUGH_MIN_MARGIN_LINES = 3;
/** A band another panel trimmed as a caption is on this panel's picture where this share of its lines are of its colour. */
const SAME_BAR_LINE_SHARE = 0.8;
/** ...and its first lines are of its colour in this share of the lanes. */
const SAME_BAR_EDGE_SHARE = 0.75;

/** A caption band at one end of a panel: its length in lines, and whether its margin is flat (opaque). */
interface CaptionBand {
  lines: number;
  flat: boolean;
  /**
   * Not flat beyond doubt: no line of its margin is flat, or the picture shows through at least
   * SEE_THROUGH_MIN_MARGIN_LINES of its margin lines (one line next to its glyphs may show their ringing).
   */
  clearlySeeThrough: boolean;
}

/**
 * Seam strength over the whole length below which the halves are not searched for a second split:
 * a line both halves vote for at SEAM_MIN_SHARE gets at least this from all lanes, less a gutter's.
 */
const GRID_HALVES_MIN_STRENGTH = 0.5;
/** Correlation, lane by lane, from which two halves beside a line show one scene. */
const SAME_SCENE_CORRELATION = 0.5;

/** Luma difference (0-255) between neighbouring strip cells of a flat field. */
const FLAT_STEP = 1.5;
/** Columns between the cells sampled for the flat share. */
const FLAT_SAMPLE_STEP = 4;
/**
 * A panel with this share of flat cells is a graphic (UI, text, flat fills); one under the
 * second share holds a picture. Measured: photos and renders 0.05-0.5, app UI 0.84-0.97.
 */
const GRAPHIC_FLAT_SHARE = 0.75;
const PICTURE_FLAT_SHARE = 0.6;
/** Largest second difference (luma, 0-255) of a smooth field's cells: a gradient (a sky) is smooth, not flat. */
const FIELD_CURVE_STEP = 4;
/**
 * A panel with this share of smooth cells is one smooth field (a sky, a backdrop, nothing drawn
 * in it); one under the second share holds detail. Measured (13 bench suites): the sky above a
 * horizon 0.985-1, card panels at most 0.92 (app UI, a blurred close-up); the ground under a
 * horizon 0.05-0.84.
 */
const SMOOTH_FIELD_SHARE = 0.97;
const DETAILED_SMOOTH_SHARE = 0.9;

/**
 * Pixels averaged along one axis. `positions` runs across split lines (columns for the
 * column strip), `lanes` along them; the layouts of luma and colours differ (below).
 */
export interface Strip {
  positions: number;
  lanes: number;
  /** Source pixels per lane (the last lane may hold fewer). */
  laneSize: number;
  /** Source extent along the lanes, to map lanes back to pixels. */
  laneExtent: number;
  /**
   * Colours line by line (`rgb[(position * lanes + lane) * 3 + channel]`): the colour tests read a
   * line's lanes together. Where `pending` is set, a line's are filled on its first read.
   */
  rgb: Float32Array;
  /** Lane-major (`luma[lane * positions + position]`): the seam profile reads a lane's lines together. */
  luma: Float32Array;
  /** Absent where every cell's colour is filled. */
  pending?: PendingColours;
}

/** What filling a strip's colours line by line needs, and which lines are filled. */
interface PendingColours {
  rgba: Uint8ClampedArray;
  /** Byte step in the image from one line of the strip to the next. */
  lineStride: number;
  /** Per lane, the byte offsets of its two source lines' pixels for line 0. */
  sampleOffsets: Int32Array;
  /** 1 for each line whose colours are filled. */
  filled: Uint8Array;
}

/** A span of lanes [from, to) that a measurement is restricted to. */
export interface LaneRange {
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
  const vertical = chooseSplits(columns, card.left, card.right, cardRowLanes);
  const horizontal = chooseSplits(rows, card.top, card.bottom, cardColumnLanes);
  const verticalSplits = [...vertical.splits];
  const horizontalSplits = [...horizontal.splits];

  // Two pictures that meet where their content continues (a dark suit beside a dark suit) leave a weak
  // seam; a label on each, side by side, tells it is one.
  if (verticalSplits.length === 0 && horizontalSplits.length === 0) {
    const between =
      splitBetweenLabels(img, card, 'side-by-side', vertical.profile) ?? splitBetweenLabels(img, card, 'stacked', horizontal.profile);
    if (between?.layout === 'side-by-side') verticalSplits.push(between.split);
    else if (between) horizontalSplits.push(between.split);
  }
  const grid: Grid = { rows: horizontalSplits.length + 1, cols: verticalSplits.length + 1 };
  const found = [...verticalSplits, ...horizontalSplits];
  if (found.length === 0) {
    return notCard('no-split', confidenceBelow(Math.max(vertical.strongestSeam, horizontal.strongestSeam)));
  }
  const splitConfidence = Math.min(...found.map((split) => confidenceAbove(split.strength)));
  if (found.length > 1) return { ...notCard('grid', splitConfidence), grid };

  const [split] = found;
  if (!split) return notCard('no-split', 1);
  const layout: Layout = verticalSplits.length === 1 ? 'side-by-side' : 'stacked';
  const halves: [LaneRange, LaneRange] =
    layout === 'side-by-side'
      ? [lanesInside(rows, card.left, split.start), lanesInside(rows, split.end, card.right)]
      : [lanesInside(columns, card.top, split.start), lanesInside(columns, split.end, card.bottom)];
  // Both halves voting for one line makes the whole length vote for it too, so most cards skip the halves' profiles.
  const across = layout === 'side-by-side' ? horizontal : vertical;
  const halvesMayBeSplit = across.strongestSeam >= GRID_HALVES_MIN_STRENGTH;
  if (halvesMayBeSplit && (layout === 'side-by-side' ? splitInBothHalves(rows, card.top, card.bottom, halves) : splitInBothHalves(columns, card.left, card.right, halves))) {
    return { ...notCard('grid', splitConfidence), grid: { rows: 2, cols: 2 } };
  }
  const panels = panelBoxes(layout, split, card, columns, rows);
  // A flat graphic beside a picture is a page's layout (an app's side bar beside a post's photo), and
  // one smooth field beside detail is a sky above a horizon: not two renders of one prompt, which are
  // of one kind, both pictures or both graphics.
  const fields = panels.map((panel) => fieldShares(columns, panel));
  const flatShares = fields.map((field) => field.flat);
  const smoothShares = fields.map((field) => field.smooth);
  const graphicBesidePicture = Math.max(...flatShares) >= GRAPHIC_FLAT_SHARE && Math.min(...flatShares) < PICTURE_FLAT_SHARE;
  const skyBesideGround = Math.max(...smoothShares) >= SMOOTH_FIELD_SHARE && Math.min(...smoothShares) < DETAILED_SMOOTH_SHARE;
  if (graphicBesidePicture || skyBesideGround) {
    const apart = Math.max(Math.max(...flatShares) - Math.min(...flatShares), Math.max(...smoothShares) - Math.min(...smoothShares));
    return notCard('no-split', 0.5 + 0.5 * clamp(apart, 0, 1));
  }
  return { isComparison: true, layout, confidence: splitConfidence, grid, panels, reason: null };
}

/**
 * Shares of a panel's strip cells (every few columns, every other lane) that sit in a flat field
 * (luma within FLAT_STEP of the next two columns and of the next lane) and in a smooth one (second
 * differences along the columns and across the lanes within FIELD_CURVE_STEP: a gradient is smooth).
 */
function fieldShares(columns: Strip, [left, top, width, height]: Box): { flat: number; smooth: number } {
  const lanes = lanesInside(columns, top, top + height);
  const { luma, positions } = columns;
  let flat = 0;
  let smooth = 0;
  let cells = 0;
  for (let lane = lanes.from; lane + 1 < lanes.to; lane += 2) {
    const row = lane * positions;
    // The lane after next, for the second difference across lanes; the last pair has none and reads the next lane again.
    const farRow = lane + 2 < lanes.to ? row + 2 * positions : row + positions;
    for (let x = left; x + 2 < left + width; x += FLAT_SAMPLE_STEP) {
      const value = luma[row + x] ?? 0;
      const next = luma[row + x + 1] ?? 0;
      const afterNext = luma[row + x + 2] ?? 0;
      const nextLane = luma[row + positions + x] ?? 0;
      cells++;
      if (Math.abs(next - value) <= FLAT_STEP && Math.abs(afterNext - value) <= FLAT_STEP && Math.abs(nextLane - value) <= FLAT_STEP) flat++;
      const farLane = luma[farRow + x] ?? 0;
      if (Math.abs(afterNext - 2 * next + value) <= FIELD_CURVE_STEP && Math.abs(farLane - 2 * nextLane + value) <= FIELD_CURVE_STEP) smooth++;
    }
  }
  return cells === 0 ? { flat: 0, smooth: 0 } : { flat: flat / cells, smooth: smooth / cells };
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

/**
 * Strip cells (both strips together) whose buffers are kept for the next image: allocating and
 * zero-filling megabytes per image cost more than reading the image. 2^20 cells are 16 MB and
 * cover images up to 4096 px wide plus tall; larger ones get buffers of their own.
 */
const KEPT_STRIP_CELLS = 1 << 20;
let keptRgb = new Float32Array(0);
let keptLuma = new Float32Array(0);
let keptFilled = new Uint8Array(0);

/**
 * Builds the column strip (all columns, row lanes) and the row strip (all rows, column lanes).
 * Each lane averages two lines spread across it rather than all of them: enough to see a
 * split, and it reads a fraction of the pixels. Every luma cell is written, so the buffers, kept
 * between calls (detection is synchronous), need no clearing; the colours, which the tests read on
 * a few lines only, are filled a line at a time when first read (and the filled marks cleared here).
 */
export function buildStrips(img: RgbaImage): { columns: Strip; rows: Strip } {
  const { width, height, data } = img;
  const columnLaneSize = Math.ceil(height / LANES_PER_STRIP);
  const rowLaneSize = Math.ceil(width / LANES_PER_STRIP);
  const columnCells = width * Math.ceil(height / columnLaneSize);
  const rowCells = height * Math.ceil(width / rowLaneSize);
  const cells = columnCells + rowCells;
  let rgb = keptRgb;
  let luma = keptLuma;
  if (luma.length < cells) {
    rgb = new Float32Array(cells * 3);
    luma = new Float32Array(cells);
    if (cells <= KEPT_STRIP_CELLS) {
      keptRgb = rgb;
      keptLuma = luma;
    }
  }
  let filled = keptFilled;
  if (filled.length < width + height) {
    filled = new Uint8Array(width + height);
    if (cells <= KEPT_STRIP_CELLS) keptFilled = filled;
  }
  filled.fill(0, 0, width + height);
  const columns = stripOver(width, height, columnLaneSize, rgb.subarray(0, columnCells * 3), luma.subarray(0, columnCells));
  const rows = stripOver(height, width, rowLaneSize, rgb.subarray(columnCells * 3, cells * 3), luma.subarray(columnCells, cells));
  columns.pending = pendingColours(columns, data, 4, width * 4, filled.subarray(0, width));
  rows.pending = pendingColours(rows, data, width * 4, 4, filled.subarray(width, width + height));
  const pixels = pixelWords(data);
  // Column strip: each lane reads two whole source rows, front to back.
  for (let lane = 0; lane < columns.lanes; lane++) {
    const [firstRow, secondRow] = laneSamples(columns, lane);
    const cell = lane * width;
    if (pixels) fillLumaFromWords(columns.luma, cell, cell + width, pixels, firstRow * width, secondRow * width, 1);
    else fillLuma(columns, cell, cell + width, data, firstRow * width * 4, secondRow * width * 4, 4);
  }
  // Row strip: each lane reads two source columns, top to bottom. (Filling the lanes together in
  // blocks of rows measured no faster on images up to 1400 px wide.)
  for (let lane = 0; lane < rows.lanes; lane++) {
    const [firstColumn, secondColumn] = laneSamples(rows, lane);
    const cell = lane * height;
    if (pixels) fillLumaFromWords(rows.luma, cell, cell + height, pixels, firstColumn, secondColumn, width);
    else fillLuma(rows, cell, cell + height, data, firstColumn * 4, secondColumn * 4, width * 4);
  }
  return { columns, rows };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * The pixels as one 32-bit word each (red in the low byte), where the buffer allows that view.
 * Signed: an opaque pixel's word then fits V8's small integers, which its lower tiers (the worker's
 * first images) read without allocating a number per pixel, as they would for a word over 2^31.
 */
function pixelWords(rgba: Uint8ClampedArray): Int32Array | null {
  if (!LITTLE_ENDIAN || rgba.byteOffset % 4 !== 0 || rgba.byteLength % 4 !== 0) return null;
  return new Int32Array(rgba.buffer, rgba.byteOffset, rgba.byteLength / 4);
}

/**
 * `fillLuma` reading one word per pixel (indices, not byte offsets): two loads instead of six, and
 * red and blue of both pixels summed at once (each sum fits in its 16 bits). The same sums, so the same luma.
 */
function fillLumaFromWords(luma: Float32Array, from: number, to: number, pixels: Int32Array, firstPixel: number, secondPixel: number, pixelStride: number): void {
  let first = firstPixel;
  let second = secondPixel;
  for (let cell = from; cell < to; cell++, first += pixelStride, second += pixelStride) {
    const a = pixels[first] as number;
    const b = pixels[second] as number;
    const redBlue = (a & 0xff00ff) + (b & 0xff00ff);
    const green = ((a >> 8) & 0xff) + ((b >> 8) & 0xff);
    luma[cell] = lumaOf((redBlue & 0xffff) * 0.5, green * 0.5, (redBlue >> 16) * 0.5);
  }
}

/** The strip's two source lines per lane as byte offsets (at line 0), and no line's colours filled yet. */
function pendingColours(strip: Strip, rgba: Uint8ClampedArray, lineStride: number, sampleStride: number, filled: Uint8Array): PendingColours {
  const sampleOffsets = new Int32Array(2 * strip.lanes);
  for (let lane = 0; lane < strip.lanes; lane++) {
    const [first, second] = laneSamples(strip, lane);
    sampleOffsets[2 * lane] = first * sampleStride;
    sampleOffsets[2 * lane + 1] = second * sampleStride;
  }
  return { rgba, lineStride, sampleOffsets, filled };
}

/**
 * Fills the colours of line `position` (0 to positions - 1) as `buildStrips` would have filled them
 * up front. Every reader of `strip.rgb` calls it for its line first. (Filling 16 neighbouring
 * columns at once, which share the image's cache lines, measured slower: the lines read are scattered.)
 */
export function fillLineColours(strip: Strip, position: number): void {
  const pending = strip.pending;
  if (!pending || pending.filled[position] === 1) return;
  pending.filled[position] = 1;
  const { rgba, sampleOffsets } = pending;
  const rgb = strip.rgb;
  const base = position * pending.lineStride;
  for (let lane = 0, offset = position * strip.lanes * 3; lane < strip.lanes; lane++, offset += 3) {
    const first = base + (sampleOffsets[2 * lane] as number);
    const second = base + (sampleOffsets[2 * lane + 1] as number);
    rgb[offset] = ((rgba[first] as number) + (rgba[second] as number)) * 0.5;
    rgb[offset + 1] = ((rgba[first + 1] as number) + (rgba[second + 1] as number)) * 0.5;
    rgb[offset + 2] = ((rgba[first + 2] as number) + (rgba[second + 2] as number)) * 0.5;
  }
}

/**
 * Index in `strip.rgb` of the colour of cell `lane * positions + position`, its line filled, or -1
 * for a cell off the strip (it reads as black). Cells are numbered lane by lane, so a position off
 * the strip's ends reads the previous or next lane's end there.
 */
export function colourIndex(strip: Strip, lane: number, position: number): number {
  const { positions, lanes } = strip;
  let line = position;
  let cellLane = lane;
  if (position < 0 || position >= positions || lane < 0 || lane >= lanes) {
    const cell = lane * positions + position;
    if (cell < 0 || cell >= positions * lanes) return -1;
    cellLane = Math.floor(cell / positions);
    line = cell - cellLane * positions;
  }
  fillLineColours(strip, line);
  return (line * lanes + cellLane) * 3;
}

/** A colour channel at an index from `colourIndex` (black off the strip). */
function channelAt(strip: Strip, index: number, channel: number): number {
  return index < 0 ? 0 : (strip.rgb[index + channel] ?? 0);
}

/** The two source lines averaged into `lane`, at its first and third quarter (the same line for a 1-pixel lane). */
function laneSamples(strip: Strip, lane: number): [number, number] {
  const laneStart = lane * strip.laneSize;
  const laneLength = Math.min(strip.laneSize, strip.laneExtent - laneStart);
  return [laneStart + Math.floor(laneLength / 4), laneStart + Math.floor((laneLength * 3) / 4)];
}

/**
 * Averages two source lines (given by the byte offset of their pixel for cell `from`) into the
 * luma of strip cells [from, to) of one lane.
 */
function fillLuma(
  strip: Strip,
  from: number,
  to: number,
  rgba: Uint8ClampedArray,
  firstPixel: number,
  secondPixel: number,
  pixelStride: number,
): void {
  // Both source lines lie inside the image (a lane's samples are among its own lines), so every read does.
  const { luma } = strip;
  let first = firstPixel;
  let second = secondPixel;
  for (let cell = from; cell < to; cell++, first += pixelStride, second += pixelStride) {
    const red = ((rgba[first] as number) + (rgba[second] as number)) * 0.5;
    const green = ((rgba[first + 1] as number) + (rgba[second + 1] as number)) * 0.5;
    const blue = ((rgba[first + 2] as number) + (rgba[second + 2] as number)) * 0.5;
    luma[cell] = lumaOf(red, green, blue);
  }
}

function stripOver(positions: number, laneExtent: number, laneSize: number, rgb: Float32Array, luma: Float32Array): Strip {
  return { positions, lanes: Math.ceil(laneExtent / laneSize), laneSize, laneExtent, rgb, luma };
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
  const luma = strip.luma;
  for (let cell = 0; cell < luma.length; cell++) {
    const value = luma[cell] as number;
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
  const share = lanesNear(strip, position, lanes, red, green, blue, UNIFORM_TOLERANCE) / laneCount;
  return { uniform: share >= UNIFORM_LANE_SHARE, share, red, green, blue };
}

export function meanColour(
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
  const rgb = strip.rgb;
  if (lanes.to > lanes.from && position >= 0 && position < strip.positions && lanes.from >= 0 && lanes.to <= strip.lanes) {
    // A line of the strip: its lanes' colours lie side by side; the same sums in the same order (as in `lanesNear`).
    fillLineColours(strip, position);
    const [aroundRed, aroundGreen, aroundBlue] = around ?? [0, 0, 0];
    const end = 3 * (position * strip.lanes + lanes.to);
    for (let offset = 3 * (position * strip.lanes + lanes.from); offset < end; offset += 3) {
      const cellRed = rgb[offset] as number;
      const cellGreen = rgb[offset + 1] as number;
      const cellBlue = rgb[offset + 2] as number;
      if (around && !(Math.abs(cellRed - aroundRed) <= radius && Math.abs(cellGreen - aroundGreen) <= radius && Math.abs(cellBlue - aroundBlue) <= radius)) continue;
      red += cellRed;
      green += cellGreen;
      blue += cellBlue;
      count++;
    }
  } else {
    for (let lane = lanes.from; lane < lanes.to; lane++) {
      const index = colourIndex(strip, lane, position);
      if (around && colourDistance(strip, index, around[0], around[1], around[2]) > radius) continue;
      red += channelAt(strip, index, 0);
      green += channelAt(strip, index, 1);
      blue += channelAt(strip, index, 2);
      count++;
    }
  }
  if (count === 0) return around ?? [0, 0, 0];
  return [red / count, green / count, blue / count];
}

/**
 * How many lanes of the line at `position` lie within `tolerance` of a colour in every channel
 * (`colourDistance` at most `tolerance`). On a line of the strip, as all but a line off its ends
 * are, the loop reads the channels directly; otherwise (see `colourIndex`) it takes the plain path.
 */
export function lanesNear(strip: Strip, position: number, lanes: LaneRange, red: number, green: number, blue: number, tolerance: number): number {
  const rgb = strip.rgb;
  let near = 0;
  if (lanes.to <= lanes.from) return 0;
  if (position < 0 || position >= strip.positions || lanes.from < 0 || lanes.to > strip.lanes) {
    for (let lane = lanes.from; lane < lanes.to; lane++) {
      if (colourDistance(strip, colourIndex(strip, lane, position), red, green, blue) <= tolerance) near++;
    }
    return near;
  }
  fillLineColours(strip, position);
  const end = 3 * (position * strip.lanes + lanes.to);
  for (let offset = 3 * (position * strip.lanes + lanes.from); offset < end; offset += 3) {
    if (
      Math.abs((rgb[offset] as number) - red) <= tolerance &&
      Math.abs((rgb[offset + 1] as number) - green) <= tolerance &&
      Math.abs((rgb[offset + 2] as number) - blue) <= tolerance
    ) {
      near++;
    }
  }
  return near;
}

/** Largest per-channel difference between a strip cell (its `colourIndex`) and a colour. */
function colourDistance(strip: Strip, index: number, red: number, green: number, blue: number): number {
  return Math.max(Math.abs(channelAt(strip, index, 0) - red), Math.abs(channelAt(strip, index, 1) - green), Math.abs(channelAt(strip, index, 2) - blue));
}

function sameColour(a: LineColour, b: LineColour): boolean {
  return colourGap(a, b) <= UNIFORM_TOLERANCE;
}

/** Largest per-channel difference between two line colours. */
function colourGap(a: LineColour, b: LineColour): number {
  return Math.max(Math.abs(a.red - b.red), Math.abs(a.green - b.green), Math.abs(a.blue - b.blue));
}

/**
 * Moves `from` and `to` inwards past uniform lines of one colour that end in a clear edge (a
 * frame or margin, not a sky fading into the picture), by at most MAX_TRIM_SHARE per side.
 */
function trimUniformBorder(strip: Strip, from: number, to: number, lanes: LaneRange): [number, number] {
  const maxTrim = Math.floor((to - from) * MAX_TRIM_SHARE);
  const trimmedStart = nestedRunsLength(strip, from, 1, maxTrim, lanes);
  const trimmedEnd = nestedRunsLength(strip, to - 1, -1, maxTrim, lanes);
  return [from + trimmedStart, to - trimmedEnd];
}

/**
 * Lines from `start` in uniform runs that follow one another, each ending in an edge: the blend
 * that resampling leaves where a frame met the card's margin (a line or two of neither colour,
 * and the filter's overshoot past it), then the margin beside a narrower panel. Up to
 * BLURRED_EDGE_LINES lines may lie between two runs; only a run of blend size may be followed by
 * another (past a margin comes the picture, however flat its edge).
 */
function nestedRunsLength(strip: Strip, start: number, direction: 1 | -1, limit: number, lanes: LaneRange): number {
  let length = 0;
  for (let runs = 0; runs < MAX_NESTED_RUNS; runs++) {
    let next = 0;
    for (let skipped = 0; skipped <= BLURRED_EDGE_LINES && next === 0; skipped++) {
      // Lines skipped ahead of the first run are the blend of a frame trimmed before: uniform, of neither colour.
      if (skipped > 0 && length === 0 && !lineColour(strip, start + direction * (skipped - 1), lanes).uniform) break;
      const first = start + direction * (length + skipped);
      if (length + skipped >= limit || first < 0 || first >= strip.positions) break;
      const run = uniformRunLength(strip, first, direction, limit - length - skipped, lanes);
      if (run > 0) next = skipped + run;
    }
    length += next;
    if (next === 0 || next > BLURRED_EDGE_LINES + 1) break;
  }
  return length;
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
  length += blurredEdgeLines(strip, start + direction * (length - 1), direction, first, lanes);
  return endsInEdge(strip, start + direction * (length - 1), direction, first, lanes) ? length : 0;
}

/**
 * Lines past the end of a uniform run that JPEG ringing or resampling smeared: most of their
 * lanes still lie near the run colour. At most BLURRED_EDGE_LINES of them.
 */
function blurredEdgeLines(strip: Strip, lastInRun: number, direction: 1 | -1, colour: LineColour, lanes: LaneRange): number {
  let count = 0;
  while (count < BLURRED_EDGE_LINES + RINGING_EDGE_LINES) {
    const position = lastInRun + direction * (count + 1);
    if (position < 0 || position >= strip.positions) break;
    const ringing = 1 - edgeContrast(strip, position, colour, lanes, 2.5 * UNIFORM_TOLERANCE) >= RINGING_LANE_SHARE;
    if (!ringing && (count >= BLURRED_EDGE_LINES || 1 - edgeContrast(strip, position, colour, lanes, 3 * UNIFORM_TOLERANCE) < 0.5)) break;
    count++;
  }
  return count;
}

/** Whether a uniform run is followed, within a few lines, by a clear change of colour. */
function endsInEdge(strip: Strip, lastInRun: number, direction: 1 | -1, colour: LineColour, lanes: LaneRange): boolean {
  for (let lookahead = 1; lookahead <= EDGE_LOOKAHEAD; lookahead++) {
    const position = lastInRun + direction * lookahead;
    if (position < 0 || position >= strip.positions) return false;
    if (edgeContrast(strip, position, colour, lanes) >= GUTTER_EDGE_CONTRAST) return true;
  }
  return false;
}

interface CardArea {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** The card without its outer frame: rows first (frames span the full width), then columns. */
function trimCard(columns: Strip, rows: Strip): CardArea {
  const rowLanes = { from: 0, to: rows.lanes };
  let [top, bottom] = trimUniformBorder(rows, 0, rows.positions, rowLanes);
  let [left, right] = trimUniformBorder(columns, 0, columns.positions, lanesInside(columns, top, bottom));
  const sides = (): FrameSide[] => [
    { strip: rows, edge: 0, direction: 1, width: top, lanes: rowLanes },
    { strip: rows, edge: rows.positions - 1, direction: -1, width: rows.positions - bottom, lanes: rowLanes },
    { strip: columns, edge: 0, direction: 1, width: left, lanes: lanesInside(columns, top, bottom) },
    { strip: columns, edge: columns.positions - 1, direction: -1, width: columns.positions - right, lanes: lanesInside(columns, top, bottom) },
  ];
  const [completedTop, completedBottom] = completeFrame(sides());
  if (completedTop !== top || completedBottom !== rows.positions - bottom) {
    // The frame's rows are off the card: read its columns again without them.
    top = completedTop;
    bottom = rows.positions - completedBottom;
    [left, right] = trimUniformBorder(columns, 0, columns.positions, lanesInside(columns, top, bottom));
  }
  const widths = completeFrame(sides());
  return { left: widths[2], right: columns.positions - widths[3], top, bottom };
}

interface FrameSide {
  strip: Strip;
  /** The card's outermost line on this side, and the step inwards. */
  edge: number;
  direction: 1 | -1;
  /** Lines trimmed as border on this side. */
  width: number;
  lanes: LaneRange;
}

/**
 * A card's outer frame has one width and one colour all round. Where at least two sides were trimmed
 * by one width (within FRAME_WIDTH_SLACK lines) in one colour, a side trimmed less whose lines up to
 * that width still lie near that colour in FRAME_COMPLETE_SHARE of their lanes is framed as well: its
 * picture begins with about the frame's colour (a dark coat beside a #1e1e1e frame, a sky beside a
 * light one), so no clear edge ended its run, or JPEG smeared a narrow frame's colour past uniform.
 */
function completeFrame(sides: readonly FrameSide[]): [number, number, number, number] {
  const widths = sides.map((side) => side.width) as [number, number, number, number];
  const colours = sides.map((side) => (side.width > 0 ? lineColour(side.strip, side.edge, side.lanes) : null));
  sides.forEach((side, index) => {
    const others = sides.map((_, other) => other).filter((other) => other !== index && (widths[other] ?? 0) >= FRAME_MIN_WIDTH);
    for (const first of others) {
      const width = widths[first] ?? 0;
      const colour = colours[first];
      if (!colour || side.width >= width - FRAME_WIDTH_SLACK) continue;
      const agreeing = others.filter((other) => Math.abs((widths[other] ?? 0) - width) <= FRAME_WIDTH_SLACK && colours[other] && sameColour(colour, colours[other] as LineColour));
      if (agreeing.length < 2) continue;
      const laneCount = Math.max(1, side.lanes.to - side.lanes.from);
      let framed = true;
      for (let offset = 0; offset < width - FRAME_WIDTH_SLACK && framed; offset++) {
        framed = lanesNear(side.strip, side.edge + side.direction * offset, side.lanes, colour.red, colour.green, colour.blue, 2 * UNIFORM_TOLERANCE) >= FRAME_COMPLETE_SHARE * laneCount;
      }
      if (framed) {
        widths[index] = Math.min(...agreeing.map((other) => widths[other] ?? 0));
        return;
      }
    }
  });
  return widths;
}

/**
 * Uniformity of the lines in [from, to), memoised. A quick look at a few evenly spaced lanes
 * rules out most content lines without the full (cache-unfriendly) walk along every lane.
 */
function uniformLineReader(strip: Strip, from: number, to: number, lanes: LaneRange): (position: number) => LineColour {
  const possiblyUniform = quickLookUniform(strip, from, to, lanes);
  const cache = new Map<number, LineColour>();
  return (position) => {
    if (position >= from && position < to && possiblyUniform[position - from] === 0) return NOT_UNIFORM;
    let colour = cache.get(position);
    if (!colour) {
      colour = lineColour(strip, position, lanes);
      cache.set(position, colour);
    }
    return colour;
  };
}

const NOT_UNIFORM: LineColour = { uniform: false, share: 0, red: 0, green: 0, blue: 0 };

/**
 * 1 for lines whose sampled lanes agree in luma once the most extreme eighth on each side is
 * set aside; a uniform line's lanes are all within the tolerance of one colour, so its luma too.
 */
export function quickLookUniform(strip: Strip, from: number, to: number, lanes: LaneRange, maxSpread = 2 * UNIFORM_TOLERANCE): Uint8Array {
  const laneCount = Math.max(0, lanes.to - lanes.from);
  const sampleCount = Math.min(QUICK_LOOK_LANES, laneCount);
  const lineCount = Math.max(0, to - from);
  const sampleStarts = new Int32Array(sampleCount);
  for (let sample = 0; sample < sampleCount; sample++) {
    const lane = lanes.from + Math.floor(((sample + 0.5) * laneCount) / sampleCount);
    sampleStarts[sample] = lane * strip.positions + from;
  }
  const setAside = Math.floor(sampleCount / 8);
  const possiblyUniform = new Uint8Array(lineCount);
  // One line's samples, kept sorted by insertion: a handful of values, no sort call per line.
  const values = new Float32Array(sampleCount);
  const { luma } = strip;
  for (let line = 0; line < lineCount; line++) {
    for (let sample = 0; sample < sampleCount; sample++) {
      const value = luma[(sampleStarts[sample] ?? 0) + line] ?? 0;
      let slot = sample;
      for (; slot > 0 && (values[slot - 1] ?? 0) > value; slot--) values[slot] = values[slot - 1] ?? 0;
      values[slot] = value;
    }
    const spread = (values[sampleCount - 1 - setAside] ?? 0) - (values[setAside] ?? 0);
    possiblyUniform[line] = spread <= maxSpread ? 1 : 0;
  }
  return possiblyUniform;
}

/**
 * Runs of uniform, same-coloured lines whose middle lies in the search band, with content
 * on both sides and a clear change of colour at both edges.
 */
function findGutters(strip: Strip, from: number, to: number, lanes: LaneRange): Split[] {
  const length = to - from;
  const bandStart = from + Math.floor(length * SEARCH_BAND[0]);
  const bandEnd = from + Math.ceil(length * SEARCH_BAND[1]);
  const lineAt = uniformLineReader(strip, from, to, lanes);
  const gutters: Split[] = [];
  let position = bandStart;
  while (position < bandEnd) {
    const colour = lineAt(position);
    if (!colour.uniform) {
      position++;
      continue;
    }
    let start = position;
    let end = position + 1;
    let weakestShare = colour.share;
    const extendsRun = (candidate: number): boolean => {
      const next = lineAt(candidate);
      if (!next.uniform || !sameColour(colour, next)) return false;
      weakestShare = Math.min(weakestShare, next.share);
      return true;
    };
    // A caption printed in the gutter (a label under the upper picture) interrupts the run: bridge it
    // when the gutter's colour resumes after a text-sized stretch.
    const captionLimit = Math.max(CAPTION_MIN_TEXT_LINES, Math.floor(length * CAPTION_MAX_TEXT_SHARE));
    const bridgeCaption = (edge: number, direction: 1 | -1): number => {
      for (let offset = 0; offset < captionLimit; offset++) {
        const candidate = edge + direction * offset;
        if (candidate < from || candidate >= to) return 0;
        const next = lineAt(candidate);
        if (next.uniform && sameColour(colour, next)) return offset >= CAPTION_MIN_TEXT_LINES ? offset : 0;
        if (1 - edgeContrast(strip, candidate, colour, lanes, CAPTION_INK_CONTRAST) < CAPTION_TEXT_SHARE) return 0;
      }
      return 0;
    };
    for (let bridges = 0; bridges < 2; bridges++) {
      while (start > from && extendsRun(start - 1)) start--;
      while (end < to && extendsRun(end)) end++;
      const before = start > from ? bridgeCaption(start - 1, -1) : 0;
      const after = end < to ? bridgeCaption(end, 1) : 0;
      if (before === 0 && after === 0) break;
      start -= before;
      end += after;
    }
    const runEnd = end;
    const runStart = start;
    start -= blurredEdgeLines(strip, start, -1, colour, lanes);
    end += blurredEdgeLines(strip, end - 1, 1, colour, lanes);
    const middle = (start + end) / 2;
    const inBand = middle >= bandStart && middle <= bandEnd;
    const contentBefore = hasContent(lineAt, from, start);
    const contentAfter = hasContent(lineAt, end, to);
    const separates =
      start > from &&
      end < to &&
      endsInEdge(strip, start, -1, colour, lanes) &&
      endsInEdge(strip, end - 1, 1, colour, lanes);
    // A band wide enough to hold clean lines that grows lighter or darker along its length is lit, so
    // a painted object in a photo (a door jamb, a shelf board), not a gutter laid down in one colour.
    // So is one whose lines grow lighter or darker from one side to the other: lit from one side, it is
    // round (a jamb, a post); a gutter's clean lines are one colour across its width. Read on the run's
    // inner half (half the drift), out of reach of the blur and JPEG ringing beside a dark picture.
    const quarter = Math.floor((runEnd - runStart) / 4);
    const shaded =
      runEnd - runStart >= SHADED_BAND_MIN_LINES &&
      (Math.abs(laneDrift(strip, Math.floor((runStart + runEnd) / 2), lanes)) > SHADED_BAND_DRIFT ||
        Math.abs(acrossDrift(strip, runStart + quarter, runEnd - 1 - quarter, lanes)) > SHADED_BAND_DRIFT / 2);
    // A gutter is laid down in a colour of its own; a line or two whose every lane steps from the line
    // before them to the line after is the blend resampling leaves where two areas meet (a lit shelf
    // board over the wall behind it), the edge between them.
    const blend = runEnd - runStart <= BLURRED_EDGE_LINES && steppedThrough(strip, runStart, runEnd, lanes);
    if (inBand && contentBefore && contentAfter && separates && !shaded && !blend) {
      gutters.push({ start, end, kind: 'gutter', strength: weakestShare });
    }
    position = runEnd;
  }
  return joinAcrossLabelBars(strip, gutters, lanes, Math.max(CAPTION_MIN_TEXT_LINES, Math.floor(length * CAPTION_MAX_TEXT_SHARE)));
}

/**
 * Whether the lines [first, last) step one way from the line before them to the line after them,
 * across an edge of more than 2 x UNIFORM_TOLERANCE, in BLEND_LANE_SHARE of the lanes (within
 * BLEND_TOLERANCE levels of luma).
 */
function steppedThrough(strip: Strip, first: number, last: number, lanes: LaneRange): boolean {
  if (first < 1 || last >= strip.positions) return false;
  let stepping = 0;
  for (let lane = lanes.from; lane < lanes.to; lane++) {
    const row = lane * strip.positions;
    const before = strip.luma[row + first - 1] ?? 0;
    const after = strip.luma[row + last] ?? 0;
    if (Math.abs(after - before) <= 2 * UNIFORM_TOLERANCE) continue;
    const direction = Math.sign(after - before);
    let previous = before;
    let monotone = true;
    for (let position = first; position <= last && monotone; position++) {
      const value = strip.luma[row + position] ?? 0;
      if (direction * (value - previous) < -BLEND_TOLERANCE) monotone = false;
      previous = value;
    }
    if (monotone) stepping++;
  }
  return stepping >= BLEND_LANE_SHARE * Math.max(1, lanes.to - lanes.from);
}

/**
 * A label bar laid outside a picture, in a stacked card's gutter, with the gutter's colour showing
 * on both sides of it (a gap between the picture and its bar, then the gutter proper), leaves two
 * gutters of one colour: they are one gutter that carries the bar, and the split spans both.
 */
function joinAcrossLabelBars(strip: Strip, gutters: Split[], lanes: LaneRange, limit: number): Split[] {
  if (gutters.length < 2) return gutters;
  const joined: Split[] = [];
  for (const gutter of gutters) {
    const previous = joined[joined.length - 1];
    if (previous && gutter.start - previous.end <= limit && isLabelBarBetween(strip, previous, gutter, lanes)) {
      joined[joined.length - 1] = { start: previous.start, end: gutter.end, kind: 'gutter', strength: Math.min(previous.strength, gutter.strength) };
    } else joined.push(gutter);
  }
  return joined;
}

/**
 * Whether the lines between two gutters of one colour are a label bar: each lane of a line in the
 * gutter's colour or the bar's (its margin), or at least CAPTION_TEXT_SHARE of them so (its text,
 * glyphs on the bar); two or more margin lines and CAPTION_MIN_TEXT_LINES or more text lines. The
 * lines next to either gutter may be blurred.
 */
function isLabelBarBetween(strip: Strip, first: Split, second: Split, lanes: LaneRange): boolean {
  const gutter = lineColour(strip, Math.floor((first.start + first.end) / 2), lanes);
  if (!sameColour(gutter, lineColour(strip, Math.floor((second.start + second.end) / 2), lanes))) return false;
  const laneCount = Math.max(1, lanes.to - lanes.from);
  /** Share of lanes within `tolerance` of the gutter's colour or of `bar`. */
  const inEither = (position: number, bar: LineColour, tolerance: number) => {
    let matching = 0;
    for (let lane = lanes.from; lane < lanes.to; lane++) {
      const index = colourIndex(strip, lane, position);
      if (colourDistance(strip, index, gutter.red, gutter.green, gutter.blue) <= tolerance || colourDistance(strip, index, bar.red, bar.green, bar.blue) <= tolerance) matching++;
    }
    return matching / laneCount;
  };
  const barColourAt = (position: number): LineColour => {
    // The bar's colour: the mean of the line's lanes away from the gutter's colour, re-averaged near itself.
    let [red, green, blue, count] = [0, 0, 0, 0];
    for (let lane = lanes.from; lane < lanes.to; lane++) {
      const index = colourIndex(strip, lane, position);
      if (colourDistance(strip, index, gutter.red, gutter.green, gutter.blue) <= 2 * UNIFORM_TOLERANCE) continue;
      red += channelAt(strip, index, 0);
      green += channelAt(strip, index, 1);
      blue += channelAt(strip, index, 2);
      count++;
    }
    if (count === 0) return gutter;
    [red, green, blue] = meanColour(strip, position, lanes, [red / count, green / count, blue / count], UNIFORM_TOLERANCE * 3);
    return { uniform: false, share: 0, red, green, blue };
  };
  const isMargin = (position: number, bar: LineColour) => inEither(position, bar, UNIFORM_TOLERANCE) >= UNIFORM_LANE_SHARE;
  const firstLine = first.end;
  const lastLine = second.start - 1;
  if (lastLine - firstLine + 1 < CAPTION_MIN_TEXT_LINES + 2) return false;
  const bar = barColourAt(firstLine + BLURRED_EDGE_LINES < lastLine ? firstLine + BLURRED_EDGE_LINES : firstLine);
  if (sameColour(bar, gutter)) return false;
  let textLines = 0;
  let marginLines = 0;
  for (let position = firstLine; position <= lastLine; position++) {
    if (isMargin(position, bar)) marginLines++;
    else if (inEither(position, bar, CAPTION_INK_CONTRAST) >= CAPTION_TEXT_SHARE) textLines++;
    else if (position - firstLine >= BLURRED_EDGE_LINES && lastLine - position >= BLURRED_EDGE_LINES) return false;
  }
  return textLines >= CAPTION_MIN_TEXT_LINES && marginLines >= 2;
}

/** Share of lanes of the line at `position` that differ from `colour` by more than `threshold`. */
function edgeContrast(
  strip: Strip,
  position: number,
  colour: LineColour,
  lanes: LaneRange,
  threshold = 2 * UNIFORM_TOLERANCE,
): number {
  const laneCount = Math.max(0, lanes.to - lanes.from);
  const differing = laneCount - lanesNear(strip, position, lanes, colour.red, colour.green, colour.blue, threshold);
  return differing / Math.max(1, lanes.to - lanes.from);
}

/**
 * How far the luma of the line at `position` drifts along it: the median of its last quarter of
 * lanes less that of its first (medians, so a caption's glyphs in a few lanes do not count).
 */
function laneDrift(strip: Strip, position: number, lanes: LaneRange): number {
  const quarter = Math.max(1, Math.floor((lanes.to - lanes.from) / 4));
  const head: number[] = [];
  const tail: number[] = [];
  for (let lane = 0; lane < quarter; lane++) {
    head.push(strip.luma[(lanes.from + lane) * strip.positions + position] ?? 0);
    tail.push(strip.luma[(lanes.to - 1 - lane) * strip.positions + position] ?? 0);
  }
  return median(tail) - median(head);
}

/** How far the median luma of a run's last line lies from its first's: the run's shading across its width. */
function acrossDrift(strip: Strip, first: number, last: number, lanes: LaneRange): number {
  const lineLumas = (position: number): number[] => {
    const values: number[] = [];
    for (let lane = lanes.from; lane < lanes.to; lane++) values.push(strip.luma[lane * strip.positions + position] ?? 0);
    return values;
  };
  return median(lineLumas(last)) - median(lineLumas(first));
}

function median(values: number[]): number {
  const sorted = values.sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Whether any line in [from, to) is not uniform. */
function hasContent(lineAt: (position: number) => LineColour, from: number, to: number): boolean {
  for (let position = from; position < to; position++) {
    if (!lineAt(position).uniform) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Hard seams

/** Signed luma change from line position-1 to line position in one lane. */
function signedLumaStep(strip: Strip, lane: number, position: number): number {
  const row = lane * strip.positions;
  return (strip.luma[row + position] ?? 0) - (strip.luma[row + position - 1] ?? 0);
}

/** Seam strength of every line in a band: `strengths[i]` is for the boundary before line `start + i`. */
interface SeamProfile {
  start: number;
  strengths: Float32Array;
}

/** The lanes' votes per line, reused from image to image (grown as needed). */
let seamVotes = new Int32Array(0);

/**
 * For each line in the search band, the share of lanes in which the luma step from the line
 * before is clear and dominates the steps around it. Steps right next to it are skipped:
 * resampling or JPEG spreads a seam over two lines. Each lane's steps are taken once, in one pass
 * that keeps the seven around the current line in locals, and read by every line that looks at
 * them; votes are counted as integers and divided once (the same share as counting them in the
 * profile itself). Every read lies inside the strip (the band keeps 4 lines from either end), so
 * none needs a fallback.
 */
export function columnSeamStrength(strip: Strip, from: number, to: number, lanes: LaneRange): SeamProfile {
  const length = to - from;
  const start = Math.max(4, from + Math.floor(length * SEARCH_BAND[0]));
  const end = Math.min(strip.positions - 4, from + Math.ceil(length * SEARCH_BAND[1]));
  const lineCount = Math.max(0, end - start);
  const strengths = new Float32Array(lineCount);
  const luma = strip.luma;
  const positions = strip.positions;
  const laneCount = Math.max(1, lanes.to - lanes.from);
  if (lineCount > 0) {
    if (seamVotes.length < lineCount) seamVotes = new Int32Array(lineCount);
    const votes = seamVotes;
    votes.fill(0, 0, lineCount);
    for (let lane = lanes.from; lane < lanes.to; lane++) {
      // Cell `first + i` is line start - 3 + i; the steps into lines start - 3 to start + 2 come first.
      const first = lane * positions + start - 3;
      let previous = luma[first - 1] as number;
      let value = luma[first] as number;
      let before3 = Math.abs(value - previous);
      previous = value;
      value = luma[first + 1] as number;
      let before2 = Math.abs(value - previous);
      previous = value;
      value = luma[first + 2] as number;
      let before1 = Math.abs(value - previous);
      previous = value;
      value = luma[first + 3] as number;
      let step = Math.abs(value - previous);
      previous = value;
      value = luma[first + 4] as number;
      let after1 = Math.abs(value - previous);
      previous = value;
      value = luma[first + 5] as number;
      let after2 = Math.abs(value - previous);
      previous = value;
      for (let line = 0; line < lineCount; line++) {
        value = luma[first + line + 6] as number;
        const after3 = Math.abs(value - previous);
        previous = value;
        if (step >= SEAM_MIN_STEP && step >= SEAM_DOMINANCE * ((before3 + before2 + after2 + after3) / 4)) votes[line] = (votes[line] as number) + 1;
        before3 = before2;
        before2 = before1;
        before1 = step;
        step = after1;
        after1 = after2;
        after2 = after3;
      }
    }
    for (let index = 0; index < lineCount; index++) strengths[index] = (votes[index] as number) / laneCount;
  }
  return { start, strengths };
}

/**
 * Local maxima of seam strength that reach the acceptance share, less the edges of objects in a
 * picture (a pole, a door frame, a shelf board); a seam that bounds a thin line of one colour with
 * a nearby edge becomes a split across that line (a gutter that JPEG blurred).
 */
function findSeams(strip: Strip, from: number, to: number, lanes: LaneRange, profile: SeamProfile): Split[] {
  const strengthAt = (position: number): number => profile.strengths[position - profile.start] ?? 0;
  const seams: Split[] = [];
  for (let index = 0; index < profile.strengths.length; index++) {
    const position = profile.start + index;
    const strength = strengthAt(position);
    if (strength < SEAM_MIN_SHARE) continue;
    const isPeak =
      strength >= strengthAt(position - 1) &&
      strength >= strengthAt(position - 2) &&
      strength > strengthAt(position + 1) &&
      strength > strengthAt(position + 2);
    if (isPeak) seams.push({ start: position, end: position, kind: 'seam', strength });
  }
  const lineWidth = Math.max(3, Math.round((to - from) * LINE_MAX_WIDTH_SHARE));
  const wideLineWidth = Math.max(3, Math.round((to - from) * WIDE_LINE_MAX_WIDTH_SHARE));
  const bandWidth = Math.max(3, Math.round((to - from) * BAND_MAX_WIDTH_SHARE));
  // The other edge of a line may be weaker than a seam (a pole lit on one side): any clear step pattern counts.
  const partners: number[] = [];
  for (let index = 0; index < profile.strengths.length; index++) {
    const position = profile.start + index;
    const strength = strengthAt(position);
    if (strength >= LINE_PARTNER_SHARE && strength >= strengthAt(position - 1) && strength >= strengthAt(position + 1)) partners.push(position);
  }
  const kept: Split[] = [];
  for (const seam of seams) {
    const near = partners.filter((other) => Math.abs(other - seam.start) >= 2 && Math.abs(other - seam.start) <= bandWidth);
    const bandTo = (other: number): [number, number] => (other < seam.start ? [other, seam.start] : [seam.start, other]);
    // A thin line of one colour (as only a graphic is) between the seam and an edge: a gutter, blurred.
    const thinGutter = near.map(bandTo).find(([first, second]) => thinGutterShare(strip, first, second, lanes) >= THIN_GUTTER_SHARE);
    if (thinGutter) {
      kept.push({ start: thinGutter[0], end: thinGutter[1], kind: 'seam', strength: seam.strength });
      continue;
    }
    const isObjectEdge = near.some((other) => {
      const distance = Math.abs(other - seam.start);
      // A label bar that begins at the seam (a stacked card's lower picture with its bar at the top) has
      // two edges like a board's, but holds text: the seam is the split, the bar is the next panel's.
      const isCaptionFromSeam = () => {
        const band = other > seam.start ? captionBand(strip, seam.start, to, 1, lanes) : captionBand(strip, from, seam.start, -1, lanes);
        return band !== null && Math.abs(band.lines - distance) <= BLURRED_EDGE_LINES;
      };
      const [first, second] = bandTo(other);
      // A band of one colour, as only a graphic is (a caption band between two pictures), is no object.
      const notFlat = () => !isFlatBand(strip, first, second, lanes);
      // A band that holds a line of text (a label bar the picture shows through) is no object either.
      const noText = () =>
        !isCaptionFromSeam() &&
        !holdsTextLine(strip, first, second, lanes) &&
        !holdsTextLine(strip, first, second, lanes, { partialLines: true, marginLines: TEXT_BAND_MARGIN_LINES });
      const fullLength = strengthAt(other) >= SEAM_MIN_SHARE;
      const smooth = smoothLaneShare(strip, first, second, lanes);
      // Two full-length edges around a band that is smooth along each lane: a door jamb, a pole, a shelf board.
      if (fullLength && smooth !== null && smooth >= SMOOTH_BAND_SHARE) return notFlat() && noText();
      if (!boundOneLine(strip, seam.start, other, lanes)) return distance <= wideLineWidth && boundOneLine(strip, seam.start, other, lanes, true) && notFlat() && noText();
      // A narrow line between two seams: a pole or a mortar joint, unless what lies between is a picture's
      // own content (the strip between a label pill and the picture's end) leading to something else.
      const otherIsSeam = seams.some((candidate) => candidate.start === other);
      if (distance <= lineWidth && otherIsSeam && (smooth === null || boundOneLine(strip, seam.start, other, lanes, true))) return notFlat() && noText();
      return distance <= wideLineWidth && boundOneLine(strip, seam.start, other, lanes, true) && notFlat() && noText();
    });
    if (!isObjectEdge) kept.push(seam);
  }
  return kept;
}

/**
 * Whether the band [first, second) between two edges holds a line of text: margin lines (every
 * lane near the line's own colour), then CAPTION_MIN_TEXT_LINES or more lines where some lanes,
 * the glyphs' strokes, stand CAPTION_INK_CONTRAST from it, then margin again. A label bar the
 * picture shows through (translucent, so not flat and no caption band) is such a band; a shelf
 * board or a door jamb, grained or shaded along its length, has no lanes that far from its colour.
 * Lines in between (ascenders or descenders alone: an I, a d, a g) end the text, unless
 * `partialLines` keeps them in it; `marginLines` is how many margin lines in a row a margin needs.
 * findSeams' object test reads it strictly, or with partial lines between margins of
 * TEXT_BAND_MARGIN_LINES (a window's bar over a textured wall has single margin-like lines);
 * labelBarSide, choosing between two edges already taken for a split, with partial lines.
 */
function holdsTextLine(
  strip: Strip,
  first: number,
  second: number,
  lanes: LaneRange,
  { partialLines = false, marginLines = 1, innerOnly = false } = {},
): boolean {
  let marginBefore = false;
  let marginRun = 0;
  let textLines = 0;
  for (let position = first + BLURRED_EDGE_LINES; position < second - BLURRED_EDGE_LINES; position++) {
    const runs = inkRuns(strip, position, lineColour(strip, position, lanes), lanes, innerOnly);
    if (runs <= MARGIN_MAX_INK_RUNS) {
      if (++marginRun < marginLines) continue;
      if (marginBefore && textLines >= CAPTION_MIN_TEXT_LINES) return true;
      marginBefore = true;
      textLines = 0;
      continue;
    }
    marginRun = 0;
    if (runs >= TEXT_MIN_INK_RUNS) {
      if (marginBefore) textLines++;
    } else if (!partialLines) {
      marginBefore = false;
      textLines = 0;
    }
  }
  return false;
}

/**
 * Runs of neighbouring lanes that stand CAPTION_INK_CONTRAST or more from `colour` on one line;
 * with `innerOnly`, runs that reach either end of the lanes (what lies beside a narrower bar) do not count.
 */
function inkRuns(strip: Strip, position: number, colour: LineColour, lanes: LaneRange, innerOnly = false): number {
  let runs = 0;
  let inRun = false;
  let runCounted = false;
  for (let lane = lanes.from; lane < lanes.to; lane++) {
    const ink = colourDistance(strip, colourIndex(strip, lane, position), colour.red, colour.green, colour.blue) > CAPTION_INK_CONTRAST;
    if (ink && !inRun) {
      runCounted = !innerOnly || lane > lanes.from;
      if (runCounted) runs++;
    }
    inRun = ink;
  }
  return innerOnly && inRun && runCounted ? runs - 1 : runs;
}

/**
 * For a thin band [first, second), the largest share of lanes within 2 x UNIFORM_TOLERANCE of one
 * line's colour (0 for a wider band). A gutter, even blurred to two lines by scaling and JPEG,
 * stays one colour (measured 0.95-1.0 on the bench); a pole, a mortar joint or a book's edge in a
 * photo does not (under 0.2).
 */
function thinGutterShare(strip: Strip, first: number, second: number, lanes: LaneRange): number {
  if (second - first > THIN_GUTTER_LINES) return 0;
  let best = 0;
  for (let position = first; position < second; position++) {
    const colour = lineColour(strip, position, lanes);
    best = Math.max(best, 1 - edgeContrast(strip, position, colour, lanes, 2 * UNIFORM_TOLERANCE));
  }
  return best;
}

/**
 * Whether one of the band's inner lines (one line off each end) has FLAT_BAND_SHARE of its lanes
 * within FLAT_BAND_TOLERANCE of its colour. Measured on the bench: caption bands and gutters
 * 0.93-1.0; painted door jambs and shelf boards, shaded and grained, 0.33-0.72.
 */
function isFlatBand(strip: Strip, first: number, second: number, lanes: LaneRange): boolean {
  for (let position = first + 1; position < second - 1; position++) {
    const colour = lineColour(strip, position, lanes);
    if (1 - edgeContrast(strip, position, colour, lanes, FLAT_BAND_TOLERANCE) >= FLAT_BAND_SHARE) return true;
  }
  return false;
}

/**
 * Of the lanes that step at both ends of the band [first, second) (those that see the object, if
 * it is one), the share that is smooth inside it (one line off each end for blur): their luma
 * changes by at most SMOOTH_STEP per line on average beside a steady shading across the band.
 * Null when the band is too narrow to tell or no lane steps at both ends.
 */
function smoothLaneShare(strip: Strip, first: number, second: number, lanes: LaneRange): number | null {
  const inner = first + 2;
  const innerEnd = second - 1;
  if (innerEnd - inner < 3) return null;
  let seeing = 0;
  let smooth = 0;
  for (let lane = lanes.from; lane < lanes.to; lane++) {
    if (Math.abs(signedLumaStep(strip, lane, first)) < SEAM_MIN_STEP || Math.abs(signedLumaStep(strip, lane, second)) < SEAM_MIN_STEP) continue;
    seeing++;
    const row = lane * strip.positions;
    // A round object lit from one side (a mullion, a jamb) grows lighter steadily across its width:
    // that steady shading is no texture, so each step is read against the band's mean step.
    const meanStep = ((strip.luma[row + innerEnd - 1] ?? 0) - (strip.luma[row + inner] ?? 0)) / (innerEnd - inner - 1);
    let change = 0;
    for (let position = inner + 1; position < innerEnd; position++) change += Math.abs((strip.luma[row + position] ?? 0) - (strip.luma[row + position - 1] ?? 0) - meanStep);
    if (change <= SMOOTH_STEP * (innerEnd - inner - 1)) smooth++;
  }
  return seeing === 0 ? null : smooth / seeing;
}

/**
 * Whether two nearby seams are the two edges of one drawn line (a pole, a mortar joint): the
 * luma steps at the two edges have opposite signs in most lanes. A split between two pictures
 * is a single edge, or a uniform gutter (found separately).
 */
function boundOneLine(strip: Strip, first: number, second: number, lanes: LaneRange, sameSurround = false): boolean {
  let both = 0;
  let opposite = 0;
  for (let lane = lanes.from; lane < lanes.to; lane++) {
    const firstStep = signedLumaStep(strip, lane, first);
    const secondStep = signedLumaStep(strip, lane, second);
    if (Math.abs(firstStep) < SEAM_MIN_STEP || Math.abs(secondStep) < SEAM_MIN_STEP) continue;
    both++;
    // With `sameSurround`, the line must also return to the luma it left: one background on both sides.
    const returns = !sameSurround || Math.abs(firstStep + secondStep) <= 0.5 * Math.max(Math.abs(firstStep), Math.abs(secondStep));
    if (Math.sign(firstStep) !== Math.sign(secondStep) && returns) opposite++;
  }
  const laneCount = Math.max(1, lanes.to - lanes.from);
  if (sameSurround && both < laneCount * SEAM_MIN_SHARE * 0.5) return false;
  return both > 0 && opposite / both >= LINE_OPPOSITE_SHARE;
}

// ---------------------------------------------------------------------------------------------
// Choosing splits

interface SplitChoice {
  splits: Split[];
  /** Strongest seam evidence seen in the band, accepted or not (for the no-split confidence). */
  strongestSeam: number;
  profile: SeamProfile;
}

/**
 * The splits along one axis: two near 1/3 and 2/3 (a triptych), else the best single one in
 * the middle band, preferring splits near the centre (comparison panels are near equal).
 */
function chooseSplits(strip: Strip, from: number, to: number, lanes: LaneRange): SplitChoice {
  const gutters = findGutters(strip, from, to, lanes);
  const seamProfile = columnSeamStrength(strip, from, to, lanes);
  const strongestSeam = seamProfile.strengths.reduce((best, strength) => Math.max(best, strength), 0);
  // A gutter's edges are seams too; keep only seams that are not part of a gutter.
  const seams = findSeams(strip, from, to, lanes, seamProfile).filter(
    (seam) => !gutters.some((gutter) => seam.start >= gutter.start - 2 && seam.start <= gutter.end + 2),
  );
  const candidates = [...gutters, ...seams];
  const length = to - from;
  const relative = (split: Split): number => ((split.start + split.end) / 2 - from) / length;

  const nearThird = candidates.filter((split) => Math.abs(relative(split) - 1 / 3) <= THIRDS_TOLERANCE);
  const nearTwoThirds = candidates.filter((split) => Math.abs(relative(split) - 2 / 3) <= THIRDS_TOLERANCE);
  const firstThird = strongest(nearThird);
  const secondThird = strongest(nearTwoThirds);
  if (firstThird && secondThird) return { splits: [firstThird, secondThird], strongestSeam, profile: seamProfile };

  const central = candidates.filter((split) => relative(split) >= PAIR_BAND[0] && relative(split) <= PAIR_BAND[1]);
  const ranked = central
    .map((split) => ({ split, score: split.strength * (1 - 1.5 * Math.abs(relative(split) - 0.5)) }))
    // A seam away from the middle needs more lanes behind it: there, a picture's own edge (a photo
    // beside an app's side bar, a wall beside a door) is likelier than two unequal panels.
    .filter(({ split, score }) => split.kind === 'gutter' || score >= SEAM_MIN_SHARE)
    .sort((a, b) => b.score - a.score);
  const best = labelBarSide(strip, from, to, lanes, ranked) ?? ranked[0];
  // A split at a third is likely one of a triptych's two: take a weaker edge at the other third as the other.
  if (best) {
    const other = Math.abs(relative(best.split) - 1 / 3) <= THIRDS_TOLERANCE ? 2 / 3 : Math.abs(relative(best.split) - 2 / 3) <= THIRDS_TOLERANCE ? 1 / 3 : null;
    const partner = other === null ? null : strongestPeakNear(seamProfile, from + other * length, THIRDS_TOLERANCE * length);
    if (partner !== null && partner.strength >= LINE_PARTNER_SHARE) {
      const second: Split = { start: partner.position, end: partner.position, kind: 'seam', strength: partner.strength };
      return { splits: partner.position < best.split.start ? [second, best.split] : [best.split, second], strongestSeam, profile: seamProfile };
    }
  }
  return { splits: best ? [best.split] : [], strongestSeam, profile: seamProfile };
}

/**
 * The split on the right side of a label bar, when the two best candidates are the edges of one (or
 * one edge and the gutter beside it): a bar over the top of the second picture and a bar over the
 * foot of the first leave the same two edges, and which one the card is split at decides which
 * panel the label is read for. Labels of one card share their placement, so where the card's first
 * picture also begins with a bar the split is the bar's first edge, and where its last picture also
 * ends with one, its second. Where the ends do not tell and one of the two is a gutter beside the
 * bar, the gutter. Null when the two best are not such edges or nothing tells.
 */
function labelBarSide<T extends { split: Split }>(strip: Strip, from: number, to: number, lanes: LaneRange, ranked: readonly T[]): T | null {
  const [first, second] = ranked;
  if (!first || !second || (first.split.kind === 'gutter' && second.split.kind === 'gutter')) return null;
  const [upper, lower] = first.split.start < second.split.start ? [first, second] : [second, first];
  const barLines = lower.split.start - upper.split.end;
  const text = { partialLines: true };
  if (barLines > (to - from) * BAND_MAX_WIDTH_SHARE || !holdsTextLine(strip, upper.split.end, lower.split.start, lanes, text)) return null;
  // The card's own ends, as deep as the bar and a little more (the bar's edge may sit a line or two in),
  // holding text on a bar of the same style (a picture's busy top reads as text lines too); what
  // reaches the card's sides there is a narrower picture's surround or the picture, not glyphs.
  const depth = barLines + BLURRED_EDGE_LINES;
  const barColour = lineColour(strip, Math.round((upper.split.end + lower.split.start) / 2), lanes);
  const barAt = (first: number, second: number): boolean => {
    const colour = lineColour(strip, Math.round((first + second) / 2), lanes);
    return colourGap(colour, barColour) <= CAPTION_INK_CONTRAST && holdsTextLine(strip, first, second, lanes, { ...text, innerOnly: true });
  };
  const barAtStart = barAt(from, Math.min(to, from + depth));
  const barAtEnd = barAt(Math.max(from, to - depth), to);
  if (barAtStart !== barAtEnd) return barAtStart ? upper : lower;
  // The ends do not tell (a bar the picture shows through, a short word, small type): a gutter lies
  // between the panels, and a bar over the picture beside it is one panel's or the other's.
  return first.split.kind === 'gutter' ? first : second.split.kind === 'gutter' ? second : null;
}

/**
 * A split too weak to be taken alone, confirmed by labels: the strongest line within
 * LABEL_PAIR_REACH of the card's middle holds in LABEL_PAIR_MIN_STRENGTH of the lanes, and the label
 * search (lib/engine/ocr/label-strips, its quick pass) finds a label at the same edge of both
 * sides, in one size (LABEL_PAIR_LINE_RATIO), of LABEL_PAIR_MIN_LINE or more and LABEL_PAIR_MIN_GLYPHS
 * glyphs together, at one place in their panels, neither text reaching within LABEL_PAIR_GAP of the
 * line (a caption over one picture runs across it). Texture and UI in a photo give pairs of unlike
 * sizes, at unlike places, or single blobs.
 */
function splitBetweenLabels(img: RgbaImage, card: CardArea, layout: Layout, profile: SeamProfile): { layout: Layout; split: Split } | null {
  const across = layout === 'side-by-side';
  const [from, to] = across ? [card.left, card.right] : [card.top, card.bottom];
  const length = to - from;
  const peak = strongestPeakNear(profile, from + length / 2, LABEL_PAIR_REACH * length);
  if (!peak || peak.strength < LABEL_PAIR_MIN_STRENGTH) return null;
  const at = peak.position;
  const width = card.right - card.left;
  const height = card.bottom - card.top;
  const panels: Box[] = across
    ? [[card.left, card.top, at - card.left, height], [at, card.top, card.right - at, height]]
    : [[card.left, card.top, width, at - card.top], [card.left, at, width, card.bottom - at]];
  const [first, second] = findLabelStrips(img, panels, { quickOnly: true });
  if (!first || !second) return null;
  // One card's labels are set in one size (lines or glyphs' median heights alike: a line with descenders
  // is taller, a word of capitals has taller glyphs), large enough to read, with some letters between
  // them, and at about one place in their panels (within a line's height: pictures may differ in size).
  const alike = (a: number, b: number): boolean => Math.max(a, b) <= LABEL_PAIR_LINE_RATIO * Math.min(a, b);
  if (!alike(first.lineHeight, second.lineHeight) && !alike(glyphHeight(first), glyphHeight(second))) return null;
  if (Math.min(first.lineHeight, second.lineHeight) < LABEL_PAIR_MIN_LINE || first.glyphs.length + second.glyphs.length < LABEL_PAIR_MIN_GLYPHS) return null;
  const [one, other] = [first, second].map((strip, index) => textOffsets(strip, panels[index] as Box)) as [[number, number], [number, number]];
  if (Math.abs(one[0] + one[1] - other[0] - other[1]) / 2 > Math.max(first.lineHeight, second.lineHeight)) return null;
  const gap = LABEL_PAIR_GAP * length;
  const clear = [first, second].every((strip) => {
    const [textFrom, textLength] = across ? [strip.textBox[0], strip.textBox[2]] : [strip.textBox[1], strip.textBox[3]];
    return textFrom + textLength <= at - gap || textFrom >= at + gap;
  });
  return clear ? { layout, split: { start: at, end: at, kind: 'seam', strength: peak.strength } } : null;
}

/** A label's text line, top and bottom, measured from its panel's edge at the label's side. */
function textOffsets(strip: LabelStrip, panel: Box): [number, number] {
  const edge = strip.placement === 'top' ? panel[1] : panel[1] + panel[3];
  return [strip.textBox[1] - edge, strip.textBox[1] + strip.textBox[3] - edge];
}

/** The strongest line of a seam profile within `reach` of `centre`. */
function strongestPeakNear(profile: SeamProfile, centre: number, reach: number): { position: number; strength: number } | null {
  let best: { position: number; strength: number } | null = null;
  for (let index = 0; index < profile.strengths.length; index++) {
    const position = profile.start + index;
    const strength = profile.strengths[index] ?? 0;
    if (Math.abs(position - centre) <= reach && (!best || strength > best.strength)) best = { position, strength };
  }
  return best;
}

/**
 * Whether both halves of a card, split along one axis, are split again at one place along the
 * other (a 2x2 grid whose second split is too weak over the whole length, such as a light gutter
 * beside a light sky in one row): a line in the middle band where the lanes of each half vote
 * for a seam on their own.
 */
function splitInBothHalves(strip: Strip, from: number, to: number, halves: [LaneRange, LaneRange]): boolean {
  const [first, second] = halves.map((lanes) => columnSeamStrength(strip, from, to, lanes));
  if (!first || !second) return false;
  const length = to - from;
  for (let index = 0; index < first.strengths.length; index++) {
    const relative = (first.start + index - from) / length;
    if (relative < PAIR_BAND[0] || relative > PAIR_BAND[1]) continue;
    const position = first.start + index;
    if (Math.min(first.strengths[index] ?? 0, second.strengths[index] ?? 0) >= SEAM_MIN_SHARE && !sameSceneInBothHalves(strip, position, halves)) return true;
  }
  return false;
}

/**
 * Whether the two halves show one scene beside `position` (a before/after pair of one shot, whose
 * edges line up): lane by lane, their luma just before and just after it correlates. The four
 * pictures of a grid are unrelated.
 */
function sameSceneInBothHalves(strip: Strip, position: number, [first, second]: [LaneRange, LaneRange]): boolean {
  const count = Math.min(first.to - first.from, second.to - second.from);
  if (count < 4) return false;
  const correlationAt = (line: number): number => {
    let sumA = 0;
    let sumB = 0;
    let sumAA = 0;
    let sumBB = 0;
    let sumAB = 0;
    for (let lane = 0; lane < count; lane++) {
      const a = strip.luma[(first.from + lane) * strip.positions + line] ?? 0;
      const b = strip.luma[(second.from + lane) * strip.positions + line] ?? 0;
      sumA += a;
      sumB += b;
      sumAA += a * a;
      sumBB += b * b;
      sumAB += a * b;
    }
    const covariance = sumAB / count - (sumA / count) * (sumB / count);
    const varianceA = sumAA / count - (sumA / count) ** 2;
    const varianceB = sumBB / count - (sumB / count) ** 2;
    return varianceA > 0 && varianceB > 0 ? covariance / Math.sqrt(varianceA * varianceB) : 0;
  };
  return (correlationAt(position - 3) + correlationAt(position + 2)) / 2 >= SAME_SCENE_CORRELATION;
}

function strongest(splits: Split[]): Split | undefined {
  return [...splits].sort((a, b) => b.strength - a.strength)[0];
}

// ---------------------------------------------------------------------------------------------
// Panels

/** The two picture areas on either side of the split, each trimmed of uniform margins and caption bands. */
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
  // Stacked panels differ in width: the narrower one's sides show the card's margin along its whole
  // height, caption bar included, so they are trimmed first and its caption band is read without them.
  if (layout === 'stacked') {
    for (const area of areas) [area.left, area.right] = trimUniformBorder(columns, area.left, area.right, lanesInside(columns, area.top, area.bottom));
  }
  const rowLanes = areas.map((area) => lanesInside(rows, area.left, area.right));
  let ends = areas.map((area, index) => trimCaptionsAndMargins(rows, area.top, area.bottom, rowLanes[index] ?? { from: 0, to: 0 }));
  const keep = seeThroughBandEnds(rows, areas, rowLanes, ends);
  if (keep.some(([start, end]) => start || end)) {
    ends = areas.map((area, index) => {
      const kept = keep[index] ?? [false, false];
      return kept[0] || kept[1] ? trimCaptionsAndMargins(rows, area.top, area.bottom, rowLanes[index] ?? { from: 0, to: 0 }, kept) : (ends[index] ?? [area.top, area.bottom]);
    });
  }
  ends = captionsLikeOthers(rows, areas, rowLanes, ends);
  return areas.map((area, index) => {
    const [top, bottom] = ends[index] ?? [area.top, area.bottom];
    const [left, right] = trimUniformBorder(columns, area.left, area.right, lanesInside(columns, top, bottom));
    return [left, top, right - left, bottom - top];
  });
}

/**
 * The panels' ends, with a caption trimmed where another panel's was. The captions of one card share
 * their style: where one panel lost an opaque caption band at an end and another lost nothing there
 * (its picture begins in about the band's colour, a dark suit under a dark margin, so no edge ended
 * the band), the other loses as many lines when CAPTION_MIN_TEXT_LINES of them hold glyphs on the
 * band's colour and one is its margin.
 */
function captionsLikeOthers(rows: Strip, areas: readonly CardArea[], rowLanes: readonly LaneRange[], ends: readonly [number, number][]): [number, number][] {
  const result = areas.map((area, index): [number, number] => [ends[index]?.[0] ?? area.top, ends[index]?.[1] ?? area.bottom]);
  for (const end of [0, 1] as const) {
    const direction = end === 0 ? 1 : -1;
    const trimmed = areas.map((area, index) => (end === 0 ? (result[index]?.[0] ?? area.top) - area.top : area.bottom - (result[index]?.[1] ?? area.bottom)));
    if (!trimmed.some((lines) => lines === 0) || trimmed.every((lines) => lines === 0)) continue;
    const donor = trimmed.indexOf(Math.max(...trimmed));
    const donorArea = areas[donor] as CardArea;
    const donorLanes = rowLanes[donor] ?? { from: 0, to: 0 };
    const band = captionBand(rows, donorArea.top, donorArea.bottom, direction, donorLanes);
    const lines = trimmed[donor] ?? 0;
    if (!band?.flat || band.lines > lines) continue;
    const colour = lineColour(rows, end === 0 ? donorArea.top : donorArea.bottom - 1, donorLanes);
    areas.forEach((area, index) => {
      const lanes = rowLanes[index] ?? { from: 0, to: 0 };
      if (trimmed[index] !== 0 || lines > (area.bottom - area.top) * MAX_TRIM_SHARE) return;
      const edge = end === 0 ? area.top : area.bottom - 1;
      let glyphLines = 0;
      let marginLines = 0;
      for (let offset = 0; offset < band.lines; offset++) {
        const position = edge + direction * offset;
        const share = 1 - edgeContrast(rows, position, colour, lanes, CAPTION_INK_CONTRAST);
        if (share >= CAPTION_MARGIN_SHARE) marginLines++;
        else if (share >= CAPTION_TEXT_SHARE && isGlyphLine(rows, position, colour, lanes, share)) glyphLines++;
      }
      if (glyphLines < CAPTION_MIN_TEXT_LINES || marginLines === 0) return;
      const ownEnds = result[index] as [number, number];
      if (end === 0) ownEnds[0] = area.top + lines;
      else ownEnds[1] = area.bottom - lines;
    });
  }
  return result;
}

/**
 * Per panel, whether the band at its start and at its end is to stay on the picture though it was
 * trimmed as an opaque caption: the labels of one card share their style, so where another panel
 * kept its band at the same end, of about the same length, because its picture shows through (a
 * translucent bar over texture), this one is the same bar over a smooth or dark stretch of picture.
 */
function seeThroughBandEnds(rows: Strip, areas: readonly CardArea[], rowLanes: readonly LaneRange[], ends: readonly [number, number][]): [boolean, boolean][] {
  // Only an end that one panel trimmed and another kept is worth reading again.
  const trimmedAt = (end: 0 | 1) => areas.map((area, index) => (ends[index]?.[end] ?? 0) !== (end === 0 ? area.top : area.bottom));
  if (!([0, 1] as const).some((end) => trimmedAt(end).some(Boolean) && !trimmedAt(end).every(Boolean))) return areas.map(() => [false, false]);
  const bands = areas.map((area, index) => {
    const lanes = rowLanes[index] ?? { from: 0, to: 0 };
    const [top, bottom] = ends[index] ?? [area.top, area.bottom];
    // A band counts where the panel's final box begins (or ends) with it: nothing was trimmed there.
    return [
      { band: captionBand(rows, area.top, area.bottom, 1, lanes), untrimmed: top === area.top },
      { band: captionBand(rows, area.top, area.bottom, -1, lanes), untrimmed: bottom === area.bottom },
    ] as const;
  });
  return bands.map((own, index) =>
    own.map(({ band, untrimmed }, end) => {
      if (!band?.flat || untrimmed) return false;
      const area = areas[index] as CardArea;
      const colour = lineColour(rows, end === 0 ? area.top : area.bottom - 1, rowLanes[index] ?? { from: 0, to: 0 });
      return bands.some((other, otherIndex) => {
        if (otherIndex === index) return false;
        const match = other[end];
        if (match?.band) {
          return (
            match.band.clearlySeeThrough &&
            match.untrimmed &&
            Math.max(match.band.lines, band.lines) <= SEE_THROUGH_BAND_LENGTH_RATIO * Math.min(match.band.lines, band.lines)
          );
        }
        // No band read there at all: too uneven at its edge for a caption, yet the same bar may be on the
        // picture, where no more than a uniform margin was trimmed.
        const otherArea = areas[otherIndex] as CardArea;
        const otherLanes = rowLanes[otherIndex] ?? { from: 0, to: 0 };
        const kept = ends[otherIndex]?.[end] ?? 0;
        if (kept !== trimUniformBorder(rows, otherArea.top, otherArea.bottom, otherLanes)[end]) return false;
        return keepsSameBar(rows, kept, end === 0 ? 1 : -1, band.lines, colour, otherLanes);
      });
    }) as [boolean, boolean],
  );
}

/**
 * Whether the `lines` lines from `edge` (a panel's kept end, inward along `direction`) are a label
 * bar of `colour` left on the picture: most of them near that colour in CAPTION_TEXT_SHARE of the
 * lanes, CAPTION_MIN_TEXT_LINES of them glyphs on it, the first SAME_BAR_EDGE_SHARE of its colour, and
 * no uniform line near the edge. A bar
 * another panel's end showed as an opaque caption, here over a stretch of picture that shows through it.
 */
function keepsSameBar(rows: Strip, edge: number, direction: 1 | -1, lines: number, colour: LineColour, lanes: LaneRange): boolean {
  const start = direction === 1 ? edge : edge - 1;
  let barLines = 0;
  let glyphLines = 0;
  for (let offset = 0; offset < lines; offset++) {
    const position = start + direction * offset;
    if (position < 0 || position >= rows.positions) return false;
    // A uniform line at the edge is a caption's margin (one merged with a picture of its colour), not a bar shown through.
    if (offset < CAPTION_COLOUR_LINES && 1 - edgeContrast(rows, position, lineColour(rows, position, lanes), lanes, 2 * UNIFORM_TOLERANCE) >= UNIFORM_LANE_SHARE) return false;
    const share = 1 - edgeContrast(rows, position, colour, lanes, CAPTION_INK_CONTRAST);
    // The bar's own edge first, mostly its colour: text right at the edge is a caption cut by the card's trim.
    if (offset <= BLURRED_EDGE_LINES && share < SAME_BAR_EDGE_SHARE) return false;
    if (share < CAPTION_TEXT_SHARE) continue;
    barLines++;
    if (share < CAPTION_MARGIN_SHARE && isGlyphLine(rows, position, colour, lanes, share)) glyphLines++;
  }
  return barLines >= SAME_BAR_LINE_SHARE * lines && glyphLines >= CAPTION_MIN_TEXT_LINES;
}

/**
 * Trims both ends of a panel's area of uniform margins and caption bands, in any order: a
 * margin, a label bar in its own colour, a gap, then the picture. A band the picture shows
 * through (a translucent bar over it) is part of the picture and stays.
 */
function trimCaptionsAndMargins(strip: Strip, from: number, to: number, lanes: LaneRange, [keepStart, keepEnd]: readonly [boolean, boolean] = [false, false]): [number, number] {
  let start = from;
  let end = to;
  for (let step = 0; step < 3; step++) {
    // A band kept on the picture (a bar like another panel's translucent one) stays, and so does the edge it covers.
    const keptAtStart = keepStart && start === from;
    const keptAtEnd = keepEnd && end === to;
    const captionStart = keptAtStart ? 0 : opaqueCaptionLines(captionBand(strip, start, end, 1, lanes));
    const captionEnd = keptAtEnd ? 0 : opaqueCaptionLines(captionBand(strip, start, end, -1, lanes));
    let [uniformStart, uniformEnd] = trimUniformBorder(strip, start + captionStart, end - captionEnd, lanes);
    if (keptAtStart) uniformStart = start;
    if (keptAtEnd) uniformEnd = end;
    const changed = uniformStart !== start || uniformEnd !== end;
    start = uniformStart;
    end = uniformEnd;
    if (!changed || end - start < (to - from) * (1 - 2 * MAX_TRIM_SHARE)) break;
  }
  return [start, end];
}

/** Lines of a caption band to cut: all of an opaque one, none of one the picture shows through. */
function opaqueCaptionLines(band: CaptionBand | null): number {
  return band?.flat ? band.lines : 0;
}

/**
 * For a caption band that starts with its text at the edge: the first uniform line within `limit`
 * lines and its offset, when the lines before it all read as glyphs on its colour or as its margin,
 * CAPTION_MIN_TEXT_LINES or more of them glyphs; null otherwise.
 */
function textBeforeMargin(strip: Strip, edge: number, direction: 1 | -1, limit: number, lanes: LaneRange): [LineColour, number] | null {
  // Most panel ends are pictures: a quick look at a few lanes rules out their lines cheaply.
  const first = direction === 1 ? edge : edge - limit + 1;
  const possiblyUniform = quickLookUniform(strip, first, first + limit, lanes, 4 * UNIFORM_TOLERANCE);
  for (let offset = 0; offset < limit; offset++) {
    if (possiblyUniform[edge + direction * offset - first] === 0) continue;
    const line = lineColour(strip, edge + direction * offset, lanes);
    if (1 - edgeContrast(strip, edge + direction * offset, line, lanes, 2 * UNIFORM_TOLERANCE) < UNIFORM_LANE_SHARE) continue;
    let glyphLines = 0;
    for (let before = 0; before < offset; before++) {
      const share = 1 - edgeContrast(strip, edge + direction * before, line, lanes, CAPTION_INK_CONTRAST);
      if (share < CAPTION_TEXT_SHARE) return null;
      if (share < CAPTION_MARGIN_SHARE) glyphLines++;
    }
    if (glyphLines < CAPTION_MIN_TEXT_LINES) return null;
    return [line, offset];
  }
  return null;
}

/**
 * Whether the picture shows through a band of `bandLines` lines at one end (a translucent bar over
 * the picture, however plain the stretch of picture under it). Read on the band's margin lines out of
 * reach of the picture's JPEG ringing, each lane their median: neighbouring lanes differ (the
 * picture's texture), or they follow the luma of the picture's first lines past the band (a smooth
 * stretch). An opaque bar's lanes vary by JPEG noise only.
 */
function pictureShowsThrough(strip: Strip, edge: number, direction: 1 | -1, bandLines: number, marginOffsets: readonly number[], lanes: LaneRange): boolean {
  const far = marginOffsets.filter((offset) => offset < bandLines - RINGING_BLOCK_LINES);
  if (far.length === 0) return false;
  const pictureFirst = bandLines + BLURRED_EDGE_LINES;
  const pictureLines = 4;
  const lastPicture = edge + direction * (pictureFirst + pictureLines - 1);
  if (lastPicture < 0 || lastPicture >= strip.positions) return false;
  const laneCount = lanes.to - lanes.from;
  if (laneCount < 8) return false;
  const band = new Float64Array(laneCount);
  const picture = new Float64Array(laneCount);
  const values: number[] = [];
  for (let lane = lanes.from; lane < lanes.to; lane++) {
    const row = lane * strip.positions;
    values.length = 0;
    for (const offset of far) values.push(strip.luma[row + edge + direction * offset] ?? 0);
    band[lane - lanes.from] = median(values);
    let sum = 0;
    for (let offset = pictureFirst; offset < pictureFirst + pictureLines; offset++) sum += strip.luma[row + edge + direction * offset] ?? 0;
    picture[lane - lanes.from] = sum / pictureLines;
  }
  const steps: number[] = [];
  for (let index = 1; index < laneCount; index++) steps.push(Math.abs((band[index] ?? 0) - (band[index - 1] ?? 0)));
  if (median(steps) >= SHOW_THROUGH_TEXTURE) return true;
  return detrendedStd(band) >= SHOW_THROUGH_MIN_STD && correlation(band, picture) >= SHOW_THROUGH_CORRELATION;
}

/** Standard deviation of a series about its least-squares line (a bar's gradient is not picture). */
function detrendedStd(series: Float64Array): number {
  const count = series.length;
  const meanIndex = (count - 1) / 2;
  let mean = 0;
  for (let index = 0; index < count; index++) mean += series[index] ?? 0;
  mean /= count;
  let slopeTop = 0;
  let slopeBottom = 0;
  for (let index = 0; index < count; index++) {
    slopeTop += (index - meanIndex) * ((series[index] ?? 0) - mean);
    slopeBottom += (index - meanIndex) ** 2;
  }
  const slope = slopeBottom > 0 ? slopeTop / slopeBottom : 0;
  let sumOfSquares = 0;
  for (let index = 0; index < count; index++) sumOfSquares += ((series[index] ?? 0) - mean - slope * (index - meanIndex)) ** 2;
  return Math.sqrt(sumOfSquares / count);
}

/** Pearson correlation of two series (0 when either is constant). */
function correlation(first: Float64Array, second: Float64Array): number {
  const count = first.length;
  let sumA = 0;
  let sumB = 0;
  let sumAA = 0;
  let sumBB = 0;
  let sumAB = 0;
  for (let index = 0; index < count; index++) {
    const a = first[index] ?? 0;
    const b = second[index] ?? 0;
    sumA += a;
    sumB += b;
    sumAA += a * a;
    sumBB += b * b;
    sumAB += a * b;
  }
  const varianceA = sumAA / count - (sumA / count) ** 2;
  const varianceB = sumBB / count - (sumB / count) ** 2;
  const covariance = sumAB / count - (sumA / count) * (sumB / count);
  return varianceA > 0 && varianceB > 0 ? covariance / Math.sqrt(varianceA * varianceB) : 0;
}

/**
 * Whether a line with `share` of its lanes near a caption band's colour holds glyphs on the band
 * rather than a picture in a similar colour (a dark jacket under a black margin, a white door under
 * a white one): between glyphs the band shows its own colour, so most of those lanes are close to it.
 */
function isGlyphLine(strip: Strip, position: number, colour: LineColour, lanes: LaneRange, share: number): boolean {
  const close = 1 - edgeContrast(strip, position, colour, lanes, 2 * UNIFORM_TOLERANCE);
  return close >= GLYPH_LINE_CLOSE_SHARE * share && 1 - edgeContrast(strip, position, colour, lanes, UNIFORM_TOLERANCE) >= GLYPH_LINE_EXACT_SHARE * close;
}

/**
 * Length of a caption band at one end of a panel's area: a label written on a bar or on the
 * card's margin, outside the picture. From the edge: lines of one colour (the margin), then
 * lines where glyphs interrupt that colour (the text), margin again, and then a clear change
 * (the picture). Null when the end does not look like that. A caption is not part of the picture,
 * unless its margin is not flat: a translucent bar over the picture, which shows through it.
 */
function captionBand(strip: Strip, from: number, to: number, direction: 1 | -1, lanes: LaneRange): CaptionBand | null {
  const length = to - from;
  const limit = Math.floor(length * MAX_TRIM_SHARE);
  const edge = direction === 1 ? from : to - 1;
  // The band colour: of the uniform lines near the edge, the one most lines there share (JPEG ringing
  // from a neighbouring border or gutter can make a line uniform in some other colour).
  let colour: LineColour | null = null;
  let offset = 0;
  let bestMatches = 0;
  const near = Math.min(CAPTION_COLOUR_LINES, limit);
  for (let candidate = 0; candidate < near; candidate++) {
    const line = lineColour(strip, edge + direction * candidate, lanes);
    // Uniform allowing for JPEG ringing around glyphs nearby.
    if (1 - edgeContrast(strip, edge + direction * candidate, line, lanes, 2 * UNIFORM_TOLERANCE) < UNIFORM_LANE_SHARE) continue;
    let matches = 0;
    for (let other = 0; other < near; other++) {
      if (1 - edgeContrast(strip, edge + direction * other, line, lanes, CAPTION_INK_CONTRAST) >= CAPTION_MARGIN_SHARE) matches++;
    }
    if (matches > bestMatches) {
      bestMatches = matches;
      colour = line;
      offset = candidate;
    }
  }
  // The margin beyond the text may have gone with the card's trimmed border: then the band starts
  // with its text, glyph lines on the colour of the first uniform line past them.
  if (!colour) [colour, offset] = textBeforeMargin(strip, edge, direction, limit, lanes) ?? [null, 0];
  if (!colour) return null;
  let textLines = 0;
  // Lines before the colour's line: glyphs that start at the edge count as text, ringing is skipped.
  for (let before = 0; before < offset; before++) {
    const share = 1 - edgeContrast(strip, edge + direction * before, colour, lanes, CAPTION_INK_CONTRAST);
    if (share >= CAPTION_TEXT_SHARE && share < CAPTION_MARGIN_SHARE) textLines++;
  }
  /** Where the last margin after text ended, and the text-like lines since (a picture's blurred first lines). */
  let marginEnd = -1;
  let linesSinceMargin = 0;
  let flatMargin = false;
  const marginOffsets: number[] = [];
  /** The colour of the margin that closed the caption (the band colour may come from a line that JPEG tinted). */
  let closingMargin: LineColour | null = null;
  for (; offset < limit; offset++) {
    const share = 1 - edgeContrast(strip, edge + direction * offset, colour, lanes, CAPTION_INK_CONTRAST);
    if (share >= CAPTION_MARGIN_SHARE) {
      marginOffsets.push(offset);
      if (textLines > 0) {
        marginEnd = offset + 1;
        closingMargin = lineColour(strip, edge + direction * offset, lanes);
      }
      linesSinceMargin = 0;
      // Flat against the line's own colour: the band's colour may come from a line that JPEG tinted.
      if (!flatMargin) {
        const position = edge + direction * offset;
        flatMargin = 1 - edgeContrast(strip, position, lineColour(strip, position, lanes), lanes, CAPTION_FLAT_TOLERANCE) >= CAPTION_FLAT_SHARE;
      }
    } else if (share >= CAPTION_TEXT_SHARE && (!closingMargin || isGlyphLine(strip, edge + direction * offset, closingMargin, lanes, share))) {
      // Glyphs on the band colour, or a picture that starts with that colour: what follows tells.
      // Once a caption has closed with margin, a line must show the band between its glyphs to be text.
      textLines++;
      linesSinceMargin++;
      if (textLines > length * CAPTION_MAX_TEXT_SHARE) return null;
    } else {
      // The picture: a band only when text came before it and margin separates the two.
      const blurredStart = linesSinceMargin <= BLURRED_EDGE_LINES;
      if (textLines - linesSinceMargin < CAPTION_MIN_TEXT_LINES || marginEnd <= 0 || !blurredStart) return null;
      const showsThrough = flatMargin && pictureShowsThrough(strip, edge, direction, marginEnd, marginOffsets, lanes);
      const farMarginLines = marginOffsets.filter((margin) => margin < marginEnd - RINGING_BLOCK_LINES).length;
      return { lines: marginEnd, flat: flatMargin && !showsThrough, clearlySeeThrough: !flatMargin || (showsThrough && farMarginLines >= SEE_THROUGH_MIN_MARGIN_LINES) };
    }
  }
  return null;
}


