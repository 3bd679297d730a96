// Rewrites a TFLite model without re-encoding what does not change: the original file is embedded
// verbatim at the end of a new FlatBuffer, and a new root Model (plus any new or changed tables)
// points into it. FlatBuffers offsets only ever point forward, so tables written before the
// embedded copy may reference anything inside it; unchanged tensors, operators, options and
// weights stay byte-for-byte identical, and only the tables listed in model.mjs need a schema here.
import { Builder } from 'flatbuffers';
import { BUFFER, METADATA, MODEL, OPERATOR, OPERATOR_CODE, SUBGRAPH, TENSOR, readModel } from './model.mjs';

/** Constant data of TFLite buffers is 16-byte aligned (schema.fbs: `force_align: 16`). */
const BUFFER_ALIGNMENT = 16;

/**
 * @typedef {{ name: string, shape: number[], type: number, buffer?: number }} NewTensor
 * @typedef {{ type: number, write: (builder: Builder) => number }} BuiltinOptions a BuiltinOptions union member: its type id and a writer returning its table
 * @typedef {{ opcodeIndex: number, inputs: number[], outputs: number[], options?: BuiltinOptions }} NewOperator
 */

/** @param {Builder} builder @param {number[]} offsets */
function offsetVector(builder, offsets) {
  builder.startVector(4, offsets.length, 4);
  for (let index = offsets.length - 1; index >= 0; index--) builder.addOffset(/** @type {number} */ (offsets[index]));
  return builder.endVector();
}

/** @param {Builder} builder @param {number[]} values */
export function int32Vector(builder, values) {
  builder.startVector(4, values.length, 4);
  for (let index = values.length - 1; index >= 0; index--) builder.addInt32(/** @type {number} */ (values[index]));
  return builder.endVector();
}

/** @param {Builder} builder @param {Uint8Array} data */
function alignedByteVector(builder, data) {
  // Pad so that the data (written after its length) starts on the alignment boundary.
  builder.prep(BUFFER_ALIGNMENT, data.length);
  return builder.createByteVector(data);
}

/** Collects edits to the first subgraph and the model root, then writes the new file in one go. */
export class ModelWriter {
  /** @param {Uint8Array} bytes the original .tflite file */
  constructor(bytes) {
    this.original = readModel(bytes);
    this.rejectUnknownFields();
    /** @type {Uint8Array[]} */ this.newBuffers = [];
    /** @type {{ name: string, buffer: number }[]} */ this.newMetadata = [];
    /** @type {{ builtinCode: number, version: number }[]} */ this.newOperatorCodes = [];
    /** @type {NewTensor[]} */ this.newTensors = [];
    /** @type {NewOperator[]} */ this.newOperators = [];
    /** @type {number[] | null} */ this.outputs = null;
  }

  /** Only fields whose types we know can be carried over by reference. */
  rejectUnknownFields() {
    const { root, subgraphs } = this.original;
    if (root.slotCount() > Object.keys(MODEL).length) throw new Error('model has fields newer than this writer knows');
    if (subgraphs.length !== 1) throw new Error(`expected one subgraph, found ${subgraphs.length}`);
  }

  get subgraph() {
    return /** @type {import('./model.mjs').SubgraphInfo} */ (this.original.subgraphs[0]);
  }

  /** @param {Uint8Array} data @returns {number} the new buffer's index */
  addBuffer(data) {
    this.newBuffers.push(data);
    return this.original.buffers.length + this.newBuffers.length - 1;
  }

  /** @param {string} name @param {Uint8Array} data */
  addMetadata(name, data) {
    if (this.original.metadata.some((entry) => entry.name === name)) throw new Error(`model already has metadata "${name}"`);
    this.newMetadata.push({ name, buffer: this.addBuffer(data) });
  }

  /** @param {number} builtinCode @param {number} [version] @returns {number} the operator code index */
  operatorCode(builtinCode, version = 1) {
    const existing = this.original.operatorCodes.findIndex((code) => code.builtinCode === builtinCode && code.customCode === null && code.version === version);
    if (existing >= 0) return existing;
    const added = this.newOperatorCodes.findIndex((code) => code.builtinCode === builtinCode && code.version === version);
    if (added >= 0) return this.original.operatorCodes.length + added;
    this.newOperatorCodes.push({ builtinCode, version });
    return this.original.operatorCodes.length + this.newOperatorCodes.length - 1;
  }

  /** @param {NewTensor} tensor @returns {number} the tensor's index */
  addTensor(tensor) {
    this.newTensors.push(tensor);
    return this.subgraph.tensors.length + this.newTensors.length - 1;
  }

  /** Appends an operator after the existing ones (execution order). @param {NewOperator} operator */
  addOperator(operator) {
    this.newOperators.push(operator);
  }

  /** @param {number[]} outputs tensor indices */
  setOutputs(outputs) {
    this.outputs = outputs;
  }

