// The TFLite metadata flatbuffer (tensorflow_lite_support/metadata/metadata_schema.fbs, file
// identifier "M001"): just what MediaPipe Tasks reads to preprocess an image input: colour space,
// normalization (mean/std), and tensor names. Written with the `flatbuffers` Builder, read back
// for tests.
import { Builder } from 'flatbuffers';
import { Table } from './table.mjs';

export const METADATA_IDENTIFIER = 'M001';
/** The name MediaPipe's ModelMetadataExtractor looks for in Model.metadata. */
export const METADATA_NAME = 'TFLITE_METADATA';

const MODEL_METADATA = { name: 0, description: 1, version: 2, subgraphMetadata: 3, author: 4, license: 5, associatedFiles: 6, minParserVersion: 7 };
const SUBGRAPH_METADATA = { name: 0, description: 1, inputTensorMetadata: 2, outputTensorMetadata: 3 };
const TENSOR_METADATA = { name: 0, description: 1, dimensionNames: 2, content: 3, processUnits: 4, stats: 5 };
// A union takes two slots: its type byte, then the value.
const CONTENT = { propertiesType: 0, properties: 1, range: 2 };
const CONTENT_PROPERTIES = { FeatureProperties: 1, ImageProperties: 2 };
const IMAGE_PROPERTIES = { colorSpace: 0, defaultSize: 1 };
const PROCESS_UNIT = { optionsType: 0, options: 1 };
const PROCESS_UNIT_OPTIONS = { NormalizationOptions: 1 };
const NORMALIZATION_OPTIONS = { mean: 0, std: 1 };
export const COLOR_SPACE = { UNKNOWN: 0, RGB: 1, GRAYSCALE: 2 };

/**
 * @typedef {{ name: string, description?: string, image?: { colorSpace: keyof typeof COLOR_SPACE, mean: number[], std: number[] } }} TensorSpec
 * @typedef {{ name: string, description?: string, version?: string, author?: string, license?: string, inputs: TensorSpec[], outputs: TensorSpec[] }} MetadataSpec
 */

/** @param {Builder} builder @param {number[]} values */
function floatVector(builder, values) {
  builder.startVector(4, values.length, 4);
  for (let index = values.length - 1; index >= 0; index--) builder.addFloat32(/** @type {number} */ (values[index]));
  return builder.endVector();
}

/** @param {Builder} builder @param {number[]} offsets */
function offsetVector(builder, offsets) {
  builder.startVector(4, offsets.length, 4);
  for (let index = offsets.length - 1; index >= 0; index--) builder.addOffset(/** @type {number} */ (offsets[index]));
  return builder.endVector();
}

/** @param {Builder} builder @param {TensorSpec} spec */
function tensorMetadata(builder, spec) {
  const name = builder.createString(spec.name);
  const description = spec.description ? builder.createString(spec.description) : 0;
  let content = 0;
  let processUnits = 0;
  if (spec.image) {
    builder.startObject(2);
    builder.addFieldInt8(IMAGE_PROPERTIES.colorSpace, COLOR_SPACE[spec.image.colorSpace], 0);
    const imageProperties = builder.endObject();
    builder.startObject(3);
    builder.addFieldInt8(CONTENT.propertiesType, CONTENT_PROPERTIES.ImageProperties, 0);
    builder.addFieldOffset(CONTENT.properties, imageProperties, 0);
    content = builder.endObject();

    const mean = floatVector(builder, spec.image.mean);
    const std = floatVector(builder, spec.image.std);
    builder.startObject(2);
    builder.addFieldOffset(NORMALIZATION_OPTIONS.mean, mean, 0);
    builder.addFieldOffset(NORMALIZATION_OPTIONS.std, std, 0);
    const normalization = builder.endObject();
    builder.startObject(2);
    builder.addFieldInt8(PROCESS_UNIT.optionsType, PROCESS_UNIT_OPTIONS.NormalizationOptions, 0);
    builder.addFieldOffset(PROCESS_UNIT.options, normalization, 0);
    processUnits = offsetVector(builder, [builder.endObject()]);
  }
  builder.startObject(6);
  builder.addFieldOffset(TENSOR_METADATA.name, name, 0);
  builder.addFieldOffset(TENSOR_METADATA.description, description, 0);
  builder.addFieldOffset(TENSOR_METADATA.content, content, 0);
  builder.addFieldOffset(TENSOR_METADATA.processUnits, processUnits, 0);
  return builder.endObject();
}

