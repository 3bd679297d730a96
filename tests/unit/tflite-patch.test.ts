import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { FACE_LANDMARKS, LEFT_EYE, LEFT_EYE_CONTOUR, LIPS, RIGHT_EYE, RIGHT_EYE_CONTOUR } from '../../scripts/lib/face-landmarks.mjs';
import { MEDIAPIPE_MODELS, faceLandmarkerBundle, faceLandmarksDetector, faceMeshAsset, patchedModel } from '../../scripts/lib/mediapipe-models.mjs';
import { BUILTIN, METADATA_NAME, TENSOR_TYPE, readModel, readModelMetadata } from '../../scripts/lib/tflite/index.mjs';

/** Normalization each model was trained with (MediaPipe's own graphs use the same ranges). */
const EXPECTED_NORMALIZATION: Record<string, { mean: number; std: number }> = {
  'face_detector.tflite': { mean: 127.5, std: 127.5 },
  'face_detection_full_range.tflite': { mean: 127.5, std: 127.5 },
  'selfie_segmentation.tflite': { mean: 0, std: 255 },
};

/** Everything of a model but its metadata, in comparable form. */
function structure(model: ReturnType<typeof readModel>) {
  const [subgraph] = model.subgraphs;
  return {
    version: model.version,
    description: model.description,
    operatorCodes: model.operatorCodes.map(({ builtinCode, customCode, version }) => ({ builtinCode, customCode, version })),
    inputs: subgraph?.inputs,
    outputs: subgraph?.outputs,
    tensors: subgraph?.tensors.map(({ name, shape, type, buffer }) => ({ name, shape, type, buffer })),
    operators: subgraph?.operators.map(({ opcodeIndex, inputs, outputs }) => ({ opcodeIndex, inputs, outputs })),
  };
}

describe.each(MEDIAPIPE_MODELS)('patched $output', (spec) => {
  const original = readModel(spec.read());
  const patchedBytes = patchedModel(spec);
  const patched = readModel(patchedBytes);

  it('had no metadata before, and has TFLITE_METADATA in a new buffer after', () => {
    expect(original.metadata).toEqual([]);
    expect(patched.metadata.map(({ name, buffer }) => ({ name, buffer }))).toEqual([{ name: METADATA_NAME, buffer: original.buffers.length }]);
    expect(patched.buffers).toHaveLength(original.buffers.length + 1);
  });

  it('describes the input as an RGB image with the right normalization, and names every tensor', () => {
    const entry = patched.metadata[0];
    const metadata = readModelMetadata(patched.buffers[entry?.buffer ?? -1]?.data ?? new Uint8Array());
    const [subgraph] = patched.subgraphs;
    const tensorName = (index: number) => subgraph?.tensors[index]?.name;
    const { mean, std } = EXPECTED_NORMALIZATION[spec.output] ?? { mean: NaN, std: NaN };
    expect(metadata.inputs).toEqual([{ name: tensorName(subgraph?.inputs[0] ?? -1), description: expect.any(String), colorSpace: 1, mean: [mean], std: [std] }]);
    expect(metadata.outputs.map((output) => output.name)).toEqual(subgraph?.outputs.map(tensorName));
    expect(metadata.minParserVersion).toBe('1.0.0');
    expect(subgraph?.tensors[subgraph.inputs[0] ?? -1]?.shape).toEqual([1, spec.inputSize, spec.inputSize, 3]);
  });

  it('leaves operators, tensors and weights exactly as they were', () => {
    expect(structure(patched)).toEqual(structure(original));
    expect(patched.subgraphs[0]?.operators.length).toBeGreaterThan(100);
    original.buffers.forEach((buffer, index) => expect(Buffer.from(patched.buffers[index]?.data ?? []).equals(buffer.data)).toBe(true));
  });

  it('aligns the new buffer to 16 bytes, and writes the same bytes every time', () => {
    const entry = patched.metadata[0];
    expect(patched.buffers[entry?.buffer ?? -1]?.data.byteOffset).toSatisfy((offset: number) => offset % 16 === 0);
    expect(Buffer.from(patchedModel(spec)).equals(patchedBytes)).toBe(true);
  });
});

describe('face_mesh packed assets', () => {
  it.each([
    ['face_landmark.tflite', 2],
    ['face_landmark_with_attention.tflite', 7],
  ])('yield %s, a 192x192 TFLite model with %i outputs', (file, outputs) => {
    const model = readModel(faceMeshAsset(file));
    const [subgraph] = model.subgraphs;
    expect(subgraph?.tensors[subgraph.inputs[0] ?? -1]?.shape).toEqual([1, 192, 192, 3]);
    expect(subgraph?.outputs).toHaveLength(outputs);
  });
});

type Model = ReturnType<typeof readModel>;
type Values = { data: number[]; shape: number[] };

const product = (values: number[]) => values.reduce((total, value) => total * value, 1);

