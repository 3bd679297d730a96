/**
 * Builds a panel's region maps from the model outputs (face box and score, 478 landmarks,
 * person probability) and the panel's own pixels; and the summary the result reports.
 */
import type { Box, GrayImage, PanelRegions, RegionSummary, RgbaImage } from '../types';
import { CHIN, FACE_OVAL, FOREHEAD } from './face-mesh';
import { belowChin, faceOvalMask, faceSkinMask, faceWidth, hasFullMesh, landmarkPoint, landmarkPolygon } from './face-skin';
import { labelCutoutMask } from './label-cutout';
import { clippedBounds, dilateMask, dropSmallComponents, erodeMask, fillPolygon, growPolygon, INSIDE, maskExtent, passingColumns, regionMask, subtractMask, type Point } from './mask';
import { fitSkinModel, isGrayscale, skinTest, type SkinModel } from './skin-colour';
import { ScratchArrays } from './scratch';
import { findTabletopObjects } from './tabletop';
import type { FaceFinding, PanelRegionMaps, RegionMask } from './types';

export interface RegionModelOutputs {
  /** The face the regions are built round (the largest confident one), panel pixels. */
  face: { box: Box; score: number } | null;
  /** 478 × (x, y, z) in panel pixels, or null when the mesh found no face. */
  landmarks: Float32Array | null;
  /** Person probability 0-1, at any size (resampled to the panel). */
  person: GrayImage | null;
}

export interface RegionOptions {
  /** Boxes (panel pixels) of labels and text drawn over the panel: cut out of every region. */
  labelBoxes?: readonly Box[];
  /**
   * The panel already shrunk to `workingSize(panel)` by a better (or faster) resampler, e.g. the
   * browser's; shrunk here, by block averages, when absent.
   */
  working?: RgbaImage;
  /**
   * Where the maps of a panel larger than the working size are scaled up into (its uint8 slots,
   * NATIVE_MAP_SLOTS), instead of new arrays: they are then valid only until the next call with
   * it, so only a caller that is done with the maps by then (the pipeline, card by card) passes one.
   */
  mapBuffers?: ScratchArrays;
}

/** The uint8 slots of `mapBuffers` each scaled-up map is written into; tabletop object `n` gets slot `tabletop + n`. */
const NATIVE_MAP_SLOTS = { person: 0, faceSkin: 1, otherSkin: 2, garment: 3, tabletop: 4 } as const;

/** A region smaller than this share of the panel is reported absent. */
const MIN_REGION_SHARE = 0.0005;
/** Other skin: components smaller than this share of the face skin are noise (specks on a garment). */
const MIN_SKIN_COMPONENT_SHARE = 0.02;
/** Face skin: pixels this far (squared Mahalanobis) from the face's own skin colour are hair, frames, shadow. */
const FACE_SKIN_OUTLIER_DISTANCE = 25;
/** How much less a grayscale skin model is trusted than a colour one. */
const GRAYSCALE_TRUST = 0.5;
/** The face zone (ears, jaw shadow: face, not other skin) reaches this share of the face width beyond the oval. */
const FACE_ZONE_SHARE = 0.1;
/** The head zone (hair) reaches this share of the face width beyond the oval; above the chin it is never other skin. */
const HEAD_ZONE_SHARE = 0.8;
/** Grayscale: other skin is looked for only on the neck, this many face heights below the chin and a face width across. */
const NECK_DEPTH = 0.9;
/** Without a face the person mask is a guess (the segmenter calls a cup a person): trust it this much, and let objects overlap it. */
const FACELESS_PERSON_TRUST = 0.3;

/**
 * Region maps are worked out on a copy of the panel whose longer side is at most this many
 * pixels, then scaled back to the panel's grid: they are segmentation (the person mask comes
 * from a 256² model, the face from landmarks), and a 1-megapixel panel costs several times the
 * pixels for no better outline. The signals measure texture on the native pixels inside them.
 */
export const MAP_WORKING_SIDE = 640;

/** The size region maps of a `width` × `height` panel are worked out at (the panel's own when it is small enough). */
export function workingSize(width: number, height: number): { width: number; height: number } {
  const factor = Math.min(1, MAP_WORKING_SIDE / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * factor)), height: Math.max(1, Math.round(height * factor)) };
}

