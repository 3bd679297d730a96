/**
 * Finds each panel's label: a line of text on a flat-coloured bar or pill at the panel's top or
 * bottom edge, inside the panel (overlaid) or just outside it (a caption bar in the margin).
 *
 * Per panel and edge, a band straddling the edge is split into flat-colour regions (flood fill).
 * A region is a label background when it is roughly rectangular, stays clear of the panel's
 * interior, and encloses a line of contrasting glyphs close to the edge. Labels of one card
 * share their placement, so a card's labels are accepted only when every panel has one at the
 * same edge: a speech bubble or a UI heading in one panel is not a label.
 */
import type { Box, RgbaImage } from '../types';

export type LabelPlacement = 'top' | 'bottom';

export interface LabelStrip {
  placement: LabelPlacement;
  /** The pill or bar the text sits on, clipped to the searched band; source pixels. */
  backgroundBox: Box;
  /** Mean colour of the pill or bar, RGB 0-255. */
  background: [number, number, number];
  /** The text line, tight around its glyphs. */
  textBox: Box;
  /** The text line with a margin of background: what recognition reads. */
  cropBox: Box;
  /** Height of the text line in source pixels. */
  lineHeight: number;
  /** Glyph-free column runs inside the text line, as source x ranges [start, end). */
  gaps: [number, number][];
  /** The line's glyphs (connected pieces of ink at least half the line tall), source boxes, left to right. */
  glyphs: Box[];
}

/** Share of the panel's height searched on each side of an edge. */
const BAND_SHARE = 0.25;
/** Largest per-channel step between neighbours inside one flat region. */
const NEIGHBOUR_STEP = 16;
/**
 * Largest per-channel distance from the region's seed colour (no drifting along gradients):
 * the loose one first, the strict one when a pill merged with a picture of nearly its colour.
 */
const SEED_DISTANCES = [24, 12] as const;
/** Largest per-channel spread of a 2x2 block that may seed a region. */
const SEED_SPREAD = 6;
/** Seeds are tried on this pixel grid; every region worth keeping is wider than it. */
const SEED_STRIDE = 3;
/** Bands are shrunk by a whole factor to about this width for the region search. */
const SEARCH_WIDTH = 320;
/** Per-channel distance from the background from which a pixel counts as glyph ink. */
const INK_CONTRAST = 64;
/** A label background is at least this share of the panel's width (a pill round "Old" in 27 px type is 0.07 of a 981 px panel)... */
const MIN_BACKGROUND_WIDTH_SHARE = 0.05;
/** ...and at least this many times wider than tall. */
const MIN_BACKGROUND_ASPECT = 1.5;
/**
 * A background narrower than this share of the panel's width is a pill only when it holds its text
 * with PILL_MARGIN_LINES line heights or more free at each end: a piece of a pill that its letters cut
 * off runs its text to the piece's end ("ore" of "Before").
 */
const NARROW_BACKGROUND_SHARE = 0.1;
const PILL_MARGIN_LINES = 0.5;
/** Background plus the holes in it must fill this share of its bounding box (pills have round ends). */
const MIN_RECTANGULARITY = 0.72;
/** The background's own pixels must be at least this share of its filled area (glyphs are the rest). */
const MIN_BACKGROUND_SHARE = 0.5;
/** Text lines shorter than this (source pixels) are specks, not labels. */
const MIN_LINE_HEIGHT = 6;
/** Background must show above and below the text: the line is at most this share of its height. */
const MAX_LINE_SHARE_OF_BACKGROUND = 0.85;
/** Glyph ink covers this share range of the text line's box. */
const INK_SHARE_RANGE: readonly [number, number] = [0.08, 0.75];
/** The text line lies within this many line heights of the panel edge... */
const MAX_EDGE_DISTANCE_LINES = 2.5;
/** ...or sits on a pill over the picture inset from the edge by at most this share of the panel's height (overlays are placed by the picture's size, not the text's). */
const MAX_PILL_INSET_SHARE = 0.1;
/** Glyphs are at most this many times wider than tall (median over the line; small bold letters merge into pieces of two or three). */
const MAX_GLYPH_ASPECT = 3;
/** Lines shorter than this (source pixels) are small enough for a whole bold word to merge into one piece ("New" at 7 px)... */
const SMALL_LINE_HEIGHT = 10;
/** A connected piece of ink wider than this many times its height is not part of a glyph line. */
const MAX_PIECE_ASPECT = 4;
/** ...so their pieces may be as wide as any glyph line's piece. */
const maxGlyphAspect = (lineHeight: number) => (lineHeight < SMALL_LINE_HEIGHT ? MAX_PIECE_ASPECT : MAX_GLYPH_ASPECT);
/** Words of one label stand at most this many line heights apart (word spaces are a third of one). */
const MAX_WORD_GAP_LINES = 2;
/** Labels of one card differ in line height by at most this factor... */
const MAX_LINE_HEIGHT_RATIO = 1.6;
/**
 * ...or by at most this one when their glyphs' median heights agree: ascender plus descender
 * (about 0.95 em in the sans and serif faces labels use) over x-height (about 0.53 em).
 */
const SAME_FONT_LINE_RATIO = 1.8;
/**
 * Largest per-channel difference between the backgrounds of one card's labels, drawn in one colour
 * (JPEG and a translucent bar's blend with different pictures move them apart)...
 */
const MAX_LABEL_COLOUR_SPREAD = 48;
/**
 * ...and, for another set to replace strips further apart than that, the most its backgrounds may
 * differ: one colour but for JPEG (a flat piece of a translucent bar may lie near the other bar by chance).
 */
const ALIKE_LABEL_COLOUR_SPREAD = 16;
/** Candidates per panel (best first) that may pair up when the panels' best ones disagree in line height. */
const RUNNER_UP_CANDIDATES = 3;
/** A bar over the picture is at most this share of the panel's height... */
const BAR_MAX_DEPTH_SHARE = 0.2;
/** ...and at least this many pixels tall. */
const BAR_MIN_HEIGHT = 12;
/** A background this share of its panel's width is a bar across it. */
const BAR_WIDTH_SHARE = 0.97;
/** A background narrower than this share of its panel's width may be a piece of a bar. */
const BAR_PIECE_SHARE = 0.9;
/** A label read at another panel's label's place is one size with it: line or glyph heights within this factor (the other within MAX_LINE_HEIGHT_RATIO). */
const SAME_LABEL_SIZE = 1.3;
/**
 * Glyphs that make a candidate a word: a panel's label must be one for the other panel's to be read
 * at its place, and words in every panel at one edge outrank specks of one or two glyphs at the other.
 */
const WORD_GLYPHS = 3;
/** Columns sampled along a bar's inner edge. */
const BAR_EDGE_SAMPLES = 160;
/** Luma step (0-255) of a column across the bar's inner edge... */
const BAR_EDGE_STEP = 6;
/** ...taken the same way by at least this share of the columns. */
const BAR_EDGE_SHARE = 0.8;
/** A blended bar's opacity lies in this range (a bar under 0.15 hides nothing; over 1 is no blend)... */
const BLEND_OPACITY_RANGE: readonly [number, number] = [0.15, 1.1];
/** ...and is told by the picture beside it only when that spreads at least this much in luma (standard deviation). */
const BLEND_MIN_PICTURE_SPREAD = 12;
/** The bar's ink level: this share of its pixels at the dark or the light end. */
const BAR_INK_PERCENTILE = 0.01;
/** Recognition margin around the text line, in line heights. */
const CROP_MARGIN_Y = 0.25;
const CROP_MARGIN_X = 0.5;

export interface Band {
  left: number;
  top: number;
  width: number;
  height: number;
  /** Source row of the panel edge. */
  edgeY: number;
}

/** The band shrunk for the region search. */
export interface BandPixels {
  rgb: Uint8ClampedArray;
  width: number;
  height: number;
  /** Source pixels per band pixel along each axis. */
  scale: number;
}

export interface Region {
  id: number;
  pixels: number;
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
  sum: [number, number, number];
}

export interface Blob {
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
  pixels: number;
}

/**
 * The label strip of every panel (same order as `panels`), or null for a panel without one.
 * Either every panel gets a strip at the same edge or none does. The searches pair candidates
 * (`pairedStrips`); where only one panel has a word, the others are read at its place
 * (`readOneSided`); a piece of a bar is read across the bar another panel's label lies on
 * (`readAlongSharedBar`). `quickOnly` skips the strict search and the one-sided read, which run
 * when the quick one pairs nothing.
 */
