/**
 * Hand-drawn region maps for the signal tests and the degradation bench: ellipses and rectangles
 * (tests/fixtures/regions/*.json) rasterised into the region-map contract, optionally moved by a
 * crop and resize. They stand in for the browser models, which do not run in Node.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PanelRegionMaps, RegionMask, TabletopObject } from '../../lib/engine/regions/types';
import type { Box } from '../../lib/engine/types';

/** [cx, cy, rx, ry] */
export type Ellipse = [number, number, number, number];

export interface ShapeSpec {
  ellipses?: Ellipse[];
  rects?: Box[];
  holes?: Ellipse[];
}

export interface PanelRegionSpec {
  /** Width and height of the picture the shapes were drawn on. */
  size: [number, number];
  face?: { box: Box };
  faceSkin?: ShapeSpec;
  otherSkin?: ShapeSpec;
  garment?: ShapeSpec;
  tabletop?: { kind: string; shape: ShapeSpec }[];
}

const REGIONS_DIR = fileURLToPath(new URL('../fixtures/regions/', import.meta.url));

/** The hand-drawn photo regions, keyed by fixture path ('photos/skimage_astronaut.png'). */
export function photoRegionSpecs(): Record<string, PanelRegionSpec> {
  return (JSON.parse(readFileSync(`${REGIONS_DIR}photos.json`, 'utf8')) as { photos: Record<string, PanelRegionSpec> }).photos;
}

/** The hand-drawn regions of the real cards' panels, keyed by 'cards/<file>#<panel index>', with each panel's box. */
export function cardRegionSpecs(): Record<string, PanelRegionSpec & { panel: Box }> {
  return (JSON.parse(readFileSync(`${REGIONS_DIR}cards.json`, 'utf8')) as { panels: Record<string, PanelRegionSpec & { panel: Box }> }).panels;
}

/** Where a spec's pixels go: crop `[x, y, w, h]` of the drawn picture, resized to `size`. */
export interface SpecPlacement {
  crop: Box;
  size: [number, number];
}

function placeEllipse([cx, cy, rx, ry]: Ellipse, sx: number, sy: number, [x0, y0]: Box): Ellipse {
  return [(cx - x0) * sx, (cy - y0) * sy, rx * sx, ry * sy];
}

function placeBox([x, y, width, height]: Box, sx: number, sy: number, [x0, y0]: Box): Box {
  return [(x - x0) * sx, (y - y0) * sy, width * sx, height * sy];
}

function placeShape(shape: ShapeSpec, sx: number, sy: number, crop: Box): ShapeSpec {
  return {
    ellipses: shape.ellipses?.map((ellipse) => placeEllipse(ellipse, sx, sy, crop)),
    rects: shape.rects?.map((rect) => placeBox(rect, sx, sy, crop)),
    holes: shape.holes?.map((hole) => placeEllipse(hole, sx, sy, crop)),
  };
}

/** The spec after cropping and resizing its picture. */
export function placeSpec(spec: PanelRegionSpec, { crop, size }: SpecPlacement): PanelRegionSpec {
  const sx = size[0] / crop[2];
  const sy = size[1] / crop[3];
  return {
    size,
    face: spec.face ? { box: placeBox(spec.face.box, sx, sy, crop) } : undefined,
    faceSkin: spec.faceSkin ? placeShape(spec.faceSkin, sx, sy, crop) : undefined,
    otherSkin: spec.otherSkin ? placeShape(spec.otherSkin, sx, sy, crop) : undefined,
    garment: spec.garment ? placeShape(spec.garment, sx, sy, crop) : undefined,
    tabletop: spec.tabletop?.map(({ kind, shape }) => ({ kind, shape: placeShape(shape, sx, sy, crop) })),
  };
}

function inEllipse(x: number, y: number, [cx, cy, rx, ry]: Ellipse): boolean {
  const dx = (x - cx) / rx;
  const dy = (y - cy) / ry;
  return dx * dx + dy * dy <= 1;
}

/** A hard 0/255 mask of the shape on a width × height grid (pixel centres), with its box and count. */
export function rasterize(shape: ShapeSpec, width: number, height: number, confidence = 1): RegionMask {
  const data = new Uint8Array(width * height);
  let pixels = 0;
  let left = width;
  let top = height;
  let right = -1;
  let bottom = -1;
  const extents = [
    ...(shape.ellipses ?? []).map(([cx, cy, rx, ry]): Box => [cx - rx, cy - ry, 2 * rx, 2 * ry]),
    ...(shape.rects ?? []),
  ];
  const fromX = Math.max(0, Math.floor(Math.min(width, ...extents.map((extent) => extent[0]))));
  const fromY = Math.max(0, Math.floor(Math.min(height, ...extents.map((extent) => extent[1]))));
  const toX = Math.min(width, Math.ceil(Math.max(0, ...extents.map((extent) => extent[0] + extent[2]))));
  const toY = Math.min(height, Math.ceil(Math.max(0, ...extents.map((extent) => extent[1] + extent[3]))));
  for (let y = fromY; y < toY; y++) {
    for (let x = fromX; x < toX; x++) {
      const px = x + 0.5;
      const py = y + 0.5;
      const covered =
        (shape.ellipses ?? []).some((ellipse) => inEllipse(px, py, ellipse)) ||
        (shape.rects ?? []).some(([rx, ry, rw, rh]) => px >= rx && px < rx + rw && py >= ry && py < ry + rh);
      if (!covered || (shape.holes ?? []).some((hole) => inEllipse(px, py, hole))) continue;
      data[y * width + x] = 255;
      pixels++;
      left = Math.min(left, x);
      top = Math.min(top, y);
      right = Math.max(right, x);
      bottom = Math.max(bottom, y);
    }
  }
  const box: Box = pixels === 0 ? [0, 0, 0, 0] : [left, top, right - left + 1, bottom - top + 1];
  return { data, width, height, box, pixels, confidence };
}

function maskOrNull(shape: ShapeSpec | undefined, width: number, height: number): RegionMask | null {
  if (!shape) return null;
  const mask = rasterize(shape, width, height);
  return mask.pixels === 0 ? null : mask;
}

/** Region maps for a panel of the spec's size (use `placeSpec` first for a crop or resize). No landmarks: the face mesh does not run here. */
export function regionMapsFromSpec(spec: PanelRegionSpec): PanelRegionMaps {
  const [width, height] = spec.size;
  const tabletop: TabletopObject[] = (spec.tabletop ?? [])
    .map(({ kind, shape }) => ({ kind, mask: maskOrNull(shape, width, height) }))
    .filter((object): object is TabletopObject => object.mask !== null);
  return {
    width,
    height,
    face: spec.face ? { box: spec.face.box, score: 1, landmarks: null } : null,
    person: null,
    faceSkin: maskOrNull(spec.faceSkin, width, height),
    otherSkin: maskOrNull(spec.otherSkin, width, height),
    garment: maskOrNull(spec.garment, width, height),
    background: null,
    tabletop: tabletop.length > 0 ? tabletop : null,
  };
}

/** Region maps with nothing found (a panel the models saw nothing in). */
export function emptyRegionMaps(width: number, height: number): PanelRegionMaps {
  return { width, height, face: null, person: null, faceSkin: null, otherSkin: null, garment: null, background: null, tabletop: null };
}
