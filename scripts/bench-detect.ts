/**
 * The card set behind `npm run bench:detect` (run by scripts/bench-detect.mjs): the real cards and
 * photos of tests/fixtures, and cards and non-cards composed here from the fixture photos with a
 * seeded generator (layout, panel sizes, gutter, border, rounded corners, label bars and pills,
 * fonts, texts, JPEG quality, scaling, misalignment), each with its ground truth. Detection runs
 * here in Node (the engine's own `detectCard`); labels are read by the built extension in Chromium.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';
import sharp, { type OverlayOptions } from 'sharp';
import { detectCard } from '../lib/engine/detect';
import { MODEL_NAMES } from '../lib/engine/model-names';
import type { Box, CardDetection, Grid, Layout, RgbaImage } from '../lib/engine/types';
import { seededRandom } from './lib/seeded-random.mjs';

const FIXTURES = new URL('../tests/fixtures/', import.meta.url).pathname;

type Rgb = [number, number, number];
type Random = () => number;


export type CaseGroup =
  | 'real card'
  | 'real photo'
  | 'composed card'
  | 'single photo'
  | 'photo with structure'
  | 'grid'
  | 'screenshot'
  | 'meme';

export type LabelStyle = 'bar outside' | 'caption on margin' | 'pill over picture' | 'bar over picture';

export interface Truth {
  isComparison: boolean;
  layout: Layout | null;
  /** Picture areas, left to right or top to bottom (cards only). */
  panels: Box[];
  /** Grid shape for grids and triptychs, else null. */
  grid: Grid | null;
  /** The label of each panel as Sidelight should report it, or null when the card has no label. */
  labels: [string, string] | null;
}

export interface BenchCase {
  name: string;
  group: CaseGroup;
  bytes: Buffer;
  truth: Truth;
  /** How it was made, for the list of misses. */
  description: string;
}

const PHOTOS = [
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
/** Photos that look like a picture someone would compare (the textures serve as backgrounds and fillers). */
const SUBJECT_PHOTOS = PHOTOS.filter((photo) => !/brick|grass|gravel/.test(photo));

const REAL_CARDS: { file: string; panels: Box[]; labels: [string, string] | null }[] = [
  { file: 'cards/minimaxir_chatgpt_two_gens_unlabeled.webp', panels: [[0, 0, 512, 512], [512, 0, 512, 512]], labels: null },
  { file: 'cards/minimaxir_counter_ui_nanobanana_vs_pro_labeled.webp', panels: [[0, 41, 1141, 823], [1141, 0, 1227, 864]], labels: ['Nano Banana', 'Nano Banana Pro'] },
  { file: 'cards/minimaxir_ghibli_real_vs_nanobanana_unlabeled.webp', panels: [[0, 0, 1042, 1024], [1042, 0, 1006, 1024]], labels: null },
  { file: 'cards/minimaxir_pps_nanobanana_vs_nanobananapro_labeled.webp', panels: [[0, 0, 864, 1184], [864, 0, 896, 1184]], labels: ['Nano Banana', 'Nano Banana Pro'] },
];

// ---------------------------------------------------------------------------------------------
// Drawing helpers

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const between = (random: Random, low: number, high: number) => low + (high - low) * random();
const integer = (random: Random, low: number, high: number) => Math.floor(between(random, low, high + 1));
const hex = ([red, green, blue]: Rgb) => `#${[red, green, blue].map((value) => Math.round(value).toString(16).padStart(2, '0')).join('')}`;
const luma = ([red, green, blue]: Rgb) => 0.299 * red + 0.587 * green + 0.114 * blue;

/** Latin text fonts installed on this machine (fc-list), by family. */
let fontCache: string[] | null = null;
export function installedFonts(): string[] {
  if (fontCache) return fontCache;
  let families: string[];
  try {
    families = execFileSync('fc-list', [':lang=en', 'family'], { encoding: 'utf8' })
      .split('\n')
      .map((line) => line.split(',')[0]?.trim() ?? '')
      .filter((family) => family && !/symbol|dingbat|math|fallback|emoji|^D050000L$|^Z003$/i.test(family));
  } catch {
    families = [];
  }
  fontCache = [...new Set(families)].sort();
  if (fontCache.length === 0) fontCache = ['sans-serif'];
  return fontCache;
}

function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

interface RenderedText {
  png: Buffer;
  width: number;
  height: number;
}

/** A line of text, tight around its ink, on a transparent background. */
async function renderText(text: string, font: string, sizePx: number, colour: Rgb): Promise<RenderedText> {
  const { data, info } = await sharp({ text: { text: `<span foreground="${hex(colour)}">${escapeMarkup(text)}</span>`, font: `${font} ${Math.round(sizePx)}px`, rgba: true, dpi: 72 } })
    .png()
    .toBuffer({ resolveWithObject: true });
  return { png: data, width: info.width, height: info.height };
}

async function roundedRect(width: number, height: number, radius: number, colour: Rgb, opacity = 1): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect x="0" y="0" width="${width}" height="${height}" rx="${radius}" ry="${radius}" fill="${hex(colour)}" fill-opacity="${opacity}"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

async function solid(width: number, height: number, colour: Rgb): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: colour[0], g: colour[1], b: colour[2] } } }).png().toBuffer();
}