export function findLabelStrips(image: RgbaImage, panels: readonly Box[], { quickOnly = false } = {}): (LabelStrip | null)[] {
  const strips = pairedStrips(image, panels, quickOnly);
  return strips.every((strip): strip is LabelStrip => strip !== null) ? readAlongSharedBar(image, panels, strips) : strips;
}

/** Each panel's best candidate when the candidates of one edge pair, else at the other panels' labels' place (see findLabelStrips). */
function pairedStrips(image: RgbaImage, panels: readonly Box[], quickOnly: boolean): (LabelStrip | null)[] {
  // Bottom first: captions under or over the bottom of a picture are the common style. Labels of one
  // card share their colour, so strips on backgrounds apart in colour (a patch of fur at each bottom)
  // give way to strips at the top that agree.
  // When neither edge gives a set, every region search runs to the end: a pill merged with a picture
  // of nearly its colour (a black pill on a dark table) ends the quick search with a wrong line, and
  // only the strict search finds the pill itself.
  const searches = new Map<string, EdgeSearch>();
  const searchAt = (index: number, placement: LabelPlacement): EdgeSearch => {
    const key = `${index} ${placement}`;
    let search = searches.get(key);
    if (!search) {
      search = edgeSearch(image, panels[index] as Box, placement, panels.filter((_, other) => other !== index));
      searches.set(key, search);
    }
    return search;
  };
  // A set of lone glyphs (a shadow on each saucer, a dark fold at each bottom) gives way to a set of
  // lines of text at the other edge: labels of a card are seldom single letters at one edge while
  // the other edge holds a word in each panel.
  // So does a set of specks of one or two glyphs (a fold in one picture, a button in the other) to words
  // of three or more in every panel at the other edge.
  const lines = (strips: readonly LabelStrip[]) => strips.every((strip) => strip.glyphs.length > 1);
  const words = (strips: readonly LabelStrip[]) => strips.every((strip) => strip.glyphs.length >= WORD_GLYPHS);
  for (const exhaustive of quickOnly ? [false] : [false, true]) {
    let unlike: LabelStrip[] | null = null;
    let loneGlyphs: LabelStrip[] | null = null;
    let specks: LabelStrip[] | null = null;
    for (const placement of ['bottom', 'top'] as const) {
      const candidates: LabelStrip[][] = [];
      for (const index of panels.keys()) {
        const found = searchAt(index, placement).candidates(exhaustive);
        if (found.length === 0) break;
        candidates.push(found);
      }
      if (candidates.length === 0 || candidates.length !== panels.length) continue;
      const strips = sameSideStrips(candidates, panels);
      if (strips && backgroundSpread(strips) <= (unlike ? ALIKE_LABEL_COLOUR_SPREAD : MAX_LABEL_COLOUR_SPREAD)) {
        if (loneGlyphs) return lines(strips) ? strips : loneGlyphs;
        if (specks) return words(strips) ? strips : specks;
        if (strips.every((strip) => strip.glyphs.length === 1)) loneGlyphs = strips;
        else if (strips.every((strip) => strip.glyphs.length < WORD_GLYPHS)) specks = strips;
        else return strips;
        continue;
      }
      unlike ??= strips;
    }
    const deferred = loneGlyphs ?? specks;
    if (deferred) return deferred;
    if (unlike) return unlike;
  }
  if (!quickOnly) {
    // Every panel's full search, those after the first without a candidate too: the label may be found
    // only on the second panel. On cards without labels this about doubles the label search (docs/accuracy.md).
    for (const placement of ['bottom', 'top'] as const) {
      const strips = readOneSided(image, panels, panels.map((_, index) => searchAt(index, placement).candidates(true)[0]));
      if (strips) return strips;
    }
  }
  return panels.map(() => null);
}

/**
 * Labels of one card share their bar. When one panel's strip lies on a bar across its picture and
 * another's on a piece of one (a see-through bar over a dark spoon breaks into flat pieces, which hold
 * a word or two of the line: "Photon 3" read "Phc"), that panel's line is read across the same bar's
 * rows (beside it) or depth (above or below it), and taken when it holds the piece's text and more.
 */
function readAlongSharedBar(image: RgbaImage, panels: readonly Box[], strips: readonly LabelStrip[]): LabelStrip[] {
  const barIndex = strips.findIndex((strip, index) => isBarOverPicture(strip, panels[index] as Box));
  const bar = strips[barIndex];
  const barPanel = panels[barIndex];
  if (!bar || !barPanel) return [...strips];
  return strips.map((strip, index) => {
    const panel = panels[index] as Box;
    if (index === barIndex || strip.backgroundBox[2] >= panel[2] * BAR_PIECE_SHARE) return strip;
    const read = readBesideStrip(image, panel, bar, barPanel);
    return read && read.glyphs.length > strip.glyphs.length && holdsCentreOf(read.textBox, strip.textBox) && reachesOnlyWherePieceEnds(read, strip) ? read : strip;
  });
}

/**
 * Whether the line read across the bar goes on past the piece's text only where the piece ends
 * within a line height of that text (the text ran off the piece); elsewhere it took in the picture
 * showing through the bar (stars of a flag beside "recraft-v3").
 */
function reachesOnlyWherePieceEnds(read: LabelStrip, piece: LabelStrip): boolean {
  const [textLeft, , textWidth] = piece.textBox;
  const [pieceLeft, , pieceWidth] = piece.backgroundBox;
  const margin = piece.lineHeight / 2;
  const pastLeft = read.textBox[0] < textLeft - margin;
  const pastRight = read.textBox[0] + read.textBox[2] > textLeft + textWidth + margin;
  return (!pastLeft || textLeft - pieceLeft <= piece.lineHeight) && (!pastRight || pieceLeft + pieceWidth - (textLeft + textWidth) <= piece.lineHeight);
}

/**
 * When one panel has a label candidate of a word or more at an edge and the other has none there (a
 * black pill merged with a black coat is no flat region of its own), the other's line is read where
 * the card's layout puts it: at the candidate's place (`readBesideStrip`). When every panel has a
 * candidate there but they did not pair (the pill merged with a black helmet reads as one tall line),
 * the others are read at each word's place in turn, the most glyphs first, and their own candidates
 * set aside: the set is taken only when every other panel holds a line of that word's size there.
 */
function readOneSided(image: RgbaImage, panels: readonly Box[], best: readonly (LabelStrip | undefined)[]): LabelStrip[] | null {
  const sources = [...best.keys()]
    .filter((index) => (best[index]?.glyphs.length ?? 0) >= WORD_GLYPHS)
    .sort((a, b) => (best[b] as LabelStrip).glyphs.length - (best[a] as LabelStrip).glyphs.length);
  const everyPanelHasOne = best.every(Boolean);
  for (const sourceIndex of everyPanelHasOne ? sources : sources.slice(0, 1)) {
    const source = best[sourceIndex] as LabelStrip;
    const sourcePanel = panels[sourceIndex] as Box;
    const strips: LabelStrip[] = [];
    for (const [index, panel] of panels.entries()) {
      const own = index === sourceIndex || !everyPanelHasOne ? best[index] : undefined;
      const read = own ?? readBesideStrip(image, panel, source, sourcePanel);
      if (!read) break;
      strips.push(read);
    }
    if (strips.length === panels.length) return strips;
  }
  return null;
}

/**
 * The line in `panel` at the place of `source`'s line in `sourcePanel` (the same rows beside it, the
 * same depth from the edge above or below it) on the source's background colour, when it is one size
 * with the source's and at its height: labels of one card are drawn alike.
 */
function readBesideStrip(image: RgbaImage, panel: Box, source: LabelStrip, sourcePanel: Box): LabelStrip | null {
  const sourceTop = source.backgroundBox[1];
  const sourceEdge = source.placement === 'bottom' ? sourcePanel[1] + sourcePanel[3] : sourcePanel[1];
  const edge = source.placement === 'bottom' ? panel[1] + panel[3] : panel[1];
  // At the same depth from the panel's edge; beside it also on the same rows (a split a few rows off).
  const beside = panel[1] < sourcePanel[1] + sourcePanel[3] && sourcePanel[1] < panel[1] + panel[3];
  const atDepth = readAtRows(image, panel, source, sourceTop - sourceEdge + edge);
  return atDepth ?? (beside && edge !== sourceEdge ? readAtRows(image, panel, source, sourceTop) : null);
}

