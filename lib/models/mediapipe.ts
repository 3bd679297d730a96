/**
 * MediaPipe Tasks (face detection, face landmarks, person segmentation) on the bundled wasm and models.
 * The only importer of @mediapipe/tasks-vision. Tasks are created once, lazily, on first use, and
 * every call into the runtime is serialized. Works in extension pages and module workers.
 */
import { FaceDetector, FaceLandmarker, ImageSegmenter } from '@mediapipe/tasks-vision';
import type { Box, GrayImage } from '../engine/types';
import { factoryOnModule, type ModuleFactory } from './wasm-module';

/** Files written by scripts/assets/20-mediapipe-models.mjs into public/mediapipe/. */
export const MEDIAPIPE_FILES = {
  wasmLoader: 'wasm/vision_wasm_module_internal.js',
  wasmBinary: 'wasm/vision_wasm_module_internal.wasm',
  faceDetector: 'face_detector.tflite',
  faceDetectorFullRange: 'face_detection_full_range.tflite',
  personSegmenter: 'selfie_segmentation.tflite',
  /** face_detector.tflite + face_landmarks_detector.tflite (the rewritten attention mesh), zipped. */
  faceLandmarker: 'face_landmarker.task',
} as const;

/** The CPU (XNNPACK) delegate. The GPU (WebGL) delegate is not measured yet (docs/models.md). */
export const MEDIAPIPE_BACKEND = 'wasm-cpu';

export type MediapipeImage = ImageBitmap | ImageData;

/**
 * BlazeFace short range (128² input) finds faces that fill a good part of the image, as in
 * portraits; full range (192²) also finds faces down to ~5% of the image's width, and is slower.
 */
export type FaceRange = 'short' | 'full';

export interface FaceDetection {
  /** Face box in input-image pixels. */
  box: Box;
  score: number;
  /** Right eye, left eye, nose tip, mouth, right ear tragion, left ear tragion, in input-image pixels. */
  keypoints: { x: number; y: number }[];
}

export interface FaceLandmarks {
  /**
   * 478 points in input-image pixels, MediaPipe's face mesh numbering: 0-467 the mesh (lips and
   * eyes refined), 468-472 the left iris (centre first), 473-477 the right iris. z is depth
   * relative to the head's centre, in the same pixel scale as x (smaller is nearer).
   */
  points: { x: number; y: number; z: number }[];
}

/** Minimum face score kept by the detector (MediaPipe's default is 0.5). */
const MIN_FACE_SCORE = 0.5;
const MAX_FACES = 4;

let assetBase: string | null = null;

/** Where public/mediapipe/ is served from; defaults to the extension's own origin. */
export function setMediapipeAssetBase(url: string): void {
  assetBase = url.endsWith('/') ? url : `${url}/`;
}

function assetUrl(file: string): string {
  return new URL(file, assetBase ?? new URL('/mediapipe/', self.location.href)).href;
}

/** tasks-vision declares but does not export this type. */
type WasmFileset = Parameters<typeof FaceDetector.createFromOptions>[0];
let moduleFactory: Promise<ModuleFactory> | null = null;

/**
 * Tasks-vision reads the wasm runtime's factory from `self.ModuleFactory` and clears it after each
 * task is created, and it only knows how to load the ES-module build inside workers. Importing the
 * module build ourselves and handing its factory over before each creation works the same way in
 * pages and module workers, and evaluates the loader once.
 *
 * Every task is its own instance of the runtime. Left to itself, each creation fetches and compiles
 * the 13 MB wasm again; the factory handed over instead instantiates one module compiled once
 * (Emscripten's `instantiateWasm` hook), so the second and later tasks skip the compilation.
 */
async function wasmFileset(): Promise<WasmFileset> {
  moduleFactory ??= import(/* @vite-ignore */ assetUrl(MEDIAPIPE_FILES.wasmLoader)).then((loader: { default: ModuleFactory }) => loader.default);
  const factory = await moduleFactory;
  const compiled = await compiledRuntime().catch(() => null);
  // Without a compiled module (compilation refused), the runtime loads the binary itself, as before.
  (globalThis as { ModuleFactory?: ModuleFactory }).ModuleFactory = compiled ? factoryOnModule(factory, compiled) : factory;
  // An empty loader path tells tasks-vision the factory is already in place.
  return { wasmLoaderPath: '', wasmBinaryPath: assetUrl(MEDIAPIPE_FILES.wasmBinary) };
}

let compiling: Promise<WebAssembly.Module> | null = null;

/** The runtime's wasm, compiled once per context (a failure is not kept: the next task tries again). */
function compiledRuntime(): Promise<WebAssembly.Module> {
  compiling ??= WebAssembly.compileStreaming(fetch(assetUrl(MEDIAPIPE_FILES.wasmBinary)));
  compiling.catch(() => {
    compiling = null;
  });
  return compiling;
}

let queue: Promise<unknown> = Promise.resolve();

/** Runs calls into the MediaPipe runtime one at a time, in call order. */
function serialized<T>(task: () => Promise<T> | T, signal?: AbortSignal): Promise<T> {
  const run = queue.then(() => {
    signal?.throwIfAborted();
    return task();
  });
  queue = run.catch(() => undefined);
  return run;
}

const faceDetectors: Partial<Record<FaceRange, FaceDetector>> = {};
let personSegmenter: ImageSegmenter | null = null;
let faceLandmarker: FaceLandmarker | null = null;