/** Serializes a ModelMetadata flatbuffer with one subgraph. @param {MetadataSpec} spec @returns {Uint8Array} */
export function buildModelMetadata(spec) {
  const builder = new Builder(1024);
  const inputs = offsetVector(builder, spec.inputs.map((tensor) => tensorMetadata(builder, tensor)));
  const outputs = offsetVector(builder, spec.outputs.map((tensor) => tensorMetadata(builder, tensor)));
  builder.startObject(4);
  builder.addFieldOffset(SUBGRAPH_METADATA.inputTensorMetadata, inputs, 0);
  builder.addFieldOffset(SUBGRAPH_METADATA.outputTensorMetadata, outputs, 0);
  const subgraph = builder.endObject();
  const subgraphs = offsetVector(builder, [subgraph]);
  /** @type {[number, string | undefined][]} */
  const strings = [
    [MODEL_METADATA.name, spec.name],
    [MODEL_METADATA.description, spec.description],
    [MODEL_METADATA.version, spec.version],
    [MODEL_METADATA.author, spec.author],
    [MODEL_METADATA.license, spec.license],
    // Only fields of metadata schema 1.0.0 are written.
    [MODEL_METADATA.minParserVersion, '1.0.0'],
  ];
  const stringOffsets = strings.map(([slot, value]) => /** @type {[number, number]} */ ([slot, value ? builder.createString(value) : 0]));
  builder.startObject(8);
  for (const [slot, offset] of stringOffsets) builder.addFieldOffset(slot, offset, 0);
  builder.addFieldOffset(MODEL_METADATA.subgraphMetadata, subgraphs, 0);
  builder.finish(builder.endObject(), METADATA_IDENTIFIER);
  return builder.asUint8Array().slice();
}

/**
 * @typedef {{ name: string | null, description: string | null, colorSpace: number | null, mean: number[] | null, std: number[] | null }} TensorMetadataInfo
 * @typedef {{ name: string | null, version: string | null, minParserVersion: string | null, inputs: TensorMetadataInfo[], outputs: TensorMetadataInfo[] }} ModelMetadataInfo
 */

/** @param {Table} tensor @returns {TensorMetadataInfo} */
function readTensorMetadata(tensor) {
  const content = tensor.table(TENSOR_METADATA.content);
  const image = content?.uint8(CONTENT.propertiesType) === CONTENT_PROPERTIES.ImageProperties ? content.table(CONTENT.properties) : null;
  const normalization = tensor
    .tables(TENSOR_METADATA.processUnits)
    .find((unit) => unit.uint8(PROCESS_UNIT.optionsType) === PROCESS_UNIT_OPTIONS.NormalizationOptions)
    ?.table(PROCESS_UNIT.options);
  return {
    name: tensor.string(TENSOR_METADATA.name),
    description: tensor.string(TENSOR_METADATA.description),
    colorSpace: image ? image.int8(IMAGE_PROPERTIES.colorSpace) : null,
    mean: normalization ? normalization.float32s(NORMALIZATION_OPTIONS.mean) : null,
    std: normalization ? normalization.float32s(NORMALIZATION_OPTIONS.std) : null,
  };
}

/** @param {Uint8Array} bytes a ModelMetadata flatbuffer @returns {ModelMetadataInfo} */
export function readModelMetadata(bytes) {
  const root = Table.root(bytes, METADATA_IDENTIFIER);
  const subgraph = root.tables(MODEL_METADATA.subgraphMetadata)[0];
  return {
    name: root.string(MODEL_METADATA.name),
    version: root.string(MODEL_METADATA.version),
    minParserVersion: root.string(MODEL_METADATA.minParserVersion),
    inputs: subgraph ? subgraph.tables(SUBGRAPH_METADATA.inputTensorMetadata).map(readTensorMetadata) : [],
    outputs: subgraph ? subgraph.tables(SUBGRAPH_METADATA.outputTensorMetadata).map(readTensorMetadata) : [],
  };
}