/**
 * A face box the landmark mesh did not confirm counts only from this detector score. Measured on
 * the signals bench's cards: every real face (scores 0.54-0.97) got its mesh; every detection
 * without one (0.50-0.67) was a blurred cup or a cat. A false face makes a panel "a face in one
 * panel only" (not controlled) and its person mask a garment that hides the tableware.
 */
export const UNCONFIRMED_FACE_MIN_SCORE = 0.75;

/** The outputs with a face box dropped when the mesh found no face there and the detector was unsure of it. */
export function confirmedOutputs(outputs: RegionModelOutputs): RegionModelOutputs {
  if (!outputs.face || hasFullMesh(outputs.landmarks) || outputs.face.score >= UNCONFIRMED_FACE_MIN_SCORE) return outputs;
  return { ...outputs, face: null };
}

/**
 * The face `buildRegionMaps` reports for these outputs (`.face`), without building any map: the
 * confirmed face box, with its landmarks when the mesh is whole. What the audit reads of a panel.
 */
export function panelFace(modelOutputs: RegionModelOutputs): FaceFinding | null {
  const { face, landmarks } = confirmedOutputs(modelOutputs);
  return face ? { box: face.box, score: face.score, landmarks: hasFullMesh(landmarks) ? landmarks : null } : null;
}

export function buildRegionMaps(pixels: RgbaImage, modelOutputs: RegionModelOutputs, options: RegionOptions = {}): PanelRegionMaps {
  const outputs = confirmedOutputs(modelOutputs);
  const size = workingSize(pixels.width, pixels.height);
  if (size.width === pixels.width && size.height === pixels.height) return buildAtSize(pixels, outputs, options);
  const given = options.working;
  const working = given && given.width === size.width && given.height === size.height ? given : shrinkPanel(pixels, size.width, size.height);
  const scaleX = working.width / pixels.width;
  const scaleY = working.height / pixels.height;
  const scaleBox = ([x, y, width, height]: Box): Box => [x * scaleX, y * scaleY, width * scaleX, height * scaleY];
  const landmarks = outputs.landmarks
    ? outputs.landmarks.map((value, index) => value * (index % 3 === 1 ? scaleY : scaleX))
    : null;
  const small = buildAtSize(
    working,
    { face: outputs.face ? { box: scaleBox(outputs.face.box), score: outputs.face.score } : null, landmarks, person: outputs.person },
    { labelBoxes: options.labelBoxes?.map(scaleBox) },
    pixels,
    WORKING_MAPS,
  );
  const area = pixels.width * pixels.height;
  // Undefined (a new array) without mapBuffers, and for the background, scaled up only when read.
  const nativeData = (slot: number | undefined) => (slot === undefined ? undefined : options.mapBuffers?.uint8(slot, area));
  const upscale = (mask: RegionMask | null, slot?: number) => (mask ? upscaleMask(mask, pixels.width, pixels.height, nativeData(slot)) : null);
  const tabletop = small.tabletop?.map((object, index) => ({ ...object, mask: upscaleMask(object.mask, pixels.width, pixels.height, nativeData(NATIVE_MAP_SLOTS.tabletop + index)) })) ?? null;
  const maps: PanelRegionMaps = {
    width: pixels.width,
    height: pixels.height,
    face: panelFace(outputs),
    person: upscale(small.person, NATIVE_MAP_SLOTS.person),
    faceSkin: upscale(small.faceSkin, NATIVE_MAP_SLOTS.faceSkin),
    otherSkin: upscale(small.otherSkin, NATIVE_MAP_SLOTS.otherSkin),
    garment: upscale(small.garment, NATIVE_MAP_SLOTS.garment),
    background: null,
    tabletop,
  };
  // No signal reads the background: it is scaled up (a megabyte on a card's panel) when first read.
  const smallBackground = small.background;
  let background: RegionMask | null | undefined;
  Object.defineProperty(maps, 'background', { enumerable: true, configurable: true, get: () => (background === undefined ? (background = upscale(smallBackground)) : background) });
  return maps;
}

/**
 * The panel shrunk to `width` × `height`, each output pixel the mean colour of the source pixels
 * that fall in it (every source pixel counted once), opaque.
 */