/** A random crop (at least `minShare` of each side) of a fixture photo, resized to width × height. */
async function photoCrop(random: Random, photo: string, width: number, height: number, minShare = 0.55, tweak = false): Promise<Buffer> {
  const meta = await sharp(FIXTURES + photo).metadata();
  const sourceWidth = meta.width ?? width;
  const sourceHeight = meta.height ?? height;
  const targetAspect = width / height;
  let cropWidth = Math.round(sourceWidth * between(random, minShare, 1));
  let cropHeight = Math.round(cropWidth / targetAspect);
  if (cropHeight > sourceHeight) {
    cropHeight = Math.round(sourceHeight * between(random, minShare, 1));
    cropWidth = Math.min(sourceWidth, Math.round(cropHeight * targetAspect));
  }
  const left = integer(random, 0, sourceWidth - cropWidth);
  const top = integer(random, 0, sourceHeight - cropHeight);
  let pipeline = sharp(FIXTURES + photo)
    .removeAlpha()
    .extract({ left, top, width: cropWidth, height: cropHeight })
    .resize(width, height, { fit: 'fill' });
  // The second render of a prompt: another model's tone and colour.
  if (tweak) pipeline = pipeline.modulate({ brightness: between(random, 0.85, 1.15), saturation: between(random, 0.7, 1.3) });
  return pipeline.png().toBuffer();
}

// ---------------------------------------------------------------------------------------------
// Labels

const VARIANT_SPELLING_SHARE = 0.25;
const GENERIC_PAIRS: [string, string][] = [
  ['Model A', 'Model B'],
  ['Before', 'After'],
  ['Original', 'Edited'],
  ['Old', 'New'],
];
const UNKNOWN_NAMES = ['Aurora v2', 'Kestrel XL', 'Photon 3', 'Zephyr Pro', 'Orca Image', 'Lumen 5', 'Atlas Render', 'Pixelforge 2.1'];

/** Two panel labels: what is drawn and what Sidelight should report (the catalogue's spelling). */
function drawLabelTexts(random: Random): { drawn: [string, string]; expected: [string, string] } {
  const kind = random();
  if (kind < 0.55) {
    const first = pick(random, MODEL_NAMES);
    let second = pick(random, MODEL_NAMES);
    while (second === first) second = pick(random, MODEL_NAMES);
    const spell = (entry: (typeof MODEL_NAMES)[number]) => (random() < VARIANT_SPELLING_SHARE && entry.spellings.length > 0 ? pick(random, entry.spellings) : entry.canonical);
    return { drawn: [spell(first), spell(second)], expected: [first.canonical, second.canonical] };
  }
  if (kind < 0.8) {
    const pair = pick(random, GENERIC_PAIRS);
    return { drawn: [...pair], expected: [...pair] };
  }
  const first = pick(random, UNKNOWN_NAMES);
  let second = pick(random, UNKNOWN_NAMES);
  while (second === first) second = pick(random, UNKNOWN_NAMES);
  return { drawn: [first, second], expected: [first, second] };
}

interface LabelDesign {
  style: LabelStyle;
  placement: 'top' | 'bottom';
  font: string;
  sizePx: number;
  background: Rgb;
  ink: Rgb;
  /** Pill corner radius as a share of its height (0.5: round ends). */
  roundness: number;
  texts: { drawn: [string, string]; expected: [string, string] };
}

const LIGHT_BACKGROUNDS: Rgb[] = [[255, 255, 255], [244, 244, 244], [232, 236, 240], [255, 244, 214], [220, 240, 255]];
const DARK_BACKGROUNDS: Rgb[] = [[0, 0, 0], [24, 24, 28], [48, 48, 52], [31, 177, 1], [4, 119, 186], [190, 30, 45], [90, 40, 160], [0, 110, 90]];

function designLabels(random: Random, cardBackground: Rgb, panelSize: number): LabelDesign {
  const style = pick(random, ['bar outside', 'caption on margin', 'pill over picture', 'pill over picture', 'bar over picture'] as const);
  const dark = random() < 0.5;
  let background = dark ? pick(random, DARK_BACKGROUNDS) : pick(random, LIGHT_BACKGROUNDS);
  if (style === 'caption on margin') background = cardBackground;
  const ink: Rgb = luma(background) > 128 ? pick(random, [[0, 0, 0], [30, 30, 30], [60, 60, 70]] as Rgb[]) : pick(random, [[255, 255, 255], [240, 240, 240]] as Rgb[]);
  const weight = random() < 0.55 ? ' Bold' : '';
  return {
    style,
    placement: random() < 0.7 ? 'bottom' : 'top',
    font: `${pick(random, installedFonts())}${weight}`,
    sizePx: Math.max(14, Math.round(panelSize * between(random, 0.035, 0.075))),
    background,
    ink,
    roundness: pick(random, [0.5, 0.5, 0.2, 0.1, 0]),
    texts: drawLabelTexts(random),
  };
}

