import { describe, expect, it } from 'vitest';
import { detectCard } from '../../lib/engine/detect';
import type { Box, CardDetection, RgbaImage } from '../../lib/engine/types';
import { loadFixture, makeCard, type CardSpec, type Rgb } from './decode';

/** Synthetic panels must be found within this many pixels on every edge. */
const PANEL_TOLERANCE_PX = 2;
/** Real cards: the split must be within this share of the card width of the true seam. */
const SPLIT_TOLERANCE_SHARE = 0.01;

const WHITE: Rgb = [255, 255, 255];
const BLACK: Rgb = [0, 0, 0];
const GREY: Rgb = [128, 128, 128];
const TEAL: Rgb = [20, 160, 150];

const ASTRONAUT = 'photos/skimage_astronaut.png';
const COFFEE = 'photos/skimage_coffee.png';
const CHELSEA = 'photos/skimage_chelsea.png';
const CAMERA = 'photos/skimage_camera.png';
const HOPPER = 'photos/matplotlib_grace_hopper.jpg';
const SELFIE = 'photos/minimaxir_real_mirror_selfie.webp';
const GRASS = 'photos/skimage_grass.png';
const GRAVEL = 'photos/skimage_gravel.png';

function edges([x, y, width, height]: Box): [number, number, number, number] {
  return [x, y, x + width, y + height];
}

function expectInside(detection: CardDetection, image: RgbaImage): void {
  for (const [x, y, width, height] of detection.panels) {
    expect(Number.isInteger(x) && Number.isInteger(y) && Number.isInteger(width) && Number.isInteger(height)).toBe(true);
    expect(x).toBeGreaterThanOrEqual(0);
    expect(y).toBeGreaterThanOrEqual(0);
    expect(width).toBeGreaterThan(0);
    expect(height).toBeGreaterThan(0);
    expect(x + width).toBeLessThanOrEqual(image.width);
    expect(y + height).toBeLessThanOrEqual(image.height);
  }
}

function expectPanelsNear(found: Box[], expected: Box[]): void {
  expect(found).toHaveLength(expected.length);
  found.forEach((box, index) => {
    const truth = edges(expected[index] ?? [0, 0, 0, 0]);
    edges(box).forEach((edge, side) => {
      expect(Math.abs(edge - (truth[side] ?? 0)), `panel ${index} edge ${side}: ${box} vs ${expected[index]}`).toBeLessThanOrEqual(
        PANEL_TOLERANCE_PX,
      );
    });
  });
}

describe('detectCard on real cards', () => {
  // Seams located by eye at full size: none of these cards is split exactly at the middle.
  const cards: { file: string; seamX: number }[] = [
    { file: 'cards/minimaxir_chatgpt_two_gens_unlabeled.webp', seamX: 512 },
    { file: 'cards/minimaxir_counter_ui_nanobanana_vs_pro_labeled.webp', seamX: 1141 },
    { file: 'cards/minimaxir_ghibli_real_vs_nanobanana_unlabeled.webp', seamX: 1042 },
    { file: 'cards/minimaxir_pps_nanobanana_vs_nanobananapro_labeled.webp', seamX: 864 },
  ];
  it.each(cards)('$file is a side-by-side card split at x=$seamX', async ({ file, seamX }) => {
    const image = await loadFixture(file);
    const detection = detectCard(image);
    expect(detection.isComparison).toBe(true);
    expect(detection.reason).toBeNull();
    expect(detection.layout).toBe('side-by-side');
    expect(detection.grid).toEqual({ rows: 1, cols: 2 });
    expect(detection.confidence).toBeGreaterThan(0.8);
    expectInside(detection, image);
    const [left, right] = detection.panels;
    if (!left || !right) throw new Error('expected two panels');
    const splitX = (left[0] + left[2] + right[0]) / 2;
    expect(Math.abs(splitX - seamX)).toBeLessThanOrEqual(image.width * SPLIT_TOLERANCE_SHARE);
    expect(left[0] + left[2]).toBeLessThanOrEqual(right[0]);
  });
});

describe('detectCard on single photos', () => {
  const photos = [
    'photos/matplotlib_grace_hopper.jpg',
    'photos/minimaxir_real_mirror_selfie.webp',
    'photos/skimage_astronaut.png',
    'photos/skimage_brick.png',
    'photos/skimage_camera.png',
    'photos/skimage_chelsea.png',
    'photos/skimage_coffee.png',
    'photos/skimage_grass.png',
    'photos/skimage_gravel.png',
  ];
  it.each(photos)('%s is not a card', async (file) => {
    const detection = detectCard(await loadFixture(file));
    expect(detection).toMatchObject({ isComparison: false, reason: 'no-split', layout: null, grid: null, panels: [] });
    expect(detection.confidence).toBeGreaterThanOrEqual(0.5);
  });
});

