/**
 * Two separate pictures as the two panels of one card (a two-image post on X, Bluesky or
 * Facebook, or two files dropped onto the library). The pictures are set side by side at one
 * height with a plain gutter, the way comparison cards are made; the panels are exactly the two
 * pictures, so nothing is guessed. Pure: the drawing itself lives at the canvas edge (lib/library/pair.ts).
 */
import { UNRELATED_PICTURES } from './result';
import type { AnalysisResult, Box, CardDetection, NotCardReason, PairImage, PairSource } from './types';

/** Panels are drawn this tall at most (the engine gains nothing from more), and never enlarged. */
export const PAIR_MAX_HEIGHT = 1024;
/** The gutter: a share of the panel height, at least a few pixels, in a colour photos rarely have at their edge. */
const GUTTER_SHARE = 0.03;
const MIN_GUTTER = 8;
export const PAIR_GUTTER_COLOUR = '#ffffff';

export interface PairLayout {
  height: number;
  gutter: number;
  /** Width of each picture once scaled to `height`. */
  widths: [number, number];
  width: number;
}

/** Where each picture goes: both at the smaller height (capped), side by side with a gutter. */
export function pairLayout(first: { width: number; height: number }, second: { width: number; height: number }, maxHeight = PAIR_MAX_HEIGHT): PairLayout {
  const height = Math.max(1, Math.min(maxHeight, first.height, second.height));
  const widths: [number, number] = [Math.max(1, Math.round((first.width * height) / first.height)), Math.max(1, Math.round((second.width * height) / second.height))];
  const gutter = Math.max(MIN_GUTTER, Math.round(height * GUTTER_SHARE));
  return { height, gutter, widths, width: widths[0] + gutter + widths[1] };
}

/** Each picture's place on the pair's card, in card pixels: the panel boxes, first on the left. */
export function pairPanelBoxes(layout: PairLayout): [Box, Box] {
  return [
    [0, 0, layout.widths[0], layout.height],
    [layout.widths[0] + layout.gutter, 0, layout.widths[1], layout.height],
  ];
}

/** Why a picture cannot be a panel, from its own detection: only the reasons about the picture as such count. */
const PANEL_REJECTIONS: readonly NotCardReason[] = ['too-small', 'extreme-aspect', 'uniform'];

/**
 * The detection of a pair: a side-by-side card whose panels are the two pictures, unless one of
 * them is too small, too long and thin or blank to be a panel (its own detection says which).
 */
export function pairDetection(layout: PairLayout, panelDetections: readonly [CardDetection, CardDetection]): CardDetection {
  const rejected = panelDetections.map((detection) => detection.reason).find((reason) => reason !== null && PANEL_REJECTIONS.includes(reason));
  if (rejected) return { isComparison: false, layout: null, confidence: 1, grid: null, panels: [], reason: rejected };
  return { isComparison: true, layout: 'side-by-side', confidence: 1, grid: { rows: 1, cols: 2 }, panels: pairPanelBoxes(layout), reason: null };
}

/**
 * The pair's content key: SHA-256 over both pictures' SHA-256 in order, so the same two pictures
 * in the same order always give the same key and swapping them gives another (panel A is the first).
 */
export async function pairKey(firstHash: string, secondHash: string): Promise<string> {
  const text = `sidelight-pair-v1\n${firstHash}\n${secondHash}`;
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  let hex = '';
  for (const byte of new Uint8Array(digest)) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** The result's `source` field for a pair: each picture's name, hash and size, in panel order. */
export function pairSource(images: readonly [PairImage, PairImage]): PairSource {
  return { kind: 'pair', images: [{ ...images[0] }, { ...images[1] }] };
}

/** True when the result is the analysis of two pictures as one card. */
export function isPairResult(result: Pick<AnalysisResult, 'source'>): boolean {
  return result.source?.kind === 'pair';
}

/**
 * Any post with two pictures is analysed as a pair, but most such posts are not comparisons (a
 * dish and a view, two holiday photos). A pair stays a card only with evidence that it is one:
 * both panels labelled (from the post text, the alt text or the pictures themselves), or the
 * audit not finding two different setups (the same scene, as a controlled comparison shows it).
 * Otherwise it is `isComparison: false`, reason `unrelated-pictures`, and no overlay is drawn.
 * Applied after the caption labels, which the cache does not hold.
 */
export function withPairEvidence(result: AnalysisResult): AnalysisResult {
  if (!isPairResult(result) || !result.ok || !result.isComparison) return result;
  const labelled = result.panels.length === 2 && result.panels.every((panel) => Boolean(panel.label));
  if (labelled || result.consistency.controlled !== false) return result;
  return {
    ...result,
    isComparison: false,
    reason: 'unrelated-pictures',
    layout: null,
    grid: null,
    panels: [],
    verdict: { winner: null, summary: UNRELATED_PICTURES },
  };
}