async function getFaceDetector(range: FaceRange): Promise<FaceDetector> {
  faceDetectors[range] ??= await FaceDetector.createFromOptions(await wasmFileset(), {
    baseOptions: { modelAssetPath: assetUrl(range === 'short' ? MEDIAPIPE_FILES.faceDetector : MEDIAPIPE_FILES.faceDetectorFullRange), delegate: 'CPU' },
    runningMode: 'IMAGE',
    minDetectionConfidence: MIN_FACE_SCORE,
  });
  return faceDetectors[range];
}

async function getPersonSegmenter(): Promise<ImageSegmenter> {
  personSegmenter ??= await ImageSegmenter.createFromOptions(await wasmFileset(), {
    baseOptions: { modelAssetPath: assetUrl(MEDIAPIPE_FILES.personSegmenter), delegate: 'CPU' },
    runningMode: 'IMAGE',
    outputConfidenceMasks: true,
    outputCategoryMask: false,
  });
  return personSegmenter;
}

async function getFaceLandmarker(): Promise<FaceLandmarker> {
  faceLandmarker ??= await FaceLandmarker.createFromOptions(await wasmFileset(), {
    baseOptions: { modelAssetPath: assetUrl(MEDIAPIPE_FILES.faceLandmarker), delegate: 'CPU' },
    runningMode: 'IMAGE',
    numFaces: MAX_FACES,
    minFaceDetectionConfidence: MIN_FACE_SCORE,
    outputFaceBlendshapes: false,
    outputFacialTransformationMatrixes: false,
  });
  return faceLandmarker;
}

export type MediapipeTask = 'face-short' | 'face-full' | 'landmarks' | 'person';

/** A blank image to run each new task once: its first run sets up kernels and buffers, a cost that belongs to loading. */
function warmUpImage(): ImageData {
  return new ImageData(new Uint8ClampedArray(64 * 64 * 4).fill(128), 64, 64);
}

/**
 * Creates the tasks that do not exist yet (and runs each once on a blank image). Resolves with
 * the milliseconds this call spent loading: 0 when every task was ready.
 */
export function loadMediapipeTasks(tasks: readonly MediapipeTask[], { signal }: { signal?: AbortSignal } = {}): Promise<number> {
  return serialized(async () => {
    const started = performance.now();
    let created = false;
    for (const task of tasks) {
      signal?.throwIfAborted();
      if (task === 'face-short' || task === 'face-full') {
        const range = task === 'face-short' ? 'short' : 'full';
        if (faceDetectors[range]) continue;
        (await getFaceDetector(range)).detect(warmUpImage());
      } else if (task === 'landmarks') {
        if (faceLandmarker) continue;
        (await getFaceLandmarker()).detect(warmUpImage());
      } else {
        if (personSegmenter) continue;
        (await getPersonSegmenter()).segment(warmUpImage()).close();
      }
      created = true;
    }
    return created ? performance.now() - started : 0;
  }, signal);
}

/** Faces in the image, best first. */
export function detectFaces(image: MediapipeImage, { range = 'short', signal }: { range?: FaceRange; signal?: AbortSignal } = {}): Promise<FaceDetection[]> {
  return serialized(async () => {
    const detector = await getFaceDetector(range);
    signal?.throwIfAborted();
    const { detections } = detector.detect(image);
    return detections
      .filter((detection) => detection.boundingBox)
      .map((detection): FaceDetection => {
        const { originX, originY, width, height } = detection.boundingBox ?? { originX: 0, originY: 0, width: 0, height: 0 };
        return {
          box: [originX, originY, width, height],
          score: detection.categories[0]?.score ?? 0,
          keypoints: detection.keypoints.map((point) => ({ x: point.x * image.width, y: point.y * image.height })),
        };
      })
      .sort((first, second) => second.score - first.score)
      .slice(0, MAX_FACES);
  }, signal);
}

/** 478 landmarks of each face found (short-range detector, then the attention face mesh). */
export function detectFaceLandmarks(image: MediapipeImage, { signal }: { signal?: AbortSignal } = {}): Promise<FaceLandmarks[]> {
  return serialized(async () => {
    const landmarker = await getFaceLandmarker();
    signal?.throwIfAborted();
    const { faceLandmarks } = landmarker.detect(image);
    return faceLandmarks.map((face) => ({
      points: face.map((point) => ({ x: point.x * image.width, y: point.y * image.height, z: point.z * image.width })),
    }));
  }, signal);
}

/** Per-pixel probability (0-1) that the pixel belongs to a person, at the input's size. */
export function segmentPerson(image: MediapipeImage, { signal }: { signal?: AbortSignal } = {}): Promise<GrayImage> {
  return serialized(async () => {
    const segmenter = await getPersonSegmenter();
    signal?.throwIfAborted();
    const result = segmenter.segment(image);
    try {
      const mask = result.confidenceMasks?.[0];
      if (!mask) throw new Error('The person segmenter returned no mask.');
      return { data: mask.getAsFloat32Array().slice(), width: mask.width, height: mask.height };
    } finally {
      result.close();
    }
  }, signal);
}

/** Frees every task; the next call creates it again. */
export function closeMediapipe(): Promise<void> {
  return serialized(() => {
    for (const range of ['short', 'full'] as const) {
      faceDetectors[range]?.close();
      delete faceDetectors[range];
    }
    personSegmenter?.close();
    personSegmenter = null;
    faceLandmarker?.close();
    faceLandmarker = null;
  });
}