/**
 * Runs the operators a rewrite appended (RESHAPE, GATHER, MEAN, CONCATENATION: float32 values,
 * int32 constants) on given values of the original outputs, so the rewrite's arithmetic can be
 * checked in Node without a TFLite runtime.
 */
function runAppendedOperators(model: Model, firstOperator: number, inputs: Map<number, number[]>): Map<number, Values> {
  const [subgraph] = model.subgraphs;
  if (!subgraph) throw new Error('no subgraph');
  const values = new Map<number, Values>();
  const valueOf = (index: number): Values => {
    const known = values.get(index);
    if (known) return known;
    const tensor = subgraph.tensors[index];
    if (!tensor) throw new Error(`no tensor ${index}`);
    const given = inputs.get(index);
    if (given) return { data: given, shape: tensor.shape };
    const bytes = model.buffers[tensor.buffer]?.data;
    if (!bytes?.length || tensor.type !== TENSOR_TYPE.INT32) throw new Error(`tensor ${tensor.name} has no value`);
    const copy = bytes.slice();
    return { data: Array.from(new Int32Array(copy.buffer, 0, copy.length / 4)), shape: tensor.shape };
  };
  for (const operator of subgraph.operators.slice(firstOperator)) {
    const code = model.operatorCodes[operator.opcodeIndex]?.builtinCode;
    const [first = -1, second = -1] = operator.inputs;
    const output = operator.outputs[0] ?? -1;
    const shape = subgraph.tensors[output]?.shape ?? [];
    const axisOption = operator.options?.int32(0) ?? 0;
    if (code === BUILTIN.RESHAPE) {
      values.set(output, { data: valueOf(first).data, shape });
    } else if (code === BUILTIN.GATHER) {
      const params = valueOf(first);
      const indices = valueOf(second).data;
      const inner = product(params.shape.slice(axisOption + 1));
      const axisSize = params.shape[axisOption] ?? 0;
      const outer = product(params.shape.slice(0, axisOption));
      const data: number[] = [];
      for (let o = 0; o < outer; o++) for (const index of indices) for (let i = 0; i < inner; i++) data.push(params.data[(o * axisSize + index) * inner + i] ?? NaN);
      values.set(output, { data, shape });
    } else if (code === BUILTIN.MEAN) {
      const input = valueOf(first);
      const [axis = 0] = valueOf(second).data;
      const inner = product(input.shape.slice(axis + 1));
      const axisSize = input.shape[axis] ?? 0;
      const outer = product(input.shape.slice(0, axis));
      const data: number[] = [];
      for (let o = 0; o < outer; o++)
        for (let i = 0; i < inner; i++) {
          let sum = 0;
          for (let a = 0; a < axisSize; a++) sum += input.data[(o * axisSize + a) * inner + i] ?? NaN;
          data.push(sum / axisSize);
        }
      values.set(output, { data, shape });
    } else if (code === BUILTIN.CONCATENATION) {
      const parts = operator.inputs.map(valueOf);
      const outer = product(shape.slice(0, axisOption));
      const data: number[] = [];
      for (let o = 0; o < outer; o++)
        for (const part of parts) {
          const chunk = product(part.shape.slice(axisOption));
          data.push(...part.data.slice(o * chunk, (o + 1) * chunk));
        }
      values.set(output, { data, shape });
    } else {
      throw new Error(`unexpected appended operator ${code}`);
    }
  }
  return values;
}

/** The legacy refinement (LandmarksRefinementCalculator as configured in tensors_to_face_landmarks_with_attention.pbtxt), written out plainly. */
function legacyRefinement(parts: number[][]): number[] {
  const [mesh = [], lips = [], leftEye = [], rightEye = [], leftIris = [], rightIris = []] = parts;
  const points = Array.from({ length: FACE_LANDMARKS }, (_, index) => ({ x: mesh[3 * index] ?? NaN, y: mesh[3 * index + 1] ?? NaN, z: mesh[3 * index + 2] ?? NaN }));
  for (const [map, values] of [
    [LIPS, lips],
    [LEFT_EYE, leftEye],
    [RIGHT_EYE, rightEye],
  ] as const) {
    map.forEach((index, order) => Object.assign(points[index] ?? {}, { x: values[2 * order], y: values[2 * order + 1] }));
  }
  for (const [first, values, contour] of [
    [468, leftIris, LEFT_EYE_CONTOUR],
    [473, rightIris, RIGHT_EYE_CONTOUR],
  ] as const) {
    const z = contour.reduce((sum, index) => sum + (points[index]?.z ?? NaN), 0) / contour.length;
    for (let order = 0; order < 5; order++) points[first + order] = { x: values[2 * order] ?? NaN, y: values[2 * order + 1] ?? NaN, z };
  }
  return points.flatMap(({ x, y, z }) => [x, y, z]);
}