interface SyntheticCase {
  name: string;
  spec: CardSpec;
  layout: 'side-by-side' | 'stacked';
}

function sideBySide(name: string, left: string, right: string, options: Partial<CardSpec> = {}): SyntheticCase {
  return { name, layout: 'side-by-side', spec: { rows: [[left, right]], panelSize: [360, 300], ...options } };
}

function stacked(name: string, top: string, bottom: string, options: Partial<CardSpec> = {}): SyntheticCase {
  return { name, layout: 'stacked', spec: { rows: [[top], [bottom]], panelSize: [400, 260], ...options } };
}

const GUTTER_COLOURS: [string, Rgb][] = [
  ['white', WHITE],
  ['black', BLACK],
  ['grey', GREY],
  ['teal', TEAL],
];

const syntheticCases: SyntheticCase[] = [
  sideBySide('side by side, touching', ASTRONAUT, COFFEE),
  sideBySide('side by side, touching, grey photos', CAMERA, HOPPER),
  stacked('stacked, touching', CHELSEA, ASTRONAUT),
  stacked('stacked, touching, grey photo', COFFEE, CAMERA),
  ...[4, 20].flatMap((gutter) =>
    GUTTER_COLOURS.flatMap(([colourName, gutterColour]) => [
      sideBySide(`side by side, ${gutter}px ${colourName} gutter`, CHELSEA, SELFIE, { gutter, gutterColour }),
      stacked(`stacked, ${gutter}px ${colourName} gutter`, ASTRONAUT, HOPPER, { gutter, gutterColour }),
    ]),
  ),
  sideBySide('side by side, 1px white gutter', ASTRONAUT, COFFEE, { gutter: 1 }),
  sideBySide('side by side in a 10px black frame', COFFEE, CHELSEA, { border: 10, borderColour: BLACK }),
  sideBySide('side by side in a 10px white frame, 6px grey gutter', COFFEE, CHELSEA, {
    border: 10,
    borderColour: WHITE,
    gutter: 6,
    gutterColour: GREY,
  }),
  stacked('stacked in a 10px teal frame, 8px white gutter', SELFIE, CHELSEA, {
    border: 10,
    borderColour: TEAL,
    gutter: 8,
  }),
  sideBySide('side by side, touching, JPEG quality 60', ASTRONAUT, COFFEE, { jpegQuality: 60 }),
  sideBySide('side by side, 4px white gutter, JPEG quality 60', CHELSEA, SELFIE, { gutter: 4, jpegQuality: 60 }),
  stacked('stacked, touching, JPEG quality 60', CHELSEA, ASTRONAUT, { jpegQuality: 60 }),
  stacked('stacked, 20px black gutter, 10px frame, JPEG quality 60', COFFEE, ASTRONAUT, {
    gutter: 20,
    gutterColour: BLACK,
    border: 10,
    jpegQuality: 60,
  }),
  sideBySide('side by side, unequal sizes, white gutter', ASTRONAUT, COFFEE, {
    panelSize: [[[300, 300], [420, 260]]],
    gutter: 12,
  }),
  stacked('stacked, unequal sizes, black gutter', CHELSEA, SELFIE, {
    panelSize: [[[380, 240]], [[320, 300]]],
    gutter: 10,
    gutterColour: BLACK,
  }),
  // Two bare textures touching (grass | gravel) score about 0.5, under the acceptance share: missed.
  sideBySide('side by side, touching, a photo and a texture', SELFIE, GRASS),
  stacked('stacked, touching, a texture and a photo', GRAVEL, CHELSEA, { jpegQuality: 60 }),
  sideBySide('side by side, large card (2048 x 1024)', SELFIE, ASTRONAUT, { panelSize: [1024, 1024] }),
];

describe('detectCard on synthetic cards', () => {
  it.each(syntheticCases)('$name', async ({ spec, layout }) => {
    const card = await makeCard(spec);
    const detection = detectCard(card.image);
    expect(detection.reason).toBeNull();
    expect(detection.isComparison).toBe(true);
    expect(detection.layout).toBe(layout);
    expect(detection.grid).toEqual(layout === 'side-by-side' ? { rows: 1, cols: 2 } : { rows: 2, cols: 1 });
    expectInside(detection, card.image);
    expectPanelsNear(detection.panels, card.panels);
  });
});

