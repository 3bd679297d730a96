// Build-time int8 quantisation of the recogniser's pointwise convolutions (after the float
// rewrite in ocr-model-rewrite.mjs). The 1×1 Convs of the PPLCNetV3 backbone are most of the
// model's time in onnxruntime-web's wasm (MLAS SGEMM); MLAS's wasm SIMD QGEMM multiplies 8-bit
// values through i32x4.dot_i16x8 and runs the same products in less time. Each such Conv becomes
//   DynamicQuantizeLinear(x) → ConvInteger(xq, Wq) → Cast → Mul (x scale · channel scale) → Add bias
// with the weights quantised symmetrically per output channel (uint8, zero point 128) and the
// activations per tensor at run time, so no calibration data is involved and the bytes depend
// only on the float model. ConvInteger and DynamicQuantizeLinear need opset 10 and 11, so the
// graph's two opset-9 operators with attribute forms that opset 10/11 made inputs (Slice, Pad)
// are rewritten first; that step changes no value.
import { GraphView, attributeValue, intAttribute, onnx, tensorDims } from './onnx-graph.mjs';

const { DataType } = onnx.TensorProto;
const QUANTIZED_OPSET = 11;
/**
 * Pointwise Convs with fewer weights stay float: the two smallest (16→32, 32→64 channels) gained
 * nothing measurable once quantised (Node, 400 + 504 columns: 118.0 against 117.5 ms).
 */
const MIN_WEIGHTS = 64 * 128;
/** Symmetric weights use −127…127 around the zero point, so the products never hit −128 · −128. */
const WEIGHT_ZERO_POINT = 128;
const WEIGHT_LEVELS = 127;

function rawTensor(name, dims, dataType, values) {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
  return onnx.TensorProto.create({ name, dims, dataType, rawData: bytes });
}

function addTensor(view, tensor) {
  if (view.constants.has(tensor.name)) throw new Error(`an initializer named ${tensor.name} already exists`);
  view.graph.initializer.push(tensor);
  view.constants.set(tensor.name, tensor);
  return tensor.name;
}

const int64Tensor = (name, values) => rawTensor(name, [values.length], DataType.INT64, BigInt64Array.from(values, BigInt));

/**
 * Moves `model` (opset 9) to opset 11 without changing a value: Slice-1 and Pad-2 attributes become
 * the inputs that Slice-10 and Pad-11 read; no other operator of the recogniser changed meaning.
 */
export function upgradeToOpset11(model) {
  const main = model.opsetImport.find((opset) => !opset.domain);
  if (!main || Number(main.version) !== 9) throw new Error(`expected an opset-9 model, not opset ${main?.version}`);
  const view = new GraphView(model.graph);
  for (const node of view.graph.node) {
    if (node.opType === 'Slice') {
      const [starts, ends, axes] = ['starts', 'ends', 'axes'].map((name) => attributeValue(node, name, null));
      if (!starts || !ends) throw new Error(`${node.name}: Slice without starts or ends`);
      const inputs = [int64Tensor(`${node.name}.starts`, starts), int64Tensor(`${node.name}.ends`, ends)];
      if (axes) inputs.push(int64Tensor(`${node.name}.axes`, axes));
      node.input = [node.input[0], ...inputs.map((tensor) => addTensor(view, tensor))];
      node.attribute = [];
    } else if (node.opType === 'Pad') {
      if (attributeValue(node, 'mode', 'constant') !== 'constant') throw new Error(`${node.name}: only constant Pads are handled`);
      const pads = addTensor(view, int64Tensor(`${node.name}.pads`, attributeValue(node, 'pads', [])));
      const value = addTensor(view, rawTensor(`${node.name}.value`, [], DataType.FLOAT, Float32Array.of(attributeValue(node, 'value', 0))));
      node.input = [node.input[0], pads, value];
      node.attribute = [];
    } else if (['Clip', 'Upsample', 'Resize', 'TopK', 'Split'].includes(node.opType)) {
      throw new Error(`${node.name}: ${node.opType} changed between opset 9 and 11 and is not rewritten`);
    }
  }
  main.version = QUANTIZED_OPSET;
}

/** A Conv that is a plain matrix product per position: 1×1, one group, stride 1, no padding. */
function isPointwise(view, conv) {
  if (conv.opType !== 'Conv') return false;
  const weight = view.constants.get(conv.input[1]);
  if (!weight || weight.dataType !== DataType.FLOAT) return false;
  const dims = tensorDims(weight);
  if (dims.length !== 4 || dims[2] !== 1 || dims[3] !== 1) return false;
  if (attributeValue(conv, 'group', 1) !== 1) return false;
  if (attributeValue(conv, 'strides', [1, 1]).some((stride) => stride !== 1)) return false;
  if (attributeValue(conv, 'dilations', [1, 1]).some((dilation) => dilation !== 1)) return false;
  if (attributeValue(conv, 'pads', [0, 0, 0, 0]).some((pad) => pad !== 0)) return false;
  return attributeValue(conv, 'auto_pad', 'NOTSET') === 'NOTSET' || attributeValue(conv, 'auto_pad', 'NOTSET') === 'VALID';
}

