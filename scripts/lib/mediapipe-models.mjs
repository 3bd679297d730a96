// The MediaPipe models Sidelight ships, where each comes from (npm packages only), and the
// TFLite metadata each needs before MediaPipe Tasks accepts it. Used by the build step
// scripts/assets/20-mediapipe-models.mjs and by tests/unit/tflite-patch.test.ts.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { zipSync } from 'fflate';
import { faceLandmarksDetectorModel } from './face-landmarks.mjs';
import { withMetadata } from './tflite/index.mjs';

const require = createRequire(import.meta.url);

/** @param {string} name an installed npm package @returns {string} its folder */
export function packageDir(name) {
  // Some packages (tasks-vision) do not export ./package.json: walk up from their entry point.
  for (let dir = dirname(require.resolve(name)); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === name) return dir;
  }
  throw new Error(`cannot find the folder of ${name}`);
}

/** @param {string} name @returns {string} */
export function packageVersion(name) {
  return JSON.parse(readFileSync(join(packageDir(name), 'package.json'), 'utf8')).version;
}

/** @param {string} packageName @param {string} file @returns {Uint8Array} */
function packageFile(packageName, file) {
  return new Uint8Array(readFileSync(join(packageDir(packageName), file)));
}

/**
 * One file out of @mediapipe/face_mesh's packed assets. Its Emscripten loader script carries the
 * byte ranges as `loadPackage({"files": [{"filename", "start", "end"}, ...]})`.
 * @param {string} fileName e.g. "face_landmark_with_attention.tflite"
 * @returns {Uint8Array}
 */
export function faceMeshAsset(fileName) {
  const loader = readFileSync(join(packageDir('@mediapipe/face_mesh'), 'face_mesh_solution_packed_assets_loader.js'), 'utf8');
  const call = /loadPackage\((\{"files":.*\})\);/.exec(loader);
  if (!call?.[1]) throw new Error('face_mesh_solution_packed_assets_loader.js: no loadPackage({...}) call found');
  /** @type {{ files: { filename: string, start: number, end: number }[], remote_package_size: number }} */
  const manifest = JSON.parse(call[1]);
  const entry = manifest.files.find((file) => file.filename.endsWith(`/${fileName}`));
  if (!entry) throw new Error(`face_mesh packed assets hold no ${fileName}`);
  const packed = packageFile('@mediapipe/face_mesh', 'face_mesh_solution_packed_assets.data');
  if (packed.length !== manifest.remote_package_size) throw new Error('face_mesh packed assets: size differs from its loader');
  return packed.slice(entry.start, entry.end);
}

/** [-1, 1] input, as the BlazeFace detectors were trained. */
const MINUS_ONE_TO_ONE = { colorSpace: /** @type {const} */ ('RGB'), mean: [127.5], std: [127.5] };
/** [0, 1] input, as the selfie segmenter and the face mesh were trained. */
const ZERO_TO_ONE = { colorSpace: /** @type {const} */ ('RGB'), mean: [0], std: [255] };

/**
 * @typedef {{
 *   output: string, packageName: string, source: string, read: () => Uint8Array, inputSize: number,
 *   metadata: import('./tflite/metadata.mjs').MetadataSpec
 * }} ModelSpec
 */

/** @type {ModelSpec[]} */
export const MEDIAPIPE_MODELS = [
  {
    // FaceDetector (and FaceLandmarker's detector) hard-code the short-range anchors: 128², 896 boxes.
    output: 'face_detector.tflite',
    packageName: '@mediapipe/face_detection',
    source: 'face_detection_short_range.tflite',
    read: () => packageFile('@mediapipe/face_detection', 'face_detection_short_range.tflite'),
    inputSize: 128,
    metadata: {
      name: 'BlazeFace short range',
      description: 'Face detection for faces within ~2 m of the camera. Metadata added by Sidelight.',
      license: 'Apache-2.0',
      inputs: [{ name: 'input', description: 'RGB image, 128x128', image: MINUS_ONE_TO_ONE }],
      outputs: [
        { name: 'regressors', description: '896 anchors x (box + 6 keypoints)' },
        { name: 'classificators', description: '896 anchor scores (logits)' },
      ],
    },
  },
  {
    // For faces down to ~5% of the image width, which the short-range model misses.
    output: 'face_detection_full_range.tflite',
    packageName: '@mediapipe/face_detection',
    source: 'face_detection_full_range.tflite',
    read: () => packageFile('@mediapipe/face_detection', 'face_detection_full_range.tflite'),
    inputSize: 192,
    metadata: {
      name: 'BlazeFace full range',
      description: 'Face detection for faces within ~5 m of the camera. Metadata added by Sidelight.',
      license: 'Apache-2.0',
      inputs: [{ name: 'input', description: 'RGB image, 192x192', image: MINUS_ONE_TO_ONE }],
      outputs: [
        { name: 'reshaped_regressor_face_4', description: '2304 anchors x (box + 6 keypoints)' },
        { name: 'reshaped_classifier_face_4', description: '2304 anchor scores (logits)' },
      ],
    },
  },
  {
    output: 'selfie_segmentation.tflite',
    packageName: '@mediapipe/selfie_segmentation',
    source: 'selfie_segmentation.tflite',
    read: () => packageFile('@mediapipe/selfie_segmentation', 'selfie_segmentation.tflite'),
    inputSize: 256,
    metadata: {
      name: 'Selfie segmentation',
      description: 'Person vs background, general (square) model. Metadata added by Sidelight.',
      license: 'Apache-2.0',
      inputs: [{ name: 'input_1', description: 'RGB image, 256x256', image: ZERO_TO_ONE }],
      outputs: [{ name: 'activation_10', description: 'Person probability per pixel, 256x256' }],
    },
  },
];

/** @param {ModelSpec} spec @returns {Uint8Array} the model with its metadata added */
export function patchedModel(spec) {
  return withMetadata(spec.read(), spec.metadata);
}

/** The attention face mesh, rewritten for FaceLandmarker (see face-landmarks.mjs). */
export function faceLandmarksDetector() {
  return faceLandmarksDetectorModel(faceMeshAsset('face_landmark_with_attention.tflite'), ZERO_TO_ONE);
}

/**
 * FaceLandmarker's model bundle: a zip of the two models under the names its graph looks up.
 * Stored, not deflated (MediaPipe reads the models in place), with a fixed date so the bytes
 * only change when a model does.
 * @returns {Uint8Array}
 */
export function faceLandmarkerBundle() {
  const detector = MEDIAPIPE_MODELS.find((spec) => spec.output === 'face_detector.tflite');
  if (!detector) throw new Error('no face_detector.tflite spec');
  const options = { level: /** @type {const} */ (0), mtime: new Date(1980, 0, 1) };
  return zipSync({ 'face_detector.tflite': [patchedModel(detector), options], 'face_landmarks_detector.tflite': [faceLandmarksDetector(), options] }, options);
}

/** The one tasks-vision wasm variant shipped: the ES-module build, the only one a module worker can load. */
export const TASKS_VISION_WASM = ['vision_wasm_module_internal.js', 'vision_wasm_module_internal.wasm'];
