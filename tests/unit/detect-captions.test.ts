/**
 * Failure classes found by `npm run bench:detect`: label bars and captions outside the pictures
 * (not part of a panel's box), JPEG ringing where a flat border meets a picture, poles and door
 * frames inside one photo, and a photo's edge beside an app's side bar.
 */
import { describe, expect, it } from 'vitest';
import { detectCard } from '../../lib/engine/detect';
import type { Box, RgbaImage } from '../../lib/engine/types';
import { asJpeg, loadFixture, makeCard, paint, paintWords, rescale, rescaleAsJpeg, type Rgb } from './decode';

/** Panel edges must be found within this many pixels of where the pictures were put. */
const PANEL_TOLERANCE_PX = 2;
/** After JPEG at quality 55, within this many pixels (ringing blurs the last lines of a picture). */
const JPEG_PANEL_TOLERANCE_PX = 3;

const ASTRONAUT = 'photos/skimage_astronaut.png';
const COFFEE = 'photos/skimage_coffee.png';
const CHELSEA = 'photos/skimage_chelsea.png';
const HOPPER = 'photos/matplotlib_grace_hopper.jpg';
const CAMERA = 'photos/skimage_camera.png';
const WHITE: Rgb = [255, 255, 255];
const GREY: Rgb = [128, 128, 128];
const PURPLE: Rgb = [90, 40, 160];
const CREAM: Rgb = [255, 244, 214];
const BLACK: Rgb = [0, 0, 0];

/** A copy of `image` grown by `extra` rows at the bottom or top, filled with `fill`. */
function grow(image: RgbaImage, extra: number, where: 'top' | 'bottom', fill: Rgb): RgbaImage {
  const height = image.height + extra;
  const grown: RgbaImage = { data: new Uint8ClampedArray(image.width * height * 4), width: image.width, height };
  paint(grown, [0, 0, image.width, height], fill);
  grown.data.set(image.data, where === 'top' ? extra * image.width * 4 : 0);
  return grown;
}

function expectPanelsNear(found: Box[], expected: Box[], tolerance = PANEL_TOLERANCE_PX): void {
  expect(found).toHaveLength(expected.length);
  found.forEach((box, index) => {
    const truth = expected[index] ?? [0, 0, 0, 0];
    const edges = (value: Box) => [value[0], value[1], value[0] + value[2], value[1] + value[3]];
    edges(box).forEach((edge, side) => {
      expect(Math.abs(edge - (edges(truth)[side] ?? 0)), `panel ${index} edge ${side}: [${box}] vs [${truth}]`).toBeLessThanOrEqual(tolerance);
    });
  });
}

interface CaptionCase {
  name: string;
  layout: 'side-by-side' | 'stacked';
  /** Bar colour (a bar in its own colour) or null (text printed on the card's margin). */
  bar: Rgb | null;
  where: 'top' | 'bottom';
  margin: Rgb;
  ink: Rgb;
  quality?: number;
}

const captionCases: CaptionCase[] = [
  { name: 'purple bars under side-by-side pictures, white text', layout: 'side-by-side', bar: PURPLE, where: 'bottom', margin: GREY, ink: WHITE },
  { name: 'cream bars over side-by-side pictures, black text, JPEG 60', layout: 'side-by-side', bar: CREAM, where: 'top', margin: WHITE, ink: BLACK, quality: 60 },
  { name: 'captions printed on a white margin under the pictures', layout: 'side-by-side', bar: null, where: 'bottom', margin: WHITE, ink: BLACK },
  { name: 'captions printed on a grey margin above the pictures, JPEG 70', layout: 'side-by-side', bar: null, where: 'top', margin: GREY, ink: WHITE, quality: 70 },
];

