/**
 * Shared regions for a controlled comparison. When the two panels show one scene from one camera
 * position (the audit's framing and the whole-picture structure line up), the renderer is the only
 * difference, and the signals should judge both panels on the same pixels. The region models run
 * on each panel separately, though, and what they find moves with what is being judged: a mushy
 * cup is not found as a cup, a crushed shadow swallows part of the person mask, a smoothed face
 * shifts the skin fit. Measuring each panel on its own maps then compares different areas, and
 * the worse rendering can escape a signal altogether.
 *
 * So, for aligned panels, each region becomes one shared region, carried across by relative
 * position (panels may differ in size):
 * - found in both panels and overlapping well: their intersection, on both (the area both agree on);
 * - found in one panel only: that panel's region, on both;
 * - found in both but overlapping poorly: each keeps its own (the models disagree about where it
 *   is; sharing would measure one of them on the wrong pixels).
 * Tabletop objects are matched one to one by overlap and follow the same rules. The face and its
 * landmarks stay each panel's own (they are measurements of that panel's geometry).
 */
import type { Box, RgbaImage } from '../types';
import { clippedBounds, maskExtent } from './mask';
import { ScratchArrays } from './scratch';
import type { PanelRegionMaps, RegionMask, TabletopObject } from './types';

const INSIDE = 128;
/** Whole-picture structure alignment (audit, 0-1) from which the panels count as pixel-aligned. */
export const SHARE_STRUCTURE_FROM = 0.9;
/** Two panels' masks of one region overlap well when their intersection holds this share of the smaller one. */
export const SHARE_MIN_OVERLAP = 0.6;

/** The carried mask `shareMask` compares with, reused from one region to the next (one card at a time). */
const SHARE_SCRATCH = new ScratchArrays();

type MaskField = 'person' | 'faceSkin' | 'otherSkin' | 'garment' | 'background';
const MASK_FIELDS: readonly MaskField[] = ['person', 'faceSkin', 'otherSkin', 'garment', 'background'];

/**
 * `mask` carried onto a width × height panel by relative position (nearest sample), as a new mask
 * (into `buffer`, width × height long, where given: every cell is written).
 */
export function carryMask(mask: RegionMask, width: number, height: number, buffer?: Uint8Array): RegionMask {
  if (mask.width === width && mask.height === height) return mask;
  const data = buffer ?? new Uint8Array(width * height);
  const columns = new Int32Array(width);
  for (let x = 0; x < width; x++) columns[x] = Math.min(mask.width - 1, Math.floor(((x + 0.5) * mask.width) / width));
  for (let y = 0; y < height; y++) {
    const sourceRow = Math.min(mask.height - 1, Math.floor(((y + 0.5) * mask.height) / height)) * mask.width;
    const row = y * width;
    for (let x = 0; x < width; x++) data[row + x] = mask.data[sourceRow + (columns[x] ?? 0)] ?? 0;
  }
  const { box, pixels } = maskExtent(data, width, height);
  return { data, width, height, box, pixels, confidence: mask.confidence };
}

/**
 * Where both masks can be inside (same size): the intersection of their boxes, as
 * [left, top, width, height], or null. A pixel ≥ 128 in both lies in it; the masks' soft values
 * below 128 may lie outside it.
 */
function boxesMeet(first: RegionMask, second: RegionMask): Box | null {
  const [ax, ay, aw, ah] = first.box;
  const [bx, by, bw, bh] = second.box;
  const left = Math.max(ax, bx);
  const top = Math.max(ay, by);
  const right = Math.min(ax + aw, bx + bw);
  const bottom = Math.min(ay + ah, by + bh);
  return right > left && bottom > top ? [left, top, right - left, bottom - top] : null;
}

/** Pixels inside both masks (same size), counted where their boxes meet: nowhere else can a pixel be inside both. */
function overlapPixels(first: RegionMask, second: RegionMask): number {
  const meet = boxesMeet(first, second);
  if (!meet) return 0;
  const [left, top, right, bottom] = clippedBounds(first.width, first.height, meet);
  const a = first.data;
  const b = second.data;
  let both = 0;
  for (let y = top; y < bottom; y++) {
    const row = y * first.width;
    for (let index = row + left; index < row + right; index++) if ((a[index] as number) >= INSIDE && (b[index] as number) >= INSIDE) both++;
  }
  return both;
}

/** The lesser of the two masks per pixel (same size), or null when nothing is inside both. */
function intersect(first: RegionMask, second: RegionMask): RegionMask | null {
  const meet = boxesMeet(first, second);
  if (!meet) return null;
  const a = first.data;
  const b = second.data;
  const data = new Uint8Array(a.length);
  // Every pixel: the soft values below 128 count too, also outside the boxes.
  for (let index = 0; index < data.length; index++) {
    const left = a[index] as number;
    const right = b[index] as number;
    data[index] = left < right ? left : right;
  }
  const { box, pixels } = maskExtent(data, first.width, first.height, meet);
  return pixels === 0 ? null : { data, width: first.width, height: first.height, box, pixels, confidence: Math.min(first.confidence, second.confidence) };
}

/** Whether two same-size masks overlap well enough to be one region. */
function agree(first: RegionMask, second: RegionMask): boolean {
  const smaller = Math.min(first.pixels, second.pixels);
  return smaller > 0 && overlapPixels(first, second) >= SHARE_MIN_OVERLAP * smaller;
}

/**
 * One region on both panels (see the module comment): [for the first panel, for the second], or
 * null when each keeps its own.
 */
