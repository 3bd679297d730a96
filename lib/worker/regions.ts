import { buildRegionMaps, summarizeRegions, workingSize, type RegionModelOutputs } from '../engine/regions/build';
import type { PanelRegionMaps } from '../engine/regions/types';
import { cropRgba } from '../engine/image';
import { ScratchArrays } from '../engine/regions/scratch';
import type { Box, GrayImage, PanelRegions, RgbaImage } from '../engine/types';
import { detectFaceLandmarks, detectFaces, loadMediapipeTasks, segmentPerson, type FaceDetection, type FaceLandmarks, type MediapipeTask } from '../models/mediapipe';

/** Per panel, the box of its label (source pixels) to cut out of its regions, or null. */
type LabelBoxes = readonly (Box | null | undefined)[];

/** One panel at native resolution with its region maps: what the signals stage takes. */
export interface PanelRegionInput {
  pixels: RgbaImage;
  regions: PanelRegionMaps;
}

export interface RegionStage {
  /** Per panel, in the order given. */
  panels: PanelRegionInput[];
  /** Per panel, what the result reports (boxes in source-image pixels). */
  summaries: PanelRegions[];
  /** Face detection and landmarks, all panels together, model loading excluded. */
  faceMs: number;
  /** Person segmentation and building the region maps, all panels together, model loading and the wait for label boxes excluded. */
  segmentMs: number;
  /** Of `segmentMs`, the time spent building the region maps (lib/engine/regions). */
  mapsMs: number;
  /** Time spent creating MediaPipe tasks during this call (first use only). */
  modelLoadMs: number;
  backend: 'cpu';
}

/** The landmarker runs on a square crop this many face-box sizes wide round the face, so its own short-range detector sees a large face. */
const LANDMARK_CROP_SCALE = 2.2;
/**
 * Each model gets the panel already shrunk (by the browser's resampler, from the card's pixels)
 * so its longer side is the model's own input size: BlazeFace short range 128², full range
 * 192², the segmenter 256². Tasks-vision would shrink anything larger to that size itself, after
 * uploading every pixel through WebGL (SwiftShader, on the CPU, where there is no GPU), and
 * would hand the person mask back at the larger size.
 */
const FACE_SHORT_SIDE = 128;
const FACE_FULL_SIDE = 192;
const SEGMENTER_SIDE = 256;
/**
 * The landmarker's crop round the face: its detector takes 128², its mesh a 192² patch of about
 * 0.6 of the crop, so this keeps the mesh's input at its full resolution.
 */
const LANDMARK_CROP_SIDE = 384;

/** The tasks every panel needs; the full-range detector loads on first need. */
const REGION_TASKS: readonly MediapipeTask[] = ['face-short', 'landmarks', 'person'];
let preloading: Promise<number> | null = null;
/** Set once a region stage has waited for the preload: later cards never count a wait as loading. */
let preloadAwaited = false;

/**
 * Starts loading the region models without waiting for them, so their fetching and compiling
 * overlap the stages before the region stage on a first card. Failures surface when
 * mapPanelRegions loads them again.
 */
export function preloadRegionModels(): void {
  if (preloadAwaited) return;
  preloading ??= loadMediapipeTasks(REGION_TASKS).catch(() => 0);
}

/** One panel after the face pass: its pixels (as the maps take them), its box in whole card pixels, and what the face models found. */
export interface PanelFaces {
  pixels: RgbaImage;
  panelBox: Box;
  outputs: Pick<RegionModelOutputs, 'face' | 'landmarks'>;
  /** The person mask when the face search needed it (short range found no face), for the segmentation pass to reuse. */
  person: GrayImage | null;
}

/** The face pass over a card's panels: what the segmentation and maps pass, or an early audit, starts from. */
export interface FacePass {
  /** Per panel, in the order given. */
  panels: PanelFaces[];
  /** Face detection and landmarks, all panels together, model loading excluded. */
  faceMs: number;
  /** Person segmentation the face search asked for early (counted as segmentation). */
  segmentMs: number;
  /** Time spent creating MediaPipe tasks during this call (first use only). */
  modelLoadMs: number;
}

/**
 * Per panel index, the buffer the pipeline's native crop of that panel is copied into: a new
 * 4 MB array per card panel cost its fresh pages (65-130 ms a card at load 7) before any model ran.
 * Kept for the worker's life, so only for panels up to MAX_REUSED_MAP_AREA pixels.
 */
const CARD_CROP_BUFFERS: (Uint8ClampedArray | undefined)[] = [];

