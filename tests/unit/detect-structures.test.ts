/**
 * Failure classes found by `npm run bench:detect` on photos with strong structure and on thin
 * gutters: a door jamb or shelf board inside one photo (two full-length edges around a smooth,
 * shaded band) is no split; a gutter that scaling and JPEG blurred to two or three lines is one;
 * a split at a third with a weaker edge at the other third is a triptych; a 2x2 grid whose second
 * split is weak over the whole card but clear in each half is a grid.
 */
import { describe, expect, it } from 'vitest';
import { detectCard } from '../../lib/engine/detect';
import type { Box, RgbaImage } from '../../lib/engine/types';
import { seededRandom } from '../../scripts/lib/seeded-random.mjs';
import { loadFixture, makeCard, rescaleAsJpeg, type Rgb } from './decode';

/** Panel edges within this many pixels of the scaled truth (scaling rounds each edge). */
const PANEL_TOLERANCE_PX = 2;

const ASTRONAUT = 'photos/skimage_astronaut.png';
const COFFEE = 'photos/skimage_coffee.png';
const CHELSEA = 'photos/skimage_chelsea.png';
const HOPPER = 'photos/matplotlib_grace_hopper.jpg';
const CAMERA = 'photos/skimage_camera.png';
const SELFIE = 'photos/minimaxir_real_mirror_selfie.webp';
const WHITE: Rgb = [255, 255, 255];
const BLACK: Rgb = [0, 0, 0];

function scaleBox([x, y, width, height]: Box, scale: number): Box {
  const left = Math.round(x * scale);
  const top = Math.round(y * scale);
  return [left, top, Math.round((x + width) * scale) - left, Math.round((y + height) * scale) - top];
}

/**
 * A painted band down a photo, like a door jamb: shaded from one end of its length to the other,
 * lit from one side across its width, with a little grain.
 */
function paintJamb(image: RgbaImage, centre: number, thickness: number, colour: Rgb, shadeRange: number, grain: number): void {
  const random = seededRandom(5);
  for (let y = 0; y < image.height; y++) {
    const shade = (y / image.height - 0.5) * shadeRange;
    for (let x = Math.floor(centre - thickness / 2); x < centre + thickness / 2; x++) {
      const profile = ((x - (centre - thickness / 2)) / thickness - 0.5) * 30;
      const offset = (y * image.width + x) * 4;
      for (let channel = 0; channel < 3; channel++) image.data[offset + channel] = (colour[channel] ?? 0) + shade + profile + (random() - 0.5) * 2 * grain;
    }
  }
}

describe('detectCard does not split a photo at a door jamb', () => {
  it.each([
    { photo: ASTRONAUT, centre: 0.64, thickness: 0.04, colour: [235, 232, 225] as Rgb, shade: 30, grain: 4 },
    { photo: HOPPER, centre: 0.58, thickness: 0.08, colour: [200, 200, 205] as Rgb, shade: 40, grain: 3 },
    { photo: SELFIE, centre: 0.45, thickness: 0.05, colour: [60, 60, 64] as Rgb, shade: 25, grain: 5 },
    // Shaded but within the uniformity tolerance, so it used to pass for a gutter.
    { photo: COFFEE, centre: 0.52, thickness: 0.06, colour: [120, 80, 50] as Rgb, shade: 20, grain: 2 },
    { photo: CAMERA, centre: 0.52, thickness: 0.06, colour: [120, 80, 50] as Rgb, shade: 20, grain: 2 },
  ])('$photo with a jamb $thickness wide at $centre of the width', async ({ photo, centre, thickness, colour, shade, grain }) => {
    const image = await loadFixture(photo);
    paintJamb(image, Math.round(image.width * centre), Math.round(image.width * thickness), colour, shade, grain);
    expect(detectCard(image)).toMatchObject({ isComparison: false });
  });
});

describe('detectCard splits at a thin gutter that scaling and JPEG blurred', () => {
  it.each([
    { name: 'stacked, 3 px white gutter, scaled to 0.6', rows: [[ASTRONAUT], [COFFEE]], gutter: 3, colour: WHITE, scale: 0.6, layout: 'stacked' as const },
    { name: 'side by side, 2 px white gutter, scaled to 0.81', rows: [[CHELSEA, COFFEE]], gutter: 2, colour: WHITE, scale: 0.81, layout: 'side-by-side' as const },
    { name: 'stacked, 4 px black gutter between dark pictures, scaled to 0.81', rows: [[HOPPER], [HOPPER]], gutter: 4, colour: BLACK, scale: 0.81, layout: 'stacked' as const },
  ])('$name', async ({ rows, gutter, colour, scale, layout }) => {
    const card = await makeCard({ rows, panelSize: [420, 340], gutter, gutterColour: colour });
    const image = await rescaleAsJpeg(card.image, scale, 80);
    const detection = detectCard(image);
    expect(detection).toMatchObject({ isComparison: true, layout });
    detection.panels.forEach((box, index) => {
      const truth = scaleBox(card.panels[index] ?? [0, 0, 0, 0], scale);
      box.forEach((value, edge) => expect(Math.abs(value - (truth[edge] ?? 0)), `panel ${index}: [${box}] vs [${truth}]`).toBeLessThanOrEqual(PANEL_TOLERANCE_PX));
    });
  });
});

describe('detectCard calls weakly split grids grids', () => {
  it('a touching triptych whose first seam is weak (a grey sky against a light background)', async () => {
    const detection = detectCard(await loadFixture('composed/triptych_camera_astronaut_camera_weak_seam.jpg'));
    expect(detection).toMatchObject({ isComparison: false, reason: 'grid', grid: { rows: 1, cols: 3 } });
  });

  it('a 2x2 grid whose thin white gutter runs beside a light sky in one row', async () => {
    const card = await makeCard({ rows: [[CAMERA, CHELSEA], [HOPPER, ASTRONAUT]], panelSize: [468, 572], gutter: 3, gutterColour: WHITE });
    const detection = detectCard(await rescaleAsJpeg(card.image, 0.52, 90));
    expect(detection).toMatchObject({ isComparison: false, reason: 'grid', grid: { rows: 2, cols: 2 } });
  });

  it('a stacked before/after pair of one shot stays a card although its edges line up', async () => {
    const card = await makeCard({ rows: [[SELFIE], [SELFIE]], panelSize: [450, 520], gutter: 6, gutterColour: WHITE });
    expect(detectCard(card.image)).toMatchObject({ isComparison: true, layout: 'stacked' });
  });
});