describe('detectCard on ambiguous gutters', () => {
  it('finds the split when a black gutter meets a mostly black panel edge, which keeps the gutter', async () => {
    // Grace Hopper's dark uniform fills the bottom of her panel: the gutter cannot be told from it.
    const card = await makeCard({
      rows: [[HOPPER], [COFFEE]],
      panelSize: [400, 260],
      gutter: 20,
      gutterColour: BLACK,
      border: 10,
      jpegQuality: 60,
    });
    const detection = detectCard(card.image);
    expect(detection).toMatchObject({ isComparison: true, layout: 'stacked', grid: { rows: 2, cols: 1 } });
    const [hopper, coffee] = detection.panels;
    expectPanelsNear([coffee ?? [0, 0, 0, 0]], [card.panels[1] ?? [0, 0, 0, 0]]);
    // Hopper's panel runs on to the far side of the gutter (y = 290) instead of stopping at y = 270.
    expect(hopper && hopper[1] + hopper[3]).toBeGreaterThanOrEqual(268);
    expect(hopper && hopper[1] + hopper[3]).toBeLessThanOrEqual(290);
  });
});

describe('detectCard on grids', () => {
  const gridCases: { name: string; spec: CardSpec; rows: number; cols: number }[] = [
    { name: '2x2, touching', spec: { rows: [[ASTRONAUT, COFFEE], [CHELSEA, HOPPER]], panelSize: [300, 240] }, rows: 2, cols: 2 },
    {
      name: '2x2, 8px white gutters',
      spec: { rows: [[SELFIE, CAMERA], [COFFEE, ASTRONAUT]], panelSize: [300, 240], gutter: 8 },
      rows: 2,
      cols: 2,
    },
    { name: 'triptych, touching', spec: { rows: [[ASTRONAUT, COFFEE, CHELSEA]], panelSize: [260, 320] }, rows: 1, cols: 3 },
    {
      name: 'triptych, 10px black gutters',
      spec: { rows: [[HOPPER, SELFIE, COFFEE]], panelSize: [260, 320], gutter: 10, gutterColour: BLACK },
      rows: 1,
      cols: 3,
    },
    {
      name: 'stacked triptych, 6px grey gutters',
      spec: { rows: [[CHELSEA], [ASTRONAUT], [COFFEE]], panelSize: [420, 200], gutter: 6, gutterColour: GREY },
      rows: 3,
      cols: 1,
    },
  ];
  it.each(gridCases)('$name is a grid, not a comparison', async ({ spec, rows, cols }) => {
    const card = await makeCard(spec);
    const detection = detectCard(card.image);
    expect(detection).toMatchObject({ isComparison: false, reason: 'grid', layout: null, panels: [] });
    expect(detection.grid).toEqual({ rows, cols });
  });
});

describe('detectCard refusals', () => {
  function solidImage(width: number, height: number, colour: Rgb, noise = 0): RgbaImage {
    const data = new Uint8ClampedArray(width * height * 4);
    for (let pixel = 0; pixel < width * height; pixel++) {
      // Deterministic small noise: a flat scan or a JPEG of a flat colour is never exactly flat.
      const jitter = noise * (((pixel * 2654435761) >>> 0) / 2 ** 32 - 0.5);
      data.set([colour[0] + jitter, colour[1] + jitter, colour[2] + jitter, 255], pixel * 4);
    }
    return { data, width, height };
  }

  it.each([
    { name: 'a 63 px tall image', image: solidImage(400, 63, GREY, 40), reason: 'too-small' },
    { name: 'a 40 x 40 image', image: solidImage(40, 40, GREY, 40), reason: 'too-small' },
    { name: 'a 1:7 banner', image: solidImage(1400, 200, GREY, 40), reason: 'extreme-aspect' },
    { name: 'a 7:1 column', image: solidImage(100, 700, GREY, 40), reason: 'extreme-aspect' },
    { name: 'a flat grey image', image: solidImage(300, 200, GREY), reason: 'uniform' },
    { name: 'a nearly flat white image', image: solidImage(300, 200, WHITE, 4), reason: 'uniform' },
  ])('$name: $reason', ({ image, reason }) => {
    expect(detectCard(image)).toMatchObject({ isComparison: false, reason, layout: null, grid: null, panels: [] });
  });

  it('accepts a 1:6 card at the aspect limit', async () => {
    const card = await makeCard({ rows: [[ASTRONAUT, COFFEE]], panelSize: [300, 100] });
    expect(card.image.width / card.image.height).toBe(6);
    expect(detectCard(card.image).reason).not.toBe('extreme-aspect');
  });
});
