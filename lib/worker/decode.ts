import { mayCarryOrientation } from '../engine/orientation-metadata';
import type { RgbaImage } from '../engine/types';

/**
 * Decodes image bytes to RGBA with the browser's own decoders (first frame of an animation).
 * This is the canvas edge of the engine: everything after it works on plain buffers.
 *
 * The pixels are always the ones a 2D canvas would give. Two faster routes give exactly those for
 * opaque images and are taken when they can: a PNG through `ImageDecoder`, anything else through
 * `createImageBitmap` and a `VideoFrame` copied out as RGBA (no canvas to draw on and read back).
 * Lossy JPEG and WebP are not given to `ImageDecoder`: it decodes them to YUV, and its conversion
 * to RGB rounds and upsamples the colour differently from the canvas. Images with an alpha
 * channel, files with EXIF metadata (a frame is copied as stored, the canvas draws it rotated as
 * shown), and browsers without WebCodecs (or without RGBA conversion in `VideoFrame.copyTo`) take
 * the canvas.
 */
export async function decodeToRgba(bytes: Uint8Array): Promise<RgbaImage> {
  const framesAllowed = !mayCarryOrientation(bytes);
  if (framesAllowed && isPngWithoutAlphaChannel(bytes)) {
    const decoded = await decodePngWithImageDecoder(bytes).catch(() => null);
    if (decoded) return decoded;
  }
  const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]), { premultiplyAlpha: 'none' });
  try {
    const framePixels = framesAllowed ? await opaqueFramePixels(bitmap, bitmap.width, bitmap.height).catch(() => null) : null;
    return framePixels ?? canvasPixels(bitmap);
  } finally {
    bitmap.close();
  }
}

/** The 2D canvas route: draw, then read back (un-premultiplied RGBA). */
function canvasPixels(bitmap: ImageBitmap): RgbaImage {
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('No 2D canvas is available to read the image.');
  context.drawImage(bitmap, 0, 0);
  const pixels = context.getImageData(0, 0, bitmap.width, bitmap.height);
  return { data: pixels.data, width: pixels.width, height: pixels.height };
}

/** Formats of frames without alpha whose RGBA copy is the canvas's pixels byte for byte (alpha 255). */
const OPAQUE_RGB_FORMATS: ReadonlySet<string> = new Set(['BGRX', 'RGBX']);

/**
 * RGBA of an opaque RGB frame made from `source`, or null when the frame has alpha or another
 * layout (the canvas un-premultiplies alpha, a frame copy would not).
 */
async function opaqueFramePixels(source: CanvasImageSource | VideoFrame, width: number, height: number): Promise<RgbaImage | null> {
  if (!(await frameCopyConvertsToRgba())) {
    if (source instanceof VideoFrame) source.close();
    return null;
  }
  const frame = source instanceof VideoFrame ? source : new VideoFrame(source, { timestamp: 0 });
  try {
    if (!frame.format || !OPAQUE_RGB_FORMATS.has(frame.format)) return null;
    if (frame.visibleRect?.width !== width || frame.visibleRect.height !== height) return null;
    const data = new Uint8ClampedArray(width * height * 4);
    await frame.copyTo(data, { format: 'RGBA', colorSpace: 'srgb' });
    return { data, width, height };
  } finally {
    frame.close();
  }
}

let rgbaConversion: Promise<boolean> | null = null;

/**
 * Whether `VideoFrame.copyTo` converts to RGBA here, checked once on a known pixel: a browser that
 * ignored the `format` option would hand back BGRX bytes, silently swapping red and blue.
 */
export function frameCopyConvertsToRgba(): Promise<boolean> {
  rgbaConversion ??= (async () => {
    if (typeof VideoFrame === 'undefined') return false;
    const frame = new VideoFrame(new Uint8Array([10, 20, 30, 255]), { format: 'BGRX', codedWidth: 1, codedHeight: 1, timestamp: 0 });
    try {
      const pixel = new Uint8Array(4);
      await frame.copyTo(pixel, { format: 'RGBA', colorSpace: 'srgb' });
      return pixel[0] === 30 && pixel[1] === 20 && pixel[2] === 10 && pixel[3] === 255;
    } finally {
      frame.close();
    }
  })().catch(() => false);
  return rgbaConversion;
}

/** A PNG's first frame through WebCodecs' ImageDecoder (decoded to RGB, like the canvas's); null when unavailable. */
async function decodePngWithImageDecoder(bytes: Uint8Array): Promise<RgbaImage | null> {
  if (typeof ImageDecoder === 'undefined') return null;
  const decoder = new ImageDecoder({ data: bytes, type: 'image/png', colorSpaceConversion: 'default' });
  try {
    const { image } = await decoder.decode({ frameIndex: 0 });
    const { displayWidth: width, displayHeight: height } = image;
    return await opaqueFramePixels(image, width, height);
  } finally {
    decoder.close();
  }
}

/** A PNG whose colour type has no alpha channel (grey+alpha and RGBA would come back as frames with alpha). */
function isPngWithoutAlphaChannel(bytes: Uint8Array): boolean {
  const isPng = bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  // IHDR is the first chunk: its colour type is byte 25 of the file.
  const colourType = bytes[25] ?? 0;
  return isPng && (colourType & 4) === 0;
}