function shareMask(first: RegionMask | null, second: RegionMask | null, sizes: [[number, number], [number, number]]): [RegionMask | null, RegionMask | null] | null {
  const [[widthA, heightA], [widthB, heightB]] = sizes;
  if (!first && !second) return [null, null];
  if (first && !second) return [first, carryMask(first, widthB, heightB)];
  if (!first && second) return [carryMask(second, widthA, heightA), second];
  const a = first as RegionMask;
  // The second panel's mask in the first's grid is read here only (agree, intersect), so it goes into a kept buffer.
  const inA = carryMask(second as RegionMask, widthA, heightA, widthA === widthB && heightA === heightB ? undefined : SHARE_SCRATCH.uint8(0, widthA * heightA));
  if (!agree(a, inA)) return null;
  const shared = intersect(a, inA);
  return shared ? [shared, carryMask(shared, widthB, heightB)] : null;
}

function carryObject(object: TabletopObject, width: number, height: number): TabletopObject {
  return { kind: object.kind, mask: carryMask(object.mask, width, height) };
}

/** Tabletop objects matched one to one by overlap (in the first panel's grid); unmatched ones are carried across. */
function shareTabletop(first: TabletopObject[] | null, second: TabletopObject[] | null, sizes: [[number, number], [number, number]]): [TabletopObject[] | null, TabletopObject[] | null] {
  const [[widthA, heightA], [widthB, heightB]] = sizes;
  const objectsA = first ?? [];
  const objectsB = second ?? [];
  if (objectsA.length === 0 && objectsB.length === 0) return [first, second];
  const outA: TabletopObject[] = [];
  const outB: TabletopObject[] = [];
  const carriedB = objectsB.map((object) => carryObject(object, widthA, heightA));
  const used = new Set<number>();
  for (const object of objectsA) {
    const match = carriedB.findIndex((candidate, index) => !used.has(index) && agree(object.mask, candidate.mask));
    if (match < 0) {
      outA.push(object);
      outB.push(carryObject(object, widthB, heightB));
      continue;
    }
    used.add(match);
    const shared = intersect(object.mask, (carriedB[match] as TabletopObject).mask);
    if (!shared) continue;
    outA.push({ kind: object.kind, mask: shared });
    outB.push({ kind: object.kind, mask: carryMask(shared, widthB, heightB) });
  }
  objectsB.forEach((object, index) => {
    if (used.has(index)) return;
    outA.push(carriedB[index] as TabletopObject);
    outB.push(object);
  });
  return [outA.length > 0 ? outA : null, outB.length > 0 ? outB : null];
}

/**
 * The two panels' region maps with every region shared (module comment); the face stays each
 * panel's own. With the panels' pixels, a shared garment also loses what is clipped in either
 * panel (`visibleInBoth`).
 */
export function shareRegions(first: PanelRegionMaps, second: PanelRegionMaps, panels?: [RgbaImage, RgbaImage]): [PanelRegionMaps, PanelRegionMaps] {
  const sizes: [[number, number], [number, number]] = [
    [first.width, first.height],
    [second.width, second.height],
  ];
  const a: PanelRegionMaps = { ...first };
  const b: PanelRegionMaps = { ...second };
  for (const field of MASK_FIELDS) {
    const shared = shareMask(first[field], second[field], sizes);
    if (!shared) continue;
    const [sharedA, sharedB] = field === 'garment' && panels && shared[0] ? visibleInBoth(shared[0], panels, [second.width, second.height]) : shared;
    a[field] = sharedA;
    b[field] = sharedB;
  }
  [a.tabletop, b.tabletop] = shareTabletop(first.tabletop, second.tabletop, sizes);
  return [a, b];
}

/** Luma levels at or beyond which a pixel is clipped: crushed to black or blown to white (as the texture signals count them). */
const CLIPPED_LOW = 8;
const CLIPPED_HIGH = 250;

function clippedAt(panel: RgbaImage, x: number, y: number): boolean {
  const offset = (y * panel.width + x) * 4;
  const luma = 0.299 * (panel.data[offset] ?? 0) + 0.587 * (panel.data[offset + 1] ?? 0) + 0.114 * (panel.data[offset + 2] ?? 0);
  return luma <= CLIPPED_LOW || luma >= CLIPPED_HIGH;
}

/**
 * A shared garment (in the first panel's grid) without the pixels clipped in either panel, for
 * both panels. Fabric texture is then compared on the same visible fabric: a panel whose sweater is
 * crushed to black is not judged on its few remaining bright folds against the other panel's whole
 * sweater (the clipping itself is the shadow signal's finding).
 */
function visibleInBoth(garment: RegionMask, [first, second]: [RgbaImage, RgbaImage], [widthB, heightB]: [number, number]): [RegionMask | null, RegionMask | null] {
  const data = new Uint8Array(garment.data);
  const [boxX, boxY, boxWidth, boxHeight] = garment.box;
  for (let y = boxY; y < boxY + boxHeight; y++) {
    const secondY = Math.min(second.height - 1, Math.floor(((y + 0.5) * second.height) / first.height));
    for (let x = boxX; x < boxX + boxWidth; x++) {
      const index = y * garment.width + x;
      if ((data[index] ?? 0) < INSIDE) continue;
      const secondX = Math.min(second.width - 1, Math.floor(((x + 0.5) * second.width) / first.width));
      if (clippedAt(first, x, y) || clippedAt(second, secondX, secondY)) data[index] = 0;
    }
  }
  const { box, pixels } = maskExtent(data, garment.width, garment.height, garment.box);
  if (pixels === 0) return [null, null];
  const visible: RegionMask = { data, width: garment.width, height: garment.height, box, pixels, confidence: garment.confidence };
  return [visible, carryMask(visible, widthB, heightB)];
}