describe('face_landmarks_detector.tflite (the attention mesh, rewritten for FaceLandmarker)', () => {
  const original = readModel(faceMeshAsset('face_landmark_with_attention.tflite'));
  const rewritten = readModel(faceLandmarksDetector());
  const [originalGraph] = original.subgraphs;
  const [graph] = rewritten.subgraphs;
  const tensor = (index: number) => graph?.tensors[index];

  it('has the two outputs Tasks reads: 478 x xyz landmarks, then the presence logit', () => {
    expect(graph?.outputs.map((index) => [tensor(index)?.name, tensor(index)?.shape, tensor(index)?.type])).toEqual([
      ['landmarks', [1, 1434], TENSOR_TYPE.FLOAT32],
      ['conv_faceflag', [1, 1, 1, 1], TENSOR_TYPE.FLOAT32],
    ]);
  });

  it('keeps every original operator, tensor and weight, and only appends', () => {
    const prefix = (model: Model, operators: number, tensors: number) => {
      const { operators: allOperators = [], tensors: allTensors = [], inputs } = model.subgraphs[0] ?? {};
      return {
        inputs,
        operators: allOperators.slice(0, operators).map(({ opcodeIndex, inputs: operatorInputs, outputs }) => ({ opcodeIndex, operatorInputs, outputs })),
        tensors: allTensors.slice(0, tensors).map(({ name, shape, type, buffer }) => ({ name, shape, type, buffer })),
      };
    };
    const operators = originalGraph?.operators.length ?? 0;
    const tensors = originalGraph?.tensors.length ?? 0;
    expect(prefix(rewritten, operators, tensors)).toEqual(prefix(original, operators, tensors));
    expect(graph?.operators.length).toBe(operators + 7);
    original.buffers.forEach((buffer, index) => expect(Buffer.from(rewritten.buffers[index]?.data ?? []).equals(buffer.data)).toBe(true));
  });

  it('computes new tensors at run time (buffer 0) and gives only int32 constants data', () => {
    for (const added of graph?.tensors.slice(originalGraph?.tensors.length) ?? []) {
      if (added.type === TENSOR_TYPE.FLOAT32) expect(added.buffer).toBe(0);
      else expect(rewritten.buffers[added.buffer]?.data.length).toBe(4 * product(added.shape));
    }
  });

  it('reproduces the legacy refinement of mesh, lips, eyes and irises exactly', () => {
    const names = ['output_mesh_identity', 'output_lips', 'output_left_eye', 'output_right_eye', 'output_left_iris', 'output_right_iris'];
    const indices = names.map((name) => graph?.tensors.findIndex((candidate) => candidate.name === name) ?? -1);
    // Distinct values everywhere (and a varied z), so any misplaced coordinate shows.
    const parts = indices.map((index, part) => Array.from({ length: product(tensor(index)?.shape ?? []) }, (_, value) => part * 10_000 + value + (value % 3 === 2 ? Math.sin(value) : 0)));
    const values = runAppendedOperators(rewritten, originalGraph?.operators.length ?? 0, new Map(indices.map((index, part) => [index, parts[part] ?? []])));
    const landmarks = values.get(graph?.outputs[0] ?? -1)?.data ?? [];
    const expected = legacyRefinement(parts);
    expect(landmarks).toHaveLength(1434);
    landmarks.forEach((value, index) => expect(value).toBeCloseTo(expected[index] ?? NaN, 9));
  });

  it('carries [0, 1] input normalization and names both outputs in its metadata', () => {
    const entry = rewritten.metadata.find((candidate) => candidate.name === METADATA_NAME);
    const metadata = readModelMetadata(rewritten.buffers[entry?.buffer ?? -1]?.data ?? new Uint8Array());
    expect(metadata.inputs.map(({ colorSpace, mean, std }) => ({ colorSpace, mean, std }))).toEqual([{ colorSpace: 1, mean: [0], std: [255] }]);
    expect(metadata.outputs.map((output) => output.name)).toEqual(['landmarks', 'conv_faceflag']);
  });
});

describe('face_landmarker.task', () => {
  const bundle = faceLandmarkerBundle();

  it('zips, uncompressed, the two models under the names FaceLandmarker looks up', () => {
    const files = unzipSync(bundle);
    expect(Object.keys(files).sort()).toEqual(['face_detector.tflite', 'face_landmarks_detector.tflite']);
    const detector = MEDIAPIPE_MODELS.find((spec) => spec.output === 'face_detector.tflite');
    expect(Buffer.from(files['face_detector.tflite'] ?? []).equals(detector ? patchedModel(detector) : new Uint8Array())).toBe(true);
    // Stored, not deflated: the model bytes are in the zip as they are.
    expect(Buffer.from(bundle).indexOf(Buffer.from(faceLandmarksDetector()))).toBeGreaterThan(0);
  });

  it('has the same bytes every time it is built', () => {
    expect(Buffer.from(faceLandmarkerBundle()).equals(bundle)).toBe(true);
  });
});