function readAtRows(image: RgbaImage, panel: Box, source: LabelStrip, sourceRowsTop: number): LabelStrip | null {
  // A line height more on each side: the other panel's label may sit a few rows off (a card's panels misaligned).
  const top = Math.max(0, sourceRowsTop - source.lineHeight);
  const sourceTop = source.backgroundBox[1] - (sourceRowsTop - top);
  const height = Math.min(image.height, sourceRowsTop + source.backgroundBox[3] + source.lineHeight) - top;
  const [left, , width] = panel;
  if (height < BAR_MIN_HEIGHT || left < 0 || left + width > image.width) return null;
  const ink = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const rowOffset = ((top + y) * image.width + left) * 4;
    for (let x = 0; x < width; x++) if (isInk(image.data, rowOffset + x * 4, source.background, INK_CONTRAST)) ink[y * width + x] = 1;
  }
  // Labels of one card are drawn alike: ink taller than the source's line is the picture beside the
  // label (a name tag on the coat that the pill merged with), not a glyph, and must not lead the line.
  const glyphSized = (blob: Blob) => blob.maxY - blob.minY + 1 <= source.lineHeight * MAX_LINE_HEIGHT_RATIO;
  const found = textLine(ink, width, height, glyphSized);
  if (!found || found.glyphs.length < 2) return null;
  const { line, glyphs, lineHeight, lineWidth } = found;
  const textBox: Box = [left + line.minX, top + line.minY, lineWidth, lineHeight];
  const sourceMiddle = source.textBox[1] + source.textBox[3] / 2 - sourceTop;
  if (Math.abs(line.minY + lineHeight / 2 - sourceMiddle) > source.lineHeight) return null;
  const backgroundBox: Box = [left, top, width, height];
  const strip: LabelStrip = {
    placement: source.placement,
    backgroundBox,
    background: source.background,
    textBox,
    cropBox: cropAround(textBox, backgroundBox, lineHeight),
    lineHeight,
    gaps: inkGaps(ink, width, line).map(([start, end]) => [left + start, left + end]),
    glyphs: glyphBoxes(glyphs, left, top),
  };
  // One size: lines alike and glyphs near, or glyphs alike and lines near ("Seedream" has fewer tall letters than "Flux Dev").
  const [lines, glyphsApart] = [ratio(lineHeight, source.lineHeight), ratio(glyphHeight(strip), glyphHeight(source))];
  return (lines <= SAME_LABEL_SIZE && glyphsApart <= MAX_LINE_HEIGHT_RATIO) || (lines <= MAX_LINE_HEIGHT_RATIO && glyphsApart <= SAME_LABEL_SIZE) ? strip : null;
}

/** Whether a strip's background is a bar across its panel's whole width, over the picture. */
function isBarOverPicture(strip: LabelStrip, panel: Box): boolean {
  const [, top, width, height] = strip.backgroundBox;
  return width >= panel[2] * BAR_WIDTH_SHARE && top >= panel[1] - 1 && top + height <= panel[1] + panel[3] + 1;
}

const ratio = (first: number, second: number) => Math.max(first, second) / Math.max(1, Math.min(first, second));

function holdsCentreOf(outer: Box, inner: Box): boolean {
  const x = inner[0] + inner[2] / 2;
  const y = inner[1] + inner[3] / 2;
  return x >= outer[0] && x <= outer[0] + outer[2] && y >= outer[1] && y <= outer[1] + outer[3];
}

/** Whether a strip's text lies outside its panel (a caption on the margin, a bar under the picture) or over the picture. */
function liesOutside(strip: LabelStrip, panel: Box): boolean {
  const middle = strip.textBox[1] + strip.textBox[3] / 2;
  return strip.placement === 'bottom' ? middle > panel[1] + panel[3] : middle < panel[1];
}

/**
 * Each panel's best candidate when their line heights agree (within a factor) and they lie
 * alike, all outside the panels or all over the pictures. Labels of one card are drawn alike,
 * so when the best candidates lie on different sides, the sets of each panel's best candidate
 * on one side are tried too, and of those whose line heights agree the one whose backgrounds
 * are closest in colour wins (a caption on the margin over one panel and a patch of fur in the
 * other's picture are no pair; a bar that the split left partly outside its panel is).
 */
function sameSideStrips(candidates: readonly LabelStrip[][], panels: readonly Box[]): LabelStrip[] | null {
  const within = (heights: readonly number[], ratio: number) => Math.max(...heights) <= Math.min(...heights) * ratio;
  // A line with ascenders and descenders ("Grok Imagine") is up to SAME_FONT_LINE_RATIO taller than one with neither ("nano") in the same font: their glyphs' median heights agree.
  const heightsAgree = (strips: readonly LabelStrip[]) => {
    const lineHeights = strips.map((strip) => strip.lineHeight);
    const glyphHeights = strips.map(glyphHeight);
    // A lone glyph is its line: one twice the height of the other's letters is no label beside them (a patch of a wall beside "Qwen Image").
    const loneGlyphAgrees = strips.every((strip) => strip.glyphs.length > 1) || within(glyphHeights, SAME_FONT_LINE_RATIO);
    return (within(lineHeights, MAX_LINE_HEIGHT_RATIO) && loneGlyphAgrees) || (within(lineHeights, SAME_FONT_LINE_RATIO) && within(glyphHeights, MAX_LINE_HEIGHT_RATIO));
  };
  const sidesAgree = (strips: readonly LabelStrip[]) => strips.every((strip, index) => liesOutside(strip, panels[index] as Box) === liesOutside(strips[0] as LabelStrip, panels[0] as Box));
  const firsts = candidates.map((list) => list[0] as LabelStrip);
  if (heightsAgree(firsts) && sidesAgree(firsts)) {
    if (backgroundSpread(firsts) <= MAX_LABEL_COLOUR_SPREAD) return firsts;
    // One panel's best is a stretch of its picture (a dark suit beside the pill): a set that keeps the
    // others' best and takes that panel's runner-up on a background like theirs is the card's labels.
    const alike = candidateSets(candidates).filter(
      ({ strips }) => strips.filter((strip, index) => strip !== firsts[index]).length === 1 && heightsAgree(strips) && sidesAgree(strips) && backgroundSpread(strips) <= ALIKE_LABEL_COLOUR_SPREAD,
    );
    return alike.sort((a, b) => a.rank - b.rank || backgroundSpread(a.strips) - backgroundSpread(b.strips))[0]?.strips ?? firsts;
  }
  const options = [firsts];
  if (!sidesAgree(firsts)) {
    for (const outside of [true, false]) {
      const strips = candidates.map((list, index) => list.find((strip) => liesOutside(strip, panels[index] as Box) === outside));
      if (strips.every((strip): strip is LabelStrip => strip !== undefined)) options.push(strips);
    }
  }
  let best: { strips: LabelStrip[]; spread: number } | null = null;
  for (const strips of options) {
    if (!heightsAgree(strips)) continue;
    const spread = backgroundSpread(strips);
    if (!best || spread < best.spread) best = { strips, spread };
  }
  if (best) return best.strips;
  // No such set agrees in line height: one panel's best may be a stroke of its picture read as a
  // line (the outline of a pill taken for a bar's text). The sets of runner-up candidates that do
  // agree, and lie alike, compete: the best ranked first, then the closest in background colour.
  let fallback: { strips: LabelStrip[]; rank: number; spread: number } | null = null;
  for (const { strips, rank } of candidateSets(candidates)) {
    if (!heightsAgree(strips) || !sidesAgree(strips)) continue;
    const spread = backgroundSpread(strips);
    if (!fallback || rank < fallback.rank || (rank === fallback.rank && spread < fallback.spread)) fallback = { strips, rank, spread };
  }
  return fallback?.strips ?? null;
}

/** The median height of a strip's glyphs: the line's height without its ascenders and descenders where most letters have none. */
/** The median height of a strip's glyphs (the line's own height where it has none). */
export function glyphHeight(strip: LabelStrip): number {
  const heights = strip.glyphs.map((glyph) => glyph[3]).sort((a, b) => a - b);
  return heights[Math.floor(heights.length / 2)] ?? strip.lineHeight;
}

/** Every set of one candidate per panel among each panel's best RUNNER_UP_CANDIDATES, with the sum of their ranks. */
function candidateSets(candidates: readonly LabelStrip[][]): { strips: LabelStrip[]; rank: number }[] {
  let sets: { strips: LabelStrip[]; rank: number }[] = [{ strips: [], rank: 0 }];
  for (const list of candidates) {
    const next: { strips: LabelStrip[]; rank: number }[] = [];
    for (const set of sets) list.slice(0, RUNNER_UP_CANDIDATES).forEach((strip, rank) => next.push({ strips: [...set.strips, strip], rank: set.rank + rank }));
    sets = next;
  }
  return sets;
}