describe('detectCard leaves label bars and captions outside the pictures out of the panels', () => {
  it.each(captionCases)('$name', async ({ layout, bar, where, margin, ink, quality }) => {
    const pictureHeight = 300;
    const card = await makeCard({ rows: [[ASTRONAUT, COFFEE]], panelSize: [360, pictureHeight], gutter: 12, gutterColour: margin, border: 14, borderColour: margin });
    const barHeight = 44;
    let image = grow(card.image, barHeight, where, margin);
    const shift = where === 'top' ? barHeight : 0;
    const panels = card.panels.map(([x, y, width, height]): Box => [x, y + shift, width, height]);
    for (const [index, [x, y, width, height]] of panels.entries()) {
      const barTop = where === 'top' ? y - barHeight : y + height;
      if (bar) paint(image, [x, barTop, width, barHeight], bar);
      paintWords(image, x + width / 2, barTop + 12, 20, index === 0 ? [4, 6] : [5, 2], ink);
    }
    if (quality) image = await asJpeg(image, quality);
    const detection = detectCard(image);
    expect(detection).toMatchObject({ isComparison: true, layout });
    expectPanelsNear(detection.panels, panels, quality ? JPEG_PANEL_TOLERANCE_PX : PANEL_TOLERANCE_PX);
  });

  it('keeps a stacked card’s caption bar out of the upper panel', async () => {
    const card = await makeCard({ rows: [[CHELSEA], [HOPPER]], panelSize: [420, 260], gutter: 24, gutterColour: WHITE });
    const image = card.image;
    const [upper] = card.panels;
    if (!upper) throw new Error('no panel');
    // A dark bar inside the gutter, right under the upper picture, with its label.
    paint(image, [upper[0], upper[1] + upper[3], upper[2], 20], [24, 24, 28]);
    paintWords(image, upper[0] + upper[2] / 2, upper[1] + upper[3] + 4, 12, [3, 5], WHITE);
    const detection = detectCard(image);
    expect(detection).toMatchObject({ isComparison: true, layout: 'stacked' });
    expectPanelsNear(detection.panels.slice(0, 1), [upper]);
  });

  it('splits a stacked card at a gutter that carries the upper picture’s caption', async () => {
    const card = await makeCard({ rows: [[HOPPER], [COFFEE]], panelSize: [460, 390], gutter: 40, gutterColour: BLACK });
    const [upper] = card.panels;
    if (!upper) throw new Error('no panel');
    // Small light text in the middle of the black gutter: no uniform line spans the gutter's edges on its own.
    paintWords(card.image, upper[0] + upper[2] / 2, upper[1] + upper[3] + 12, 14, [8, 3], [240, 240, 240]);
    const detection = detectCard(card.image);
    expect(detection).toMatchObject({ isComparison: true, layout: 'stacked' });
    expectPanelsNear(detection.panels, card.panels);
  });

  it('splits a stacked card across a label bar with the gutter’s colour on both sides of it', async () => {
    // The upper picture is the narrower; its bar, as wide as it, sits 5 px under it in the black gutter.
    const card = await makeCard({ rows: [[HOPPER], [COFFEE]], panelSize: [[[440, 400]], [[520, 380]]], gutter: 70, gutterColour: BLACK });
    const [upper] = card.panels;
    if (!upper) throw new Error('no panel');
    paint(card.image, [upper[0], upper[1] + upper[3] + 5, upper[2], 58], [190, 30, 45]);
    paintWords(card.image, upper[0] + upper[2] / 2, upper[1] + upper[3] + 22, 24, [6, 2], WHITE);
    const detection = detectCard(card.image);
    expect(detection).toMatchObject({ isComparison: true, layout: 'stacked' });
    expectPanelsNear(detection.panels, card.panels);
  });

  it('trims the caption bar over a stacked card’s narrower lower picture, with the card’s margin beside it', async () => {
    const card = await makeCard({ rows: [[ASTRONAUT], [COFFEE]], panelSize: [[[480, 380]], [[420, 360]]], gutter: 70, gutterColour: [107, 114, 207] });
    const [, lower] = card.panels;
    if (!lower) throw new Error('no panel');
    paint(card.image, [lower[0], lower[1] - 40, lower[2], 40], [232, 236, 240]);
    paintWords(card.image, lower[0] + lower[2] / 2, lower[1] - 30, 20, [2, 3, 1], [60, 60, 70]);
    const detection = detectCard(card.image);
    expect(detection).toMatchObject({ isComparison: true, layout: 'stacked' });
    expectPanelsNear(detection.panels, card.panels);
  });

  it('keeps a pill over the picture inside the panel', async () => {
    const card = await makeCard({ rows: [[ASTRONAUT, CHELSEA]], panelSize: [360, 300], gutter: 10, gutterColour: WHITE });
    for (const [x, y, width, height] of card.panels) {
      paint(card.image, [x + 90, y + height - 50, width - 180, 36], [20, 20, 20]);
      paintWords(card.image, x + width / 2, y + height - 42, 20, [4, 3], WHITE);
    }
    expectPanelsNear(detectCard(card.image).panels, card.panels);
  });
});

