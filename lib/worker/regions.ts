import { buildRegionMaps, summarizeRegions, type RegionModelOutputs } from '../engine/regions/build';
import type { PanelRegionMaps } from '../engine/regions/types';
import { cropRgba } from '../engine/image';
import type { Box, PanelRegions, RgbaImage } from '../engine/types';
import { detectFaceLandmarks, detectFaces, loadMediapipeTasks, segmentPerson, type FaceDetection, type FaceLandmarks } from '../models/mediapipe';

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
  /** Person segmentation and building the region maps, all panels together, model loading excluded. */
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
 * The face detectors (128² and 192² inputs) and the segmenter (256²) see the panel shrunk to at
 * most this size: the same answer, and far fewer pixels through tasks-vision's WebGL upload and
 * mask read-back (SwiftShader, on the CPU, where there is no GPU).
 */
const MODEL_INPUT_SIDE = 512;

/**
 * The region stage of the pipeline: for each panel (a box of `image`), the faces, landmarks
 * and person mask from lib/models, then the region maps from lib/engine/regions. A single
 * photo is one panel covering the whole image. `labelBoxes` (source pixels, per panel) are cut
 * out of every region. Throws when a model fails to load; the caller decides what that means.
 */
export async function mapPanelRegions(
  image: RgbaImage,
  panels: readonly Box[],
  options: { labelBoxes?: readonly (Box | null)[]; signal?: AbortSignal } = {},
): Promise<RegionStage> {
  let modelLoadMs = await loadMediapipeTasks(['face-short', 'landmarks', 'person'], { signal: options.signal });
  let faceMs = 0;
  let segmentMs = 0;
  let mapsMs = 0;
  const stage: RegionStage = { panels: [], summaries: [], faceMs: 0, segmentMs: 0, mapsMs: 0, modelLoadMs: 0, backend: 'cpu' };

  for (const [index, panel] of panels.entries()) {
    options.signal?.throwIfAborted();
    const pixels = cropRgba(image, panel);
    const shrinkStarted = performance.now();
    const modelImage = await shrunkForModels(pixels);
    const shrinkMs = performance.now() - shrinkStarted;
    // Model coordinates back to panel pixels.
    const toPanel = pixels.width / modelImage.width;

    try {
      const faceStarted = performance.now();
      let faces = await detectFaces(modelImage, { range: 'short', signal: options.signal });
      if (faces.length === 0) {
        // Full range finds faces down to ~5 % of the image's width (full-length portraits); loaded on first need.
        const loadMs = await loadMediapipeTasks(['face-full'], { signal: options.signal });
        modelLoadMs += loadMs;
        faces = await detectFaces(modelImage, { range: 'full', signal: options.signal });
        faceMs -= loadMs;
      }
      const face = mainFace(
        faces.map((found) => ({ ...found, box: found.box.map((value) => value * toPanel) as Box })),
        pixels,
      );
      const landmarks = face ? await landmarksAround(pixels, face.box, options.signal) : null;
      faceMs += performance.now() - faceStarted + shrinkMs / 2;

      const segmentStarted = performance.now();
      const person = await segmentPerson(modelImage, { signal: options.signal });
      const outputs: RegionModelOutputs = { face, landmarks, person };
      const mapsStarted = performance.now();
      const [panelX, panelY] = panel;
      const labelBox = options.labelBoxes?.[index];
      const regions = buildRegionMaps(pixels, outputs, {
        labelBoxes: labelBox ? [[labelBox[0] - panelX, labelBox[1] - panelY, labelBox[2], labelBox[3]]] : [],
      });
      mapsMs += performance.now() - mapsStarted;
      segmentMs += performance.now() - segmentStarted + shrinkMs / 2;

      stage.panels.push({ pixels, regions });
      stage.summaries.push(summarizeRegions(regions, [panelX, panelY]));
    } finally {
      if (modelImage instanceof ImageBitmap) modelImage.close();
    }
  }
  return { ...stage, faceMs, segmentMs, mapsMs, modelLoadMs };
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

/** The panel as the face detectors and the segmenter take it: shrunk (by the browser's resampler) to MODEL_INPUT_SIDE. */
async function shrunkForModels(pixels: RgbaImage): Promise<ImageBitmap | ImageData> {
  const full = new ImageData(new Uint8ClampedArray(pixels.data), pixels.width, pixels.height);
  const scale = MODEL_INPUT_SIDE / Math.max(pixels.width, pixels.height);
  if (scale >= 1) return full;
  return createImageBitmap(full, {
    resizeWidth: Math.max(1, Math.round(pixels.width * scale)),
    resizeHeight: Math.max(1, Math.round(pixels.height * scale)),
    resizeQuality: 'medium',
  });
}

/** 478 landmarks (panel pixels) of the face in `box`, from a native-resolution crop round it; null when the mesh finds none there. */
async function landmarksAround(pixels: RgbaImage, box: Box, signal: AbortSignal | undefined): Promise<Float32Array | null> {
  const [x, y, width, height] = box;
  const side = Math.max(width, height) * LANDMARK_CROP_SCALE;
  const left = Math.max(0, Math.floor(x + width / 2 - side / 2));
  const top = Math.max(0, Math.floor(y + height / 2 - side / 2));
  const right = Math.min(pixels.width, Math.ceil(x + width / 2 + side / 2));
  const bottom = Math.min(pixels.height, Math.ceil(y + height / 2 + side / 2));
  const crop = await shrunkForModels(cropRgba(pixels, [left, top, right - left, bottom - top]));
  // Landmarks come in the (shrunk) crop's pixels, z in the same scale as x.
  const toPanel = (right - left) / crop.width;
  let found: FaceLandmarks[];
  try {
    found = await detectFaceLandmarks(crop, { signal });
  } finally {
    if (crop instanceof ImageBitmap) crop.close();
  }
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
 * The region stage as the pipeline runs it on a card: label boxes from the label stage are cut
 * out; a model that fails to load (or any other failure but cancelling) leaves the regions null
 * rather than failing the card.
 */
export async function mapCardRegions(
  image: RgbaImage,
  panels: readonly Box[],
  labels: readonly { labelBox: Box | null }[] | null,
  signal?: AbortSignal,
): Promise<RegionStage | null> {
  try {
    return await mapPanelRegions(image, panels, { labelBoxes: labels?.map((label) => label.labelBox) ?? [], signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    console.warn('Sidelight: region maps failed:', error);
    return null;
  }
}