/** The largest per-channel difference between the strips' background colours. */
function backgroundSpread(strips: readonly LabelStrip[]): number {
  let spread = 0;
  for (const first of strips) for (const second of strips) for (let channel = 0; channel < 3; channel++) spread = Math.max(spread, Math.abs((first.background[channel] ?? 0) - (second.background[channel] ?? 0)));
  return spread;
}

/**
 * The best label candidate at one edge of one panel: the text nearest the edge, then the
 * biggest. Regions are first kept from crossing the panel edge (a caption on a white margin
 * must not merge with a white shirt at the picture's edge); only when that finds nothing may
 * they cross it (a pill straddling the edge).
 */
export function findPanelLabel(image: RgbaImage, panel: Box, placement: LabelPlacement, otherPanels: readonly Box[] = []): LabelStrip | null {
  return edgeSearch(image, panel, placement, otherPanels).candidates(false)[0] ?? null;
}

/** The label candidates at one edge of one panel, best first (see `findPanelLabel`); the exhaustive list goes on from the quick one's searches. */
interface EdgeSearch {
  candidates(exhaustive: boolean): LabelStrip[];
}

function edgeSearch(image: RgbaImage, panel: Box, placement: LabelPlacement, otherPanels: readonly Box[]): EdgeSearch {
  const onFlatRegions = flatRegionSearch(image, panel, placement, otherPanels);
  let onBar: LabelStrip | null | undefined;
  return {
    candidates(exhaustive) {
      const flat = onFlatRegions(exhaustive);
      onBar ??= translucentBarLabel(image, panel, placement);
      if (!onBar) return flat;
      // A bar the picture shows through breaks into flat pieces that hold part of its text at best,
      // sometimes with a piece of the picture beside it: text on the bar that reaches past the
      // flat piece's is the bar's.
      const [first] = flat;
      if (!first || onBar.textBox[2] > first.textBox[2] || (overlapsVertically(first.textBox, onBar.backgroundBox) && reachesPast(onBar, first))) return [onBar, ...flat];
      return [first, onBar, ...flat.slice(1)];
    },
  };
}

/** Whether `strip`'s text reaches at least half a line height past `other`'s at either end. */
function reachesPast(strip: LabelStrip, other: LabelStrip): boolean {
  const margin = strip.lineHeight / 2;
  return strip.textBox[0] < other.textBox[0] - margin || strip.textBox[0] + strip.textBox[2] > other.textBox[0] + other.textBox[2] + margin;
}

function sameBox(first: Box, second: Box): boolean {
  return first[0] === second[0] && first[1] === second[1] && first[2] === second[2] && first[3] === second[3];
}

function overlapsVertically(inner: Box, outer: Box): boolean {
  return inner[1] < outer[1] + outer[3] && inner[1] + inner[3] > outer[1];
}

/**
 * Label candidates on flat regions, best first. The searches go from loose to strict; the quick
 * list stops at the first search that finds a label at the edge, the exhaustive one runs them all
 * (going on from where the quick one stopped; the same text found twice counts once).
 */
function flatRegionSearch(image: RgbaImage, panel: Box, placement: LabelPlacement, otherPanels: readonly Box[]): (exhaustive: boolean) => LabelStrip[] {
  const band = searchBand(image, panel, placement, otherPanels);
  if (band.width < 16 || band.height < 12) return () => [];
  const pixels = shrinkBand(image, band);
  const edgeRow = Math.round((band.edgeY - band.top) / pixels.scale);
  const searches = SEED_DISTANCES.flatMap((seedDistance) => [edgeRow, null].map((barrierRow) => ({ seedDistance, barrierRow })));
  let next = 0;
  // A label at the edge ends the quick search; one on a pill inset from it only competes with what the next searches find.
  const found: { strip: LabelStrip; score: number; atEdge: boolean }[] = [];
  const best = () => found.reduce<(typeof found)[number] | null>((winner, candidate) => (!winner || candidate.score > winner.score ? candidate : winner), null);
  const ranked = (list: typeof found) => [...list].sort((a, b) => b.score - a.score).map(({ strip }) => strip);
  return (exhaustive) => {
    while (next < searches.length && (exhaustive || !best()?.atEdge)) {
      const { seedDistance, barrierRow } = searches[next++] as (typeof searches)[number];
      const { labels, regions, barrierHeld } = flatRegions(pixels, { barrierRow, seedDistance });
      for (const region of regions) {
        const strip = labelOnRegion(image, band, pixels, labels, region, panel, placement);
        if (!strip) continue;
        const [, textTop, textWidth, textHeight] = strip.textBox;
        const edgeDistance = Math.max(0, textTop - band.edgeY, band.edgeY - (textTop + textHeight));
        const score = (textHeight * textWidth) / (1 + edgeDistance / textHeight);
        found.push({ strip, score, atEdge: edgeDistance <= strip.lineHeight * MAX_EDGE_DISTANCE_LINES });
      }
      // Nothing would have crossed the edge: the search without the barrier would find the same regions.
      if (barrierRow !== null && !barrierHeld) next++;
    }
    return ranked(exhaustive ? found.filter(({ strip }, index) => found.findIndex((other) => sameBox(other.strip.textBox, strip.textBox)) === index) : found);
  };
}

function searchBand(image: RgbaImage, panel: Box, placement: LabelPlacement, otherPanels: readonly Box[]): Band {
  const [panelX, panelY, panelWidth, panelHeight] = panel;
  const depth = Math.max(12, Math.round(panelHeight * BAND_SHARE));
  const overlapsHorizontally = (other: Box) => other[0] < panelX + panelWidth && other[0] + other[2] > panelX;
  if (placement === 'bottom') {
    const edgeY = panelY + panelHeight;
    let outerLimit = Math.min(image.height, edgeY + depth);
    for (const other of otherPanels) if (overlapsHorizontally(other) && other[1] >= edgeY - 1) outerLimit = Math.min(outerLimit, other[1]);
    const top = Math.max(panelY, edgeY - depth);
    return { left: panelX, top, width: panelWidth, height: Math.max(0, outerLimit - top), edgeY };
  }
  const edgeY = panelY;
  let outerLimit = Math.max(0, edgeY - depth);
  for (const other of otherPanels) if (overlapsHorizontally(other) && other[1] + other[3] <= edgeY + 1) outerLimit = Math.max(outerLimit, other[1] + other[3]);
  const bottom = Math.min(panelY + panelHeight, edgeY + depth);
  const height = Math.max(0, bottom - outerLimit);
  return { left: panelX, top: outerLimit, width: panelWidth, height, edgeY };
}

/**
 * The band averaged over k×k blocks (RGB), so the region search costs the same on any card size.
 * Each block's sums are integers, so summing a block row at a time gives the same averages.
 */
export function shrinkBand(image: RgbaImage, band: Band): BandPixels {
  const scale = Math.max(1, Math.round(band.width / SEARCH_WIDTH));
  const width = Math.floor(band.width / scale);
  const height = Math.floor(band.height / scale);
  const rgb = new Uint8ClampedArray(width * height * 3);
  const blockArea = scale * scale;
  const data = image.data;
  const sums = new Int32Array(width * 3);
  for (let y = 0; y < height; y++) {
    sums.fill(0);
    for (let dy = 0; dy < scale; dy++) {
      let offset = ((band.top + y * scale + dy) * image.width + band.left) * 4;
      for (let x = 0; x < width; x++) {
        let red = 0;
        let green = 0;
        let blue = 0;
        for (let dx = 0; dx < scale; dx++, offset += 4) {
          red += data[offset] as number;
          green += data[offset + 1] as number;
          blue += data[offset + 2] as number;
        }
        sums[x * 3] = (sums[x * 3] as number) + red;
        sums[x * 3 + 1] = (sums[x * 3 + 1] as number) + green;
        sums[x * 3 + 2] = (sums[x * 3 + 2] as number) + blue;
      }
    }
    const rowStart = y * width * 3;
    for (let index = 0; index < width * 3; index++) rgb[rowStart + index] = (sums[index] as number) / blockArea;
  }
  return { rgb, width, height, scale };
}

/**
 * Flat-colour regions: 4-connected, small steps between neighbours, within `seedDistance` of
 * the seed colour. No region spans rows `barrierRow − 1` and `barrierRow` when a barrier is given.
 */
