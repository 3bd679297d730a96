import type { RgbaImage } from '../engine/types';

/**
 * Decodes image bytes to RGBA with the browser's own decoders (first frame of an animation).
 * This is the canvas edge of the engine: everything after it works on plain buffers.
 */
export async function decodeToRgba(bytes: Uint8Array): Promise<RgbaImage> {
  const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]), { premultiplyAlpha: 'none' });
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new Error('No 2D canvas is available to read the image.');
    context.drawImage(bitmap, 0, 0);
    const pixels = context.getImageData(0, 0, bitmap.width, bitmap.height);
    return { data: pixels.data, width: pixels.width, height: pixels.height };
  } finally {
    bitmap.close();
  }
}
