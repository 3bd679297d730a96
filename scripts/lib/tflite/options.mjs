// BuiltinOptions union members for the operators the model rewrites add (schema.fbs: union
// BuiltinOptions, 1-based in declaration order; each table's fields by slot).
import { int32Vector } from './writer.mjs';

/** @typedef {import('./writer.mjs').BuiltinOptions} BuiltinOptions */

/** @param {number[]} newShape @returns {BuiltinOptions} */
export function reshapeOptions(newShape) {
  return {
    type: 17,
    write(builder) {
      const shape = int32Vector(builder, newShape);
      builder.startObject(1);
      builder.addFieldOffset(0, shape, 0);
      return builder.endObject();
    },
  };
}

/** @param {number} axis @returns {BuiltinOptions} */
export function concatenationOptions(axis) {
  return {
    type: 10,
    write(builder) {
      builder.startObject(2);
      builder.addFieldInt32(0, axis, 0);
      return builder.endObject();
    },
  };
}

/** @param {number} axis @returns {BuiltinOptions} */
export function gatherOptions(axis) {
  return {
    type: 23,
    write(builder) {
      builder.startObject(2);
      builder.addFieldInt32(0, axis, 0);
      return builder.endObject();
    },
  };
}

/** ReducerOptions, for MEAN. @param {boolean} keepDims @returns {BuiltinOptions} */
export function reducerOptions(keepDims) {
  return {
    type: 27,
    write(builder) {
      builder.startObject(1);
      builder.addFieldInt8(0, keepDims ? 1 : 0, 0);
      return builder.endObject();
    },
  };
}
