// Turns face_mesh's attention landmark model into the landmark model MediaPipe Tasks'
// FaceLandmarker expects. Tasks reads exactly two outputs by index (0: landmarks, decoded as 478
// points of num_values / 478 coordinates; 1: face presence logit), while this model has seven:
// a 468-point mesh and refined lips, eyes and irises. The rewrite appends operators that do what
// the legacy graph did after inference (mediapipe/modules/face_landmark/
// tensors_to_face_landmarks_with_attention.pbtxt, LandmarksRefinementCalculator): lips and eyes
// overwrite the mesh's x and y, irises become points 468-477 with z the mean mesh z of their eye.
import { BUILTIN, TENSOR_TYPE } from './tflite/model.mjs';
import { concatenationOptions, gatherOptions, reducerOptions, reshapeOptions } from './tflite/options.mjs';
import { ModelWriter } from './tflite/writer.mjs';
import { METADATA_NAME, buildModelMetadata } from './tflite/metadata.mjs';

const MESH_POINTS = 468;
export const FACE_LANDMARKS = 478;

/** Mesh indices each refinement output overwrites, in output order (from the .pbtxt above). */
export const LIPS = [
  61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291, 185, 40, 39, 37, 0, 267, 269, 270, 409, 78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308, 191, 80, 81, 82, 13,
  312, 311, 310, 415, 76, 77, 90, 180, 85, 16, 315, 404, 320, 307, 306, 184, 74, 73, 72, 11, 302, 303, 304, 408, 62, 96, 89, 179, 86, 15, 316, 403, 319, 325, 292,
  183, 42, 41, 38, 12, 268, 271, 272, 407,
];
export const LEFT_EYE = [
  33, 7, 163, 144, 145, 153, 154, 155, 133, 246, 161, 160, 159, 158, 157, 173, 130, 25, 110, 24, 23, 22, 26, 112, 243, 247, 30, 29, 27, 28, 56, 190, 226, 31, 228,
  229, 230, 231, 232, 233, 244, 113, 225, 224, 223, 222, 221, 189, 35, 124, 46, 53, 52, 65, 143, 111, 117, 118, 119, 120, 121, 128, 245, 156, 70, 63, 105, 66, 107,
  55, 193,
];
export const RIGHT_EYE = [
  263, 249, 390, 373, 374, 380, 381, 382, 362, 466, 388, 387, 386, 385, 384, 398, 359, 255, 339, 254, 253, 252, 256, 341, 463, 467, 260, 259, 257, 258, 286, 414,
  446, 261, 448, 449, 450, 451, 452, 453, 464, 342, 445, 444, 443, 442, 441, 413, 265, 353, 276, 283, 282, 295, 372, 340, 346, 347, 348, 349, 350, 357, 465, 383,
  300, 293, 334, 296, 336, 285, 417,
];
/** Eye contours (the first 16 eye points) whose mean mesh z each iris takes. */
export const LEFT_EYE_CONTOUR = LEFT_EYE.slice(0, 16);
export const RIGHT_EYE_CONTOUR = RIGHT_EYE.slice(0, 16);
export const LEFT_IRIS_FIRST = 468;
export const RIGHT_IRIS_FIRST = 473;

/** Model outputs in the order the legacy graph reads them, with their point counts and coordinates. */
const PARTS = [
  { name: 'output_mesh_identity', points: MESH_POINTS, coordinates: 3 },
  { name: 'output_lips', points: LIPS.length, coordinates: 2 },
  { name: 'output_left_eye', points: LEFT_EYE.length, coordinates: 2 },
  { name: 'output_right_eye', points: RIGHT_EYE.length, coordinates: 2 },
  { name: 'output_left_iris', points: 5, coordinates: 2 },
  { name: 'output_right_iris', points: 5, coordinates: 2 },
];
const PRESENCE = 'conv_faceflag';

/**
 * Where each of the 478 × xyz output values comes from, as an index into the concatenation of the
 * six outputs (flattened, in PARTS order) followed by the two iris depths.
 * @returns {number[]}
 */
export function landmarkGatherTable() {
  const starts = [];
  let offset = 0;
  for (const part of PARTS) {
    starts.push(offset);
    offset += part.points * part.coordinates;
  }
  const [mesh = 0, lips = 0, leftEye = 0, rightEye = 0, leftIris = 0, rightIris = 0] = starts;
  const [leftIrisDepth, rightIrisDepth] = [offset, offset + 1];
  const table = Array.from({ length: FACE_LANDMARKS * 3 }, (_, index) => (index < MESH_POINTS * 3 ? mesh + index : -1));
  /** @param {number[]} meshIndices @param {number} start */
  const overwriteXy = (meshIndices, start) =>
    meshIndices.forEach((point, order) => {
      table[3 * point] = start + 2 * order;
      table[3 * point + 1] = start + 2 * order + 1;
    });
  overwriteXy(LIPS, lips);
  overwriteXy(LEFT_EYE, leftEye);
  overwriteXy(RIGHT_EYE, rightEye);
  for (const [first, start, depth] of [
    [LEFT_IRIS_FIRST, leftIris, leftIrisDepth],
    [RIGHT_IRIS_FIRST, rightIris, rightIrisDepth],
  ]) {
    for (let order = 0; order < 5; order++) {
      table[3 * (first + order)] = start + 2 * order;
      table[3 * (first + order) + 1] = start + 2 * order + 1;
      table[3 * (first + order) + 2] = depth;
    }
  }
  if (table.some((source) => source < 0)) throw new Error('landmark gather table has holes');
  return table;
}

