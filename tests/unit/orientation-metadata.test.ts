import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { mayCarryOrientation } from '../../lib/engine/orientation-metadata';
import { fixturePath } from './decode';

const source = () => sharp(fixturePath('photos/skimage_coffee.png')).resize(64, 48);

describe('mayCarryOrientation', () => {
  it.each([
    ['JPEG without EXIF', () => source().jpeg().toBuffer(), false],
    ['JPEG with an EXIF orientation', () => source().jpeg().withMetadata({ orientation: 6 }).toBuffer(), true],
    ['PNG without EXIF', () => source().png().toBuffer(), false],
    ['PNG with an eXIf chunk', () => source().png().withMetadata({ orientation: 8 }).toBuffer(), true],
    ['lossy WebP without EXIF', () => source().webp().toBuffer(), false],
    ['WebP with EXIF (VP8X flag)', () => source().webp().withMetadata({ orientation: 3 }).toBuffer(), true],
    ['lossless WebP with alpha, no EXIF', () => source().ensureAlpha(0.5).webp({ lossless: true }).toBuffer(), false],
    ['GIF', () => source().gif().toBuffer(), false],
  ])('%s: %s', async (_name, encode, expected) => {
    expect(mayCarryOrientation(new Uint8Array(await encode()))).toBe(expected);
  });

  it('reads the real fixture cards (WebP, no EXIF) and photos (JPEG, PNG) as plain', async () => {
    for (const file of ['cards/minimaxir_pps_nanobanana_vs_nanobananapro_labeled.webp', 'photos/matplotlib_grace_hopper.jpg', 'photos/skimage_astronaut.png']) {
      expect(mayCarryOrientation(new Uint8Array(await readFile(fixturePath(file)))), file).toBe(false);
    }
  });

  it('says yes for AVIF, truncated headers and unknown bytes (the canvas route is always right)', () => {
    expect(mayCarryOrientation(new Uint8Array([0, 0, 0, 0x1c, 0x66, 0x74, 0x79, 0x70, 0x61, 0x76, 0x69, 0x66]))).toBe(true);
    expect(mayCarryOrientation(new Uint8Array([0xff, 0xd8, 0xff]))).toBe(true);
    expect(mayCarryOrientation(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]))).toBe(true);
    expect(mayCarryOrientation(new Uint8Array([1, 2, 3]))).toBe(true);
  });
});