function shrinkPanel(pixels: RgbaImage, width: number, height: number): RgbaImage {
  const sums = new Uint32Array(width * 4);
  const counts = new Uint16Array(width);
  const columnOf = new Int32Array(pixels.width);
  for (let x = 0; x < pixels.width; x++) columnOf[x] = Math.min(width - 1, Math.floor((x * width) / pixels.width));
  const out = new Uint8ClampedArray(width * height * 4);
  const source = pixels.data;
  let sourceY = 0;
  for (let y = 0; y < height; y++) {
    sums.fill(0);
    counts.fill(0);
    for (; sourceY < pixels.height && Math.floor((sourceY * height) / pixels.height) === y; sourceY++) {
      let offset = sourceY * pixels.width * 4;
      for (let x = 0; x < pixels.width; x++, offset += 4) {
        const column = columnOf[x] as number;
        const target = column * 4;
        sums[target] = (sums[target] as number) + (source[offset] as number);
        sums[target + 1] = (sums[target + 1] as number) + (source[offset + 1] as number);
        sums[target + 2] = (sums[target + 2] as number) + (source[offset + 2] as number);
        counts[column] = (counts[column] as number) + 1;
      }
    }
    const rowOffset = y * width * 4;
    for (let x = 0; x < width; x++) {
      const count = Math.max(1, counts[x] as number);
      const half = count >> 1;
      for (let channel = 0; channel < 3; channel++) out[rowOffset + x * 4 + channel] = ((sums[x * 4 + channel] as number) + half) / count;
      out[rowOffset + x * 4 + 3] = 255;
    }
  }
  return { data: out, width, height };
}

/** Runs of fewer panel pixels than this are written one by one when a mask is scaled up. */
const SHORT_RUN = 16;

/**
 * A mask scaled up to `width` × `height` (nearest neighbour: each panel pixel takes the working
 * pixel it falls in), with its box and pixel count measured in the new grid; written into `out`
 * (`width` × `height` zeros) when given.
 */
export function upscaleMask(mask: RegionMask, width: number, height: number, out: Uint8Array = new Uint8Array(width * height)): RegionMask {
  const source = mask.data;
  const sourceWidth = mask.width;
  const [boxX, boxY, boxWidth, boxHeight] = mask.box;
  const sourceOf = (target: number, targetLength: number, sourceLength: number) => Math.min(sourceLength - 1, Math.floor(((target + 0.5) * sourceLength) / targetLength));
  // Each source column's span of panel columns [spanStarts, spanEnds), for the columns of the mask's box (a run each: the mapping is monotonic).
  const firstColumn = Math.max(0, Math.floor(boxX));
  const lastColumn = Math.min(sourceWidth, Math.ceil(boxX + boxWidth)) - 1;
  const spanStarts = new Int32Array(sourceWidth);
  const spanEnds = new Int32Array(sourceWidth);
  let left = width;
  let right = -1;
  for (let x = 0; x < width; x++) {
    const column = sourceOf(x, width, mask.width);
    if (column < boxX || column >= boxX + boxWidth) continue;
    if (spanEnds[column] === 0) spanStarts[column] = x;
    spanEnds[column] = x + 1;
    if (x < left) left = x;
    right = x;
  }
  let pixels = 0;
  let top = height;
  let bottom = -1;
  let previousSource = -1;
  let previousRow = -1;
  let previousCount = 0;
  for (let y = 0; y < height; y++) {
    const sourceRow = sourceOf(y, height, mask.height);
    if (sourceRow < boxY || sourceRow >= boxY + boxHeight || right < left) continue;
    const rowOffset = y * width;
    let rowCount = 0;
    if (sourceRow === previousSource) {
      out.copyWithin(rowOffset + left, previousRow * width + left, previousRow * width + right + 1);
      rowCount = previousCount;
    } else {
      const sourceOffset = sourceRow * sourceWidth;
      // Runs of one value in the source row fill their panel columns at once.
      for (let column = firstColumn; column <= lastColumn; ) {
        const value = source[sourceOffset + column] as number;
        let end = column + 1;
        while (end <= lastColumn && source[sourceOffset + end] === value) end++;
        if (value !== 0) {
          let from = -1;
          let to = -1;
          for (let run = column; run < end; run++) {
            if (spanEnds[run] === 0) continue;
            if (from < 0) from = spanStarts[run] as number;
            to = spanEnds[run] as number;
          }
          if (from >= 0) {
            // Soft edges come as runs of a pixel or two: a loop beats a call to fill there.
            if (to - from >= SHORT_RUN) out.fill(value, rowOffset + from, rowOffset + to);
            else for (let target = rowOffset + from; target < rowOffset + to; target++) out[target] = value;
            if (value >= INSIDE) rowCount += to - from;
          }
        }
        column = end;
      }
    }
    previousSource = sourceRow;
    previousRow = y;
    previousCount = rowCount;
    if (rowCount > 0) {
      pixels += rowCount;
      if (y < top) top = y;
      bottom = y;
    }
  }
  const box: Box = pixels > 0 ? [left, top, right - left + 1, bottom - top + 1] : [0, 0, 0, 0];
  return { data: out, width, height, box, pixels, confidence: mask.confidence };
}