/** @param {number[]} values @returns {Uint8Array} little-endian int32 */
function int32Bytes(values) {
  return new Uint8Array(Int32Array.from(values).buffer);
}

/**
 * @param {Uint8Array} attentionModel face_landmark_with_attention.tflite
 * @param {import('./tflite/metadata.mjs').TensorSpec['image']} normalization
 * @returns {Uint8Array} a model with outputs [landmarks [1, 1434], presence [1, 1, 1, 1]] and metadata
 */
export function faceLandmarksDetectorModel(attentionModel, normalization) {
  const writer = new ModelWriter(attentionModel);
  const { tensors, outputs } = writer.subgraph;
  /** @param {string} name */
  const output = (name) => {
    const index = outputs.find((candidate) => tensors[candidate]?.name === name);
    if (index === undefined) throw new Error(`face landmark model has no output ${name}`);
    return index;
  };
  /** @param {string} name @param {number[]} shape @param {number[]} values */
  const constant = (name, shape, values) => writer.addTensor({ name, shape, type: TENSOR_TYPE.INT32, buffer: writer.addBuffer(int32Bytes(values)) });
  /** @param {string} name @param {number[]} shape */
  const floats = (name, shape) => writer.addTensor({ name, shape, type: TENSOR_TYPE.FLOAT32 });
  /** @param {number} code @param {number[]} inputs @param {number[]} results @param {import('./tflite/writer.mjs').BuiltinOptions} options */
  const operator = (code, inputs, results, options) => writer.addOperator({ opcodeIndex: writer.operatorCode(code), inputs, outputs: results, options });

  const parts = PARTS.map((part) => {
    const index = output(part.name);
    const size = part.points * part.coordinates;
    if (tensors[index]?.shape.reduce((product, dimension) => product * dimension, 1) !== size) throw new Error(`${part.name}: expected ${size} values`);
    return index;
  });
  const [mesh = 0] = parts;
  const meshSize = MESH_POINTS * 3;

  // Iris depth: mean mesh z over each eye contour.
  const meshFlat = floats('sidelight/mesh_flat', [meshSize]);
  operator(BUILTIN.RESHAPE, [mesh, constant('sidelight/mesh_flat_shape', [1], [meshSize])], [meshFlat], reshapeOptions([meshSize]));
  const contourDepths = floats('sidelight/eye_contour_depths', [2, LEFT_EYE_CONTOUR.length]);
  const contourIndices = constant('sidelight/eye_contour_depth_indices', [2, LEFT_EYE_CONTOUR.length], [...LEFT_EYE_CONTOUR, ...RIGHT_EYE_CONTOUR].map((point) => 3 * point + 2));
  operator(BUILTIN.GATHER, [meshFlat, contourIndices], [contourDepths], gatherOptions(0));
  const irisDepths = floats('sidelight/iris_depths', [2]);
  operator(BUILTIN.MEAN, [contourDepths, constant('sidelight/mean_axis', [1], [1])], [irisDepths], reducerOptions(false));
  const irisDepths4d = floats('sidelight/iris_depths_4d', [1, 1, 1, 2]);
  operator(BUILTIN.RESHAPE, [irisDepths, constant('sidelight/iris_depths_shape', [4], [1, 1, 1, 2])], [irisDepths4d], reshapeOptions([1, 1, 1, 2]));

  // Everything side by side, then pick each landmark coordinate from it.
  const table = landmarkGatherTable();
  const poolSize = PARTS.reduce((total, part) => total + part.points * part.coordinates, 2);
  const pool = floats('sidelight/landmark_pool', [1, 1, 1, poolSize]);
  operator(BUILTIN.CONCATENATION, [...parts, irisDepths4d], [pool], concatenationOptions(3));
  const gathered = floats('sidelight/landmarks_4d', [1, 1, 1, table.length]);
  operator(BUILTIN.GATHER, [pool, constant('sidelight/landmark_table', [table.length], table)], [gathered], gatherOptions(3));
  const landmarks = floats('landmarks', [1, table.length]);
  operator(BUILTIN.RESHAPE, [gathered, constant('sidelight/landmarks_shape', [2], [1, table.length])], [landmarks], reshapeOptions([1, table.length]));

  const presence = output(PRESENCE);
  writer.setOutputs([landmarks, presence]);
  writer.addMetadata(
    METADATA_NAME,
    buildModelMetadata({
      name: 'Face mesh with attention, 478 landmarks',
      description: 'face_landmark_with_attention from @mediapipe/face_mesh, outputs merged into 478 landmarks by Sidelight.',
      license: 'Apache-2.0',
      inputs: [{ name: tensors[writer.subgraph.inputs[0] ?? -1]?.name ?? 'input_1', description: 'RGB face crop, 192x192', image: normalization }],
      outputs: [
        { name: 'landmarks', description: '478 landmarks x (x, y, z) in input pixels' },
        { name: PRESENCE, description: 'Face presence (logit)' },
      ],
    }),
  );
  return writer.finish();
}
