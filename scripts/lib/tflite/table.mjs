// Minimal FlatBuffers table reading over the `flatbuffers` ByteBuffer: enough to walk the TFLite
// model schema and the metadata schema by field slot (the generated code does the same).
import { ByteBuffer } from 'flatbuffers';

/** A FlatBuffers table at an absolute position; fields are addressed by slot (0-based field id). */
export class Table {
  /** @param {ByteBuffer} bb @param {number} position */
  constructor(bb, position) {
    this.bb = bb;
    this.position = position;
  }

  /** @param {Uint8Array} bytes @param {string} [identifier] the 4-character file identifier to require */
  static root(bytes, identifier) {
    const bb = new ByteBuffer(bytes);
    if (identifier && !bb.__has_identifier(identifier)) throw new Error(`not a FlatBuffer with identifier ${identifier}`);
    return new Table(bb, bb.readInt32(0));
  }

  /** Position of a field's value inside the buffer, or 0 when the field is absent. @param {number} slot */
  fieldPosition(slot) {
    const offset = this.bb.__offset(this.position, 4 + 2 * slot);
    return offset === 0 ? 0 : this.position + offset;
  }

  /** @param {number} slot @param {number} [fallback] */
  uint8(slot, fallback = 0) {
    const at = this.fieldPosition(slot);
    return at ? this.bb.readUint8(at) : fallback;
  }

  /** @param {number} slot @param {number} [fallback] */
  int8(slot, fallback = 0) {
    const at = this.fieldPosition(slot);
    return at ? this.bb.readInt8(at) : fallback;
  }

  /** @param {number} slot @param {number} [fallback] */
  int32(slot, fallback = 0) {
    const at = this.fieldPosition(slot);
    return at ? this.bb.readInt32(at) : fallback;
  }

  /** @param {number} slot @param {number} [fallback] */
  uint32(slot, fallback = 0) {
    const at = this.fieldPosition(slot);
    return at ? this.bb.readUint32(at) : fallback;
  }

  /** @param {number} slot @param {bigint} [fallback] */
  uint64(slot, fallback = 0n) {
    const at = this.fieldPosition(slot);
    return at ? this.bb.readUint64(at) : fallback;
  }

  /** @param {number} slot @returns {string | null} */
  string(slot) {
    const at = this.fieldPosition(slot);
    return at ? /** @type {string} */ (this.bb.__string(at)) : null;
  }

  /** Sub-table (or union value) at a slot. @param {number} slot @returns {Table | null} */
  table(slot) {
    const at = this.fieldPosition(slot);
    return at ? new Table(this.bb, this.bb.__indirect(at)) : null;
  }

  /** Absolute position of the string, vector or table a field points at, or 0. @param {number} slot */
  target(slot) {
    const at = this.fieldPosition(slot);
    return at ? this.bb.__indirect(at) : 0;
  }

  /** How many field slots this table's vtable describes. */
  slotCount() {
    const vtable = this.position - this.bb.readInt32(this.position);
    return (this.bb.readInt16(vtable) - 4) / 2;
  }

  /** Where a vector's elements start and how many there are. @param {number} slot */
  vector(slot) {
    const at = this.fieldPosition(slot);
    return at ? { start: this.bb.__vector(at), length: this.bb.__vector_len(at) } : { start: 0, length: 0 };
  }

  /** @param {number} slot @returns {Table[]} */
  tables(slot) {
    const { start, length } = this.vector(slot);
    return Array.from({ length }, (_, index) => new Table(this.bb, this.bb.__indirect(start + 4 * index)));
  }

  /** @param {number} slot @returns {number[]} */
  int32s(slot) {
    const { start, length } = this.vector(slot);
    return Array.from({ length }, (_, index) => this.bb.readInt32(start + 4 * index));
  }

  /** @param {number} slot @returns {number[]} */
  float32s(slot) {
    const { start, length } = this.vector(slot);
    return Array.from({ length }, (_, index) => this.bb.readFloat32(start + 4 * index));
  }

  /** @param {number} slot @returns {(string | null)[]} */
  strings(slot) {
    const { start, length } = this.vector(slot);
    return Array.from({ length }, (_, index) => /** @type {string} */ (this.bb.__string(start + 4 * index)));
  }

  /** A view (no copy) of a [ubyte] vector. @param {number} slot */
  bytes(slot) {
    const { start, length } = this.vector(slot);
    return this.bb.bytes().subarray(start, start + length);
  }
}
