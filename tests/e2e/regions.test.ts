import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestPage, type TestPage } from './harness';
import type { MaskName, RegionCheckApi, RegionReply } from './pages/region-check/main';

/**
 * Region maps (the pipeline's region stage, run on whole photos in an extension page) against
 * masks drawn by hand (tests/fixtures/reference-masks, scripts/fixtures/reference-masks.mjs).
 * Each region must overlap its reference by at least the floor below (intersection over union);
 * the measured values are in docs/models.md.
 */
const FLOORS: Record<string, Partial<Record<MaskName, number>>> = {
  'skimage_astronaut.png': { faceSkin: 0.7, garment: 0.65 },
  'matplotlib_grace_hopper.jpg': { faceSkin: 0.7, garment: 0.9 },
  'minimaxir_real_mirror_selfie.webp': { faceSkin: 0.7, garment: 0.85 },
  'skimage_coffee.png': { tabletop: 0.9 },
};

async function referenceMask(photo: string, region: MaskName): Promise<Uint8Array> {
  const file = join('tests/fixtures/reference-masks', `${photo.replace(/\.[a-z]+$/, '')}.${region}.png`);
  const { data } = await sharp(file).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return new Uint8Array(data);
}

function iou(found: Uint8Array, reference: Uint8Array): number {
  let both = 0;
  let either = 0;
  for (let index = 0; index < reference.length; index++) {
    const inFound = (found[index] ?? 0) >= 128;
    const inReference = (reference[index] ?? 0) >= 128;
    if (inFound && inReference) both++;
    if (inFound || inReference) either++;
  }
  return either === 0 ? 0 : both / either;
}

describe('region maps against hand-drawn reference masks', () => {
  let opened: TestPage;
  let page: Page;
  let pageErrors: string[];
  const replies = new Map<string, RegionReply>();
  const measured: string[] = [];

  beforeAll(async () => {
    opened = await openTestPage('region-check');
    ({ page, pageErrors } = opened);
    for (const photo of Object.keys(FLOORS)) {
      const image = (await readFile(join('tests/fixtures/photos', photo))).toString('base64');
      replies.set(
        photo,
        await page.evaluate((imageBase64) => (globalThis as unknown as { sidelightRegionCheck: RegionCheckApi }).sidelightRegionCheck.regions(imageBase64), image),
      );
    }
  });

  afterAll(async () => {
    if (measured.length > 0) console.log(`IoU against the reference masks:\n${measured.join('\n')}`);
    await opened?.close();
  });

  const cases = Object.entries(FLOORS).flatMap(([photo, floors]) => Object.entries(floors).map(([region, floor]) => [photo, region as MaskName, floor] as const));

  it.each(cases)('%s: %s overlaps the reference by IoU ≥ %s', async (photo, region, floor) => {
    const reply = replies.get(photo);
    const mask = reply?.masks[region];
    expect(mask, `${region} was not found`).toBeTruthy();
    const score = iou(Buffer.from(mask ?? '', 'base64'), await referenceMask(photo, region));
    measured.push(`${photo} ${region} ${score.toFixed(3)}`);
    expect(score).toBeGreaterThanOrEqual(floor);
  });

  it('finds no tabletop object on the portraits, and the cup on the still life', () => {
    for (const photo of ['skimage_astronaut.png', 'matplotlib_grace_hopper.jpg', 'minimaxir_real_mirror_selfie.webp']) {
      expect(replies.get(photo)?.summary?.tabletop, photo).toBeNull();
    }
    const coffee = replies.get('skimage_coffee.png');
    expect(coffee?.summary?.face).toBeNull();
    expect(coffee?.summary?.tabletop).toHaveLength(1);
  });

  it('puts 478 landmarks on every portrait face and reports sizes and confidences', () => {
    for (const photo of ['skimage_astronaut.png', 'matplotlib_grace_hopper.jpg', 'minimaxir_real_mirror_selfie.webp']) {
      const summary = replies.get(photo)?.summary;
      expect(summary?.face?.landmarks, photo).toBe(478);
      for (const region of [summary?.faceSkin, summary?.garment]) {
        expect(region?.pixels).toBeGreaterThan(0);
        expect(region?.confidence).toBeGreaterThan(0.5);
      }
    }
  });

  it('cuts a label drawn over the panel out of every region', async () => {
    const image = (await readFile(join('tests/fixtures/photos', 'skimage_astronaut.png'))).toString('base64');
    const label: [number, number, number, number] = [150, 430, 200, 30];
    const reply = await page.evaluate(
      ([imageBase64, box]) => (globalThis as unknown as { sidelightRegionCheck: RegionCheckApi }).sidelightRegionCheck.regions(imageBase64, box),
      [image, label] as const,
    );
    const [x, y, width, height] = label;
    for (const region of ['person', 'garment', 'background'] as const) {
      const mask = Buffer.from(reply.masks[region] ?? '', 'base64');
      expect(mask.length, region).toBe(reply.width * reply.height);
      let under = 0;
      for (let row = y; row < y + height; row++) for (let column = x; column < x + width; column++) if ((mask[row * reply.width + column] ?? 0) >= 128) under++;
      expect(under, region).toBe(0);
    }
  });

  it('finds a small face by full range where the segmenter sees its person, and no face where it sees none', async () => {
    const astronaut = await sharp(join('tests/fixtures/photos', 'skimage_astronaut.png')).resize(400).toBuffer();
    const onCanvas = async (input: Buffer) =>
      (
        await sharp({ create: { width: 1024, height: 1024, channels: 3, background: '#808080' } })
          .composite([{ input, left: 300, top: 620 }])
          .png()
          .toBuffer()
      ).toString('base64');
    const regions = (imageBase64: string) =>
      page.evaluate((image) => (globalThis as unknown as { sidelightRegionCheck: RegionCheckApi }).sidelightRegionCheck.regions(image, null, false), imageBase64);
    // The astronaut 400 px wide on a 1024² canvas: a face too small for short range's 128² input.
    const small = await regions(await onCanvas(astronaut));
    const [x, y, width, height] = replies.get('skimage_astronaut.png')?.face?.box ?? [0, 0, 0, 0];
    const scale = 400 / 512;
    const expected = [300 + x * scale, 620 + y * scale, width * scale, height * scale];
    const found = small.face?.box ?? [0, 0, 0, 0];
    const overlapWidth = Math.max(0, Math.min(found[0] + found[2], (expected[0] ?? 0) + (expected[2] ?? 0)) - Math.max(found[0], expected[0] ?? 0));
    const overlapHeight = Math.max(0, Math.min(found[1] + found[3], (expected[1] ?? 0) + (expected[3] ?? 0)) - Math.max(found[1], expected[1] ?? 0));
    const overlap = overlapWidth * overlapHeight;
    expect(overlap / (found[2] * found[3] + (expected[2] ?? 0) * (expected[3] ?? 0) - overlap)).toBeGreaterThanOrEqual(0.5);
    // The same canvas with a brick wall where the astronaut was: no person, so no face search at full range, and no face.
    const brick = await sharp(join('tests/fixtures/photos', 'skimage_brick.png')).resize(400, 400, { fit: 'cover' }).toBuffer();
    const wall = await regions(await onCanvas(brick));
    expect(wall.face).toBeNull();
    expect(wall.summary?.face).toBeNull();
  });

  it('ran without page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
