/**
 * A picture the page shows whose bytes are gone (a `blob:` address revoked after loading) is read
 * back from a canvas. Its pixels travel to the engine as an uncompressed BMP: writing one is a
 * header and a copy, where encoding a PNG cost the page 300-400 ms of main-thread time per card
 * (measured on the 60-image feed, `npm run bench`). The engine's decoders read BMP like any
 * other file, and the pixels come back exactly as the canvas gave them.
 */

const FILE_HEADER_BYTES = 14;
/** BITMAPV4HEADER: the first header with an alpha mask and a colour space. */
const INFO_HEADER_BYTES = 108;
const PIXELS_OFFSET = FILE_HEADER_BYTES + INFO_HEADER_BYTES;
const BI_BITFIELDS = 3;
/** 'sRGB' as BMP's LCS_sRGB colour-space tag. */
const LCS_SRGB = 0x73524742;
/** 72 dpi in pixels per metre. */
const PIXELS_PER_METRE = 2835;

/** The size of the BMP file rgbaToBmpBlob makes for a picture of this size. */
export function bmpByteLength(width: number, height: number): number {
  return PIXELS_OFFSET + width * height * 4;
}

/**
 * RGBA pixels (as `getImageData` gives them: rows top to bottom, un-premultiplied) as a 32-bit BMP
 * file in a Blob. The channel masks describe RGBA byte order, so the pixel rows follow the header
 * unchanged (a negative height marks them as stored top-down), and no copy of the pixels into a
 * file buffer is made on the page's main thread (the browser copies them into the blob's storage).
 */
export function rgbaToBmpBlob(pixels: { data: Uint8ClampedArray<ArrayBuffer>; width: number; height: number }): Blob {
  const { data, width, height } = pixels;
  const header = bmpHeader(width, height);
  if (data.length !== width * height * 4) throw new RangeError(`${width}×${height} RGBA pixels take ${width * height * 4} bytes, not ${data.length}.`);
  return new Blob([header as Uint8Array<ArrayBuffer>, data], { type: 'image/bmp' });
}

/** The 122 bytes before the pixel rows of rgbaToBmpBlob's file for a picture of this size. */
export function bmpHeader(width: number, height: number): Uint8Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new RangeError(`A bitmap needs a positive whole size, not ${width}×${height}.`);
  const pixelBytes = width * height * 4;
  const file = new Uint8Array(PIXELS_OFFSET);
  const view = new DataView(file.buffer);
  file[0] = 0x42; // 'B'
  file[1] = 0x4d; // 'M'
  view.setUint32(2, bmpByteLength(width, height), true);
  view.setUint32(10, PIXELS_OFFSET, true);
  const info = FILE_HEADER_BYTES;
  view.setUint32(info, INFO_HEADER_BYTES, true);
  view.setInt32(info + 4, width, true);
  view.setInt32(info + 8, -height, true);
  view.setUint16(info + 12, 1, true); // planes
  view.setUint16(info + 14, 32, true); // bits per pixel
  view.setUint32(info + 16, BI_BITFIELDS, true);
  view.setUint32(info + 20, pixelBytes, true);
  view.setInt32(info + 24, PIXELS_PER_METRE, true);
  view.setInt32(info + 28, PIXELS_PER_METRE, true);
  // Colours used and important (info + 32, + 36) stay 0. Masks of one little-endian pixel word:
  view.setUint32(info + 40, 0x000000ff, true); // red: the first byte
  view.setUint32(info + 44, 0x0000ff00, true); // green
  view.setUint32(info + 48, 0x00ff0000, true); // blue
  view.setUint32(info + 52, 0xff000000, true); // alpha: the fourth byte
  view.setUint32(info + 56, LCS_SRGB, true);
  // End points and gammas (info + 60 … + 107) are unused for sRGB and stay 0.
  return file;
}