/** The label as an image: text on its pill or bar (or bare text for a caption on the margin). */
async function labelImage(random: Random, design: LabelDesign, text: string, maxWidth: number, fullWidth: number | null, opacity = 1): Promise<RenderedText> {
  let size = design.sizePx;
  let rendered = await renderText(text, design.font, size, design.ink);
  const padX = () => Math.round(size * between(random, 0.6, 1.1));
  while (rendered.width + 2 * padX() > maxWidth && size > 12) {
    size = Math.max(12, Math.round(size * 0.85));
    rendered = await renderText(text, design.font, size, design.ink);
  }
  if (design.style === 'caption on margin') {
    // Printed on the card's margin, with the card's margin round it (no caption touches the card's edge).
    const padding = Math.round(size * between(random, 0.3, 0.7));
    const png = await sharp(rendered.png).extend({ top: padding, bottom: padding, left: 0, right: 0, background: { r: 0, g: 0, b: 0, alpha: 0 } }).png().toBuffer();
    return { png, width: rendered.width, height: rendered.height + 2 * padding };
  }
  const height = Math.round(rendered.height + size * between(random, 0.7, 1.1));
  const width = fullWidth ?? Math.min(maxWidth, rendered.width + 2 * padX());
  const radius = fullWidth ? 0 : Math.round(height * design.roundness);
  const png = await sharp(await roundedRect(width, height, radius, design.background, opacity))
    .composite([{ input: rendered.png, left: Math.max(0, Math.round((width - rendered.width) / 2)), top: Math.round((height - rendered.height) / 2) }])
    .png()
    .toBuffer();
  return { png, width, height };
}

// ---------------------------------------------------------------------------------------------
// Composed cards

const GUTTER_COLOURS: Rgb[] = [[255, 255, 255], [0, 0, 0], [128, 128, 128], [30, 30, 30], [240, 240, 240]];

function cardColour(random: Random): Rgb {
  if (random() < 0.75) return pick(random, GUTTER_COLOURS);
  return [integer(random, 0, 255), integer(random, 0, 255), integer(random, 0, 255)];
}

interface Cell {
  picture: Buffer;
  width: number;
  height: number;
  /** Label drawn outside the picture (bar or caption), above or below it. */
  outside: { image: RenderedText; placement: 'top' | 'bottom'; gap: number } | null;
}