describe('detectCard keeps translucent bars over the pictures inside the panels', () => {
  /** Lays `colour` over a box at `opacity`, so the picture under it still shows. */
  function veil(image: RgbaImage, [x, y, width, height]: Box, colour: Rgb, opacity: number): void {
    for (let row = y; row < y + height; row++) {
      for (let column = x; column < x + width; column++) {
        const offset = (row * image.width + column) * 4;
        for (let channel = 0; channel < 3; channel++) image.data[offset + channel] = opacity * (colour[channel] ?? 0) + (1 - opacity) * (image.data[offset + channel] ?? 0);
      }
    }
  }

  it.each([
    { name: 'light bars over the tops of side-by-side pictures, JPEG 70', rows: [[ASTRONAUT, COFFEE]], where: 'top' as const, bar: [244, 244, 244] as Rgb, ink: BLACK, opacity: 0.7, quality: 70 },
    { name: 'dark bars over the bottoms of stacked pictures', rows: [[HOPPER], [CHELSEA]], where: 'bottom' as const, bar: [24, 24, 28] as Rgb, ink: WHITE, opacity: 0.6, quality: undefined },
  ])('$name', async ({ rows, where, bar, ink, opacity, quality }) => {
    const card = await makeCard({ rows, panelSize: [400, 320], gutter: 4, gutterColour: WHITE });
    let image = card.image;
    for (const [index, [x, y, width, height]] of card.panels.entries()) {
      const barTop = where === 'top' ? y : y + height - 44;
      veil(image, [x, barTop, width, 44], bar, opacity);
      paintWords(image, x + width / 2, barTop + 12, 20, index === 0 ? [5, 3] : [4, 6], ink);
    }
    if (quality) image = await asJpeg(image, quality);
    const detection = detectCard(image);
    expect(detection).toMatchObject({ isComparison: true });
    expectPanelsNear(detection.panels, card.panels, quality ? JPEG_PANEL_TOLERANCE_PX : PANEL_TOLERANCE_PX);
  });
});

describe('detectCard trims flat borders through JPEG ringing', () => {
  it.each([
    { name: 'a 30 px grey border', border: 30, borderColour: GREY, gutter: 18 },
    { name: 'a 26 px near-white border and touching panels', border: 26, borderColour: [240, 240, 240] as Rgb, gutter: 0 },
  ])('$name at JPEG quality 55', async ({ border, borderColour, gutter }) => {
    const card = await makeCard({ rows: [[COFFEE, CHELSEA]], panelSize: [345, 290], border, borderColour, gutter, gutterColour: borderColour, jpegQuality: 55 });
    const detection = detectCard(card.image);
    expect(detection).toMatchObject({ isComparison: true, layout: 'side-by-side' });
    expectPanelsNear(detection.panels, card.panels, JPEG_PANEL_TOLERANCE_PX);
  });
});

describe('detectCard trims a frame and the card’s margin beside a narrower panel', () => {
  /** Scales the card (Lanczos, lossless) and expects the scaled picture boxes back, in `layout`. */
  async function expectScaledPanels(card: { image: RgbaImage; panels: Box[] }, scale: number, layout: 'side-by-side' | 'stacked'): Promise<void> {
    const image = await rescale(card.image, scale);
    const scaled = card.panels.map(([x, y, width, height]): Box => {
      const left = Math.round(x * scale);
      const top = Math.round(y * scale);
      return [left, top, Math.round((x + width) * scale) - left, Math.round((y + height) * scale) - top];
    });
    const detection = detectCard(image);
    expect(detection).toMatchObject({ isComparison: true, layout });
    expectPanelsNear(detection.panels, scaled);
  }

  // A stacked card's narrower picture leaves the card's margin beside it, inside the frame. Scaled, the
  // frame and the margin meet in a line of neither colour (their blend, then the filter's overshoot).
  it.each([
    { name: 'a dark frame round a grey card, scaled 1.07', borderColour: [30, 30, 30] as Rgb, scale: 1.07 },
    { name: 'a blue frame round a grey card, scaled 0.97', borderColour: [9, 22, 245] as Rgb, scale: 0.97 },
  ])('$name', async ({ borderColour, scale }) => {
    const card = await makeCard({ rows: [[ASTRONAUT], [CAMERA]], panelSize: [[[460, 420]], [[400, 420]]], border: 16, borderColour, gutterColour: GREY });
    await expectScaledPanels(card, scale, 'stacked');
  });

  it('a white frame round a black card beside a shorter picture, scaled 1.04 (the frame’s blend is left after the card’s trim)', async () => {
    const card = await makeCard({ rows: [[CAMERA, CHELSEA]], panelSize: [[[350, 410], [300, 370]]], border: 15, borderColour: WHITE, gutter: 6, gutterColour: BLACK });
    await expectScaledPanels(card, 1.04, 'side-by-side');
  });
});

