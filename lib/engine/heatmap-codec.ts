/**
 * The compact form of a signal's heat map that travels with a result (worker → background and its
 * cache → overlay, and the CLI's JSON): at most 64 cells on the long side (max-pooled, so a hot
 * spot never fades), each cell one byte (0-255 for 0-1), PackBits run-length coded (the maps are
 * painted box by box, so long runs are the rule), base64. A 64×64 map of noise costs ~5.5 kB; a
 * typical one a few hundred bytes.
 */
import type { Heatmap } from './signals/types';
import type { EncodedHeatmap, SignalName } from './types';

/** Longest side of an encoded heat map, in cells. */
export const ENCODED_HEATMAP_MAX_SIDE = 64;

/** Max-pools a heat map so that its long side is at most `maxSide` cells; `scale` follows. */
export function poolHeatmap(heatmap: Heatmap, maxSide = ENCODED_HEATMAP_MAX_SIDE): Heatmap {
  const factor = Math.ceil(Math.max(heatmap.width, heatmap.height) / maxSide);
  if (factor <= 1) return heatmap;
  const width = Math.ceil(heatmap.width / factor);
  const height = Math.ceil(heatmap.height / factor);
  const data = new Float32Array(width * height);
  for (let y = 0; y < heatmap.height; y++) {
    const row = Math.floor(y / factor) * width;
    for (let x = 0; x < heatmap.width; x++) {
      const value = heatmap.data[y * heatmap.width + x] ?? 0;
      const index = row + Math.floor(x / factor);
      if (value > (data[index] ?? 0)) data[index] = value;
    }
  }
  return { data, width, height, scale: heatmap.scale / factor };
}

/** PackBits (the TIFF run-length scheme): n ≥ 0 copies n + 1 literal bytes, n < 0 repeats the next byte 1 − n times. */
export function packBits(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  let index = 0;
  while (index < bytes.length) {
    let run = 1;
    while (index + run < bytes.length && run < 128 && bytes[index + run] === bytes[index]) run++;
    if (run >= 2) {
      out.push(257 - run, bytes[index] ?? 0);
      index += run;
      continue;
    }
    // A literal stretch ends where a run of two or more begins.
    let end = index + 1;
    while (end < bytes.length && end - index < 128 && !(end + 1 < bytes.length && bytes[end] === bytes[end + 1])) end++;
    out.push(end - index - 1, ...bytes.subarray(index, end));
    index = end;
  }
  return Uint8Array.from(out);
}

/** Inverse of `packBits`; throws on a stream that is cut short or decodes to more than `expected` bytes. */
export function unpackBits(packed: Uint8Array, expected: number): Uint8Array {
  const out = new Uint8Array(expected);
  let written = 0;
  let index = 0;
  while (index < packed.length) {
    const header = packed[index++] ?? 0;
    if (header < 128) {
      const count = header + 1;
      if (index + count > packed.length || written + count > expected) throw new Error('Heat map data is damaged (literal overruns).');
      out.set(packed.subarray(index, index + count), written);
      index += count;
      written += count;
    } else if (header > 128) {
      const count = 257 - header;
      if (index >= packed.length || written + count > expected) throw new Error('Heat map data is damaged (run overruns).');
      out.fill(packed[index++] ?? 0, written, written + count);
      written += count;
    }
  }
  if (written !== expected) throw new Error(`Heat map data is damaged (${written} of ${expected} cells).`);
  return out;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let offset = 0; offset < bytes.length; offset += 0x1000) {
    binary += String.fromCharCode.apply(null, bytes.subarray(offset, offset + 0x1000) as unknown as number[]);
  }
  return btoa(binary);
}

function fromBase64(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

export function encodeHeatmap(heatmap: Heatmap): EncodedHeatmap {
  const pooled = poolHeatmap(heatmap);
  const levels = new Uint8Array(pooled.width * pooled.height);
  for (let index = 0; index < levels.length; index++) levels[index] = Math.round(Math.min(1, Math.max(0, pooled.data[index] ?? 0)) * 255);
  return { width: pooled.width, height: pooled.height, scale: pooled.scale, cells: toBase64(packBits(levels)) };
}

/** The cells as 0-255 levels, row-major; throws when the encoding is damaged. */
export function decodeHeatmapLevels(encoded: EncodedHeatmap): Uint8Array {
  return unpackBits(fromBase64(encoded.cells), encoded.width * encoded.height);
}

export function decodeHeatmap(encoded: EncodedHeatmap): Heatmap {
  const levels = decodeHeatmapLevels(encoded);
  const data = new Float32Array(levels.length);
  for (let index = 0; index < levels.length; index++) data[index] = (levels[index] ?? 0) / 255;
  return { data, width: encoded.width, height: encoded.height, scale: encoded.scale };
}

export function encodePanelHeatmaps(heatmaps: Record<SignalName, Heatmap | null>): Record<SignalName, EncodedHeatmap | null> {
  const encode = (heatmap: Heatmap | null) => (heatmap ? encodeHeatmap(heatmap) : null);
  return { shadow: encode(heatmaps.shadow), skin: encode(heatmaps.skin), knit: encode(heatmaps.knit), ceramic: encode(heatmaps.ceramic) };
}

/** True when `value` is a well-formed encoded heat map whose cells decode to its size. */
export function isEncodedHeatmap(value: unknown): value is EncodedHeatmap {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<EncodedHeatmap>;
  const side = (n: unknown) => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= ENCODED_HEATMAP_MAX_SIDE;
  if (!side(candidate.width) || !side(candidate.height) || typeof candidate.cells !== 'string') return false;
  if (typeof candidate.scale !== 'number' || !(candidate.scale > 0) || candidate.scale > 1) return false;
  try {
    decodeHeatmapLevels(candidate as EncodedHeatmap);
    return true;
  } catch {
    return false;
  }
}
