/**
 * Image format and size from the first bytes of a file, without decoding it, so the worker
 * can refuse SVGs, non-images and decompression bombs before handing bytes to a decoder.
 */
import type { FailureReason } from './types';

export type SniffedFormat = 'png' | 'jpeg' | 'webp' | 'gif' | 'bmp' | 'avif' | 'svg';

export interface SniffResult {
  format: SniffedFormat | null;
  width: number | null;
  height: number | null;
}

export type DecodableCheck =
  | { ok: true; format: Exclude<SniffedFormat, 'svg'>; width: number; height: number }
  | { ok: false; reason: FailureReason; error: string };

export interface DecodeLimits {
  /** Largest width × height accepted. */
  maxPixels?: number;
  /** Largest width or height accepted. */
  maxSide?: number;
}

export const DEFAULT_MAX_PIXELS = 50_000_000;
export const DEFAULT_MAX_SIDE = 16_384;

const FORMAT_NAMES: Record<SniffedFormat, string> = {
  png: 'PNG',
  jpeg: 'JPEG',
  webp: 'WebP',
  gif: 'GIF',
  bmp: 'BMP',
  avif: 'AVIF',
  svg: 'SVG',
};

const NO_SIZE = { width: null, height: null } as const;

export function sniffImage(bytes: Uint8Array): SniffResult {
  const reader = new ByteReader(bytes);
  if (reader.matchesAscii(0, '\x89PNG\r\n\x1a\n')) return { format: 'png', ...pngSize(reader) };
  if (reader.u8(0) === 0xff && reader.u8(1) === 0xd8 && reader.u8(2) === 0xff) {
    return { format: 'jpeg', ...jpegSize(reader) };
  }
  if (reader.matchesAscii(0, 'RIFF') && reader.matchesAscii(8, 'WEBP')) return { format: 'webp', ...webpSize(reader) };
  if (reader.matchesAscii(0, 'GIF87a') || reader.matchesAscii(0, 'GIF89a')) return { format: 'gif', ...gifSize(reader) };
  if (reader.matchesAscii(0, 'BM') && bytes.length >= 18) return { format: 'bmp', ...bmpSize(reader) };
  if (reader.matchesAscii(4, 'ftyp') && hasAvifBrand(reader)) return { format: 'avif', ...avifSize(reader) };
  if (looksLikeSvg(bytes)) return { format: 'svg', ...NO_SIZE };
  return { format: null, ...NO_SIZE };
}

/** Decides, from the header alone, whether the bytes are worth decoding. */
export function checkDecodable(bytes: Uint8Array, limits: DecodeLimits = {}): DecodableCheck {
  const maxPixels = limits.maxPixels ?? DEFAULT_MAX_PIXELS;
  const maxSide = limits.maxSide ?? DEFAULT_MAX_SIDE;
  if (bytes.length === 0) return { ok: false, reason: 'empty', error: 'The file is empty (0 bytes).' };

  const { format, width, height } = sniffImage(bytes);
  if (format === null) {
    return {
      ok: false,
      reason: 'not-an-image',
      error: 'The file is not a PNG, JPEG, WebP, GIF, BMP or AVIF image.',
    };
  }
  if (format === 'svg') {
    return {
      ok: false,
      reason: 'unsupported-format',
      error: 'SVG is not analysed: only raster images (PNG, JPEG, WebP, GIF, BMP, AVIF) are.',
    };
  }
  if (width === null || height === null || width <= 0 || height <= 0) {
    return {
      ok: false,
      reason: 'corrupt',
      error: `The ${FORMAT_NAMES[format]} header is truncated or damaged, so the image size cannot be read.`,
    };
  }
  if (width * height > maxPixels || width > maxSide || height > maxSide) {
    const megapixels = formatMegapixels(width * height);
    return {
      ok: false,
      reason: 'too-large',
      error:
        `The image is ${width} × ${height} pixels (${megapixels} megapixels), over the limit of ` +
        `${formatMegapixels(maxPixels)} megapixels and ${maxSide} pixels a side.`,
    };
  }
  return { ok: true, format, width, height };
}

function formatMegapixels(pixels: number): string {
  return String(Math.round(pixels / 100_000) / 10);
}

interface Size {
  width: number | null;
  height: number | null;
}

/** Bounds-checked big- and little-endian reads; out of range reads give null. */
class ByteReader {
  constructor(readonly bytes: Uint8Array) {}

  get length(): number {
    return this.bytes.length;
  }