/** Uint8 slots of the maps' masks in WORKING_MAPS, and of the masks that never leave buildAtSize in BUILD_SCRATCH. */
const MAP_SLOTS = { person: 0, faceSkin: 1, otherSkin: 2, garment: 3 } as const;
const ZONE_SLOTS = { faceArea: 0, faceZone: 1, headZone: 2 } as const;
/** The working-size maps of a panel whose maps are scaled up: they die with buildRegionMaps, so one set serves every panel (not the background, scaled up only when read). */
const WORKING_MAPS = new ScratchArrays();
/** Masks that never leave buildAtSize (the face oval and the zones round it; the label cut-out), reused from panel to panel. */
const BUILD_SCRATCH = new ScratchArrays();
const CUTOUT_SCRATCH = new ScratchArrays();

/**
 * The maps at the size of `pixels`; `native` (the full-size panel, when `pixels` is its working
 * copy) is where rims are looked for. With `scratch` the maps' masks are its slots: valid until
 * the next call with it.
 */
function buildAtSize(pixels: RgbaImage, outputs: RegionModelOutputs, options: RegionOptions, native?: RgbaImage, scratch?: ScratchArrays): PanelRegionMaps {
  const { width, height } = pixels;
  const area = width * height;
  const mapData = (slot: number) => (scratch ? scratch.uint8(slot, area) : new Uint8Array(area));
  const minPixels = Math.max(16, Math.round(area * MIN_REGION_SHARE));
  const cutout = labelCutoutMask(pixels, options.labelBoxes ?? [], CUTOUT_SCRATCH);
  // Where the cut-out is: subtracting it from a region need look nowhere else.
  const cutoutBounds = cutout ? { width, box: maskExtent(cutout, width, height).box } : null;
  const landmarks = hasFullMesh(outputs.landmarks) ? outputs.landmarks : null;
  const hasFace = outputs.face !== null || landmarks !== null;

  const { person, background } = outputs.person
    ? personAndBackground(outputs.person, width, height, cutout, minPixels, hasFace ? 1 : FACELESS_PERSON_TRUST, mapData(MAP_SLOTS.person), new Uint8Array(area))
    : { person: null, background: null };

  const grayscale = isGrayscale(pixels);
  let faceSkin: RegionMask | null = null;
  let skinModel: SkinModel | null = null;
  if (landmarks) {
    const faceSkinData = faceSkinMask(landmarks, width, height, mapData(MAP_SLOTS.faceSkin));
    subtractMask(faceSkinData, cutout, cutoutBounds);
    const faceBounds = polygonBox(landmarkPolygon(landmarks, FACE_OVAL));
    skinModel = fitSkinModel(pixels, faceSkinData, grayscale, faceBounds);
    let agreement = grayscale ? GRAYSCALE_TRUST : 0;
    if (skinModel && !grayscale) {
      // Colour refines the mesh: hair over the forehead, glasses frames, a beard.
      agreement = dropNonSkin(pixels, faceSkinData, skinModel, faceBounds);
      skinModel = fitSkinModel(pixels, faceSkinData, grayscale, faceBounds) ?? skinModel;
    }
    const faceScore = outputs.face?.score ?? 0.5;
    faceSkin = regionMask(faceSkinData, width, height, faceScore * Math.min(1, agreement / 0.8), minPixels, faceBounds);
  }

  const faceArea = landmarks ? faceOvalMask(landmarks, width, height, BUILD_SCRATCH.uint8(ZONE_SLOTS.faceArea, area)) : null;
  const chinTest = landmarks ? belowChin(landmarks) : outputs.face ? belowBox(outputs.face.box) : null;

  let otherSkin: RegionMask | null = null;
  if (person && skinModel && landmarks && chinTest) {
    const otherSkinData = mapData(MAP_SLOTS.otherSkin);
    const faceSize = faceWidth(landmarks);
    const faceZone = grownOval(landmarks, width, height, faceSize * FACE_ZONE_SHARE, BUILD_SCRATCH.uint8(ZONE_SLOTS.faceZone, area));
    const headZone = grownOval(landmarks, width, height, faceSize * HEAD_ZONE_SHARE, BUILD_SCRATCH.uint8(ZONE_SLOTS.headZone, area));
    const neck = grayscale ? neckTest(landmarks) : null;
    const looksLikeSkin = skinTest(skinModel, pixels.data);
    const personData = person.data;
    const [left, top, right, bottom] = clippedBounds(width, height, person.box);
    for (let y = top; y < bottom; y++) {
      // The chin test is a half-plane: the row's columns below the chin, once per row instead of a call per pixel.
      const [belowFrom, belowTo] = passingColumns(chinTest, y, left, right);
      for (let x = left, index = y * width + left; x < right; x++, index++) {
        if ((personData[index] as number) < INSIDE || (faceZone[index] as number) >= INSIDE) continue;
        if ((headZone[index] as number) >= INSIDE && (x < belowFrom || x >= belowTo)) continue;
        if (neck && !neck(x, y)) continue;
        if (looksLikeSkin(index * 4)) otherSkinData[index] = 255;
      }
    }
    subtractMask(otherSkinData, cutout, cutoutBounds);
    const skinExtent = maskExtent(otherSkinData, width, height, person.box).box;
    dropSmallComponents(otherSkinData, width, height, Math.max(minPixels, Math.round((faceSkin?.pixels ?? 0) * MIN_SKIN_COMPONENT_SHARE)), skinExtent);
    const trust = grayscale ? GRAYSCALE_TRUST : 0.8;
    otherSkin = regionMask(otherSkinData, width, height, trust * Math.min(1, skinModel.samples / 2000) * (faceSkin?.confidence ?? 0.5), minPixels, skinExtent);
  }

  let garment: RegionMask | null = null;
  if (person && chinTest) {
    const garmentData = mapData(MAP_SLOTS.garment);
    const personData = person.data;
    // Absent regions read as an empty mask.
    const skinData = otherSkin?.data ?? new Uint8Array(0);
    const faceData = faceArea ?? new Uint8Array(0);
    const [left, top, right, bottom] = clippedBounds(width, height, person.box);
    for (let y = top; y < bottom; y++) {
      // Only the row's columns below the chin can be garment.
      const [belowFrom, belowTo] = passingColumns(chinTest, y, left, right);
      for (let x = belowFrom, index = y * width + belowFrom; x < belowTo; x++, index++) {
        if ((personData[index] as number) < INSIDE || (skinData[index] ?? 0) >= INSIDE || (faceData[index] ?? 0) >= INSIDE) continue;
        garmentData[index] = 255;
      }
    }
    subtractMask(garmentData, cutout, cutoutBounds);
    garment = regionMask(garmentData, width, height, person.confidence * (landmarks ? 1 : 0.6) * (grayscale ? 0.8 : 1), minPixels, person.box);
  }

  const tabletop = findTabletopObjects(pixels, { person: hasFace ? person : null, exclude: cutout, faceBox: outputs.face?.box ?? null, edgeSource: native });

  return {
    width,
    height,
    face: outputs.face ? { box: outputs.face.box, score: outputs.face.score, landmarks } : null,
    person,
    faceSkin,
    otherSkin,
    garment,
    background,
    tabletop: tabletop.length > 0 ? tabletop : null,
  };
}

