import { readFile } from 'node:fs/promises';
import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { checkDecodable, sniffImage, type SniffResult } from '../../lib/engine/sniff';
import { fixturePath } from './decode';

const WIDTH = 37;
const HEIGHT = 23;

function blank(): Sharp {
  return sharp({ create: { width: WIDTH, height: HEIGHT, channels: 3, background: { r: 10, g: 200, b: 30 } } });
}

const ascii = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'latin1'));

function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

function u32be(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value);
  return bytes;
}

/** A PNG signature and IHDR claiming the given size; no image data, and the CRC is garbage. */
function pngHeader(width: number, height: number): Uint8Array {
  return concat(
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    u32be(13),
    ascii('IHDR'),
    u32be(width),
    u32be(height),
    new Uint8Array([8, 6, 0, 0, 0]),
    u32be(0xdeadbeef),
  );
}

/** A 54-byte BMP header (BITMAPINFOHEADER); a negative height marks a top-down bitmap. */
function bmpHeader(width: number, height: number): Uint8Array {
  const bytes = new Uint8Array(54);
  const view = new DataView(bytes.buffer);
  bytes.set(ascii('BM'), 0);
  view.setUint32(2, 54, true);
  view.setUint32(10, 54, true);
  view.setUint32(14, 40, true);
  view.setInt32(18, width, true);
  view.setInt32(22, height, true);
  view.setUint16(26, 1, true);
  view.setUint16(28, 24, true);
  return bytes;
}

/** An extended (VP8X) WebP header with a 24-bit canvas size. */
function webpExtendedHeader(width: number, height: number): Uint8Array {
  const bytes = new Uint8Array(30);
  const view = new DataView(bytes.buffer);
  bytes.set(ascii('RIFF'), 0);
  view.setUint32(4, 22, true);
  bytes.set(ascii('WEBPVP8X'), 8);
  view.setUint32(16, 10, true);
  for (const [offset, value] of [
    [24, width - 1],
    [27, height - 1],
  ] as const) {
    bytes[offset] = value & 0xff;
    bytes[offset + 1] = (value >> 8) & 0xff;
    bytes[offset + 2] = (value >> 16) & 0xff;
  }
  return bytes;
}

describe('sniffImage on encoder output', () => {
  const encoders: { name: string; format: SniffResult['format']; encode: () => Promise<Buffer> }[] = [
    { name: 'PNG', format: 'png', encode: () => blank().png().toBuffer() },
    { name: 'baseline JPEG', format: 'jpeg', encode: () => blank().jpeg().toBuffer() },
    { name: 'progressive JPEG (SOF2)', format: 'jpeg', encode: () => blank().jpeg({ progressive: true }).toBuffer() },
    {
      name: 'JPEG with EXIF and ICC segments before the frame',
      format: 'jpeg',
      encode: () => blank().withMetadata({ exif: { IFD0: { Copyright: 'test' } } }).jpeg().toBuffer(),
    },
    { name: 'lossy WebP (VP8)', format: 'webp', encode: () => blank().webp().toBuffer() },
    { name: 'lossless WebP (VP8L)', format: 'webp', encode: () => blank().webp({ lossless: true }).toBuffer() },
    { name: 'WebP with alpha (VP8X)', format: 'webp', encode: () => blank().ensureAlpha(0.5).webp().toBuffer() },
    { name: 'GIF', format: 'gif', encode: () => blank().gif().toBuffer() },
    { name: 'AVIF', format: 'avif', encode: () => blank().avif().toBuffer() },
  ];
  it.each(encoders)('$name', async ({ format, encode }) => {
    const bytes = new Uint8Array(await encode());
    expect(sniffImage(bytes)).toEqual({ format, width: WIDTH, height: HEIGHT });
    expect(checkDecodable(bytes)).toEqual({ ok: true, format, width: WIDTH, height: HEIGHT });
  });

  it('reads hand-made BMP headers, bottom-up and top-down', () => {
    expect(sniffImage(bmpHeader(640, 480))).toEqual({ format: 'bmp', width: 640, height: 480 });
    expect(sniffImage(bmpHeader(640, -480))).toEqual({ format: 'bmp', width: 640, height: 480 });
  });

  it('reads a hand-made VP8X canvas size beyond 16 bits', () => {
    expect(sniffImage(webpExtendedHeader(70_000, 3))).toEqual({ format: 'webp', width: 70_000, height: 3 });
  });
});

describe('sniffImage on fixtures', () => {
  it.each([
    { file: 'photos/skimage_astronaut.png', format: 'png', width: 512, height: 512 },
    { file: 'photos/skimage_chelsea.png', format: 'png', width: 451, height: 300 },
    { file: 'photos/matplotlib_grace_hopper.jpg', format: 'jpeg', width: 512, height: 600 },
    { file: 'photos/minimaxir_real_mirror_selfie.webp', format: 'webp', width: 1512, height: 1512 },
    { file: 'cards/minimaxir_counter_ui_nanobanana_vs_pro_labeled.webp', format: 'webp', width: 2368, height: 864 },
    { file: 'cards/minimaxir_pps_nanobanana_vs_nanobananapro_labeled.webp', format: 'webp', width: 1760, height: 1184 },
  ])('$file is $format $width x $height', async ({ file, format, width, height }) => {
    const bytes = new Uint8Array(await readFile(fixturePath(file)));
    expect(sniffImage(bytes)).toEqual({ format, width, height });
    expect(checkDecodable(bytes)).toEqual({ ok: true, format, width, height });
  });
});