  u8(offset: number): number | null {
    return offset >= 0 && offset < this.bytes.length ? (this.bytes[offset] ?? null) : null;
  }

  u16be(offset: number): number | null {
    const high = this.u8(offset);
    const low = this.u8(offset + 1);
    return high === null || low === null ? null : (high << 8) | low;
  }

  u16le(offset: number): number | null {
    const low = this.u8(offset);
    const high = this.u8(offset + 1);
    return high === null || low === null ? null : (high << 8) | low;
  }

  u24le(offset: number): number | null {
    const low = this.u16le(offset);
    const high = this.u8(offset + 2);
    return low === null || high === null ? null : low + high * 0x10000;
  }

  u32be(offset: number): number | null {
    const high = this.u16be(offset);
    const low = this.u16be(offset + 2);
    return high === null || low === null ? null : high * 0x10000 + low;
  }

  u32le(offset: number): number | null {
    const low = this.u16le(offset);
    const high = this.u16le(offset + 2);
    return low === null || high === null ? null : high * 0x10000 + low;
  }

  i32le(offset: number): number | null {
    const unsigned = this.u32le(offset);
    return unsigned === null ? null : unsigned | 0;
  }

  ascii(offset: number, length: number): string | null {
    if (offset < 0 || offset + length > this.bytes.length) return null;
    return String.fromCharCode(...this.bytes.subarray(offset, offset + length));
  }

  matchesAscii(offset: number, expected: string): boolean {
    return this.ascii(offset, expected.length) === expected;
  }
}

function sizeOrNull(width: number | null, height: number | null): Size {
  return width === null || height === null ? { ...NO_SIZE } : { width, height };
}

/** PNG: the first chunk must be IHDR, holding big-endian width and height. */
function pngSize(reader: ByteReader): Size {
  if (!reader.matchesAscii(12, 'IHDR')) return { ...NO_SIZE };
  return sizeOrNull(reader.u32be(16), reader.u32be(20));
}

/** JPEG markers without a length field: TEM, RST0-7, SOI. */
function isStandaloneJpegMarker(marker: number): boolean {
  return marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8);
}

/** SOF0-SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** JPEG: walk the marker segments up to the first start-of-frame. */
function jpegSize(reader: ByteReader): Size {
  let offset = 2;
  while (offset < reader.length) {
    if (reader.u8(offset) !== 0xff) return { ...NO_SIZE };
    while (reader.u8(offset) === 0xff) offset++; // fill bytes may pad any marker
    const marker = reader.u8(offset);
    if (marker === null) return { ...NO_SIZE };
    offset++;
    if (isStandaloneJpegMarker(marker)) continue;
    // Start of scan or end of image before any frame header: no size to be had.
    if (marker === 0xda || marker === 0xd9) return { ...NO_SIZE };
    const segmentLength = reader.u16be(offset);
    if (segmentLength === null || segmentLength < 2) return { ...NO_SIZE };
    if (isStartOfFrame(marker)) {
      const height = reader.u16be(offset + 3);
      const width = reader.u16be(offset + 5);
      // A zero height means the size comes later in a DNL segment; treat as unreadable.
      return height === 0 ? { ...NO_SIZE } : sizeOrNull(width, height);
    }
    offset += segmentLength;
  }
  return { ...NO_SIZE };
}