export function flatRegions(pixels: BandPixels, { barrierRow, seedDistance }: { barrierRow: number | null; seedDistance: number }): { labels: Int32Array; regions: Region[]; barrierHeld: boolean } {
  const { rgb, width, height } = pixels;
  const labels = new Int32Array(width * height);
  const regions: Region[] = [];
  const minPixels = Math.max(16, Math.round(width * height * 0.002));
  // The fill's stack keeps each pixel's column and row beside its index (no division per pixel).
  const stack = new Int32Array(width * height);
  const stackX = new Int32Array(width * height);
  const stackY = new Int32Array(width * height);
  const hasBarrier = barrierRow !== null;
  // A step from row `barrierRow` up to `barrierRow − 1`, or from `barrierRow − 1` down to `barrierRow`, crosses the barrier.
  const barrierBelow = hasBarrier ? barrierRow : -1;
  const barrierAbove = hasBarrier ? barrierRow - 1 : -1;
  const lastX = width - 1;
  const lastY = height - 1;
  let barrierHeld = false;
  let nextId = 1;
  for (let seedY = 0; seedY + 1 < height; seedY += SEED_STRIDE) {
    for (let seedX = 0; seedX + 1 < width; seedX += SEED_STRIDE) {
      const seedIndex = seedY * width + seedX;
      if (labels[seedIndex] !== 0 || !isFlatSeed(rgb, seedIndex * 3, width * 3)) continue;
      const id = nextId++;
      const seedRed = rgb[seedIndex * 3] as number;
      const seedGreen = rgb[seedIndex * 3 + 1] as number;
      const seedBlue = rgb[seedIndex * 3 + 2] as number;
      let count = 0;
      let minX = seedX;
      let maxX = seedX;
      let minY = seedY;
      let maxY = seedY;
      let sumRed = 0;
      let sumGreen = 0;
      let sumBlue = 0;
      stack[0] = seedIndex;
      stackX[0] = seedX;
      stackY[0] = seedY;
      let stackSize = 1;
      labels[seedIndex] = id;
      while (stackSize > 0) {
        stackSize--;
        const index = stack[stackSize] as number;
        const x = stackX[stackSize] as number;
        const y = stackY[stackSize] as number;
        const red = rgb[index * 3] as number;
        const green = rgb[index * 3 + 1] as number;
        const blue = rgb[index * 3 + 2] as number;
        count++;
        sumRed += red;
        sumGreen += green;
        sumBlue += blue;
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
        // Left, right, up, down; a neighbour joins when it is close to this pixel and to the seed.
        for (let direction = 0; direction < 4; direction++) {
          let neighbourIndex: number;
          let neighbourX = x;
          let neighbourY = y;
          if (direction === 0) {
            if (x === 0) continue;
            neighbourX = x - 1;
            neighbourIndex = index - 1;
          } else if (direction === 1) {
            if (x === lastX) continue;
            neighbourX = x + 1;
            neighbourIndex = index + 1;
          } else if (direction === 2) {
            if (y === 0) continue;
            neighbourY = y - 1;
            neighbourIndex = index - width;
          } else {
            if (y === lastY) continue;
            neighbourY = y + 1;
            neighbourIndex = index + width;
          }
          if (labels[neighbourIndex] !== 0) continue;
          const colour = neighbourIndex * 3;
          const neighbourRed = rgb[colour] as number;
          const neighbourGreen = rgb[colour + 1] as number;
          const neighbourBlue = rgb[colour + 2] as number;
          let step = neighbourRed - red;
          if (step > NEIGHBOUR_STEP || step < -NEIGHBOUR_STEP) continue;
          step = neighbourGreen - green;
          if (step > NEIGHBOUR_STEP || step < -NEIGHBOUR_STEP) continue;
          step = neighbourBlue - blue;
          if (step > NEIGHBOUR_STEP || step < -NEIGHBOUR_STEP) continue;
          step = neighbourRed - seedRed;
          if (step > seedDistance || step < -seedDistance) continue;
          step = neighbourGreen - seedGreen;
          if (step > seedDistance || step < -seedDistance) continue;
          step = neighbourBlue - seedBlue;
          if (step > seedDistance || step < -seedDistance) continue;
          if (hasBarrier && ((direction === 2 && y === barrierBelow) || (direction === 3 && y === barrierAbove))) {
            barrierHeld = true;
            continue;
          }
          labels[neighbourIndex] = id;
          stack[stackSize] = neighbourIndex;
          stackX[stackSize] = neighbourX;
          stackY[stackSize] = neighbourY;
          stackSize++;
        }
      }
      if (count >= minPixels) regions.push({ id, pixels: count, minX, maxX, minY, maxY, sum: [sumRed, sumGreen, sumBlue] });
    }
  }
  return { labels, regions, barrierHeld };
}

function isFlatSeed(rgb: Uint8ClampedArray, offset: number, rowStride: number): boolean {
  return channelsWithin(rgb, offset, offset + 3, SEED_SPREAD) && channelsWithin(rgb, offset, offset + rowStride, SEED_SPREAD) && channelsWithin(rgb, offset, offset + rowStride + 3, SEED_SPREAD);
}

/** Whether every channel of the two colours differs by at most `limit` (both offsets inside `rgb`). */
function channelsWithin(rgb: Uint8ClampedArray, first: number, second: number, limit: number): boolean {
  let difference = (rgb[first] as number) - (rgb[second] as number);
  if (difference > limit || difference < -limit) return false;
  difference = (rgb[first + 1] as number) - (rgb[second + 1] as number);
  if (difference > limit || difference < -limit) return false;
  difference = (rgb[first + 2] as number) - (rgb[second + 2] as number);
  return difference <= limit && difference >= -limit;
}

/** Whether some channel of the pixel at `offset` differs from `colour` by at least `contrast` (the largest channel distance reaches it). */
export function isInk(data: Uint8ClampedArray, offset: number, colour: readonly [number, number, number], contrast: number): boolean {
  let difference = (data[offset] as number) - colour[0];
  if (difference >= contrast || difference <= -contrast) return true;
  difference = (data[offset + 1] as number) - colour[1];
  if (difference >= contrast || difference <= -contrast) return true;
  difference = (data[offset + 2] as number) - colour[2];
  return difference >= contrast || difference <= -contrast;
}

/** The rows around a region's widest row where it is at least this share as wide: a pill without the thin things touching it. */
const CORE_ROW_SHARE = 0.5;
/** A core's columns at least this full (of its rows) are the pill's; a patch of the picture beside it is thinner. */
const CORE_COLUMN_SHARE = 0.8;

/** A region's core rows, each with its span (the region plus what it encloses on that row). */
interface RegionCore {
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
  /** Region pixels in the core rows. */
  pixels: number;
  /** Pixels enclosed by the region (left, right, above and below) or in it, in the core rows. */
  filled: number;
  spanStart: Int32Array;
  spanEnd: Int32Array;
  /** The core cut down to its longest run of nearly full columns, or null when that is all of it. */
  narrowed: () => RegionCore | null;
}

/**
 * The core of a region: the rows around its widest where the region, with what it encloses in
 * both directions (glyphs inside a pill), is at least half as wide. Thin things that touch a
 * pill (a tripod leg, a railing) and wander into the picture are cut off.
 */