  /** @returns {Uint8Array} the rewritten .tflite file */
  finish() {
    const { original } = this;
    const builder = new Builder(original.bytes.length + 64 * 1024);
    // The verbatim copy goes first, so it ends up last in the file and everything can point at it.
    builder.prep(BUFFER_ALIGNMENT, original.bytes.length);
    const embedded = builder.createByteVector(original.bytes);
    const embeddedStart = embedded - 4;
    /** Builder offset of a table, vector or string at `position` in the original file. @param {number} position */
    const reuse = (position) => embeddedStart - position;

    const buffers = [
      ...original.buffers.map((buffer) => reuse(buffer.position)),
      ...this.newBuffers.map((data) => {
        const vector = alignedByteVector(builder, data);
        builder.startObject(Object.keys(BUFFER).length);
        builder.addFieldOffset(BUFFER.data, vector, 0);
        return builder.endObject();
      }),
    ];
    const metadata = [
      ...original.metadata.map((entry) => reuse(entry.position)),
      ...this.newMetadata.map((entry) => {
        const name = builder.createString(entry.name);
        builder.startObject(Object.keys(METADATA).length);
        builder.addFieldOffset(METADATA.name, name, 0);
        builder.addFieldInt32(METADATA.buffer, entry.buffer, 0);
        return builder.endObject();
      }),
    ];
    const operatorCodes = offsetVector(builder, [
      ...original.operatorCodes.map((code) => reuse(code.position)),
      ...this.newOperatorCodes.map((code) => {
        builder.startObject(Object.keys(OPERATOR_CODE).length);
        builder.addFieldInt8(OPERATOR_CODE.deprecatedBuiltinCode, Math.min(code.builtinCode, 127), 0);
        builder.addFieldInt32(OPERATOR_CODE.version, code.version, 1);
        builder.addFieldInt32(OPERATOR_CODE.builtinCode, code.builtinCode, 0);
        return builder.endObject();
      }),
    ]);
    const subgraphs = offsetVector(builder, [this.writeSubgraph(builder, reuse)]);

    const vectors = [
      [MODEL.operatorCodes, operatorCodes],
      [MODEL.subgraphs, subgraphs],
      [MODEL.buffers, offsetVector(builder, buffers)],
      [MODEL.metadata, offsetVector(builder, metadata)],
      // Fields carried over unchanged, when present.
      ...[MODEL.description, MODEL.metadataBuffer, MODEL.signatureDefs]
        .filter((slot) => original.root.target(slot) !== 0)
        .map((slot) => [slot, reuse(original.root.target(slot))]),
    ];
    builder.startObject(Object.keys(MODEL).length);
    builder.addFieldInt32(MODEL.version, original.version, 0);
    for (const [slot, offset] of vectors) builder.addFieldOffset(/** @type {number} */ (slot), /** @type {number} */ (offset), 0);
    builder.finish(builder.endObject(), 'TFL3');
    return builder.asUint8Array().slice();
  }

  /** @param {Builder} builder @param {(position: number) => number} reuse */
  writeSubgraph(builder, reuse) {
    const { subgraph } = this;
    const table = this.original.root.tables(MODEL.subgraphs)[0];
    if (!table) throw new Error('no subgraph');
    if (!this.newTensors.length && !this.newOperators.length && !this.outputs) return reuse(subgraph.position);
    if (table.slotCount() > Object.keys(SUBGRAPH).length) throw new Error('subgraph has fields newer than this writer knows');

    const tensors = [
      ...subgraph.tensors.map((tensor) => reuse(tensor.position)),
      ...this.newTensors.map((tensor) => {
        const shape = int32Vector(builder, tensor.shape);
        const name = builder.createString(tensor.name);
        builder.startObject(Object.keys(TENSOR).length);
        builder.addFieldOffset(TENSOR.shape, shape, 0);
        builder.addFieldInt8(TENSOR.type, tensor.type, 0);
        // Buffer 0 is the empty sentinel: computed tensors must use it, or TFLite calls them constants.
        builder.addFieldInt32(TENSOR.buffer, tensor.buffer ?? 0, 0);
        builder.addFieldOffset(TENSOR.name, name, 0);
        return builder.endObject();
      }),
    ];
    const operators = [
      ...subgraph.operators.map((operator) => reuse(operator.position)),
      ...this.newOperators.map((operator) => {
        const inputs = int32Vector(builder, operator.inputs);
        const outputs = int32Vector(builder, operator.outputs);
        const options = operator.options ? operator.options.write(builder) : 0;
        builder.startObject(Object.keys(OPERATOR).length);
        builder.addFieldInt32(OPERATOR.opcodeIndex, operator.opcodeIndex, 0);
        builder.addFieldOffset(OPERATOR.inputs, inputs, 0);
        builder.addFieldOffset(OPERATOR.outputs, outputs, 0);
        if (operator.options) {
          builder.addFieldInt8(OPERATOR.builtinOptionsType, operator.options.type, 0);
          builder.addFieldOffset(OPERATOR.builtinOptions, options, 0);
        }
        return builder.endObject();
      }),
    ];
    const tensorVector = offsetVector(builder, tensors);
    const operatorVector = offsetVector(builder, operators);
    const outputVector = this.outputs ? int32Vector(builder, this.outputs) : reuse(table.target(SUBGRAPH.outputs));
    builder.startObject(Object.keys(SUBGRAPH).length);
    builder.addFieldOffset(SUBGRAPH.tensors, tensorVector, 0);
    builder.addFieldOffset(SUBGRAPH.inputs, reuse(table.target(SUBGRAPH.inputs)), 0);
    builder.addFieldOffset(SUBGRAPH.outputs, outputVector, 0);
    builder.addFieldOffset(SUBGRAPH.operators, operatorVector, 0);
    if (table.target(SUBGRAPH.name)) builder.addFieldOffset(SUBGRAPH.name, reuse(table.target(SUBGRAPH.name)), 0);
    return builder.endObject();
  }
}