/** The whole card as PNG bytes plus the picture boxes, before scaling and re-encoding. */
async function composeCard(random: Random, index: number): Promise<{ png: Buffer; truth: Truth; description: string }> {
  const layout: Layout = random() < 0.6 ? 'side-by-side' : 'stacked';
  const background = cardColour(random);
  const gutter = random() < 0.3 ? 0 : random() < 0.5 ? integer(random, 1, 6) : integer(random, 7, 48);
  const border = random() < 0.55 ? 0 : integer(random, 2, 40);
  const borderColour = random() < 0.6 ? background : cardColour(random);
  const radius = random() < 0.25 ? integer(random, 4, 32) : 0;
  const unequal = random() < 0.3;
  const misalign = random() < 0.25 ? integer(random, 1, 8) : 0;
  const baseHeight = integer(random, 280, 820);
  const aspect = between(random, 0.65, 1.5);
  const samePhoto = random() < 0.6;
  const firstPhoto = pick(random, SUBJECT_PHOTOS);
  const secondPhoto = samePhoto ? firstPhoto : pick(random, SUBJECT_PHOTOS);
  const labelled = random() < 0.7;
  const design = labelled ? designLabels(random, background, baseHeight) : null;
  // A card with panels that touch and pills over them has no room for anything else.
  const sizes: [number, number][] = [0, 1].map((side) => {
    const scale = unequal && side === 1 ? between(random, 0.85, 1.15) : 1;
    const height = Math.round(baseHeight * (unequal && side === 1 ? between(random, 0.9, 1.1) : 1));
    return [Math.round(baseHeight * aspect * scale), height] as [number, number];
  });

  const cells: Cell[] = [];
  for (const side of [0, 1]) {
    const [width, height] = sizes[side] ?? [0, 0];
    let picture = await photoCrop(random, side === 0 ? firstPhoto : secondPhoto, width, height, 0.55, side === 1);
    const overlays: OverlayOptions[] = [];
    let outside: Cell['outside'] = null;
    if (design) {
      const text = design.texts.drawn[side] ?? '';
      if (design.style === 'pill over picture') {
        const pill = await labelImage(random, design, text, Math.round(width * 0.9), null);
        const inset = Math.round(height * between(random, 0.02, 0.06));
        const left = random() < 0.75 ? Math.round((width - pill.width) / 2) : Math.round(width * 0.04);
        overlays.push({ input: pill.png, left, top: design.placement === 'bottom' ? height - inset - pill.height : inset });
      } else if (design.style === 'bar over picture') {
        // Translucent, so the picture shows through: part of the picture, unlike an opaque bar.
        const bar = await labelImage(random, design, text, width, width, between(random, 0.55, 0.8));
        overlays.push({ input: bar.png, left: 0, top: design.placement === 'bottom' ? height - bar.height : 0 });
      } else {
        const image = await labelImage(random, design, text, width, design.style === 'bar outside' ? width : null);
        outside = { image, placement: design.placement, gap: design.style === 'bar outside' ? (random() < 0.6 ? 0 : integer(random, 1, 6)) : integer(random, 4, 14) };
      }
    }
    if (overlays.length > 0) picture = await sharp(picture).composite(overlays).png().toBuffer();
    if (radius > 0) {
      const mask = await roundedRect(width, height, radius, [255, 255, 255]);
      picture = await sharp(await solid(width, height, background))
        .composite([{ input: await sharp(picture).ensureAlpha().composite([{ input: mask, blend: 'dest-in' }]).png().toBuffer() }])
        .png()
        .toBuffer();
    }
    cells.push({ picture, width, height, outside });
  }

  // Cells: the picture with its outside label; arranged along the layout axis with the gutter between.
  const cellExtent = (cell: Cell) => {
    const extra = cell.outside ? cell.outside.image.height + cell.outside.gap : 0;
    return { width: cell.width, height: cell.height + extra };
  };
  const extents = cells.map(cellExtent);
  const across = (layout === 'side-by-side' ? Math.max(...extents.map((extent) => extent.height)) : Math.max(...extents.map((extent) => extent.width))) + misalign;
  const along = layout === 'side-by-side' ? extents.reduce((sum, extent) => sum + extent.width, 0) + gutter : extents.reduce((sum, extent) => sum + extent.height, 0) + gutter;
  const innerWidth = layout === 'side-by-side' ? along : across;
  const innerHeight = layout === 'side-by-side' ? across : along;
  const layers: OverlayOptions[] = [];
  const panels: Box[] = [];
  let cursor = border;
  for (const [side, cell] of cells.entries()) {
    const extent = extents[side] ?? { width: 0, height: 0 };
    // Cells shorter than the card's cross extent sit centred; the second one is shifted by the misalignment.
    const slack = (layout === 'side-by-side' ? across - extent.height : across - extent.width) - misalign;
    const offset = border + Math.floor(slack / 2) + (side === 1 ? misalign : 0);
    const cellLeft = layout === 'side-by-side' ? cursor : offset;
    const cellTop = layout === 'side-by-side' ? offset : cursor;
    const labelAbove = cell.outside?.placement === 'top' ? cell.outside.image.height + cell.outside.gap : 0;
    const pictureLeft = cellLeft + (layout === 'stacked' ? Math.floor((extent.width - cell.width) / 2) : 0);
    const pictureTop = cellTop + labelAbove;
    layers.push({ input: cell.picture, left: pictureLeft, top: pictureTop });
    panels.push([pictureLeft, pictureTop, cell.width, cell.height]);
    if (cell.outside) {
      const image = cell.outside.image;
      const labelLeft = pictureLeft + Math.round((cell.width - image.width) / 2);
      const labelTop = cell.outside.placement === 'top' ? cellTop : pictureTop + cell.height + cell.outside.gap;
      layers.push({ input: image.png, left: labelLeft, top: labelTop });
    }
    cursor += (layout === 'side-by-side' ? extent.width : extent.height) + gutter;
  }
  const canvasWidth = innerWidth + 2 * border;
  const canvasHeight = innerHeight + 2 * border;
  const base = border > 0 ? await sharp(await solid(canvasWidth, canvasHeight, borderColour)).composite([{ input: await solid(innerWidth, innerHeight, background), left: border, top: border }]).png().toBuffer() : await solid(canvasWidth, canvasHeight, background);
  const png = await sharp(base).composite(layers).png().toBuffer();
  const description = [
    `#${index} ${layout}`,
    `${sizes.map(([width, height]) => `${width}×${height}`).join(' + ')}`,
    `gutter ${gutter} px ${hex(background)}`,
    border ? `border ${border} px ${hex(borderColour)}` : 'no border',
    radius ? `corners ${radius} px` : null,
    misalign ? `misaligned ${misalign} px` : null,
    samePhoto ? `${firstPhoto.replace('photos/', '')} twice` : `${firstPhoto.replace('photos/', '')} + ${secondPhoto.replace('photos/', '')}`,
    design ? `${design.style} ${design.placement} (${hex(design.background)} / ${hex(design.ink)}, ${design.font} ${design.sizePx} px) “${design.texts.drawn.join('” / “')}”` : 'no labels',
  ]
    .filter(Boolean)
    .join(', ');
  return { png, truth: { isComparison: true, layout, panels, grid: { rows: layout === 'stacked' ? 2 : 1, cols: layout === 'stacked' ? 1 : 2 }, labels: design ? design.texts.expected : null }, description };
}

/** Scales and re-encodes a composed image (JPEG or PNG), scaling the truth boxes with it. */
async function finish(random: Random, png: Buffer, truth: Truth, description: string): Promise<{ bytes: Buffer; truth: Truth; description: string }> {
  const meta = await sharp(png).metadata();
  const width = meta.width ?? 1;
  const height = meta.height ?? 1;
  const longest = Math.max(width, height);
  let scale = random() < 0.5 ? 1 : between(random, 0.5, 1.25);
  scale = Math.min(scale, 2400 / longest);
  const targetWidth = Math.round(width * scale);
  const targetHeight = Math.round(height * scale);
  let pipeline = sharp(png);
  if (targetWidth !== width || targetHeight !== height) pipeline = pipeline.resize(targetWidth, targetHeight, { fit: 'fill' });
  const jpeg = random() < 0.75;
  const quality = integer(random, 55, 95);
  const bytes = jpeg ? await pipeline.jpeg({ quality }).toBuffer() : await pipeline.png().toBuffer();
  const sx = targetWidth / width;
  const sy = targetHeight / height;
  const scaleBox = ([x, y, w, h]: Box): Box => {
    const left = Math.round(x * sx);
    const top = Math.round(y * sy);
    return [left, top, Math.round((x + w) * sx) - left, Math.round((y + h) * sy) - top];
  };
  return {
    bytes,
    truth: { ...truth, panels: truth.panels.map(scaleBox) },
    description: `${description}, ${scale === 1 ? 'unscaled' : `scaled ${scale.toFixed(2)}`}, ${jpeg ? `JPEG ${quality}` : 'PNG'}`,
  };
}