function regionCore(labels: Int32Array, bandWidth: number, region: Region): RegionCore {
  const rows = region.maxY - region.minY + 1;
  const columns = region.maxX - region.minX + 1;
  const spanStart = new Int32Array(rows).fill(-1);
  const spanEnd = new Int32Array(rows).fill(-1);
  const columnTop = new Int32Array(columns).fill(rows);
  const columnBottom = new Int32Array(columns).fill(-1);
  const counts = new Int32Array(rows);
  for (let row = 0; row < rows; row++) {
    const rowStart = (region.minY + row) * bandWidth;
    let count = 0;
    for (let x = region.minX; x <= region.maxX; x++) {
      if (labels[rowStart + x] !== region.id) continue;
      if (spanStart[row] === -1) spanStart[row] = x;
      spanEnd[row] = x;
      const column = x - region.minX;
      if (row < (columnTop[column] ?? rows)) columnTop[column] = row;
      columnBottom[column] = row;
      count++;
    }
    counts[row] = count;
  }
  const filledPerRow = new Int32Array(rows);
  let widest = 0;
  for (let row = 0; row < rows; row++) {
    const from = spanStart[row] ?? -1;
    if (from === -1) continue;
    let filled = 0;
    for (let x = from; x <= (spanEnd[row] ?? -1); x++) {
      const column = x - region.minX;
      if (row >= (columnTop[column] ?? rows) && row <= (columnBottom[column] ?? -1)) filled++;
    }
    filledPerRow[row] = filled;
    if (filled > (filledPerRow[widest] ?? 0)) widest = row;
  }
  const enough = (filledPerRow[widest] ?? 0) * CORE_ROW_SHARE;
  let top = widest;
  let bottom = widest;
  while (top > 0 && (filledPerRow[top - 1] ?? 0) >= enough) top--;
  while (bottom < rows - 1 && (filledPerRow[bottom + 1] ?? 0) >= enough) bottom++;
  let minX = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let pixels = 0;
  let filled = 0;
  for (let row = top; row <= bottom; row++) {
    minX = Math.min(minX, spanStart[row] ?? minX);
    maxX = Math.max(maxX, spanEnd[row] ?? maxX);
    pixels += counts[row] ?? 0;
    filled += filledPerRow[row] ?? 0;
  }
  const isFilled = (row: number, x: number) => {
    const column = x - region.minX;
    return x >= (spanStart[row] ?? 0) && x <= (spanEnd[row] ?? -1) && row >= (columnTop[column] ?? rows) && row <= (columnBottom[column] ?? -1);
  };
  // A pill beside a patch of the picture in its own colour (a white cup's rim by a white pill): its columns are full, the patch's are not.
  const narrowed = (): RegionCore | null => {
    const coreRows = bottom - top + 1;
    let runStart = -1;
    let bestStart = 0;
    let bestEnd = -1;
    for (let x = minX; x <= maxX + 1; x++) {
      let filledRows = 0;
      if (x <= maxX) for (let row = top; row <= bottom; row++) if (isFilled(row, x)) filledRows++;
      if (x <= maxX && filledRows >= coreRows * CORE_COLUMN_SHARE) {
        if (runStart < 0) runStart = x;
      } else if (runStart >= 0) {
        if (x - runStart > bestEnd - bestStart + 1) [bestStart, bestEnd] = [runStart, x - 1];
        runStart = -1;
      }
    }
    if (bestEnd < bestStart || (bestStart === minX && bestEnd === maxX)) return null;
    const narrowStart = new Int32Array(coreRows).fill(-1);
    const narrowEnd = new Int32Array(coreRows).fill(-1);
    let narrowPixels = 0;
    let narrowFilled = 0;
    for (let row = top; row <= bottom; row++) {
      const from = Math.max(spanStart[row] ?? -1, bestStart);
      const to = Math.min(spanEnd[row] ?? -1, bestEnd);
      if ((spanStart[row] ?? -1) === -1 || from > to) continue;
      narrowStart[row - top] = from;
      narrowEnd[row - top] = to;
      for (let x = from; x <= to; x++) {
        if (labels[(region.minY + row) * bandWidth + x] === region.id) narrowPixels++;
        if (isFilled(row, x)) narrowFilled++;
      }
    }
    return { minX: bestStart, maxX: bestEnd, minY: region.minY + top, maxY: region.minY + bottom, pixels: narrowPixels, filled: narrowFilled, spanStart: narrowStart, spanEnd: narrowEnd, narrowed: () => null };
  };
  return {
    minX,
    maxX,
    minY: region.minY + top,
    maxY: region.minY + bottom,
    pixels,
    filled,
    spanStart: spanStart.slice(top, bottom + 1),
    spanEnd: spanEnd.slice(top, bottom + 1),
    narrowed,
  };
}

/**
 * The text line on `region` when the region is a label background, else null. The region was
 * found on the shrunk band; its glyphs are read at full resolution.
 */
function labelOnRegion(
  image: RgbaImage,
  band: Band,
  pixels: BandPixels,
  labels: Int32Array,
  region: Region,
  panel: Box,
  placement: LabelPlacement,
): LabelStrip | null {
  // The core is never wider or taller than the region: skip the narrow and flat ones unmeasured.
  if ((region.maxX - region.minX + 1) * pixels.scale < panel[2] * MIN_BACKGROUND_WIDTH_SHARE || (region.maxY - region.minY + 1) * pixels.scale < 12) return null;
  let core = regionCore(labels, pixels.width, region);
  // A core reaching the band's far side inside the panel is part of the picture (a wall, the sky).
  const innerRow = placement === 'bottom' ? 0 : pixels.height - 1;
  if (innerRow >= core.minY && innerRow <= core.maxY) return null;
  const { scale } = pixels;
  const shapeOk = (candidate: RegionCore) => {
    const columns = candidate.maxX - candidate.minX + 1;
    const rows = candidate.maxY - candidate.minY + 1;
    const width = columns * scale;
    const height = rows * scale;
    if (width < panel[2] * MIN_BACKGROUND_WIDTH_SHARE || width < height * MIN_BACKGROUND_ASPECT || height < 12) return false;
    return candidate.filled >= columns * rows * MIN_RECTANGULARITY && candidate.pixels >= candidate.filled * MIN_BACKGROUND_SHARE;
  };
  if (!shapeOk(core)) {
    const narrowed = core.narrowed();
    if (!narrowed || !shapeOk(narrowed)) return null;
    core = narrowed;
  }
  const { spanStart, spanEnd } = core;
  const columns = core.maxX - core.minX + 1;
  const rows = core.maxY - core.minY + 1;
  const regionWidth = columns * scale;
  const regionHeight = rows * scale;

  const background: [number, number, number] = [region.sum[0] / region.pixels, region.sum[1] / region.pixels, region.sum[2] / region.pixels];
  const originX = band.left + core.minX * scale;
  const originY = band.top + core.minY * scale;
  // Ink: full-resolution pixels far from the background, inside each span less its end blocks (the pill's outline).
  const ink = new Uint8Array(regionWidth * regionHeight);
  for (let row = 0; row < rows; row++) {
    const from = spanStart[row] ?? -1;
    const to = spanEnd[row] ?? -1;
    if (from === -1 || to - from < 2) continue;
    for (let y = row * scale; y < (row + 1) * scale; y++) {
      const rowOffset = ((originY + y) * image.width + originX) * 4;
      for (let x = (from + 1 - core.minX) * scale; x < (to - core.minX) * scale; x++) if (isInk(image.data, rowOffset + x * 4, background, INK_CONTRAST)) ink[y * regionWidth + x] = 1;
    }
  }

  const found = textLine(ink, regionWidth, regionHeight);
  if (!found) return null;
  const { line, glyphs, lineHeight, lineWidth } = found;

  if (regionWidth < panel[2] * NARROW_BACKGROUND_SHARE && Math.min(line.minX, regionWidth - 1 - line.maxX) < lineHeight * PILL_MARGIN_LINES) return null;

  const textTop = originY + line.minY;
  const textBottom = textTop + lineHeight;
  const edgeDistance = textBottom < band.edgeY ? band.edgeY - textBottom : textTop > band.edgeY ? textTop - band.edgeY : 0;
  if (edgeDistance > lineHeight * MAX_EDGE_DISTANCE_LINES && !(pillInset(placement, band.edgeY, originY, regionHeight) <= panel[3] * MAX_PILL_INSET_SHARE)) return null;

  const textBox: Box = [originX + line.minX, textTop, lineWidth, lineHeight];
  const backgroundBox: Box = [originX, originY, regionWidth, regionHeight];
  return {
    placement,
    backgroundBox,
    background: [Math.round(background[0]), Math.round(background[1]), Math.round(background[2])],
    textBox,
    cropBox: cropAround(textBox, backgroundBox, lineHeight),
    lineHeight,
    gaps: inkGaps(ink, regionWidth, line).map(([start, end]) => [originX + start, originX + end]),
    glyphs: glyphBoxes(glyphs, originX, originY),
  };
}

/**
 * The dominant line of enclosed ink blobs in a `width` × `height` ink map when it reads as text:
 * not too short for its background, glyph-sized pieces (not strokes of the picture: a cup's rim, a
 * horizon), and a share of ink that letters give. Blobs `isGlyph` turns down take no part.
 */