/**
 * Clears the face-skin pixels whose colour is far from the face's own skin, where they form
 * patches (hair, frames, a beard): thin lines of them (wrinkles, creases in shade) are opened
 * away and stay skin. Returns the share of the face skin kept.
 */
function dropNonSkin(pixels: RgbaImage, faceSkinData: Uint8Array, model: SkinModel, bounds: Box): number {
  const looksLikeSkin = skinTest(model, pixels.data, FACE_SKIN_OUTLIER_DISTANCE);
  const [left, top, right, bottom] = clippedBounds(pixels.width, pixels.height, bounds);
  const boxWidth = right - left;
  const boxHeight = bottom - top;
  if (boxWidth <= 0 || boxHeight <= 0) return 0;
  const outliers = new Uint8Array(boxWidth * boxHeight);
  let total = 0;
  for (let y = top; y < bottom; y++) {
    for (let x = left; x < right; x++) {
      const index = y * pixels.width + x;
      if ((faceSkinData[index] ?? 0) < INSIDE) continue;
      total++;
      if (!looksLikeSkin(index * 4)) outliers[(y - top) * boxWidth + x - left] = 255;
    }
  }
  const patches = dilateMask(erodeMask(outliers, boxWidth, boxHeight, 1), boxWidth, boxHeight, 1);
  let dropped = 0;
  for (let y = 0; y < boxHeight; y++) {
    for (let x = 0; x < boxWidth; x++) {
      const local = y * boxWidth + x;
      if ((patches[local] ?? 0) < INSIDE || (outliers[local] ?? 0) < INSIDE) continue;
      faceSkinData[(y + top) * pixels.width + x + left] = 0;
      dropped++;
    }
  }
  return total === 0 ? 0 : 1 - dropped / total;
}

