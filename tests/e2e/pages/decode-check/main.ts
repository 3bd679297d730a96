// Test-only extension page (bundled by scripts/lib/test-page.mjs, never shipped): decodes an
// image with the pipeline's decodeToRgba and with a plain 2D canvas, and says how they differ.
import { rgbaToBmpBlob } from '../../../../lib/page/bitmap-file';
import { decodeToRgba, frameCopyConvertsToRgba } from '../../../../lib/worker/decode';

export interface DecodeComparison {
  width: number;
  height: number;
  canvasWidth: number;
  canvasHeight: number;
  /** Bytes (RGBA) that differ between the two decodings. */
  differingBytes: number;
}

export interface DecodeCheckApi {
  compare(imageBase64: string): Promise<DecodeComparison>;
  /**
   * The content script's route for a picture whose bytes are gone: its canvas pixels written as a
   * BMP (lib/page/bitmap-file), decoded by decodeToRgba, compared with those canvas pixels.
   */
  bmpRoundTrip(imageBase64: string): Promise<DecodeComparison>;
  /** Whether VideoFrame.copyTo converts to RGBA here (the frame routes are usable). */
  frameRoutesAvailable(): Promise<boolean>;
}

/** The reference: createImageBitmap, draw on a canvas, read back. */
async function canvasDecode(bytes: Uint8Array): Promise<ImageData> {
  const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]), { premultiplyAlpha: 'none' });
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('No 2D canvas.');
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  return context.getImageData(0, 0, canvas.width, canvas.height);
}

function comparison(decoded: { data: Uint8Array | Uint8ClampedArray; width: number; height: number }, reference: ImageData): DecodeComparison {
  let differingBytes = Math.abs(decoded.data.length - reference.data.length);
  const length = Math.min(decoded.data.length, reference.data.length);
  for (let index = 0; index < length; index++) if (decoded.data[index] !== reference.data[index]) differingBytes++;
  return { width: decoded.width, height: decoded.height, canvasWidth: reference.width, canvasHeight: reference.height, differingBytes };
}

const fromBase64 = (text: string) => Uint8Array.from(atob(text), (char) => char.charCodeAt(0));

const api: DecodeCheckApi = {
  async compare(imageBase64) {
    const bytes = fromBase64(imageBase64);
    return comparison(await decodeToRgba(bytes), await canvasDecode(bytes));
  },
  async bmpRoundTrip(imageBase64) {
    const reference = await canvasDecode(fromBase64(imageBase64));
    // The file the content script sends for a revoked blob: picture.
    const bmp = new Uint8Array(await rgbaToBmpBlob(reference).arrayBuffer());
    return comparison(await decodeToRgba(bmp), reference);
  },
  frameRoutesAvailable: () => frameCopyConvertsToRgba(),
};

(globalThis as unknown as { sidelightDecodeCheck: DecodeCheckApi }).sidelightDecodeCheck = api;
document.body.dataset.ready = '';