// ---------------------------------------------------------------------------------------------
// Non-cards

const NOT_A_CARD = (grid: Grid | null = null): Truth => ({ isComparison: false, layout: null, panels: [], grid, labels: null });

async function singlePhoto(random: Random): Promise<{ png: Buffer; truth: Truth; description: string }> {
  const photo = pick(random, PHOTOS);
  const width = integer(random, 300, 1400);
  const height = Math.round(width * between(random, 0.6, 1.6));
  return { png: await photoCrop(random, photo, width, height, 0.5), truth: NOT_A_CARD(), description: `single ${photo.replace('photos/', '')} ${width}×${height}` };
}

/** Raw RGBA editing for the structures drawn into photos. */
async function rawOf(png: Buffer): Promise<RgbaImage> {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

async function pngOf(image: RgbaImage): Promise<Buffer> {
  return sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), { raw: { width: image.width, height: image.height, channels: 4 } }).removeAlpha().png().toBuffer();
}

/** Paints a shaded, grained band (a door jamb, a mullion, a shelf board) with an optional tilt. */
function paintBand(image: RgbaImage, random: Random, orientation: 'vertical' | 'horizontal', centre: number, thickness: number, colour: Rgb, tiltPerPixel: number, from = 0, to?: number): void {
  const length = orientation === 'vertical' ? image.height : image.width;
  const end = to ?? length;
  const shadeRange = between(random, 20, 60);
  const grain = between(random, 2, 6);
  for (let along = from; along < end; along++) {
    const shade = (along / length - 0.5) * shadeRange;
    const middle = centre + (along - length / 2) * tiltPerPixel;
    for (let across = Math.floor(middle - thickness / 2); across < middle + thickness / 2; across++) {
      const x = orientation === 'vertical' ? across : along;
      const y = orientation === 'vertical' ? along : across;
      if (x < 0 || y < 0 || x >= image.width || y >= image.height) continue;
      // Rounded profile: the band is lit from one side.
      const profile = ((across - (middle - thickness / 2)) / thickness - 0.5) * 30;
      const offset = (y * image.width + x) * 4;
      for (let channel = 0; channel < 3; channel++) image.data[offset + channel] = (colour[channel] ?? 0) + shade + profile + (random() - 0.5) * 2 * grain;
    }
  }
}