/** Person (probability × 255) and background (its complement), label cut-outs removed, into two zeroed `width` × `height` masks. */
function personAndBackground(
  probability: GrayImage,
  width: number,
  height: number,
  cutout: Uint8Array | null,
  minPixels: number,
  trust: number,
  personData: Uint8Array,
  backgroundData: Uint8Array,
): { person: RegionMask | null; background: RegionMask | null } {
  const area = width * height;
  resampledLevels(probability, width, height, personData);
  // How decided the segmenter is: mean distance of its probabilities from 0.5, doubled (a sum of halves: exact in any order).
  let decided = 0;
  // Each region's bounding box and pixel count, in locals: an object's fields here cost Chromium's
  // optimising compiler a deoptimisation on every call (`--trace-deopt`).
  let personCount = 0;
  let personLeft = width;
  let personRight = -1;
  let personTop = height;
  let personBottom = -1;
  let backgroundCount = 0;
  let backgroundLeft = width;
  let backgroundRight = -1;
  let backgroundTop = height;
  let backgroundBottom = -1;
  for (let y = 0, index = 0; y < height; y++) {
    for (let x = 0; x < width; x++, index++) {
      const level = personData[index] as number;
      decided += level >= 128 ? level - 127.5 : 127.5 - level;
      if (cutout && (cutout[index] as number) >= INSIDE) {
        personData[index] = 0;
        continue;
      }
      backgroundData[index] = 255 - level;
      // A pixel is inside exactly one of the two (rows come in order: the last row seen is the bottom).
      if (level >= INSIDE) {
        personCount++;
        if (x < personLeft) personLeft = x;
        if (x > personRight) personRight = x;
        if (y < personTop) personTop = y;
        personBottom = y;
      } else {
        backgroundCount++;
        if (x < backgroundLeft) backgroundLeft = x;
        if (x > backgroundRight) backgroundRight = x;
        if (y < backgroundTop) backgroundTop = y;
        backgroundBottom = y;
      }
    }
  }
  const confidence = Math.min(1, Math.max(0, (decided / 127.5 / Math.max(1, area)) * trust));
  const region = (data: Uint8Array, pixels: number, box: Box): RegionMask | null => (pixels < Math.max(1, minPixels) ? null : { data, width, height, box, pixels, confidence });
  return {
    person: region(personData, personCount, [personLeft, personTop, personRight - personLeft + 1, personBottom - personTop + 1]),
    background: region(backgroundData, backgroundCount, [backgroundLeft, backgroundTop, backgroundRight - backgroundLeft + 1, backgroundBottom - backgroundTop + 1]),
  };
}

/** The face oval grown by `margin`, filled into `mask` (all zeros). */
function grownOval(landmarks: Float32Array, width: number, height: number, margin: number, mask: Uint8Array): Uint8Array {
  fillPolygon(mask, width, height, growPolygon(landmarkPolygon(landmarks, FACE_OVAL), margin));
  return mask;
}

/** Below the chin, at most NECK_DEPTH face heights down the face's axis and half a face width to either side of it. */
function neckTest(landmarks: Float32Array): (x: number, y: number) => boolean {
  const chin = landmarkPoint(landmarks, CHIN);
  const forehead = landmarkPoint(landmarks, FOREHEAD);
  const faceHeight = Math.hypot(chin.x - forehead.x, chin.y - forehead.y) || 1;
  const axisX = (chin.x - forehead.x) / faceHeight;
  const axisY = (chin.y - forehead.y) / faceHeight;
  const halfWidth = faceWidth(landmarks) / 2;
  return (x, y) => {
    const dx = x + 0.5 - chin.x;
    const dy = y + 0.5 - chin.y;
    const along = dx * axisX + dy * axisY;
    const across = Math.abs(dx * axisY - dy * axisX);
    return along > 0 && along <= faceHeight * NECK_DEPTH && across <= halfWidth;
  };
}