/** The panel's crop, into the kept buffer of its index when `reuse` and the panel is not too large (see CARD_CROP_BUFFERS). */
function panelCrop(image: RgbaImage, panel: Box, index: number, reuse: boolean): RgbaImage {
  const [, , width, height] = panelBounds(image, panel);
  if (!reuse || width * height > MAX_REUSED_MAP_AREA) return cropRgba(image, panel);
  const length = width * height * 4;
  const kept = CARD_CROP_BUFFERS[index];
  const buffer = kept && kept.length >= length ? kept : (CARD_CROP_BUFFERS[index] = new Uint8ClampedArray(length));
  return cropRgba(image, panel, buffer);
}

/**
 * The first half of the region stage: for each panel (a box of `image`), the faces and landmarks
 * from lib/models. Where short range finds no face, the person mask comes first and full range
 * looks only where it sees a person; that mask is kept for the second half. Loads every region
 * model. Throws when a model fails to load; the caller decides what that means. With
 * `reuseCrops` each panel's pixels are a kept buffer, valid only until the next such call (the
 * pipeline, one card at a time, is done with a card's panels before the next card's face pass).
 */
export async function findPanelFaces(image: RgbaImage, panels: readonly Box[], options: { signal?: AbortSignal; reuseCrops?: boolean } = {}): Promise<FacePass> {
  const waitStarted = performance.now();
  let modelLoadMs = await loadMediapipeTasks(REGION_TASKS, { signal: options.signal });
  if (preloading) {
    // Models still loading from preloadRegionModels: the wait is loading time too.
    await preloading;
    preloading = null;
    preloadAwaited = true;
    modelLoadMs = Math.max(modelLoadMs, performance.now() - waitStarted);
  }
  let faceMs = 0;
  let segmentMs = 0;
  const found: PanelFaces[] = [];
  const source = sourceImage(image);
  for (const [index, panel] of panels.entries()) {
    options.signal?.throwIfAborted();
    const pixels = panelCrop(image, panel, index, options.reuseCrops === true);
    // Rounded as cropRgba rounds, so model and panel pixels line up.
    const panelBox = panelBounds(image, panel);

    const faceStarted = performance.now();
    let faces = await withModelImage(source, panelBox, FACE_SHORT_SIDE, (input, toPanel) =>
      detectFaces(input, { range: 'short', signal: options.signal }).then((detected) => inPanelPixels(detected, toPanel)),
    );
    // The person mask, asked for early (and timed as segmentation) when short range finds no face.
    let person: GrayImage | null = null;
    if (faces.length === 0) {
      const segmentStarted = performance.now();
      person = await withModelImage(source, panelBox, SEGMENTER_SIDE, (input) => segmentPerson(input, { signal: options.signal }));
      const earlySegmentMs = performance.now() - segmentStarted;
      segmentMs += earlySegmentMs;
      faceMs -= earlySegmentMs;
      if (seesPerson(person)) {
        // Full range finds faces down to ~5 % of the image's width (full-length portraits); loaded on first need.
        const loadMs = await loadMediapipeTasks(['face-full'], { signal: options.signal });
        modelLoadMs += loadMs;
        faceMs -= loadMs;
        faces = await withModelImage(source, panelBox, FACE_FULL_SIDE, (input, toPanel) =>
          detectFaces(input, { range: 'full', signal: options.signal }).then((detected) => inPanelPixels(detected, toPanel)),
        );
      }
    }
    const face = mainFace(faces, pixels);
    const landmarks = face ? await landmarksAround(source, panelBox, face.box, options.signal) : null;
    faceMs += performance.now() - faceStarted;
    found.push({ pixels, panelBox, outputs: { face, landmarks }, person });
  }
  return { panels: found, faceMs, segmentMs, modelLoadMs };
}

/**
 * Per panel index, the buffers the pipeline's maps are scaled up into (buildRegionMaps' `mapBuffers`):
 * a card panel's four or five new 1 MB masks cost their fresh pages and old-space collections
 * more than the scaling itself. Kept for the worker's life, so only for panels up to this many pixels.
 */
const CARD_MAP_BUFFERS: ScratchArrays[] = [];
const MAX_REUSED_MAP_AREA = 2_000_000;

