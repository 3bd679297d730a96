import { describe, expect, it } from 'vitest';
import { bmpByteLength, bmpHeader, rgbaToBmpBlob } from '../../lib/page/bitmap-file';
import { checkDecodable, sniffImage } from '../../lib/engine/sniff';

/** The file rgbaToBmpBlob makes, as bytes. */
async function rgbaToBmp(pixels: Parameters<typeof rgbaToBmpBlob>[0]): Promise<Uint8Array> {
  return new Uint8Array(await rgbaToBmpBlob(pixels).arrayBuffer());
}

describe('rgbaToBmpBlob', () => {
  const width = 3;
  const height = 2;
  // Distinct bytes per channel and pixel, alpha included.
  const data = Uint8ClampedArray.from({ length: width * height * 4 }, (_, index) => (index * 37 + 11) % 256);

  it('writes a 32-bit top-down BMP whose size the engine reads before decoding', async () => {
    const file = await rgbaToBmp({ data, width, height });
    expect(file.length).toBe(bmpByteLength(width, height));
    expect(sniffImage(file)).toMatchObject({ format: 'bmp', width, height });
    expect(checkDecodable(file)).toMatchObject({ ok: true, format: 'bmp', width, height });
    const view = new DataView(file.buffer);
    expect(view.getUint32(2, true)).toBe(file.length);
    expect(view.getInt32(22, true)).toBe(-height); // rows stored top-down
    expect(view.getUint16(28, true)).toBe(32);
    expect(view.getUint32(30, true)).toBe(3); // BI_BITFIELDS
    // Masks of the little-endian pixel word: R, G, B, A in byte order.
    expect([54, 58, 62, 66].map((offset) => view.getUint32(offset, true))).toEqual([0xff, 0xff00, 0xff0000, 0xff000000]);
  });

  it('stores the pixel rows unchanged after the headers', async () => {
    const file = await rgbaToBmp({ data, width, height });
    const offset = new DataView(file.buffer).getUint32(10, true);
    expect([...file.subarray(offset)]).toEqual([...data]);
  });

  it('refuses pixels that do not match the size', () => {
    expect(() => rgbaToBmpBlob({ data, width: 2, height: 2 })).toThrow(RangeError);
    expect(() => rgbaToBmpBlob({ data: new Uint8ClampedArray(0), width: 0, height: 0 })).toThrow(RangeError);
  });

  it('is a Blob of type image/bmp: the header, then the pixels', async () => {
    const blob = rgbaToBmpBlob({ data, width, height });
    expect(blob.size).toBe(bmpByteLength(width, height));
    expect(blob.type).toBe('image/bmp');
    const file = await rgbaToBmp({ data, width, height });
    expect([...file]).toEqual([...bmpHeader(width, height), ...data]);
    expect([...bmpHeader(width, height)]).toEqual([...file.subarray(0, 122)]);
  });
});