function textLine(ink: Uint8Array, width: number, height: number, isGlyph?: (blob: Blob) => boolean): { line: Blob; glyphs: Blob[]; lineHeight: number; lineWidth: number } | null {
  const blobs = glyphBlobs(ink, width, height);
  const found = dominantLine(isGlyph ? blobs.filter(isGlyph) : blobs);
  if (!found) return null;
  const { box: line, glyphs } = found;
  const lineHeight = line.maxY - line.minY + 1;
  const lineWidth = line.maxX - line.minX + 1;
  if (lineHeight < MIN_LINE_HEIGHT || lineHeight > height * MAX_LINE_SHARE_OF_BACKGROUND) return null;
  const aspects = glyphs.map((glyph) => (glyph.maxX - glyph.minX + 1) / (glyph.maxY - glyph.minY + 1)).sort((a, b) => a - b);
  if ((aspects[Math.floor(aspects.length / 2)] ?? Number.POSITIVE_INFINITY) > maxGlyphAspect(lineHeight)) return null;
  let inkPixels = 0;
  for (let row = line.minY; row <= line.maxY; row++) for (let x = line.minX; x <= line.maxX; x++) inkPixels += ink[row * width + x] ?? 0;
  const inkShare = inkPixels / (lineHeight * lineWidth);
  if (inkShare < INK_SHARE_RANGE[0] || inkShare > INK_SHARE_RANGE[1]) return null;
  return { line, glyphs, lineHeight, lineWidth };
}

/** How far a background inside the panel stops short of the panel edge; infinite for one that reaches past it (a margin or a bar outside). */
function pillInset(placement: LabelPlacement, edgeY: number, top: number, height: number): number {
  if (placement === 'bottom') return top + height <= edgeY ? edgeY - (top + height) : Number.POSITIVE_INFINITY;
  return top >= edgeY ? top - edgeY : Number.POSITIVE_INFINITY;
}

/**
 * A full-width bar laid over the picture at its top or bottom edge, translucent or opaque: the
 * picture shows through a translucent one, so it is no flat region. Its inner edge is a straight
 * line along which nearly every column steps the same way (towards the bar's colour); inside,
 * the text is the ink on the far side of the bar's middle tone from the bulk of its pixels.
 */
function translucentBarLabel(image: RgbaImage, panel: Box, placement: LabelPlacement): LabelStrip | null {
  const [panelX, panelY, panelWidth, panelHeight] = panel;
  const maxDepth = Math.floor(panelHeight * BAR_MAX_DEPTH_SHARE);
  if (panelWidth < 32 || maxDepth < BAR_MIN_HEIGHT) return null;
  const columnStep = Math.max(1, Math.floor(panelWidth / BAR_EDGE_SAMPLES));
  const data = image.data;
  // Rows of the bar and of the picture one line away from the edge between them (a resampled edge is two lines wide).
  let best: { depth: number; share: number; tone: number | null } = { depth: 0, share: 0, tone: null };
  for (let depth = BAR_MIN_HEIGHT; depth <= maxDepth; depth++) {
    const barRow = placement === 'bottom' ? panelY + panelHeight - depth + 1 : panelY + depth - 2;
    const pictureRow = placement === 'bottom' ? barRow - 3 : barRow + 3;
    if (pictureRow < panelY || pictureRow >= panelY + panelHeight) break;
    let brighter = 0;
    let darker = 0;
    const fit = new BlendFit();
    const pictureRowOffset = pictureRow * image.width * 4;
    const barRowOffset = barRow * image.width * 4;
    for (let x = panelX + columnStep; x < panelX + panelWidth - columnStep; x += columnStep) {
      const picture = lumaAt(data, pictureRowOffset + x * 4);
      const step = lumaAt(data, barRowOffset + x * 4) - picture;
      if (step >= BAR_EDGE_STEP) brighter++;
      else if (step <= -BAR_EDGE_STEP) darker++;
      fit.add(picture, step);
    }
    // Either nearly every column steps the same way, or the steps are those of one colour blended over the picture.
    const blend = fit.blend();
    const share = Math.max(brighter, darker, blend ? blend.fit * fit.samples : 0) / Math.max(1, fit.samples);
    if (share > best.share) best = { depth, share, tone: blend?.tone ?? null };
  }
  if (best.share < BAR_EDGE_SHARE) return null;
  const barHeight = best.depth;
  const barTop = placement === 'bottom' ? panelY + panelHeight - barHeight : panelY;
  return labelOnBar(image, [panelX, barTop, panelWidth, barHeight], placement, best.tone);
}

/**
 * The text line on a bar across `bar` (a box: the panel's columns, the bar's rows), whose colour
 * blended over the picture has luma `tone` where that is known.
 */
function labelOnBar(image: RgbaImage, bar: Box, placement: LabelPlacement, tone: number | null): LabelStrip | null {
  const [panelX, barTop, panelWidth, barHeight] = bar;
  const data = image.data;
  // The bar's tone (median luma) and its ink: the far tail on the side with the larger excursion.
  const histogram = new Uint32Array(256);
  const lumas = new Uint8Array(panelWidth * barHeight);
  for (let y = 0; y < barHeight; y++) {
    const rowOffset = ((barTop + y) * image.width + panelX) * 4;
    for (let x = 0; x < panelWidth; x++) {
      const value = Math.round(lumaAt(data, rowOffset + x * 4));
      lumas[y * panelWidth + x] = value;
      histogram[value] = (histogram[value] as number) + 1;
    }
  }
  const percentile = (share: number) => {
    const wanted = share * lumas.length;
    let seen = 0;
    for (let value = 0; value < 256; value++) {
      seen += histogram[value] ?? 0;
      if (seen >= wanted) return value;
    }
    return 255;
  };
  const median = percentile(0.5);
  const darkest = percentile(BAR_INK_PERCENTILE);
  const lightest = percentile(1 - BAR_INK_PERCENTILE);
  // A bar blended over the picture has its own colour: its ink is the far side of that (a light bar over a dark suit still has dark text).
  const darkInk = tone !== null ? tone >= 128 : median - darkest >= lightest - median;
  const inkLevel = darkInk ? darkest : lightest;
  if (Math.abs(median - inkLevel) < INK_CONTRAST) return null;
  const threshold = (median + inkLevel) / 2;
  const ink = new Uint8Array(lumas.length);
  let backgroundRed = 0;
  let backgroundGreen = 0;
  let backgroundBlue = 0;
  let backgroundPixels = 0;
  for (let y = 0; y < barHeight; y++) {
    const rowOffset = ((barTop + y) * image.width + panelX) * 4;
    for (let x = 0, index = y * panelWidth; x < panelWidth; x++, index++) {
      const value = lumas[index] as number;
      if (darkInk ? value < threshold : value > threshold) ink[index] = 1;
      else {
        const offset = rowOffset + x * 4;
        backgroundRed += data[offset] as number;
        backgroundGreen += data[offset + 1] as number;
        backgroundBlue += data[offset + 2] as number;
        backgroundPixels++;
      }
    }
  }
  const found = textLine(ink, panelWidth, barHeight);
  if (!found) return null;
  const { line, glyphs, lineHeight, lineWidth } = found;

  const textBox: Box = [panelX + line.minX, barTop + line.minY, lineWidth, lineHeight];
  const backgroundBox: Box = [panelX, barTop, panelWidth, barHeight];
  const pixels = Math.max(1, backgroundPixels);
  return {
    placement,
    backgroundBox,
    background: [Math.round(backgroundRed / pixels), Math.round(backgroundGreen / pixels), Math.round(backgroundBlue / pixels)],
    textBox,
    cropBox: cropAround(textBox, backgroundBox, lineHeight),
    lineHeight,
    gaps: inkGaps(ink, panelWidth, line).map(([start, end]) => [panelX + start, panelX + end]),
    glyphs: glyphBoxes(glyphs, panelX, barTop),
  };
}

/** Luma (0-255, unrounded) of the RGBA pixel at `offset`. */
function lumaAt(data: Uint8ClampedArray, offset: number): number {
  return 0.299 * (data[offset] as number) + 0.587 * (data[offset + 1] as number) + 0.114 * (data[offset + 2] as number);
}

/**
 * Least squares of the luma step across a bar's inner edge against the picture's luma beside it.
 * A colour C laid over the picture at opacity a steps each column by a(C - picture): a line of
 * slope -a through the steps, whatever the picture.
 */
class BlendFit {
  samples = 0;
  private sumX = 0;
  private sumY = 0;
  private sumXX = 0;
  private sumYY = 0;
  private sumXY = 0;

  add(picture: number, step: number): void {
    this.samples++;
    this.sumX += picture;
    this.sumY += step;
    this.sumXX += picture * picture;
    this.sumYY += step * step;
    this.sumXY += picture * step;
  }

