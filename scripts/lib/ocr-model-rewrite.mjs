// Build-time rewrite of PaddleOCR's PP-OCRv4 recogniser (ch_PP-OCRv4_rec_infer.onnx, exported by
// paddle2onnx at opset 9). The exporter writes every activation of the PPLCNetV3 backbone as
// eight element-wise passes over the feature map: the learnable affine block before it
// (Mul, Add by scalars), hard-swish as Add 3, Clip 0..6, Mul, Div 6, and the affine block after
// it (Mul, Add). onnxruntime fuses none of them. The rewrite computes the same function with
// fewer passes:
//   - an affine block right after a Conv goes into that Conv's weights and bias;
//   - hard-swish becomes x · HardSigmoid(x) (alpha 1/6, beta 0.5): two passes instead of four;
//   - an affine block right before Convs goes into their weights and bias; where such a Conv
//     pads its input with zeros, an explicit Pad with the value that the affine block maps to 0
//     keeps the borders exact (one pass instead of two).
// Only float rounding differs; tests/unit/ocr-model-rewrite.test.ts runs both models on real
// label strips and compares.
import { GraphView, attributeValue, floatAttribute, intsAttribute, onnx, readModel, renameInput, tensorDims, writeModel } from './onnx-graph.mjs';

/** Numbers the tensors a rewrite adds, so the same input always gives the same bytes. */
let rewrittenTensors = 0;

/** Rewrites `model` (a decoded ModelProto) in place and returns counts of what changed. */
export function rewriteRecognizer(model) {
  rewrittenTensors = 0;
  const view = new GraphView(model.graph);
  const counts = {
    affineIntoConvBefore: foldAffineAfterConv(view),
    hardSwish: simplifyHardSwish(view),
    affineIntoConvAfter: foldAffineBeforeConv(view),
  };
  return counts;
}

/** `node` when it is a Mul or Add by a one-element constant: { value, other }; else null. */
function scalarStep(view, node, opType) {
  if (!node || node.opType !== opType) return null;
  return view.scalarOperand(node);
}

function onlyReader(view, name) {
  const readers = view.readersOf(name);
  return readers.length === 1 && !view.graphOutputs.has(name) ? readers[0] : null;
}

function convWeights(view, conv) {
  const weight = view.constantValues(conv.input[1]);
  const weightDims = view.constants.has(conv.input[1]) ? tensorDims(view.constants.get(conv.input[1])) : null;
  if (!weight || !weightDims) return null;
  const outChannels = weightDims[0];
  const bias = conv.input[2] ? view.constantValues(conv.input[2]) : new Float32Array(outChannels);
  if (!bias || bias.length !== outChannels) return null;
  return { weight, weightDims, bias, outChannels, perOutput: weight.length / outChannels };
}

function setConvWeights(view, conv, weight, weightDims, bias) {
  const suffix = rewrittenTensors++;
  conv.input[1] = view.addInitializer(`${conv.output[0]}.w${suffix}`, weightDims, weight);
  const biasName = view.addInitializer(`${conv.output[0]}.b${suffix}`, [bias.length], bias);
  if (conv.input.length > 2) conv.input[2] = biasName;
  else conv.input.push(biasName);
}

/** Conv → Mul s → Add b becomes one Conv with weights s·W and bias s·B + b. */
function foldAffineAfterConv(view) {
  let folded = 0;
  for (const conv of [...view.graph.node]) {
    if (conv.opType !== 'Conv') continue;
    const mul = onlyReader(view, conv.output[0]);
    const scale = scalarStep(view, mul, 'Mul');
    if (!scale || scale.other !== conv.output[0]) continue;
    const add = onlyReader(view, mul.output[0]);
    const shift = scalarStep(view, add, 'Add');
    const conv0 = convWeights(view, conv);
    if (!conv0) continue;
    const weight = conv0.weight.map((value) => value * scale.value);
    const bias = conv0.bias.map((value) => value * scale.value + (shift ? shift.value : 0));
    setConvWeights(view, conv, weight, conv0.weightDims, bias);
    const last = shift ? add : mul;
    const removed = shift ? [mul, add] : [mul];
    renameInput(view.graph, last.output[0], conv.output[0]);
    replaceGraphOutput(view.graph, last.output[0], conv.output[0]);
    view.removeNodes(removed);
    folded++;
  }
  return folded;
}

function replaceGraphOutput(graph, from, to) {
  for (const output of graph.output) if (output.name === from) output.name = to;
}