describe('detectCard does not split one photo at a pole, a door frame or a side bar', () => {
  /** A shaded band down (or across) a photo: lit from one side, darker towards one end, like a door jamb. */
  function paintFrame(image: RgbaImage, centre: number, thickness: number, colour: Rgb, orientation: 'vertical' | 'horizontal'): void {
    const length = orientation === 'vertical' ? image.height : image.width;
    for (let along = 0; along < length; along++) {
      for (let across = Math.round(centre - thickness / 2); across < centre + thickness / 2; across++) {
        const shade = (along / length - 0.5) * 40 + ((across - centre) / thickness) * 30;
        const [x, y] = orientation === 'vertical' ? [across, along] : [along, across];
        image.data.set([colour[0] + shade, colour[1] + shade, colour[2] + shade, 255], (y * image.width + x) * 4);
      }
    }
  }

  it.each([
    { name: 'a white door frame 4 % wide, left of centre', centre: 0.42, thickness: 0.04, colour: [230, 228, 220] as Rgb, orientation: 'vertical' as const },
  ])('$name', async ({ centre, thickness, colour, orientation }) => {
    const photo = await loadFixture(ASTRONAUT);
    const size = orientation === 'vertical' ? photo.width : photo.height;
    paintFrame(photo, Math.round(size * centre), Math.round(size * thickness), colour, orientation);
    expect(detectCard(photo)).toMatchObject({ isComparison: false, reason: 'no-split' });
  });

  it('the camera photo cropped so the tripod’s pole runs top to bottom', async () => {
    const photo = await loadFixture(CAMERA);
    // The pole of the tripod stands at x ≈ 330-345 in the lower half of the photo.
    const top = 250;
    const crop: RgbaImage = { data: photo.data.slice(top * photo.width * 4), width: photo.width, height: photo.height - top };
    expect(detectCard(crop)).toMatchObject({ isComparison: false });
  });

  it('a photo beside an app’s side bar of menu entries', async () => {
    const width = 700;
    const height = 420;
    const image: RgbaImage = { data: new Uint8ClampedArray(width * height * 4), width, height };
    paint(image, [0, 0, width, height], WHITE);
    paint(image, [0, 0, 165, height], [236, 236, 240]);
    for (let entry = 0; entry < 8; entry++) paintWords(image, 80, 30 + entry * 30, 12, [2 + (entry % 4)], [20, 20, 25]);
    const picture = await makeCard({ rows: [[HOPPER]], panelSize: [448, 331] });
    for (let y = 0; y < 331; y++) image.data.set(picture.image.data.subarray(y * 448 * 4, (y + 1) * 448 * 4), ((42 + y) * width + 208) * 4);
    paintWords(image, 260, 14, 14, [7], [20, 20, 25]);
    expect(detectCard(image)).toMatchObject({ isComparison: false });
  });

  it('a dark app page: a wide side bar of menu entries, a margin, then the post’s photo', async () => {
    const width = 1000;
    const height = 640;
    const image: RgbaImage = { data: new Uint8ClampedArray(width * height * 4), width, height };
    paint(image, [0, 0, width, height], [12, 12, 20]);
    paint(image, [0, 0, 290, height], [30, 30, 40]);
    for (let entry = 0; entry < 8; entry++) paintWords(image, 110, 40 + entry * 46, 16, [3 + (entry % 4)], [230, 230, 235]);
    // The photo's left edge is a straight step from the flat page along its whole height.
    const picture = await makeCard({ rows: [[CAMERA]], panelSize: [620, 520] });
    for (let y = 0; y < 520; y++) image.data.set(picture.image.data.subarray(y * 620 * 4, (y + 1) * 620 * 4), ((80 + y) * width + 340) * 4);
    paintWords(image, 420, 36, 18, [7, 4], [230, 230, 235]);
    expect(detectCard(image)).toMatchObject({ isComparison: false });
  });
});

