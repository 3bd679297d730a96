// Test-only extension page (bundled by scripts/lib/test-page.mjs, never shipped): decodes an
// image with the pipeline's decodeToRgba and with a plain 2D canvas, and says how they differ.
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

const api: DecodeCheckApi = {
  async compare(imageBase64) {
    const bytes = Uint8Array.from(atob(imageBase64), (char) => char.charCodeAt(0));
    const decoded = await decodeToRgba(bytes);
    const reference = await canvasDecode(bytes);
    let differingBytes = Math.abs(decoded.data.length - reference.data.length);
    const length = Math.min(decoded.data.length, reference.data.length);
    for (let index = 0; index < length; index++) if (decoded.data[index] !== reference.data[index]) differingBytes++;
    return { width: decoded.width, height: decoded.height, canvasWidth: reference.width, canvasHeight: reference.height, differingBytes };
  },
  frameRoutesAvailable: () => frameCopyConvertsToRgba(),
};

(globalThis as unknown as { sidelightDecodeCheck: DecodeCheckApi }).sidelightDecodeCheck = api;
document.body.dataset.ready = '';
