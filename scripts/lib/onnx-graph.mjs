// A small ONNX toolkit for build steps: read and write ModelProto with the protobuf code that
// onnxruntime-web ships (lib/onnxjs/ort-schema/protobuf/onnx.js, on protobufjs), and the graph
// queries the rewrites in ocr-model-rewrite.mjs need. Float32 tensors only.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
// The package's "exports" do not list this file: load it by path.
const { onnx } = require(fileURLToPath(new URL('../../node_modules/onnxruntime-web/lib/onnxjs/ort-schema/protobuf/onnx.js', import.meta.url)));

export { onnx };

const FLOAT = onnx.TensorProto.DataType.FLOAT;

/** @param {Uint8Array} bytes */
export function readModel(bytes) {
  return onnx.ModelProto.decode(bytes);
}

/** @returns {Uint8Array} */
export function writeModel(model) {
  return onnx.ModelProto.encode(model).finish();
}

/** The values of a float32 TensorProto, as a fresh array. */
export function tensorValues(tensor) {
  if (tensor.dataType !== FLOAT) throw new Error(`${tensor.name || 'tensor'}: only float32 tensors are handled (data type ${tensor.dataType})`);
  if (tensor.rawData?.length) {
    const raw = tensor.rawData;
    return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  }
  return Float32Array.from(tensor.floatData ?? []);
}

export function tensorDims(tensor) {
  return (tensor.dims ?? []).map(Number);
}

/** A float32 TensorProto (raw little-endian data, as exporters write it). */
export function floatTensor(name, dims, values) {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
  return onnx.TensorProto.create({ name, dims, dataType: FLOAT, rawData: bytes });
}

/** Node attributes: an int, a float, a list of ints. */
export const intAttribute = (name, value) => onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i: value });
export const floatAttribute = (name, value) => onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f: value });
export const intsAttribute = (name, values) => onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: values });

/** The attribute's value (int, float, ints or floats), or `fallback` when the node lacks it. */
export function attributeValue(node, name, fallback) {
  const found = node.attribute.find((attr) => attr.name === name);
  if (!found) return fallback;
  const { AttributeType } = onnx.AttributeProto;
  switch (found.type) {
    case AttributeType.INT:
      return Number(found.i);
    case AttributeType.FLOAT:
      return found.f;
    case AttributeType.INTS:
      return found.ints.map(Number);
    case AttributeType.FLOATS:
      return [...found.floats];
    case AttributeType.STRING:
      return new TextDecoder().decode(found.s);
    default:
      throw new Error(`${node.name}: attribute ${name} has an unhandled type ${found.type}`);
  }
}

/**
 * A view of a graph for rewrites: constants by name (Constant nodes and initializers alike),
 * the nodes that read each tensor, and the producer of each.
 */
export class GraphView {
  constructor(graph) {
    this.graph = graph;
    this.refresh();
  }

  refresh() {
    /** @type {Map<string, any>} */
    this.constants = new Map();
    for (const tensor of this.graph.initializer) this.constants.set(tensor.name, tensor);
    /** @type {Map<string, any[]>} */
    this.readers = new Map();
    /** @type {Map<string, any>} */
    this.producer = new Map();
    for (const node of this.graph.node) {
      if (node.opType === 'Constant') {
        const value = node.attribute.find((attr) => attr.name === 'value');
        if (value?.t) this.constants.set(node.output[0], value.t);
      }
      for (const output of node.output) this.producer.set(output, node);
      for (const input of node.input) {
        if (!input) continue;
        const list = this.readers.get(input) ?? [];
        list.push(node);
        this.readers.set(input, list);
      }
    }
    this.graphOutputs = new Set(this.graph.output.map((output) => output.name));
  }

  /** The nodes reading `name`; a graph output counts as a reader no rewrite may remove. */
  readersOf(name) {
    return this.readers.get(name) ?? [];
  }

  /** The constant's values when `name` is a float32 constant, else null. */
  constantValues(name) {
    const tensor = this.constants.get(name);
    if (!tensor || tensor.dataType !== FLOAT) return null;
    return tensorValues(tensor);
  }

  /** The value of a one-element float32 constant (shape [] or [1]), else null. */
  scalar(name) {
    const values = this.constantValues(name);
    return values && values.length === 1 ? values[0] : null;
  }

  /** For a binary node with one scalar constant input: that scalar and the other input. */
  scalarOperand(node) {
    for (const [constantIndex, otherIndex] of [
      [1, 0],
      [0, 1],
    ]) {
      const value = this.scalar(node.input[constantIndex]);
      if (value !== null && this.constantValues(node.input[otherIndex]) === null) return { value, other: node.input[otherIndex] };
    }
    return null;
  }

  /** Adds a float32 initializer and returns its name. */
  addInitializer(name, dims, values) {
    if (this.constants.has(name)) throw new Error(`an initializer named ${name} already exists`);
    const tensor = floatTensor(name, dims, values);
    this.graph.initializer.push(tensor);
    this.constants.set(name, tensor);
    return name;
  }

  /** Drops the given nodes, then constants and Constant nodes nothing reads any more. */
  removeNodes(nodes) {
    const doomed = new Set(nodes);
    this.graph.node = this.graph.node.filter((node) => !doomed.has(node));
    this.refresh();
    const used = new Set([...this.readers.keys(), ...this.graphOutputs]);
    this.graph.node = this.graph.node.filter((node) => node.opType !== 'Constant' || node.output.some((output) => used.has(output)));
    this.graph.initializer = this.graph.initializer.filter((tensor) => used.has(tensor.name));
    this.refresh();
  }
}

/** Every node reading `from` reads `to` instead. */
export function renameInput(graph, from, to) {
  for (const node of graph.node) node.input = node.input.map((input) => (input === from ? to : input));
}