  /** The blend's fit (r²) and the luma of its colour, when the steps are one colour's blend over a picture that varies enough to tell; else null. */
  blend(): { fit: number; tone: number } | null {
    const n = this.samples;
    if (n < 8) return null;
    const varianceX = this.sumXX / n - (this.sumX / n) ** 2;
    const varianceY = this.sumYY / n - (this.sumY / n) ** 2;
    if (varianceX < BLEND_MIN_PICTURE_SPREAD ** 2 || varianceY <= 0) return null;
    const covariance = this.sumXY / n - (this.sumX / n) * (this.sumY / n);
    const slope = covariance / varianceX;
    if (slope > -BLEND_OPACITY_RANGE[0] || slope < -BLEND_OPACITY_RANGE[1]) return null;
    const intercept = this.sumY / n - slope * (this.sumX / n);
    return { fit: (covariance * covariance) / (varianceX * varianceY), tone: -intercept / slope };
  }
}

/** The text line padded with background, kept inside the pill or bar. */
function cropAround(textBox: Box, backgroundBox: Box, lineHeight: number): Box {
  const marginX = Math.round(lineHeight * CROP_MARGIN_X);
  const marginY = Math.round(lineHeight * CROP_MARGIN_Y);
  const left = Math.max(backgroundBox[0], textBox[0] - marginX);
  const top = Math.max(backgroundBox[1], textBox[1] - marginY);
  const right = Math.min(backgroundBox[0] + backgroundBox[2], textBox[0] + textBox[2] + marginX);
  const bottom = Math.min(backgroundBox[1] + backgroundBox[3], textBox[1] + textBox[3] + marginY);
  return [left, top, right - left, bottom - top];
}

/** 8-connected ink blobs that do not touch the region's bounding box (those are not enclosed glyphs). */
export function glyphBlobs(ink: Uint8Array, width: number, height: number): Blob[] {
  const seen = new Uint8Array(width * height);
  // The fill's stack keeps each pixel's column and row (no division per pixel); it never holds more
  // than the ink pixels, often a small share of the map (fresh pages cost more than the fill).
  let inkPixels = 0;
  for (let index = 0; index < width * height; index++) inkPixels += ink[index] as number;
  const stackX = new Int32Array(inkPixels);
  const stackY = new Int32Array(inkPixels);
  const blobs: Blob[] = [];
  for (let startY = 0, start = 0; startY < height; startY++) {
    for (let startX = 0; startX < width; startX++, start++) {
      if (!ink[start] || seen[start]) continue;
      seen[start] = 1;
      stackX[0] = startX;
      stackY[0] = startY;
      let stackSize = 1;
      let minX = startX;
      let maxX = startX;
      let minY = startY;
      let maxY = startY;
      let pixels = 0;
      while (stackSize > 0) {
        stackSize--;
        const x = stackX[stackSize] as number;
        const y = stackY[stackSize] as number;
        pixels++;
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
        const fromX = x > 0 ? x - 1 : x;
        const toX = x < width - 1 ? x + 1 : x;
        const fromY = y > 0 ? y - 1 : y;
        const toY = y < height - 1 ? y + 1 : y;
        for (let neighbourY = fromY; neighbourY <= toY; neighbourY++) {
          for (let neighbourX = fromX, neighbour = neighbourY * width + fromX; neighbourX <= toX; neighbourX++, neighbour++) {
            if (ink[neighbour] && !seen[neighbour]) {
              seen[neighbour] = 1;
              stackX[stackSize] = neighbourX;
              stackY[stackSize] = neighbourY;
              stackSize++;
            }
          }
        }
      }
      const touchesEdge = minX === 0 || minY === 0 || maxX === width - 1 || maxY === height - 1;
      if (!touchesEdge && pixels >= 3) blobs.push({ minX, maxX, minY, maxY, pixels });
    }
  }
  return blobs;
}

/**
 * Groups glyph blobs into lines by vertical overlap and returns the line with the most glyph
 * width (its box and its glyphs); any piece centred within the line's rows and within
 * MAX_WORD_GAP_LINES of the box (dots, accents, touching letters, the words after them) joins the box.
 */
function dominantLine(blobs: Blob[]): { box: Blob; glyphs: Blob[] } | null {
  // Long thin pieces (a picture's edge or JPEG ringing along the pill's rim) are no glyphs and must not lead a line.
  const tall = blobs
    .filter((blob) => blob.maxY - blob.minY + 1 >= MIN_LINE_HEIGHT / 2 && blob.maxX - blob.minX + 1 <= MAX_PIECE_ASPECT * (blob.maxY - blob.minY + 1))
    .sort((a, b) => b.maxY - b.minY - (a.maxY - a.minY));
  const lines: { box: Blob; glyphs: Blob[]; glyphWidth: number }[] = [];
  for (const blob of tall) {
    const blobHeight = blob.maxY - blob.minY + 1;
    const line = lines.find(({ box }) => {
      const overlap = Math.min(box.maxY, blob.maxY) - Math.max(box.minY, blob.minY) + 1;
      return overlap >= blobHeight * 0.5;
    });
    if (line) {
      line.box = union(line.box, blob);
      line.glyphs.push(blob);
      line.glyphWidth += blob.maxX - blob.minX + 1;
    } else {
      lines.push({ box: { ...blob }, glyphs: [blob], glyphWidth: blob.maxX - blob.minX + 1 });
    }
  }
  // A line's words stand close; a piece far beside them (a rounded corner of the picture at the bar's end) is no part of it.
  const runs = lines.flatMap((line) => glyphRuns(line.glyphs, line.box.maxY - line.box.minY + 1));
  const best = runs.sort((a, b) => b.glyphWidth - a.glyphWidth)[0];
  if (!best) return null;
  let box = best.box;
  const reach = (best.box.maxY - best.box.minY + 1) * MAX_WORD_GAP_LINES;
  // Within reach of the box as it grows: touching letters make a piece too long to lead a line ("ream"
  // of a small "Seedream 3"), and the word after it is within reach of that piece, not of the run.
  const joined = new Set<Blob>();
  for (let grown = true; grown; ) {
    grown = false;
    for (const blob of blobs) {
      const centreY = (blob.minY + blob.maxY) / 2;
      if (joined.has(blob) || centreY < box.minY || centreY > box.maxY || blob.maxX < box.minX - reach || blob.minX > box.maxX + reach) continue;
      joined.add(blob);
      const next = union(box, blob);
      grown ||= next.minX < box.minX || next.maxX > box.maxX;
      box = next;
    }
  }
  return { box, glyphs: best.glyphs };
}

/** A line's glyphs split where the gap between neighbours is wider than MAX_WORD_GAP_LINES line heights. */
function glyphRuns(glyphs: readonly Blob[], lineHeight: number): { box: Blob; glyphs: Blob[]; glyphWidth: number }[] {
  const runs: { box: Blob; glyphs: Blob[]; glyphWidth: number }[] = [];
  for (const glyph of [...glyphs].sort((a, b) => a.minX - b.minX)) {
    const run = runs.at(-1);
    if (run && glyph.minX - run.box.maxX <= lineHeight * MAX_WORD_GAP_LINES) {
      run.box = union(run.box, glyph);
      run.glyphs.push(glyph);
      run.glyphWidth += glyph.maxX - glyph.minX + 1;
    } else {
      runs.push({ box: { ...glyph }, glyphs: [glyph], glyphWidth: glyph.maxX - glyph.minX + 1 });
    }
  }
  return runs;
}

function union(first: Blob, second: Blob): Blob {
  return {
    minX: Math.min(first.minX, second.minX),
    maxX: Math.max(first.maxX, second.maxX),
    minY: Math.min(first.minY, second.minY),
    maxY: Math.max(first.maxY, second.maxY),
    pixels: first.pixels + second.pixels,
  };
}

function glyphBoxes(glyphs: readonly Blob[], originX: number, originY: number): Box[] {
  return glyphs.map((glyph): Box => [originX + glyph.minX, originY + glyph.minY, glyph.maxX - glyph.minX + 1, glyph.maxY - glyph.minY + 1]).sort((a, b) => a[0] - b[0]);
}

/** Runs of ink-free columns strictly inside the line, in region x coordinates. */
function inkGaps(ink: Uint8Array, regionWidth: number, line: Blob): [number, number][] {
  const gaps: [number, number][] = [];
  let gapStart = -1;
  for (let x = line.minX; x <= line.maxX; x++) {
    let hasInk = false;
    for (let row = line.minY; row <= line.maxY && !hasInk; row++) hasInk = ink[row * regionWidth + x] === 1;
    if (!hasInk && gapStart === -1) gapStart = x;
    if (hasInk && gapStart !== -1) {
      gaps.push([gapStart, x]);
      gapStart = -1;
    }
  }
  return gaps;
}