async function structuredPhoto(random: Random): Promise<{ png: Buffer; truth: Truth; description: string }> {
  const kind = pick(random, ['door frame', 'window', 'horizon', 'bookshelf'] as const);
  const width = integer(random, 420, 1300);
  const height = Math.round(width * between(random, 0.65, 1.5));
  const tilt = (between(random, -1.5, 1.5) * Math.PI) / 180;
  const woodOrPaint: Rgb = pick(random, [[120, 80, 50], [235, 232, 225], [90, 60, 40], [200, 200, 205], [60, 60, 64]] as Rgb[]);
  if (kind === 'door frame') {
    const image = await rawOf(await photoCrop(random, pick(random, PHOTOS), width, height, 0.5));
    const centre = width * between(random, 0.35, 0.65);
    paintBand(image, random, 'vertical', centre, width * between(random, 0.03, 0.09), woodOrPaint, Math.tan(tilt));
    return { png: await pngOf(image), truth: NOT_A_CARD(), description: `door frame at ${(centre / width).toFixed(2)} W, tilt ${((tilt * 180) / Math.PI).toFixed(1)}°, ${width}×${height}` };
  }
  if (kind === 'window') {
    const wall = await rawOf(await photoCrop(random, pick(random, ['photos/skimage_brick.png', 'photos/skimage_gravel.png', ...SUBJECT_PHOTOS]), width, height, 0.5));
    const windowWidth = Math.round(width * between(random, 0.45, 0.8));
    const windowHeight = Math.round(height * between(random, 0.45, 0.85));
    const left = integer(random, 0, width - windowWidth);
    const top = integer(random, 0, height - windowHeight);
    const view = await rawOf(await photoCrop(random, pick(random, SUBJECT_PHOTOS), windowWidth, windowHeight, 0.6));
    for (let y = 0; y < windowHeight; y++) wall.data.set(view.data.subarray(y * windowWidth * 4, (y + 1) * windowWidth * 4), ((top + y) * width + left) * 4);
    const frame = Math.max(4, Math.round(windowWidth * between(random, 0.025, 0.06)));
    paintBand(wall, random, 'vertical', left + frame / 2, frame, woodOrPaint, 0, top, top + windowHeight);
    paintBand(wall, random, 'vertical', left + windowWidth - frame / 2, frame, woodOrPaint, 0, top, top + windowHeight);
    paintBand(wall, random, 'vertical', left + windowWidth / 2, frame, woodOrPaint, 0, top, top + windowHeight);
    paintBand(wall, random, 'horizontal', top + frame / 2, frame, woodOrPaint, 0, left, left + windowWidth);
    paintBand(wall, random, 'horizontal', top + windowHeight - frame / 2, frame, woodOrPaint, 0, left, left + windowWidth);
    if (random() < 0.5) paintBand(wall, random, 'horizontal', top + windowHeight / 2, frame, woodOrPaint, 0, left, left + windowWidth);
    return { png: await pngOf(wall), truth: NOT_A_CARD(), description: `window ${windowWidth}×${windowHeight} in a ${width}×${height} wall` };
  }
  if (kind === 'horizon') {
    const horizon = height * between(random, 0.35, 0.65);
    const ground = await rawOf(await photoCrop(random, pick(random, ['photos/skimage_grass.png', 'photos/skimage_gravel.png', 'photos/skimage_coffee.png', 'photos/skimage_brick.png']), width, height, 0.5));
    const skyTop: Rgb = [integer(random, 40, 120), integer(random, 100, 170), integer(random, 180, 250)];
    const skyBottom: Rgb = [integer(random, 170, 235), integer(random, 190, 240), integer(random, 210, 255)];
    const tint: Rgb = pick(random, [[0.5, 0.8, 1.1], [0.9, 1, 0.6], [1, 0.9, 0.8]] as Rgb[]);
    const softness = between(random, 0.6, 2.5);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const edge = horizon + (x - width / 2) * Math.tan(tilt);
        const skyWeight = Math.min(1, Math.max(0, (edge - y) / softness + 0.5));
        const offset = (y * width + x) * 4;
        const t = y / Math.max(1, horizon);
        for (let channel = 0; channel < 3; channel++) {
          const sky = (skyTop[channel] ?? 0) * (1 - t) + (skyBottom[channel] ?? 0) * t + (random() - 0.5) * 4;
          const land = (ground.data[offset + channel] ?? 0) * (tint[channel] ?? 1);
          ground.data[offset + channel] = sky * skyWeight + land * (1 - skyWeight);
        }
      }
    }
    return { png: await pngOf(ground), truth: NOT_A_CARD(), description: `horizon at ${(horizon / height).toFixed(2)} H, tilt ${((tilt * 180) / Math.PI).toFixed(1)}°, ${width}×${height}` };
  }
  // Bookshelf: shelves across the full width, books standing on them.
  const image = await rawOf(await solid(width, height, [70, 55, 40]));
  const shelves = integer(random, 2, 3);
  const shelfHeight = height / shelves;
  const board = Math.max(6, Math.round(shelfHeight * between(random, 0.06, 0.12)));
  for (let shelf = 0; shelf < shelves; shelf++) {
    const floor = Math.round((shelf + 1) * shelfHeight - board);
    let x = integer(random, 0, 20);
    while (x < width) {
      const bookWidth = Math.round(width * between(random, 0.015, 0.06));
      const bookHeight = Math.round((shelfHeight - board) * between(random, 0.6, 0.95));
      const colour: Rgb = [integer(random, 20, 230), integer(random, 20, 230), integer(random, 20, 230)];
      paintBand(image, random, 'vertical', x + bookWidth / 2, bookWidth, colour, 0, floor - bookHeight, floor);
      x += bookWidth + (random() < 0.2 ? integer(random, 2, 30) : 0);
    }
    paintBand(image, random, 'horizontal', floor + board / 2, board, woodOrPaint, 0);
  }
  return { png: await pngOf(image), truth: NOT_A_CARD(), description: `bookshelf, ${shelves} shelves, ${width}×${height}` };
}

async function gridImage(random: Random): Promise<{ png: Buffer; truth: Truth; description: string }> {
  const shape = pick(random, [[2, 2], [1, 3], [3, 1], [2, 2]] as [number, number][]);
  const [rows, cols] = shape;
  const cellWidth = integer(random, 180, 480);
  const cellHeight = Math.round(cellWidth * between(random, 0.7, 1.4));
  const gutter = random() < 0.3 ? 0 : integer(random, 1, 30);
  const background = cardColour(random);
  const border = random() < 0.6 ? 0 : integer(random, 2, 30);
  const width = cols * cellWidth + (cols - 1) * gutter + 2 * border;
  const height = rows * cellHeight + (rows - 1) * gutter + 2 * border;
  const layers: OverlayOptions[] = [];
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      layers.push({ input: await photoCrop(random, pick(random, SUBJECT_PHOTOS), cellWidth, cellHeight, 0.5, random() < 0.5), left: border + col * (cellWidth + gutter), top: border + row * (cellHeight + gutter) });
    }
  }
  const png = await sharp(await solid(width, height, background)).composite(layers).png().toBuffer();
  return { png, truth: NOT_A_CARD({ rows, cols }), description: `${rows}×${cols} grid, cells ${cellWidth}×${cellHeight}, gutter ${gutter} px ${hex(background)}, border ${border}` };
}

