// Reading a TFLite model (tensorflow/lite/schema/schema.fbs, file identifier "TFL3") into plain
// objects, keeping each table's position so a writer can reuse unchanged tables by reference.
import { Table } from './table.mjs';

/** Field slots of the tables we touch, in schema.fbs declaration order. */
export const MODEL = { version: 0, operatorCodes: 1, subgraphs: 2, description: 3, buffers: 4, metadataBuffer: 5, metadata: 6, signatureDefs: 7 };
export const OPERATOR_CODE = { deprecatedBuiltinCode: 0, customCode: 1, version: 2, builtinCode: 3 };
export const SUBGRAPH = { tensors: 0, inputs: 1, outputs: 2, operators: 3, name: 4 };
export const TENSOR = { shape: 0, type: 1, buffer: 2, name: 3, quantization: 4, isVariable: 5, sparsity: 6, shapeSignature: 7, hasRank: 8 };
export const OPERATOR = { opcodeIndex: 0, inputs: 1, outputs: 2, builtinOptionsType: 3, builtinOptions: 4, customOptions: 5 };
export const BUFFER = { data: 0, offset: 1, size: 2 };
export const METADATA = { name: 0, buffer: 1 };

/** TensorType enum values used here. */
export const TENSOR_TYPE = { FLOAT32: 0, FLOAT16: 1, INT32: 2, UINT8: 3, INT64: 4, INT8: 9 };
const TENSOR_TYPE_NAMES = Object.fromEntries(Object.entries(TENSOR_TYPE).map(([name, value]) => [value, name]));

/** BuiltinOperator values used here (the first 127 also live in deprecated_builtin_code). */
export const BUILTIN = { CONCATENATION: 2, RESHAPE: 22, CUSTOM: 32, GATHER: 36, MEAN: 40 };

/**
 * @typedef {{ name: string | null, shape: number[], type: number, typeName: string, buffer: number, position: number }} TensorInfo
 * @typedef {{ opcodeIndex: number, inputs: number[], outputs: number[], optionsType: number, options: Table | null, position: number }} OperatorInfo
 * @typedef {{ name: string | null, tensors: TensorInfo[], inputs: number[], outputs: number[], operators: OperatorInfo[], position: number }} SubgraphInfo
 * @typedef {{ builtinCode: number, customCode: string | null, version: number, position: number }} OperatorCodeInfo
 * @typedef {{ data: Uint8Array, offset: bigint, size: bigint, position: number }} BufferInfo
 * @typedef {{ name: string | null, buffer: number, position: number }} MetadataInfo
 * @typedef {{
 *   version: number, description: string | null, operatorCodes: OperatorCodeInfo[], subgraphs: SubgraphInfo[],
 *   buffers: BufferInfo[], metadata: MetadataInfo[], root: Table, bytes: Uint8Array
 * }} ModelInfo
 */

/** @param {Uint8Array} bytes a .tflite file @returns {ModelInfo} */
export function readModel(bytes) {
  const root = Table.root(bytes, 'TFL3');
  return {
    version: root.uint32(MODEL.version),
    description: root.string(MODEL.description),
    operatorCodes: root.tables(MODEL.operatorCodes).map((code) => ({
      // Newer converters write the full code in builtin_code; older ones only the deprecated byte.
      builtinCode: Math.max(code.int32(OPERATOR_CODE.builtinCode), code.int8(OPERATOR_CODE.deprecatedBuiltinCode)),
      customCode: code.string(OPERATOR_CODE.customCode),
      version: code.int32(OPERATOR_CODE.version, 1),
      position: code.position,
    })),
    subgraphs: root.tables(MODEL.subgraphs).map((subgraph) => ({
      name: subgraph.string(SUBGRAPH.name),
      tensors: subgraph.tables(SUBGRAPH.tensors).map((tensor) => {
        const type = tensor.int8(TENSOR.type);
        return {
          name: tensor.string(TENSOR.name),
          shape: tensor.int32s(TENSOR.shape),
          type,
          typeName: TENSOR_TYPE_NAMES[type] ?? `type${type}`,
          buffer: tensor.uint32(TENSOR.buffer),
          position: tensor.position,
        };
      }),
      inputs: subgraph.int32s(SUBGRAPH.inputs),
      outputs: subgraph.int32s(SUBGRAPH.outputs),
      operators: subgraph.tables(SUBGRAPH.operators).map((operator) => ({
        opcodeIndex: operator.uint32(OPERATOR.opcodeIndex),
        inputs: operator.int32s(OPERATOR.inputs),
        outputs: operator.int32s(OPERATOR.outputs),
        optionsType: operator.uint8(OPERATOR.builtinOptionsType),
        options: operator.table(OPERATOR.builtinOptions),
        position: operator.position,
      })),
      position: subgraph.position,
    })),
    buffers: root.tables(MODEL.buffers).map((buffer) => ({
      data: buffer.bytes(BUFFER.data),
      offset: buffer.uint64(BUFFER.offset),
      size: buffer.uint64(BUFFER.size),
      position: buffer.position,
    })),
    metadata: root.tables(MODEL.metadata).map((entry) => ({
      name: entry.string(METADATA.name),
      buffer: entry.uint32(METADATA.buffer),
      position: entry.position,
    })),
    root,
    bytes,
  };
}