/** WebP: the first chunk is VP8 (lossy), VP8L (lossless) or VP8X (extended, canvas size). */
function webpSize(reader: ByteReader): Size {
  const chunk = reader.ascii(12, 4);
  const payload = 20;
  if (chunk === 'VP8 ') {
    const hasStartCode = reader.u8(payload + 3) === 0x9d && reader.u8(payload + 4) === 0x01 && reader.u8(payload + 5) === 0x2a;
    if (!hasStartCode) return { ...NO_SIZE };
    const width = reader.u16le(payload + 6);
    const height = reader.u16le(payload + 8);
    return sizeOrNull(width === null ? null : width & 0x3fff, height === null ? null : height & 0x3fff);
  }
  if (chunk === 'VP8L') {
    if (reader.u8(payload) !== 0x2f) return { ...NO_SIZE };
    const packed = reader.u32le(payload + 1);
    if (packed === null) return { ...NO_SIZE };
    return { width: (packed & 0x3fff) + 1, height: ((packed >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') {
    const widthMinusOne = reader.u24le(payload + 4);
    const heightMinusOne = reader.u24le(payload + 7);
    if (widthMinusOne === null || heightMinusOne === null) return { ...NO_SIZE };
    return { width: widthMinusOne + 1, height: heightMinusOne + 1 };
  }
  return { ...NO_SIZE };
}

/** GIF: the logical screen descriptor follows the 6-byte signature. */
function gifSize(reader: ByteReader): Size {
  return sizeOrNull(reader.u16le(6), reader.u16le(8));
}

/** BMP: OS/2 core headers (12 bytes) use 16-bit sizes; later headers 32-bit, height negative for top-down. */
function bmpSize(reader: ByteReader): Size {
  const headerSize = reader.u32le(14);
  if (headerSize === 12) return sizeOrNull(reader.u16le(18), reader.u16le(20));
  if (headerSize === null || headerSize < 40) return { ...NO_SIZE };
  const width = reader.i32le(18);
  const height = reader.i32le(22);
  return sizeOrNull(width, height === null ? null : Math.abs(height));
}

const AVIF_BRANDS = new Set(['avif', 'avis']);

/** AVIF: the ftyp box names 'avif' (still) or 'avis' (sequence) as major or compatible brand. */
function hasAvifBrand(reader: ByteReader): boolean {
  const boxSize = reader.u32be(0);
  if (boxSize === null || boxSize < 16) return false;
  const major = reader.ascii(8, 4);
  if (major !== null && AVIF_BRANDS.has(major)) return true;
  const end = Math.min(boxSize, reader.length);
  for (let offset = 16; offset + 4 <= end; offset += 4) {
    const brand = reader.ascii(offset, 4);
    if (brand !== null && AVIF_BRANDS.has(brand)) return true;
  }
  return false;
}

interface IsoBox {
  type: string;
  /** Offset of the box payload (after size and type). */
  start: number;
  end: number;
}

/** Top-level boxes of an ISO-BMFF byte range; stops at the first malformed size. */
function isoBoxes(reader: ByteReader, start: number, end: number): IsoBox[] {
  const boxes: IsoBox[] = [];
  let offset = start;
  while (offset + 8 <= end) {
    let size = reader.u32be(offset);
    const type = reader.ascii(offset + 4, 4);
    if (size === null || type === null) break;
    let header = 8;
    if (size === 1) {
      const high = reader.u32be(offset + 8);
      const low = reader.u32be(offset + 12);
      if (high === null || low === null) break;
      size = high * 0x1_0000_0000 + low;
      header = 16;
    } else if (size === 0) {
      size = end - offset; // the box runs to the end of its container
    }
    if (size < header) break;
    boxes.push({ type, start: offset + header, end: Math.min(end, offset + size) });
    offset += size;
  }
  return boxes;
}

/**
 * AVIF size from the 'ispe' properties in meta/iprp/ipco. Grid images carry one per tile
 * and one for the whole canvas, so the largest is the picture size.
 */
function avifSize(reader: ByteReader): Size {
  const meta = isoBoxes(reader, 0, reader.length).find((box) => box.type === 'meta');
  if (!meta) return { ...NO_SIZE };
  const metaChildren = isoBoxes(reader, meta.start + 4, meta.end); // meta is a full box: skip version and flags
  const properties = metaChildren.find((box) => box.type === 'iprp');
  const container = properties && isoBoxes(reader, properties.start, properties.end).find((box) => box.type === 'ipco');
  if (!container) return { ...NO_SIZE };
  let best: Size = { ...NO_SIZE };
  for (const box of isoBoxes(reader, container.start, container.end)) {
    if (box.type !== 'ispe') continue;
    const width = reader.u32be(box.start + 4);
    const height = reader.u32be(box.start + 8);
    if (width === null || height === null) continue;
    if (best.width === null || best.height === null || width * height > best.width * best.height) {
      best = { width, height };
    }
  }
  return best;
}

/** SVG: text whose first element, after a BOM, XML prolog, comments and doctype, is <svg. */
function looksLikeSvg(bytes: Uint8Array): boolean {
  const head = String.fromCharCode(...bytes.subarray(0, 4096));
  let text = head.startsWith('\xef\xbb\xbf') ? head.slice(3) : head;
  for (;;) {
    text = text.trimStart();
    const skipTo = text.startsWith('<?') ? '?>' : text.startsWith('<!--') ? '-->' : text.startsWith('<!') ? '>' : null;
    if (skipTo === null) break;
    const end = text.indexOf(skipTo);
    if (end < 0) return false;
    text = text.slice(end + skipTo.length);
  }
  return /^<svg[\s>/]/i.test(text);
}