const MENU = ['Home', 'Explore', 'Notifications', 'Messages', 'Bookmarks', 'Profile', 'Settings', 'Lists'];

async function screenshot(random: Random): Promise<{ png: Buffer; truth: Truth; description: string }> {
  const width = integer(random, 900, 1600);
  const height = Math.round(width * between(random, 0.55, 0.8));
  const dark = random() < 0.5;
  const page: Rgb = dark ? [integer(random, 0, 30), integer(random, 0, 30), integer(random, 0, 36)] : [255, 255, 255];
  const chrome: Rgb = dark ? [page[0] + 18, page[1] + 18, page[2] + 20] : [integer(random, 238, 248), integer(random, 238, 248), integer(random, 240, 250)];
  const ink: Rgb = dark ? [230, 230, 235] : [20, 20, 25];
  const font = pick(random, installedFonts());
  if (random() < 0.25) {
    // A video player's pillarbox: a picture centred between flat bars.
    const pictureWidth = Math.round(width * between(random, 0.45, 0.75));
    const picture = await photoCrop(random, pick(random, SUBJECT_PHOTOS), pictureWidth, height, 0.5);
    const png = await sharp(await solid(width, height, [0, 0, 0])).composite([{ input: picture, left: Math.round((width - pictureWidth) / 2), top: 0 }]).png().toBuffer();
    return { png, truth: NOT_A_CARD(), description: `pillarboxed picture ${pictureWidth} in ${width}×${height}` };
  }
  const leftBar = Math.round(width * between(random, 0.16, 0.3));
  const rightBar = random() < 0.6 ? Math.round(width * between(random, 0.18, 0.28)) : 0;
  const layers: OverlayOptions[] = [{ input: await solid(leftBar, height, chrome), left: 0, top: 0 }];
  const textSize = Math.round(height * between(random, 0.025, 0.035));
  for (const [index, item] of MENU.entries()) {
    const top = Math.round(height * 0.08 + index * textSize * 2.6);
    if (top + textSize * 2 > height) break;
    layers.push({ input: await roundedRect(textSize, textSize, textSize / 2, ink), left: Math.round(leftBar * 0.12), top });
    const text = await renderText(item, font, textSize, ink);
    layers.push({ input: text.png, left: Math.round(leftBar * 0.12 + textSize * 1.6), top });
  }
  if (rightBar > 0) {
    layers.push({ input: await solid(rightBar, height, chrome), left: width - rightBar, top: 0 });
    for (let line = 0; line < 8; line++) {
      const top = Math.round(height * 0.1 + line * textSize * 2.2);
      if (top + textSize * 2 > height) break;
      const text = await renderText(pick(random, ['Trending', '#photography', 'What’s happening', 'Who to follow', 'Show more', '12.4K posts']), font, textSize * 0.9, ink);
      layers.push({ input: text.png, left: width - rightBar + Math.round(rightBar * 0.08), top });
    }
  }
  const column = width - leftBar - rightBar;
  const margin = Math.round(column * between(random, 0.04, 0.1));
  const header = await renderText(pick(random, ['Look at this view', 'Morning walk', 'New camera, who dis', 'Weekend']), font, textSize * 1.1, ink);
  layers.push({ input: header.png, left: leftBar + margin, top: Math.round(height * 0.05) });
  const pictureTop = Math.round(height * 0.05 + header.height + textSize);
  const pictureHeight = height - pictureTop - Math.round(height * between(random, 0.04, 0.15));
  layers.push({ input: await photoCrop(random, pick(random, SUBJECT_PHOTOS), column - 2 * margin, pictureHeight, 0.5), left: leftBar + margin, top: pictureTop });
  const png = await sharp(await solid(width, height, page)).composite(layers).png().toBuffer();
  return { png, truth: NOT_A_CARD(), description: `screenshot ${width}×${height}, side bars ${leftBar}${rightBar ? ` + ${rightBar}` : ''} px, ${dark ? 'dark' : 'light'}` };
}

const MEME_TEXTS = ['When the build passes on the first try', 'Me explaining my code', 'Nobody:', 'That feeling when it works', 'POV: you forgot to save', 'Monday morning be like'];