/**
 * The region stage of the pipeline: the face pass (`findPanelFaces`, unless `faces` is that pass
 * already run on these panels), then for each panel the person mask from lib/models and the region
 * maps from lib/engine/regions. A single photo is one panel covering the whole image.
 * `labelBoxes` (source pixels, per panel) are cut out of every region; given as a function, it is
 * called (and awaited) only when the first panel's maps need them, after its segmentation, so labels
 * still being read elsewhere overlap the face pass and that segmentation. With `reuseMapBuffers` the
 * maps of panels larger than the working size are valid only until the next such call (the pipeline
 * reads them before its next card). Throws when a model fails to load; the caller decides what that means.
 */
export async function mapPanelRegions(
  image: RgbaImage,
  panels: readonly Box[],
  options: { labelBoxes?: LabelBoxes | (() => Promise<LabelBoxes>); signal?: AbortSignal; faces?: FacePass; reuseMapBuffers?: boolean } = {},
): Promise<RegionStage> {
  const faces = options.faces ?? (await findPanelFaces(image, panels, { signal: options.signal }));
  let segmentMs = faces.segmentMs;
  let mapsMs = 0;
  let labelBoxes: LabelBoxes | undefined;
  const stage: RegionStage = { panels: [], summaries: [], faceMs: 0, segmentMs: 0, mapsMs: 0, modelLoadMs: 0, backend: 'cpu' };

  const source = sourceImage(image);
  for (const [index, { pixels, panelBox, outputs: faceOutputs, person: early }] of faces.panels.entries()) {
    options.signal?.throwIfAborted();
    const segmentStarted = performance.now();
    const person = early ?? await withModelImage(source, panelBox, SEGMENTER_SIDE, (input) => segmentPerson(input, { signal: options.signal }));
    const outputs: RegionModelOutputs = { ...faceOutputs, person };
    const waitStarted = performance.now();
    labelBoxes ??= typeof options.labelBoxes === 'function' ? await options.labelBoxes() : options.labelBoxes ?? [];
    const waitMs = performance.now() - waitStarted;
    const mapsStarted = performance.now();
    const [panelX, panelY] = panels[index] as Box;
    const labelBox = labelBoxes[index];
    const regions = await withWorkingCopy(source, panelBox, (working) =>
      buildRegionMaps(pixels, outputs, {
        labelBoxes: labelBox ? [[labelBox[0] - panelX, labelBox[1] - panelY, labelBox[2], labelBox[3]]] : [],
        working,
        mapBuffers: options.reuseMapBuffers && pixels.width * pixels.height <= MAX_REUSED_MAP_AREA ? (CARD_MAP_BUFFERS[index] ??= new ScratchArrays()) : undefined,
      }),
    );
    mapsMs += performance.now() - mapsStarted;
    segmentMs += performance.now() - segmentStarted - waitMs;

    stage.panels.push({ pixels, regions });
    stage.summaries.push(summarizeRegions(regions, [panelX, panelY]));
  }
  return { ...stage, faceMs: faces.faceMs, segmentMs, mapsMs, modelLoadMs: faces.modelLoadMs };
}

/**
 * Whether the person mask holds any pixel at 0.5 or more. A panel where the segmenter sees no one
 * at all gets no full-range face search: on the fixture cards full range found a face only on
 * panels whose mask covered a third of them, and nothing on the three whose mask held no pixel
 * over 0.2, at 40-70 ms a call on a loaded 2-core machine.
 */
function seesPerson(person: GrayImage): boolean {
  const { data } = person;
  for (let index = 0; index < data.length; index++) if ((data[index] as number) >= 0.5) return true;
  return false;
}

/** The card's pixels as the browser's resampler takes them (no copy: same buffer). */
function sourceImage(image: RgbaImage): ImageData {
  return new ImageData(asClampedArray(image.data), image.width, image.height);
}

function asClampedArray(data: Uint8ClampedArray | Uint8Array): Uint8ClampedArray<ArrayBuffer> {
  return (data instanceof Uint8ClampedArray ? data : new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength)) as Uint8ClampedArray<ArrayBuffer>;
}

/** The panel box in whole source pixels, clipped to the image, as cropRgba takes it. */
function panelBounds(image: RgbaImage, [x, y, width, height]: Box): Box {
  const left = Math.min(image.width, Math.max(0, Math.round(x)));
  const top = Math.min(image.height, Math.max(0, Math.round(y)));
  const right = Math.min(image.width, Math.max(left, Math.round(x + width)));
  const bottom = Math.min(image.height, Math.max(top, Math.round(y + height)));
  return [left, top, right - left, bottom - top];
}