function polygonBox(points: Point[]): Box {
  const xs = points.map((point) => point.x);
  const ys = points.map((point) => point.y);
  const left = Math.floor(Math.min(...xs));
  const top = Math.floor(Math.min(...ys));
  return [left, top, Math.ceil(Math.max(...xs)) - left + 1, Math.ceil(Math.max(...ys)) - top + 1];
}

/** Without landmarks: below the face box's bottom edge. */
function belowBox([, y, , height]: Box): (x: number, y: number) => boolean {
  return (_x, pixelY) => pixelY + 0.5 > y + height;
}

/** A probability map (0-1) resampled bilinearly to the panel's size, as levels 0-255, into `out` (every pixel written). */
function resampledLevels(map: GrayImage, width: number, height: number, out: Uint8Array): Uint8Array {
  const source = map.data;
  const scaleX = map.width / width;
  const scaleY = map.height / height;
  // Per column: the two source columns and the weight of the right one.
  const lefts = new Int32Array(width);
  const rights = new Int32Array(width);
  const weightsX = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const sourceX = Math.min(map.width - 1, Math.max(0, (x + 0.5) * scaleX - 0.5));
    const left = Math.floor(sourceX);
    lefts[x] = left;
    rights[x] = Math.min(map.width - 1, left + 1);
    weightsX[x] = sourceX - left;
  }
  for (let y = 0; y < height; y++) {
    const sourceY = Math.min(map.height - 1, Math.max(0, (y + 0.5) * scaleY - 0.5));
    const top = Math.floor(sourceY);
    const upperRow = top * map.width;
    const lowerRow = Math.min(map.height - 1, top + 1) * map.width;
    const weightY = sourceY - top;
    const rowOffset = y * width;
    for (let x = 0; x < width; x++) {
      const left = lefts[x] as number;
      const right = rights[x] as number;
      const weightX = weightsX[x] as number;
      const upper = (source[upperRow + left] as number) * (1 - weightX) + (source[upperRow + right] as number) * weightX;
      const lower = (source[lowerRow + left] as number) * (1 - weightX) + (source[lowerRow + right] as number) * weightX;
      const value = upper * (1 - weightY) + lower * weightY;
      out[rowOffset + x] = value <= 0 ? 0 : value >= 1 ? 255 : (value * 255 + 0.5) | 0;
    }
  }
  return out;
}

function summary(mask: RegionMask | null, [offsetX, offsetY]: readonly [number, number]): RegionSummary | null {
  if (!mask) return null;
  const [x, y, width, height] = mask.box;
  return { box: [x + offsetX, y + offsetY, width, height], pixels: mask.pixels, confidence: Math.round(mask.confidence * 1000) / 1000 };
}

/** What the result reports of a panel's regions: boxes moved into source-image pixels by the panel's offset. */
export function summarizeRegions(maps: PanelRegionMaps, panelOrigin: readonly [number, number]): PanelRegions {
  const [offsetX, offsetY] = panelOrigin;
  const face = maps.face;
  return {
    face: face
      ? {
          box: roundBox([face.box[0] + offsetX, face.box[1] + offsetY, face.box[2], face.box[3]]),
          landmarks: face.landmarks ? Math.floor(face.landmarks.length / 3) : 0,
        }
      : null,
    faceSkin: summary(maps.faceSkin, panelOrigin),
    otherSkin: summary(maps.otherSkin, panelOrigin),
    garment: summary(maps.garment, panelOrigin),
    tabletop: maps.tabletop ? maps.tabletop.map(({ mask }) => ({ box: summary(mask, panelOrigin)?.box ?? [0, 0, 0, 0], pixels: mask.pixels })) : null,
  };
}

/** Whole non-negative pixels, as the schema's boxes are. */
function roundBox([x, y, width, height]: Box): Box {
  const left = Math.max(0, Math.round(x));
  const top = Math.max(0, Math.round(y));
  return [left, top, Math.max(0, Math.round(x + width) - left), Math.max(0, Math.round(y + height) - top)];
}