/** x → Add 3 → Clip [0, 6] → Mul by x → Div 6 becomes x · HardSigmoid(x; 1/6, 1/2). */
function simplifyHardSwish(view) {
  let simplified = 0;
  for (const add of [...view.graph.node]) {
    const three = scalarStep(view, add, 'Add');
    if (!three || three.value !== 3) continue;
    const x = three.other;
    const clip = onlyReader(view, add.output[0]);
    if (!clip || clip.opType !== 'Clip' || clip.input.length !== 1) continue;
    if (attributeValue(clip, 'min', -Infinity) !== 0 || attributeValue(clip, 'max', Infinity) !== 6) continue;
    const mul = onlyReader(view, clip.output[0]);
    if (!mul || mul.opType !== 'Mul') continue;
    if ([...mul.input].sort().join('\n') !== [x, clip.output[0]].sort().join('\n')) continue;
    const div = onlyReader(view, mul.output[0]);
    const six = scalarStep(view, div, 'Div');
    if (!six || six.value !== 6 || div.input[0] !== mul.output[0]) continue;

    const gate = `${div.output[0]}.gate`;
    const hardSigmoid = onnx.NodeProto.create({
      name: `${div.output[0]}.hardsigmoid`,
      opType: 'HardSigmoid',
      input: [x],
      output: [gate],
      attribute: [floatAttribute('alpha', 1 / 6), floatAttribute('beta', 0.5)],
    });
    const product = onnx.NodeProto.create({ name: `${div.output[0]}.mul`, opType: 'Mul', input: [x, gate], output: [div.output[0]] });
    const at = view.graph.node.indexOf(add);
    view.graph.node.splice(at, 0, hardSigmoid, product);
    view.removeNodes([add, clip, mul, div]);
    simplified++;
  }
  return simplified;
}

/**
 * h → Mul s → Add b → Conv(s) becomes h → Conv'(s) with weights s·W and bias B + b·ΣW. A Conv
 * that pads with zeros gets its padding from an explicit Pad of value −b/s instead, which the
 * folded affine block maps to the same 0.
 */
function foldAffineBeforeConv(view) {
  let folded = 0;
  for (const mul of [...view.graph.node]) {
    const scale = scalarStep(view, mul, 'Mul');
    if (!scale || scale.value === 0) continue;
    const add = onlyReader(view, mul.output[0]);
    const shift = scalarStep(view, add, 'Add');
    if (!shift) continue;
    const readers = view.readersOf(add.output[0]);
    if (readers.length === 0 || view.graphOutputs.has(add.output[0])) continue;
    if (!readers.every((conv) => conv.opType === 'Conv' && conv.input[0] === add.output[0] && convWeights(view, conv))) continue;
    if (readers.some((conv) => attributeValue(conv, 'auto_pad', 'NOTSET') !== 'NOTSET')) continue;

    const h = scale.other;
    for (const conv of readers) {
      const { weight, weightDims, bias, outChannels, perOutput } = convWeights(view, conv);
      const newBias = bias.slice();
      for (let out = 0; out < outChannels; out++) {
        let sum = 0;
        for (let k = 0; k < perOutput; k++) sum += weight[out * perOutput + k];
        newBias[out] += shift.value * sum;
      }
      setConvWeights(
        view,
        conv,
        weight.map((value) => value * scale.value),
        weightDims,
        newBias,
      );
      const pads = attributeValue(conv, 'pads', []);
      if (pads.some((pad) => pad !== 0)) {
        // ONNX Conv pads are [top, left, bottom, right]; Pad-2 wants [N, C, H, W] begins then ends.
        const [top, left, bottom, right] = pads;
        const padded = `${conv.output[0]}.padded`;
        const pad = onnx.NodeProto.create({
          name: `${conv.output[0]}.pad`,
          opType: 'Pad',
          input: [h],
          output: [padded],
          attribute: [intsAttribute('pads', [0, 0, top, left, 0, 0, bottom, right]), floatAttribute('value', -shift.value / scale.value)],
        });
        view.graph.node.splice(view.graph.node.indexOf(conv), 0, pad);
        conv.input[0] = padded;
        conv.attribute = conv.attribute.filter((attr) => attr.name !== 'pads');
      } else {
        conv.input[0] = h;
      }
    }
    view.removeNodes([mul, add]);
    folded++;
  }
  return folded;
}

/** The rewritten model's bytes, from the original's. */
export function rewrittenRecognizer(bytes) {
  const model = readModel(bytes);
  rewriteRecognizer(model);
  return writeModel(model);
}