/** The canvas working copies are read back through, kept from panel to panel: a new one each time cost ~30 % more per copy. */
let workingCanvas: OffscreenCanvasRenderingContext2D | null = null;
/**
 * The buffer opaque working copies are read into, kept from panel to panel: `getImageData` hands
 * back a new 1.2 MB array per card panel, whose fresh pages cost more than the read itself.
 */
let keptWorkingPixels: Uint8ClampedArray<ArrayBuffer> | null = null;
/** Set while a `use` of withWorkingCopy holds the kept buffer (two region stages at once each get their own). */
let keptWorkingInUse = false;

/**
 * Runs `use` on the panel at the size its region maps are worked out at, shrunk by the browser's
 * resampler; undefined when no shrinking is needed. The pixels are valid only during `use`.
 */
async function withWorkingCopy<T>(source: ImageData, box: Box, use: (working: RgbaImage | undefined) => T): Promise<T> {
  const [x, y, width, height] = box;
  const size = workingSize(width, height);
  if (size.width === width && size.height === height) return use(undefined);
  const bitmap = await createImageBitmap(source, x, y, width, height, { resizeWidth: size.width, resizeHeight: size.height, resizeQuality: 'medium' });
  let kept = false;
  try {
    let data: Uint8ClampedArray | null = null;
    if (!keptWorkingInUse) {
      keptWorkingInUse = kept = true;
      data = await readOpaqueInto(bitmap, size.width * size.height * 4);
    }
    data ??= readThroughCanvas(bitmap, size.width, size.height);
    return use(data ? { data, width: size.width, height: size.height } : undefined);
  } finally {
    if (kept) keptWorkingInUse = false;
    bitmap.close();
  }
}

/**
 * The bitmap's pixels read into the kept buffer (a frame copy, no canvas), or null when that read
 * could differ from the canvas's: a translucent pixel (the canvas premultiplies and unpremultiplies),
 * a frame without alpha or not tightly packed, or no VideoFrame here. Opaque pixels are the same
 * bytes both ways.
 */
async function readOpaqueInto(bitmap: ImageBitmap, length: number): Promise<Uint8ClampedArray | null> {
  if (typeof VideoFrame === 'undefined') return null;
  let frame: VideoFrame;
  try {
    frame = new VideoFrame(bitmap, { timestamp: 0 });
  } catch {
    return null;
  }
  if (!keptWorkingPixels || keptWorkingPixels.length < length) keptWorkingPixels = new Uint8ClampedArray(length);
  const data = keptWorkingPixels.subarray(0, length);
  // Copied in the frame's own layout (Chromium's is BGRA) and swapped here: not every browser converts on copy.
  const format = frame.format;
  try {
    if ((format !== 'RGBA' && format !== 'BGRA') || frame.allocationSize() !== length) return null;
    await frame.copyTo(data);
  } catch {
    return null;
  } finally {
    frame.close();
  }
  for (let offset = 0; offset < length; offset += 4) {
    if (data[offset + 3] !== 255) return null;
    if (format === 'BGRA') {
      const blue = data[offset] as number;
      data[offset] = data[offset + 2] as number;
      data[offset + 2] = blue;
    }
  }
  return data;
}

/** The bitmap's pixels drawn on the kept canvas and read back (a new array), or null without a 2D context. */
function readThroughCanvas(bitmap: ImageBitmap, width: number, height: number): Uint8ClampedArray | null {
  workingCanvas ??= new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
  const context = workingCanvas;
  if (!context) return null;
  const { canvas } = context;
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  // As a new canvas would be: transparent, so the draw below is the bitmap's pixels alone.
  context.clearRect(0, 0, width, height);
  context.drawImage(bitmap, 0, 0);
  return context.getImageData(0, 0, width, height).data;
}

function inPanelPixels(faces: FaceDetection[], toPanel: number): FaceDetection[] {
  return faces.map((found) => ({ ...found, box: found.box.map((value) => value * toPanel) as Box }));
}

/**
 * Runs `use` on the `box` of `source` shrunk (by the browser's resampler) so its longer side is
 * at most `side`; `toPanel` turns the shrunk image's pixels back into the box's. Boxes that fit
 * already are passed at their size.
 */
async function withModelImage<T>(source: ImageData, box: Box, side: number, use: (input: ImageBitmap, toPanel: number) => Promise<T>): Promise<T> {
  const [x, y, width, height] = box;
  const scale = Math.min(1, side / Math.max(width, height));
  const inputWidth = Math.max(1, Math.round(width * scale));
  const inputHeight = Math.max(1, Math.round(height * scale));
  const input = await createImageBitmap(source, x, y, Math.max(1, width), Math.max(1, height), {
    resizeWidth: inputWidth,
    resizeHeight: inputHeight,
    resizeQuality: scale < 1 ? 'medium' : 'pixelated',
  });
  try {
    return await use(input, width / inputWidth);
  } finally {
    input.close();
  }
}