describe('SVG', () => {
  it.each([
    ['a bare svg element', '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'],
    ['leading whitespace', '\n\t  <svg viewBox="0 0 1 1"></svg>'],
    ['a BOM and an XML prolog', '\xef\xbb\xbf<?xml version="1.0" encoding="UTF-8"?>\n<svg></svg>'],
    [
      'a prolog, a comment and a doctype',
      '<?xml version="1.0"?><!-- made by hand --><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd">\n<svg>',
    ],
  ])('%s is sniffed as SVG and refused', (_, text) => {
    const bytes = ascii(text);
    expect(sniffImage(bytes)).toEqual({ format: 'svg', width: null, height: null });
    const check = checkDecodable(bytes);
    expect(check).toMatchObject({ ok: false, reason: 'unsupported-format' });
    expect(check.ok === false && check.error).toMatch(/SVG is not analysed/);
  });

  it('does not take other XML or HTML for SVG', () => {
    expect(sniffImage(ascii('<?xml version="1.0"?><rss></rss>')).format).toBeNull();
    expect(sniffImage(ascii('<!doctype html><html><svg></svg></html>')).format).toBeNull();
    expect(sniffImage(ascii('<svgfoo/>')).format).toBeNull();
  });
});

describe('checkDecodable refusals', () => {
  it('refuses 0 bytes as empty', () => {
    expect(checkDecodable(new Uint8Array(0))).toEqual({ ok: false, reason: 'empty', error: 'The file is empty (0 bytes).' });
  });

  it.each([
    ['text', ascii('hello, this is not an image')],
    ['HTML', ascii('<!doctype html><title>404</title>')],
    ['random bytes', new Uint8Array(Array.from({ length: 64 }, (_, index) => (index * 37 + 11) % 256))],
    ['a lone JPEG marker byte', new Uint8Array([0xff])],
    ['a RIFF that is not WebP', concat(ascii('RIFF'), u32be(4), ascii('WAVEfmt '))],
    ['an ISO-BMFF file that is not AVIF', concat(u32be(20), ascii('ftypheic'), u32be(0), ascii('mif1heic'))],
  ])('refuses %s as not an image', (_, bytes) => {
    const check = checkDecodable(bytes);
    expect(check).toMatchObject({ ok: false, reason: 'not-an-image' });
    expect(check.ok === false && check.error).toMatch(/not a PNG, JPEG, WebP, GIF, BMP or AVIF image/);
  });

  it('refuses truncated headers as corrupt', async () => {
    const jpeg = new Uint8Array(await blank().withMetadata({ exif: { IFD0: { Copyright: 'test' } } }).jpeg().toBuffer());
    const avif = new Uint8Array(await blank().avif().toBuffer());
    const truncated: [string, Uint8Array][] = [
      ['PNG', pngHeader(100, 100).subarray(0, 20)],
      ['JPEG', jpeg.subarray(0, 30)],
      ['WebP', webpExtendedHeader(100, 100).subarray(0, 24)],
      ['GIF', ascii('GIF89a\x10')],
      ['BMP', bmpHeader(100, 100).subarray(0, 20)],
      ['AVIF', avif.subarray(0, 40)],
    ];
    for (const [name, bytes] of truncated) {
      const check = checkDecodable(bytes);
      expect(check, name).toMatchObject({ ok: false, reason: 'corrupt' });
      expect(check.ok === false && check.error, name).toBe(
        `The ${name} header is truncated or damaged, so the image size cannot be read.`,
      );
    }
  });

  it('refuses a JPEG whose scan starts before any frame header as corrupt', () => {
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xda, 0x00, 0x08, 1, 2, 3, 4, 5, 6]);
    expect(checkDecodable(bytes)).toMatchObject({ ok: false, reason: 'corrupt' });
  });

  it('refuses zero dimensions as corrupt', () => {
    expect(checkDecodable(pngHeader(0, 100))).toMatchObject({ ok: false, reason: 'corrupt' });
  });

  it('refuses a 20000 x 20000 PNG header before any decoding', () => {
    const check = checkDecodable(pngHeader(20_000, 20_000));
    expect(check).toEqual({
      ok: false,
      reason: 'too-large',
      error:
        'The image is 20000 × 20000 pixels (400 megapixels), over the limit of 50 megapixels and 16384 pixels a side.',
    });
  });

  it.each([
    { name: 'over the pixel budget with both sides allowed', bytes: pngHeader(10_000, 6_000), ok: false },
    { name: 'one side over 16384', bytes: bmpHeader(17_000, 100), ok: false },
    { name: 'a VP8X canvas over the side limit', bytes: webpExtendedHeader(70_000, 3), ok: false },
    { name: 'exactly at the side limit', bytes: pngHeader(16_384, 100), ok: true },
    { name: 'exactly at the pixel budget', bytes: pngHeader(10_000, 5_000), ok: true },
  ])('default limits: $name', ({ bytes, ok }) => {
    const check = checkDecodable(bytes);
    expect(check.ok).toBe(ok);
    if (!check.ok) expect(check.reason).toBe('too-large');
  });

  it('applies caller limits', () => {
    expect(checkDecodable(pngHeader(512, 512), { maxPixels: 1000 })).toMatchObject({ ok: false, reason: 'too-large' });
    expect(checkDecodable(pngHeader(512, 512), { maxSide: 511 })).toMatchObject({ ok: false, reason: 'too-large' });
    expect(checkDecodable(pngHeader(512, 512), { maxPixels: 512 * 512, maxSide: 512 })).toMatchObject({ ok: true });
  });
});