describe('detectCard trims captions whose outer margin went with the card’s border', () => {
  // Boxes scale with the image (rescaleAsJpeg: a feed's resized copy).
  const scaleBox = ([x, y, width, height]: Box, scale: number): Box => {
    const left = Math.round(x * scale);
    const top = Math.round(y * scale);
    return [left, top, Math.round((x + width) * scale) - left, Math.round((y + height) * scale) - top];
  };

  it.each([
    // JPEG ringing under the lower glyph edges passes for the card's border, so the trim ends in the glyphs.
    { name: 'dark captions on a green margin under side-by-side pictures, scaled to 0.64, JPEG 76', rows: [[CHELSEA, HOPPER]], margin: [71, 245, 166] as Rgb, ink: [30, 30, 30] as Rgb, glyphs: 30, below: 8, scale: 0.64, quality: 76 },
    // The margin line next to the lower picture is tinted by its JPEG ringing: the caption's colour must not be taken from it.
    { name: 'white captions on a black margin under stacked pictures, JPEG 88', rows: [[COFFEE], [COFFEE]], margin: BLACK, ink: [240, 240, 240] as Rgb, glyphs: 24, below: 10, scale: 1, quality: 88 },
  ])('$name', async ({ rows, margin, ink, glyphs, below, scale, quality }) => {
    const stacked = rows.length === 2;
    const pictureHeight = 300;
    const captionHeight = 6 + glyphs + below;
    // Each picture has its caption under it: 6 px of margin, the glyphs, then margin again.
    const card = await makeCard({ rows, panelSize: [380, pictureHeight + captionHeight], gutter: 30, gutterColour: margin });
    const panels = card.panels.map(([x, y, width]): Box => [x, y, width, pictureHeight]);
    for (const [index, [x, y, width]] of panels.entries()) {
      paint(card.image, [x, y + pictureHeight, width, captionHeight], margin);
      paintWords(card.image, x + width / 2, y + pictureHeight + 6, glyphs, index === 0 ? [5, 1] : [7, 2], ink);
    }
    const image = await rescaleAsJpeg(card.image, scale, quality);
    const detection = detectCard(image);
    expect(detection).toMatchObject({ isComparison: true, layout: stacked ? 'stacked' : 'side-by-side' });
    expectPanelsNear(detection.panels, panels.map((box) => scaleBox(box, scale)), JPEG_PANEL_TOLERANCE_PX);
  });
});

describe('detectCard ends a caption where a picture of the caption’s colour begins', () => {
  const SELFIE = 'photos/minimaxir_real_mirror_selfie.webp';
  // The picture's first lines share much of the margin's colour (a dark jacket over a black margin), so
  // they read like glyph lines unless the band must show between them.
  it.each([
    { name: 'captions on a black margin under Grace Hopper’s dark jacket', rows: [[HOPPER, HOPPER]], margin: BLACK, ink: [240, 240, 240] as Rgb, quality: 80 },
    { name: 'captions on a black margin under Grace Hopper and the mirror selfie, PNG', rows: [[HOPPER, SELFIE]], margin: BLACK, ink: [240, 240, 240] as Rgb, quality: null },
  ])('$name', async ({ rows, margin, ink, quality }) => {
    const stacked = rows.length === 2;
    const pictureHeight = 330;
    const captionHeight = 52;
    const card = await makeCard({ rows, panelSize: [400, pictureHeight + captionHeight], gutter: stacked ? 2 : 0, gutterColour: margin });
    const panels = card.panels.map(([x, y, width]): Box => [x, y, width, pictureHeight]);
    for (const [index, [x, y, width]] of panels.entries()) {
      paint(card.image, [x, y + pictureHeight, width, captionHeight], margin);
      paintWords(card.image, x + width / 2, y + pictureHeight + 14, 24, index === 0 ? [5, 1] : [6, 3], ink);
    }
    const detection = detectCard(quality ? await asJpeg(card.image, quality) : card.image);
    expect(detection).toMatchObject({ isComparison: true, layout: stacked ? 'stacked' : 'side-by-side' });
    expectPanelsNear(detection.panels, panels, JPEG_PANEL_TOLERANCE_PX);
  });
});
