/**
 * Typed arrays reused from one panel to the next for a computation's intermediates. Chromium
 * backs every new large typed array with fresh pages, and the page faults on first write plus
 * the garbage collection of the old ones cost more than the loops that fill them (measured on
 * the tabletop edges: 1.5 ms of blurring, 14-24 ms with fresh buffers). Each array comes zeroed,
 * as `new` would give it, so a caller cannot see what the previous panel left.
 */
export class ScratchArrays {
  private readonly float32s: Float32Array[] = [];
  private readonly uint8s: Uint8Array[] = [];
  private readonly int32s: Int32Array[] = [];
  private readonly uint32s: Uint32Array[] = [];

  /** Slot `slot`'s Float32Array of `length` zeros; valid until that slot is asked for again. */
  float32(slot: number, length: number): Float32Array {
    const buffer = reuse(this.float32s, slot, length, (size) => new Float32Array(size));
    return buffer.subarray(0, length).fill(0);
  }

  uint8(slot: number, length: number): Uint8Array {
    const buffer = reuse(this.uint8s, slot, length, (size) => new Uint8Array(size));
    return buffer.subarray(0, length).fill(0);
  }

  int32(slot: number, length: number): Int32Array {
    const buffer = reuse(this.int32s, slot, length, (size) => new Int32Array(size));
    return buffer.subarray(0, length).fill(0);
  }

  uint32(slot: number, length: number): Uint32Array {
    const buffer = reuse(this.uint32s, slot, length, (size) => new Uint32Array(size));
    return buffer.subarray(0, length).fill(0);
  }
}

function reuse<T extends { length: number }>(buffers: T[], slot: number, length: number, make: (size: number) => T): T {
  const current = buffers[slot];
  if (current && current.length >= length) return current;
  const made = make(length);
  buffers[slot] = made;
  return made;
}
