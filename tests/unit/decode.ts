/** Test helpers: decode fixtures with sharp and composite synthetic comparison cards from them. */
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import sharp, { type OverlayOptions, type Sharp } from 'sharp';
import type { Box, RgbaImage } from '../../lib/engine/types';

export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));

export function fixturePath(relPath: string): string {
  return path.join(FIXTURES_DIR, relPath);
}

/** Decodes a fixture (path relative to tests/fixtures) into RGBA pixels. */
export async function loadFixture(relPath: string): Promise<RgbaImage> {
  return decodeToRgba(sharp(fixturePath(relPath)));
}

/** A sharp pipeline's output as RGBA pixels. */
export async function decodeToRgba(pipeline: Sharp): Promise<RgbaImage> {
  const { data, info } = await pipeline.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength),
    width: info.width,
    height: info.height,
  };
}

export type Rgb = [number, number, number];

export interface CardSpec {
  /** Fixture paths, one row per array: [[a, b]] side by side, [[a], [b]] stacked, [[a, b], [c, d]] a 2x2 grid. */
  rows: string[][];
  /** Size of each picture; per-panel sizes (same shape as `rows`) make unequal panels. */
  panelSize: [number, number] | [number, number][][];
  /** Gap between panels in pixels (0: the panels touch). */
  gutter?: number;
  /** Colour of the gutter and of any space left around smaller panels. */
  gutterColour?: Rgb;
  /** Outer frame width in pixels. */
  border?: number;
  borderColour?: Rgb;
  /** Re-encode the finished card as JPEG at this quality. */
  jpegQuality?: number;
}

export interface SyntheticCard {
  image: RgbaImage;
  /** Where each picture was placed, row by row, left to right. */
  panels: Box[];
}

/**
 * Composites fixture photos into a card. Each row is as tall as its tallest panel and panels
 * sit at the top-left of their cell, so smaller panels leave gutter-coloured space.
 */
export async function makeCard(spec: CardSpec): Promise<SyntheticCard> {
  const gutter = spec.gutter ?? 0;
  const border = spec.border ?? 0;
  const gutterColour = spec.gutterColour ?? [255, 255, 255];
  const sizeOf = (row: number, column: number): [number, number] => {
    if (typeof spec.panelSize[0] === 'number') return spec.panelSize as [number, number];
    const size = (spec.panelSize as [number, number][][])[row]?.[column];
    if (!size) throw new Error(`makeCard: no panel size for row ${row}, column ${column}`);
    return size;
  };
  const columnCount = Math.max(...spec.rows.map((row) => row.length));
  const columnWidths = Array.from({ length: columnCount }, (_, column) =>
    Math.max(...spec.rows.map((row, rowIndex) => (column < row.length ? sizeOf(rowIndex, column)[0] : 0))),
  );
  const rowHeights = spec.rows.map((row, rowIndex) => Math.max(...row.map((_, column) => sizeOf(rowIndex, column)[1])));
  const innerWidth = columnWidths.reduce((sum, width) => sum + width, 0) + gutter * (columnCount - 1);
  const innerHeight = rowHeights.reduce((sum, height) => sum + height, 0) + gutter * (spec.rows.length - 1);

  const layers: OverlayOptions[] = [];
  const panels: Box[] = [];
  if (border > 0) {
    layers.push({ input: await solid(innerWidth, innerHeight, gutterColour), left: border, top: border });
  }
  let top = border;
  for (const [rowIndex, row] of spec.rows.entries()) {
    let left = border;
    for (const [column, file] of row.entries()) {
      const [width, height] = sizeOf(rowIndex, column);
      const picture = await sharp(fixturePath(file)).resize(width, height, { fit: 'cover' }).png().toBuffer();
      layers.push({ input: picture, left, top });
      panels.push([left, top, width, height]);
      left += (columnWidths[column] ?? 0) + gutter;
    }
    top += (rowHeights[rowIndex] ?? 0) + gutter;
  }

  const background = border > 0 ? (spec.borderColour ?? [0, 0, 0]) : gutterColour;
  let card = sharp({
    create: {
      width: innerWidth + 2 * border,
      height: innerHeight + 2 * border,
      channels: 3,
      background: { r: background[0], g: background[1], b: background[2] },
    },
  }).composite(layers);
  if (spec.jpegQuality !== undefined) {
    const jpeg = await card.jpeg({ quality: spec.jpegQuality }).toBuffer();
    card = sharp(jpeg);
  } else {
    card = sharp(await card.png().toBuffer());
  }
  return { image: await decodeToRgba(card), panels };
}

async function solid(width: number, height: number, colour: Rgb): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: colour[0], g: colour[1], b: colour[2] } } })
    .png()
    .toBuffer();
}

/** Scales an image (as a feed's resized copy would be) and saves it as JPEG at `quality`. */
export async function rescaleAsJpeg(image: RgbaImage, scale: number, quality: number): Promise<RgbaImage> {
  const bytes = await sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), { raw: { width: image.width, height: image.height, channels: 4 } })
    .removeAlpha()
    .resize(Math.round(image.width * scale), Math.round(image.height * scale), { fit: 'fill' })
    .jpeg({ quality })
    .toBuffer();
  return decodeToRgba(sharp(bytes));
}

/** Scales an image with sharp's default (Lanczos) filter and keeps it lossless, as a PNG card resized by a feed. */
export async function rescale(image: RgbaImage, scale: number): Promise<RgbaImage> {
  const bytes = await sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), { raw: { width: image.width, height: image.height, channels: 4 } })
    .removeAlpha()
    .resize(Math.round(image.width * scale), Math.round(image.height * scale), { fit: 'fill' })
    .png()
    .toBuffer();
  return decodeToRgba(sharp(bytes));
}

/** Saves an image as JPEG at `quality`, at its own size, and decodes it again (the card as a feed would serve it). */
export async function asJpeg(image: RgbaImage, quality: number): Promise<RgbaImage> {
  const bytes = await sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), { raw: { width: image.width, height: image.height, channels: 4 } })
    .removeAlpha()
    .jpeg({ quality })
    .toBuffer();
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

/** Fills a box of `image` with one opaque colour. */
export function paint(image: RgbaImage, [x, y, width, height]: Box, [red, green, blue]: Rgb): void {
  for (let row = y; row < y + height; row++) for (let column = x; column < x + width; column++) image.data.set([red, green, blue, 255], (row * image.width + column) * 4);
}

/** Block "glyphs" (font-independent): `letters` per word, glyph width half the height, centred on `centreX`. */
export function paintWords(image: RgbaImage, centreX: number, top: number, height: number, letters: number[], colour: Rgb): void {
  const glyphWidth = Math.round(height / 2);
  const letterGap = Math.round(height * 0.15);
  const wordGap = Math.round(height * 0.6);
  const total = letters.reduce((sum, count) => sum + count * (glyphWidth + letterGap) - letterGap, 0) + wordGap * (letters.length - 1);
  let x = Math.round(centreX - total / 2);
  letters.forEach((count, word) => {
    if (word > 0) x += wordGap - letterGap;
    for (let letter = 0; letter < count; letter++) {
      paint(image, [x, top, glyphWidth, height], colour);
      x += glyphWidth + letterGap;
    }
  });
}
