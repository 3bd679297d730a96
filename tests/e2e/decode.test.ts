import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestPage, type TestPage } from './harness';
import type { DecodeCheckApi, DecodeComparison } from './pages/decode-check/main';

/**
 * decodeToRgba takes faster routes than a 2D canvas (ImageDecoder for opaque PNGs, a VideoFrame
 * copied out as RGBA for other opaque images); the pixels must be the canvas's, byte for byte,
 * for every kind of file, including the ones that must fall back (alpha, EXIF orientation).
 */
const photo = (name: string) => readFile(`tests/fixtures/photos/${name}`);
const coffee = () => sharp('tests/fixtures/photos/skimage_coffee.png');
// Square, so a rotation the decoder left out is not given away by the size alone.
const astronaut = () => sharp('tests/fixtures/photos/skimage_astronaut.png');
const CASES: [string, () => Promise<Buffer>][] = [
  ['fixture card, lossy WebP', () => readFile('tests/fixtures/cards/minimaxir_pps_nanobanana_vs_nanobananapro_labeled.webp')],
  ['fixture photo, JPEG', () => photo('matplotlib_grace_hopper.jpg')],
  ['fixture photo, RGB PNG', () => photo('skimage_astronaut.png')],
  ['fixture photo, grey PNG', () => photo('skimage_camera.png')],
  ['palette PNG', () => coffee().png({ palette: true }).toBuffer()],
  ['16-bit PNG', () => coffee().toColourspace('rgb16').png().toBuffer()],
  ['PNG with alpha', () => coffee().ensureAlpha(0.5).png().toBuffer()],
  ['lossy WebP with alpha', () => coffee().ensureAlpha(0.7).webp().toBuffer()],
  ['lossless WebP', () => coffee().webp({ lossless: true }).toBuffer()],
  ['progressive JPEG', () => coffee().jpeg({ progressive: true }).toBuffer()],
  ['JPEG rotated by EXIF (6)', () => astronaut().jpeg().withMetadata({ orientation: 6 }).toBuffer()],
  ['PNG rotated by eXIf (8)', () => astronaut().png().withMetadata({ orientation: 8 }).toBuffer()],
  ['WebP rotated by EXIF (3)', () => astronaut().webp().withMetadata({ orientation: 3 }).toBuffer()],
  ['non-square JPEG rotated by EXIF (6)', () => coffee().jpeg().withMetadata({ orientation: 6 }).toBuffer()],
  ['GIF', () => coffee().gif().toBuffer()],
];

describe('decodeToRgba gives the 2D canvas pixels', () => {
  let opened: TestPage;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    opened = await openTestPage('decode-check');
    ({ page, pageErrors } = opened);
  });

  afterAll(() => opened?.close());

  it('has the frame routes in this Chromium (VideoFrame.copyTo converts to RGBA)', async () => {
    expect(await page.evaluate(() => (globalThis as unknown as { sidelightDecodeCheck: DecodeCheckApi }).sidelightDecodeCheck.frameRoutesAvailable())).toBe(true);
  });

  /** Runs one of the page's checks on the file and expects the canvas's pixels, every byte, at its size. */
  async function expectCanvasPixels(check: 'compare' | 'bmpRoundTrip', file: Buffer): Promise<void> {
    const comparison: DecodeComparison = await page.evaluate(
      ([name, bytes]) => (globalThis as unknown as { sidelightDecodeCheck: DecodeCheckApi }).sidelightDecodeCheck[name](bytes),
      [check, file.toString('base64')] as const,
    );
    expect([comparison.width, comparison.height]).toEqual([comparison.canvasWidth, comparison.canvasHeight]);
    expect(comparison.differingBytes).toBe(0);
    expect(pageErrors).toEqual([]);
  }

  it.each(CASES)('%s', async (_name, encode) => expectCanvasPixels('compare', await encode()));

  // A page's picture whose blob: address was revoked is read back from a canvas and sent as a BMP.
  it.each<[string, () => Promise<Buffer>]>([
    ['fixture card, lossy WebP', () => readFile('tests/fixtures/cards/minimaxir_pps_nanobanana_vs_nanobananapro_labeled.webp')],
    ['fixture photo, grey PNG', () => photo('skimage_camera.png')],
    ['PNG with alpha', () => coffee().ensureAlpha(0.5).png().toBuffer()],
    ['odd size, 1 px wide', () => coffee().extract({ left: 10, top: 0, width: 1, height: 37 }).png().toBuffer()],
  ])('canvas pixels written as a BMP come back unchanged: %s', async (_name, encode) => expectCanvasPixels('bmpRoundTrip', await encode()));
});
