// Entry point of the small TFLite toolkit used by the model build step (scripts/assets/20-*).
export { readModel, BUILTIN, TENSOR_TYPE } from './model.mjs';
export { buildModelMetadata, readModelMetadata, METADATA_NAME, COLOR_SPACE } from './metadata.mjs';
export { ModelWriter } from './writer.mjs';

import { buildModelMetadata, METADATA_NAME } from './metadata.mjs';
import { ModelWriter } from './writer.mjs';

/**
 * Adds a TFLITE_METADATA entry to a model that has none.
 * @param {Uint8Array} bytes @param {import('./metadata.mjs').MetadataSpec} spec @returns {Uint8Array}
 */
export function withMetadata(bytes, spec) {
  const writer = new ModelWriter(bytes);
  writer.addMetadata(METADATA_NAME, buildModelMetadata(spec));
  return writer.finish();
}
