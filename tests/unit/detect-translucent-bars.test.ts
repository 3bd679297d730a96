/**
 * Translucent label bars laid over the pictures are part of the panels, however plain the stretch
 * of picture under them (a dark jacket, a lawn, an out-of-focus sky), while an opaque bar next to the
 * picture is cut off. Found by `npm run bench:detect` (seeds 1059285548 and 5150: light bars over
 * Grace Hopper's jacket, the camera photo's lawn and the cat's fur were cut off as if opaque).
 */
import { describe, expect, it } from 'vitest';
import { detectCard } from '../../lib/engine/detect';
import type { Box, RgbaImage } from '../../lib/engine/types';
import { asJpeg, makeCard, paint, paintWords, type Rgb } from './decode';

/** Panel edges within this many pixels of where the pictures were put, after JPEG. */
const PANEL_TOLERANCE_PX = 3;

const HOPPER = 'photos/matplotlib_grace_hopper.jpg';
const CAMERA = 'photos/skimage_camera.png';
const CHELSEA = 'photos/skimage_chelsea.png';
const COFFEE = 'photos/skimage_coffee.png';

/** Lays `colour` over a box at `opacity`, so the picture under it still shows. */
function veil(image: RgbaImage, [x, y, width, height]: Box, [red, green, blue]: Rgb, opacity: number): void {
  for (let row = y; row < y + height; row++) {
    for (let column = x; column < x + width; column++) {
      const offset = (row * image.width + column) * 4;
      image.data[offset] = opacity * red + (1 - opacity) * (image.data[offset] ?? 0);
      image.data[offset + 1] = opacity * green + (1 - opacity) * (image.data[offset + 1] ?? 0);
      image.data[offset + 2] = opacity * blue + (1 - opacity) * (image.data[offset + 2] ?? 0);
    }
  }
}

function expectPanelsNear(found: Box[], expected: Box[]): void {
  expect(found).toHaveLength(expected.length);
  const edges = ([x, y, width, height]: Box) => [x, y, x + width, y + height];
  found.forEach((box, index) => {
    const truth = edges(expected[index] ?? [0, 0, 0, 0]);
    edges(box).forEach((edge, side) => {
      expect(Math.abs(edge - (truth[side] ?? 0)), `panel ${index} edge ${side}: [${box}] vs [${expected[index]}]`).toBeLessThanOrEqual(PANEL_TOLERANCE_PX);
    });
  });
}

interface BarCase {
  name: string;
  rows: string[][];
  panelSize: [number, number];
  where: 'top' | 'bottom';
  bar: Rgb;
  ink: Rgb;
  opacity: number;
  barHeight: number;
  quality: number;
}

describe('detectCard keeps a translucent bar over a plain stretch of picture in the panel', () => {
  it.each<BarCase>([
    // The bar lies over the dark jacket: nearly flat, yet its lanes follow the jacket, flag and ribbons below.
    // Over the dark jacket the bar is nearly flat, yet its lanes follow the jacket, flag and ribbons below.
    { name: 'a light bar over Grace Hopper’s jacket, side by side, JPEG 90', rows: [[HOPPER, HOPPER]], panelSize: [420, 470], where: 'bottom', bar: [244, 244, 244], ink: [0, 0, 0], opacity: 0.8, barHeight: 44, quality: 90 },
    // Over the lawn the bar is almost white, yet the grass's texture still shows through.
    { name: 'a light bar over the camera photo’s lawn, side by side, JPEG 81', rows: [[CAMERA, CAMERA]], panelSize: [320, 340], where: 'bottom', bar: [244, 244, 244], ink: [30, 30, 30], opacity: 0.8, barHeight: 40, quality: 81 },
    { name: 'a white bar over the cat’s fur at the top, stacked, JPEG 58', rows: [[CHELSEA], [CHELSEA]], panelSize: [450, 300], where: 'top', bar: [244, 244, 244], ink: [60, 60, 70], opacity: 0.75, barHeight: 48, quality: 58 },
  ])('$name', async ({ rows, panelSize, where, bar, ink, opacity, barHeight, quality }) => {
    const card = await makeCard({ rows, panelSize, gutter: 12, gutterColour: [30, 30, 30] });
    for (const [index, [x, y, width, height]] of card.panels.entries()) {
      const barTop = where === 'top' ? y : y + height - barHeight;
      veil(card.image, [x, barTop, width, barHeight], bar, opacity);
      paintWords(card.image, x + width / 2, barTop + Math.round(barHeight * 0.25), Math.round(barHeight * 0.5), index === 0 ? [6, 1] : [4, 3], ink);
    }
    const detection = detectCard(await asJpeg(card.image, quality));
    expect(detection).toMatchObject({ isComparison: true, layout: rows.length === 2 ? 'stacked' : 'side-by-side' });
    expectPanelsNear(detection.panels, card.panels);
  });
});

describe('detectCard still cuts an opaque bar that touches the picture', () => {
  it.each([
    { name: 'light bars right under textured pictures, JPEG 55', rows: [[CAMERA, COFFEE]], bar: [232, 236, 240] as Rgb, ink: [30, 30, 30] as Rgb, quality: 55 },
    { name: 'dark bars right under the cat and the lawn, JPEG 69', rows: [[CHELSEA, CAMERA]], bar: [24, 24, 28] as Rgb, ink: [240, 240, 240] as Rgb, quality: 69 },
  ])('$name', async ({ rows, bar, ink, quality }) => {
    const pictureHeight = 330;
    const barHeight = 40;
    // Each cell: the picture, then its label bar with no gap.
    const card = await makeCard({ rows, panelSize: [320, pictureHeight + barHeight], gutter: 16, gutterColour: [255, 255, 255] });
    const pictures = card.panels.map(([x, y, width]): Box => [x, y, width, pictureHeight]);
    for (const [index, [x, y, width]] of pictures.entries()) {
      paint(card.image, [x, y + pictureHeight, width, barHeight], bar);
      paintWords(card.image, x + width / 2, y + pictureHeight + 10, 20, index === 0 ? [5, 2] : [3, 4], ink);
    }
    const detection = detectCard(await asJpeg(card.image, quality));
    expect(detection).toMatchObject({ isComparison: true, layout: 'side-by-side' });
    expectPanelsNear(detection.panels, pictures);
  });
});