async function meme(random: Random): Promise<{ png: Buffer; truth: Truth; description: string }> {
  const width = integer(random, 400, 1100);
  const pictureHeight = Math.round(width * between(random, 0.6, 1.2));
  const font = `${pick(random, installedFonts())} Bold`;
  const size = Math.round(width * between(random, 0.045, 0.08));
  const barColour: Rgb = random() < 0.8 ? [255, 255, 255] : [0, 0, 0];
  const ink: Rgb = luma(barColour) > 128 ? [0, 0, 0] : [255, 255, 255];
  const words = pick(random, MEME_TEXTS);
  const lines: RenderedText[] = [];
  let text = await renderText(words, font, size, ink);
  if (text.width > width * 0.92) {
    const split = words.split(' ');
    const half = Math.ceil(split.length / 2);
    lines.push(await renderText(split.slice(0, half).join(' '), font, size, ink), await renderText(split.slice(half).join(' '), font, size, ink));
  } else lines.push(text);
  for (let index = 0; index < lines.length; index++) {
    text = lines[index] as RenderedText;
    if (text.width > width * 0.95) lines[index] = await renderText(index === 0 ? words.split(' ').slice(0, Math.ceil(words.split(' ').length / 2)).join(' ') : words.split(' ').slice(Math.ceil(words.split(' ').length / 2)).join(' '), font, size * 0.7, ink);
  }
  const lineGap = Math.round(size * 0.35);
  const padding = Math.round(size * between(random, 0.5, 1));
  const barHeight = lines.reduce((sum, line) => sum + line.height, 0) + lineGap * (lines.length - 1) + 2 * padding;
  const captionOnTop = random() < 0.8;
  const height = barHeight + pictureHeight;
  const layers: OverlayOptions[] = [{ input: await photoCrop(random, pick(random, SUBJECT_PHOTOS), width, pictureHeight, 0.5), left: 0, top: captionOnTop ? barHeight : 0 }];
  let y = (captionOnTop ? 0 : pictureHeight) + padding;
  for (const line of lines) {
    layers.push({ input: line.png, left: Math.max(0, Math.round((width - line.width) / 2)), top: y });
    y += line.height + lineGap;
  }
  const png = await sharp(await solid(width, height, barColour)).composite(layers).png().toBuffer();
  return { png, truth: NOT_A_CARD(), description: `meme ${width}×${height}, ${lines.length}-line caption bar ${captionOnTop ? 'on top' : 'below'} (${barHeight} px, ${hex(barColour)})` };
}

// ---------------------------------------------------------------------------------------------
// The suite

export interface SuiteOptions {
  seed: number;
  cards: number;
  negatives: number;
  log: (line: string) => void;
}

export async function buildSuite({ seed, cards, negatives, log }: SuiteOptions): Promise<BenchCase[]> {
  const random = seededRandom(seed);
  const cases: BenchCase[] = [];
  for (const card of REAL_CARDS) {
    cases.push({ name: card.file, group: 'real card', bytes: await sharp(FIXTURES + card.file).toBuffer(), truth: { isComparison: true, layout: 'side-by-side', panels: card.panels, grid: { rows: 1, cols: 2 }, labels: card.labels }, description: card.file });
  }
  for (const photo of PHOTOS) cases.push({ name: photo, group: 'real photo', bytes: await sharp(FIXTURES + photo).toBuffer(), truth: NOT_A_CARD(), description: photo });
  for (let index = 0; index < cards; index++) {
    const composed = await composeCard(random, index);
    const finished = await finish(random, composed.png, composed.truth, composed.description);
    cases.push({ name: `composed-${index}`, group: 'composed card', ...finished });
    if ((index + 1) % 50 === 0) log(`composed ${index + 1}/${cards} cards`);
  }
  const makers: [CaseGroup, (random: Random) => Promise<{ png: Buffer; truth: Truth; description: string }>, number][] = [
    ['single photo', singlePhoto, 0.2],
    ['photo with structure', structuredPhoto, 0.3],
    ['grid', gridImage, 0.2],
    ['screenshot', screenshot, 0.15],
    ['meme', meme, 0.15],
  ];
  for (const [group, make, share] of makers) {
    const count = Math.max(1, Math.round(negatives * share));
    for (let index = 0; index < count; index++) {
      const made = await make(random);
      const finished = await finish(random, made.png, made.truth, made.description);
      cases.push({ name: `${group.replace(/ /g, '-')}-${index}`, group, ...finished });
    }
    log(`composed ${count} × ${group}`);
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------
// Detection in Node

export interface DetectionRun {
  detection: CardDetection;
  /** Median wall time of the timed runs, ms. */
  ms: number;
  /** Median CPU time (user + system) of the timed runs, ms: what other work on a shared machine does not inflate. */
  cpuMs: number;
  width: number;
  height: number;
}

async function decode(bytes: Buffer): Promise<RgbaImage> {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

/** Detects every case: one untimed run, then `runs` timed ones (median). */
export async function detectAll(cases: readonly BenchCase[], runs: number): Promise<DetectionRun[]> {
  const out: DetectionRun[] = [];
  for (const benchCase of cases) {
    const image = await decode(benchCase.bytes);
    const detection = detectCard(image);
    const times: number[] = [];
    const cpuTimes: number[] = [];
    for (let run = 0; run < runs; run++) {
      const cpuStarted = process.cpuUsage();
      const started = performance.now();
      detectCard(image);
      times.push(performance.now() - started);
      const cpu = process.cpuUsage(cpuStarted);
      cpuTimes.push((cpu.user + cpu.system) / 1000);
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    out.push({ detection, ms: median(times), cpuMs: median(cpuTimes), width: image.width, height: image.height });
  }
  return out;
}

export function iou(first: Box, second: Box): number {
  const left = Math.max(first[0], second[0]);
  const top = Math.max(first[1], second[1]);
  const right = Math.min(first[0] + first[2], second[0] + second[2]);
  const bottom = Math.min(first[1] + first[3], second[1] + second[3]);
  const overlap = Math.max(0, right - left) * Math.max(0, bottom - top);
  const union = first[2] * first[3] + second[2] * second[3] - overlap;
  return union > 0 ? overlap / union : 0;
}

export function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${availableParallelism()} cores (${cpu}), Node ${process.version}`;
}