/** The face the regions are built round: the largest, weighted by score; its box clipped to the panel. */
function mainFace(faces: FaceDetection[], pixels: RgbaImage): { box: Box; score: number } | null {
  const best = [...faces].sort((first, second) => second.box[2] * second.box[3] * second.score - first.box[2] * first.box[3] * first.score)[0];
  if (!best) return null;
  const [x, y, width, height] = best.box;
  const left = Math.max(0, x);
  const top = Math.max(0, y);
  const right = Math.min(pixels.width, x + width);
  const bottom = Math.min(pixels.height, y + height);
  if (right <= left || bottom <= top) return null;
  return { box: [left, top, right - left, bottom - top], score: best.score };
}

/** 478 landmarks (panel pixels) of the face in `box` (panel pixels), from a crop round it; null when the mesh finds none there. */
async function landmarksAround(source: ImageData, panelBox: Box, box: Box, signal: AbortSignal | undefined): Promise<Float32Array | null> {
  const [panelX, panelY, panelWidth, panelHeight] = panelBox;
  const [x, y, width, height] = box;
  const side = Math.max(width, height) * LANDMARK_CROP_SCALE;
  const left = Math.max(0, Math.floor(x + width / 2 - side / 2));
  const top = Math.max(0, Math.floor(y + height / 2 - side / 2));
  const right = Math.min(panelWidth, Math.ceil(x + width / 2 + side / 2));
  const bottom = Math.min(panelHeight, Math.ceil(y + height / 2 + side / 2));
  // Landmarks come in the (shrunk) crop's pixels, z in the same scale as x; toPanel scales them back.
  const { found, toPanel } = await withModelImage(source, [panelX + left, panelY + top, right - left, bottom - top], LANDMARK_CROP_SIDE, async (input, toPanel) => ({
    found: await detectFaceLandmarks(input, { signal }),
    toPanel,
  }));
  const centreX = (x + width / 2 - left) / toPanel;
  const centreY = (y + height / 2 - top) / toPanel;
  const nearest = found
    .map((face) => ({ face, distance: Math.hypot(meanOf(face, 'x') - centreX, meanOf(face, 'y') - centreY) }))
    .sort((first, second) => first.distance - second.distance)[0];
  if (!nearest || nearest.distance * toPanel > Math.max(width, height)) return null;
  const points = new Float32Array(nearest.face.points.length * 3);
  nearest.face.points.forEach((point, index) => {
    points[index * 3] = point.x * toPanel + left;
    points[index * 3 + 1] = point.y * toPanel + top;
    points[index * 3 + 2] = point.z * toPanel;
  });
  return points;
}

function meanOf(face: FaceLandmarks, axis: 'x' | 'y'): number {
  return face.points.reduce((sum, point) => sum + point[axis], 0) / Math.max(1, face.points.length);
}

/**
 * The region stage as the pipeline runs it on a card: label boxes from the label stage (awaited
 * when the maps need them) are cut out; a model that fails to load (or any other failure but
 * cancelling) leaves the regions null rather than failing the card. The maps are valid until the
 * next card's region stage (reused buffers): the worker analyses one card at a time, and nothing
 * of a result holds them.
 */
export async function mapCardRegions(
  image: RgbaImage,
  panels: readonly Box[],
  labelBoxes: () => Promise<LabelBoxes>,
  signal?: AbortSignal,
  faces?: FacePass,
): Promise<RegionStage | null> {
  try {
    return await mapPanelRegions(image, panels, { labelBoxes, signal, faces, reuseMapBuffers: true });
  } catch (error) {
    if (signal?.aborted) throw error;
    console.warn('Sidelight: region maps failed:', error);
    return null;
  }
}

/** The face pass as the pipeline runs it on a card: null (the region stage then tries again) when a model fails, unless cancelled. */
export async function findCardFaces(image: RgbaImage, panels: readonly Box[], signal?: AbortSignal): Promise<FacePass | null> {
  try {
    return await findPanelFaces(image, panels, { signal, reuseCrops: true });
  } catch (error) {
    if (signal?.aborted) throw error;
    console.warn('Sidelight: face pass failed:', error);
    return null;
  }
}