/** Per output channel: uint8 weights (q + 128, |q| ≤ 127) and the float32 scale of each channel. */
export function quantizeWeightsPerChannel(weight, outChannels) {
  const perOutput = weight.length / outChannels;
  const quantized = new Uint8Array(weight.length);
  const scales = new Float32Array(outChannels);
  for (let out = 0; out < outChannels; out++) {
    let largest = 0;
    for (let k = 0; k < perOutput; k++) largest = Math.max(largest, Math.abs(weight[out * perOutput + k]));
    const scale = largest > 0 ? Math.fround(largest / WEIGHT_LEVELS) : 1;
    scales[out] = scale;
    for (let k = 0; k < perOutput; k++) {
      const level = Math.max(-WEIGHT_LEVELS, Math.min(WEIGHT_LEVELS, Math.round(weight[out * perOutput + k] / scale)));
      quantized[out * perOutput + k] = level + WEIGHT_ZERO_POINT;
    }
  }
  return { quantized, scales };
}

/** Whether `name` is a squeeze-and-excite map: a global pool, or a Conv or Relu of one (1×1, nothing to gain). */
function readsPooledMap(view, name) {
  const producer = view.producer.get(name);
  if (!producer) return false;
  if (producer.opType === 'GlobalAveragePool') return true;
  return (producer.opType === 'Conv' || producer.opType === 'Relu') && readsPooledMap(view, producer.input[0]);
}

/**
 * Rewrites every pointwise Conv with at least `minWeights` weights whose input is not a pooled
 * 1×1 map (the squeeze-and-excite gates, a few thousand products each) into the integer form.
 * Returns the number rewritten.
 */
function quantizePointwiseConvs(view, minWeights) {
  const node = (opType, input, output, attribute = []) => onnx.NodeProto.create({ name: `${output[0]}.node`, opType, input, output, attribute });
  const quantizedInputs = new Map();
  let rewritten = 0;
  for (const conv of [...view.graph.node]) {
    if (!isPointwise(view, conv)) continue;
    if (readsPooledMap(view, conv.input[0])) continue;
    const weightTensor = view.constants.get(conv.input[1]);
    const [outChannels] = tensorDims(weightTensor);
    const weight = view.constantValues(conv.input[1]);
    if (weight.length < minWeights) continue;
    const bias = conv.input[2] ? view.constantValues(conv.input[2]) : new Float32Array(outChannels);
    if (!bias || bias.length !== outChannels) continue;

    const x = conv.input[0];
    const out = conv.output[0];
    const added = [];
    let quantizedInput = quantizedInputs.get(x);
    if (!quantizedInput) {
      quantizedInput = { data: `${x}.q`, scale: `${x}.q_scale`, zeroPoint: `${x}.q_zero_point` };
      added.push(node('DynamicQuantizeLinear', [x], [quantizedInput.data, quantizedInput.scale, quantizedInput.zeroPoint]));
      quantizedInputs.set(x, quantizedInput);
    }
    const { quantized, scales } = quantizeWeightsPerChannel(weight, outChannels);
    const weightName = addTensor(view, rawTensor(`${out}.wq`, tensorDims(weightTensor), DataType.UINT8, quantized));
    const zeroPointName = addTensor(view, rawTensor(`${out}.wq_zero_point`, [], DataType.UINT8, Uint8Array.of(WEIGHT_ZERO_POINT)));
    const scaleName = addTensor(view, rawTensor(`${out}.wq_scale`, [outChannels, 1, 1], DataType.FLOAT, scales));
    const biasName = addTensor(view, rawTensor(`${out}.bias`, [outChannels, 1, 1], DataType.FLOAT, bias));
    const kernel = conv.attribute.filter((attr) => attr.name === 'kernel_shape');
    added.push(
      node('ConvInteger', [quantizedInput.data, weightName, quantizedInput.zeroPoint, zeroPointName], [`${out}.int`], kernel),
      node('Cast', [`${out}.int`], [`${out}.float`], [intAttribute('to', DataType.FLOAT)]),
      node('Mul', [quantizedInput.scale, scaleName], [`${out}.scale`]),
      node('Mul', [`${out}.float`, `${out}.scale`], [`${out}.scaled`]),
      node('Add', [`${out}.scaled`, biasName], [out]),
    );
    view.graph.node.splice(view.graph.node.indexOf(conv), 1, ...added);
    rewritten++;
  }
  view.removeNodes([]);
  return rewritten;
}

/** Quantises `model` (a decoded, already rewritten ModelProto) in place; returns counts. */
export function quantizeRecognizer(model) {
  upgradeToOpset11(model);
  const view = new GraphView(model.graph);
  return { pointwiseConvs: quantizePointwiseConvs(view, MIN_WEIGHTS) };
}
