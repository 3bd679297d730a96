/**
 * Whether an image file carries metadata a browser may apply as a rotation or flip when it
 * decodes the file (EXIF orientation). Decoding routes that copy a frame's pixels as stored, not
 * as shown, are only safe for files without it. Header bytes only; unknown layouts say yes.
 */
export function mayCarryOrientation(bytes: Uint8Array): boolean {
  if (startsWith(bytes, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return pngHasExif(bytes);
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return jpegHasExif(bytes);
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return webpHasExif(bytes);
  if (ascii(bytes, 0, 4) === 'GIF8' || ascii(bytes, 0, 2) === 'BM') return false;
  // AVIF (irot/imir boxes) and anything else: assume it may.
  return true;
}

/** PNG: an eXIf chunk before the image data (chunks after IDAT are not applied). */
function pngHasExif(bytes: Uint8Array): boolean {
  let offset = 8;
  while (offset + 8 <= bytes.length) {
    const length = u32be(bytes, offset);
    const type = ascii(bytes, offset + 4, 4);
    if (type === 'eXIf') return true;
    if (type === 'IDAT' || type === 'IEND') return false;
    offset += 12 + length;
  }
  return true;
}

/** JPEG: an APP1 segment holding "Exif" before the first scan. */
function jpegHasExif(bytes: Uint8Array): boolean {
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return true;
    const marker = bytes[offset + 1] ?? 0;
    // Fill bytes, and markers without a length (TEM, RSTn).
    if (marker === 0xff) {
      offset++;
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return false;
    const length = ((bytes[offset + 2] ?? 0) << 8) | (bytes[offset + 3] ?? 0);
    if (marker === 0xe1 && ascii(bytes, offset + 4, 4) === 'Exif') return true;
    offset += 2 + length;
  }
  return true;
}

/** WebP: only the extended format (VP8X) can carry EXIF, and its flags say whether it does. */
function webpHasExif(bytes: Uint8Array): boolean {
  if (bytes.length < 21) return true;
  if (ascii(bytes, 12, 4) !== 'VP8X') return false;
  const EXIF_FLAG = 0x08;
  return ((bytes[20] ?? 0) & EXIF_FLAG) !== 0;
}

function u32be(bytes: Uint8Array, offset: number): number {
  return (((bytes[offset] ?? 0) << 24) >>> 0) + ((bytes[offset + 1] ?? 0) << 16) + ((bytes[offset + 2] ?? 0) << 8) + (bytes[offset + 3] ?? 0);
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  let text = '';
  for (let index = offset; index < offset + length && index < bytes.length; index++) text += String.fromCharCode(bytes[index] ?? 0);
  return text;
}

function startsWith(bytes: Uint8Array, offset: number, expected: readonly number[]): boolean {
  return expected.every((value, index) => bytes[offset + index] === value);
}
