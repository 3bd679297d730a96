import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../scripts/lib/seeded-random.mjs';
import { buildStrips, columnSeamStrength, fillLineColours, lanesNear, meanColour, quickLookUniform, type LaneRange, type Strip } from '../../lib/engine/detect';
import { lumaOf } from '../../lib/engine/image';
import type { RgbaImage } from '../../lib/engine/types';
import { fixturePath, loadFixture, makeCard } from './decode';

/**
 * Card detection's hot loops (strips filled into buffers kept between images, a word per pixel,
 * their colours a line at a time when first read, each lane's steps taken once, an insertion sort
 * per line) against their plain definitions, bit for bit: the same strips, seam profiles and quick
 * looks, so every detection stays exactly as it was.
 */

const LANES_PER_STRIP = 256;
const SEARCH_BAND: readonly [number, number] = [0.25, 0.75];

/** Each lane averages its two source lines at its first and third quarter, one pixel at a time, in fresh arrays. */
function plainStrip(img: RgbaImage, alongRows: boolean): Strip {
  const { width, height, data } = img;
  const positions = alongRows ? width : height;
  const laneExtent = alongRows ? height : width;
  const laneSize = Math.ceil(laneExtent / LANES_PER_STRIP);
  const lanes = Math.ceil(laneExtent / laneSize);
  const rgb = new Float32Array(positions * lanes * 3);
  const luma = new Float32Array(positions * lanes);
  for (let lane = 0; lane < lanes; lane++) {
    const laneStart = lane * laneSize;
    const laneLength = Math.min(laneSize, laneExtent - laneStart);
    const lines = [laneStart + Math.floor(laneLength / 4), laneStart + Math.floor((laneLength * 3) / 4)];
    for (let position = 0; position < positions; position++) {
      const [first, second] = lines.map((line) => 4 * (alongRows ? line * width + position : position * width + line)) as [number, number];
      const channel = (offset: number) => ((data[first + offset] ?? 0) + (data[second + offset] ?? 0)) * 0.5;
      // Colours line by line, luma lane by lane.
      const colour = (position * lanes + lane) * 3;
      rgb[colour] = channel(0);
      rgb[colour + 1] = channel(1);
      rgb[colour + 2] = channel(2);
      luma[lane * positions + position] = lumaOf(channel(0), channel(1), channel(2));
    }
  }
  return { positions, lanes, laneSize, laneExtent, rgb, luma };
}

/** Seam strength as defined: per lane and line, the step and the four steps around it, read afresh. */
function plainSeamStrength(strip: Strip, from: number, to: number, lanes: LaneRange): { start: number; strengths: Float32Array } {
  const length = to - from;
  const start = Math.max(4, from + Math.floor(length * SEARCH_BAND[0]));
  const end = Math.min(strip.positions - 4, from + Math.ceil(length * SEARCH_BAND[1]));
  const strengths = new Float32Array(Math.max(0, end - start));
  const stepAt = (lane: number, position: number) =>
    Math.abs((strip.luma[lane * strip.positions + position] ?? 0) - (strip.luma[lane * strip.positions + position - 1] ?? 0));
  for (let position = start; position < end; position++) {
    let votes = 0;
    for (let lane = lanes.from; lane < lanes.to; lane++) {
      const step = stepAt(lane, position);
      const around = (stepAt(lane, position - 3) + stepAt(lane, position - 2) + stepAt(lane, position + 2) + stepAt(lane, position + 3)) / 4;
      if (step >= 6 && step >= 2 * around) votes++;
    }
    strengths[position - start] = votes / Math.max(1, lanes.to - lanes.from);
  }
  return { start, strengths };
}

/** The quick look as defined: sort each line's sampled lumas, drop an eighth at each end, compare the spread. */
function plainQuickLook(strip: Strip, from: number, to: number, lanes: LaneRange): Uint8Array {
  const laneCount = Math.max(0, lanes.to - lanes.from);
  const sampleCount = Math.min(16, laneCount);
  const setAside = Math.floor(sampleCount / 8);
  const out = new Uint8Array(Math.max(0, to - from));
  for (let line = 0; line < out.length; line++) {
    const values = Float32Array.from({ length: sampleCount }, (_, sample) => {
      const lane = lanes.from + Math.floor(((sample + 0.5) * laneCount) / sampleCount);
      return strip.luma[lane * strip.positions + from + line] ?? 0;
    }).sort();
    out[line] = (values[sampleCount - 1 - setAside] ?? 0) - (values[setAside] ?? 0) <= 24 ? 1 : 0;
  }
  return out;
}

/**
 * A channel of cell `lane * positions + position`, cells numbered lane by lane (a line off the strip's
 * ends reads the neighbouring lane's end), black outside the strip.
 */
function cellChannel(strip: Strip, lane: number, position: number, channel: number): number {
  const cell = lane * strip.positions + position;
  if (cell < 0 || cell >= strip.positions * strip.lanes) return 0;
  const cellLane = Math.floor(cell / strip.positions);
  return strip.rgb[((cell - cellLane * strip.positions) * strip.lanes + cellLane) * 3 + channel] ?? 0;
}

/** Lanes near a colour as defined: each cell's largest channel difference (a cell outside the strip reads as black). */
function plainLanesNear(strip: Strip, position: number, lanes: LaneRange, colour: readonly [number, number, number], tolerance: number): number {
  let near = 0;
  for (let lane = lanes.from; lane < lanes.to; lane++) {
    const distance = Math.max(...colour.map((value, channel) => Math.abs(cellChannel(strip, lane, position, channel) - value)));
    if (distance <= tolerance) near++;
  }
  return near;
}

/** A line's mean colour as defined: the lanes within `radius` of `around` in every channel (all without it), summed in lane order. */
function plainMeanColour(strip: Strip, position: number, lanes: LaneRange, around: [number, number, number] | null, radius: number): [number, number, number] {
  const sums = [0, 0, 0];
  let count = 0;
  for (let lane = lanes.from; lane < lanes.to; lane++) {
    const values = [0, 1, 2].map((channel) => cellChannel(strip, lane, position, channel));
    if (around && Math.max(...values.map((value, channel) => Math.abs(value - (around[channel] ?? 0)))) > radius) continue;
    values.forEach((value, channel) => (sums[channel] = (sums[channel] ?? 0) + value));
    count++;
  }
  if (count === 0) return around ?? [0, 0, 0];
  return [(sums[0] ?? 0) / count, (sums[1] ?? 0) / count, (sums[2] ?? 0) / count];
}

/**
 * Lines the colour tests read, the strip's ends and a line off each end among them (there the
 * plain path runs), each against the colour of one of its own cells, of black and of a mid grey:
 * `strip`, whose colours are filled as read, against the plain strip filled up front.
 */
function expectSameLanesNear(strip: Strip, plain: Strip, lanes: LaneRange, random: () => number): void {
  const lines = [-1, 0, 1, strip.positions - 1, strip.positions, ...Array.from({ length: 6 }, () => Math.floor(random() * strip.positions))];
  lines.forEach((position, index) => {
    const [line, lane] = [Math.max(0, Math.min(strip.positions - 1, position)), Math.floor(random() * strip.lanes)];
    const own: [number, number, number] = [cellChannel(plain, lane, line, 0), cellChannel(plain, lane, line, 1), cellChannel(plain, lane, line, 2) + 0.5];
    const sameMeans = () => {
      expect(meanColour(strip, position, lanes, null, Infinity)).toEqual(plainMeanColour(plain, position, lanes, null, Infinity));
      expect(meanColour(strip, position, lanes, own, 36)).toEqual(plainMeanColour(plain, position, lanes, own, 36));
      expect(meanColour(strip, position, lanes, [0, 0, 0], 36)).toEqual(plainMeanColour(plain, position, lanes, [0, 0, 0], 36));
    };
    // Either test may be the first to read a line, so each must fill it.
    if (index % 2 === 0) sameMeans();
    for (const colour of [own, [0, 0, 0], [127.5, 128, 126]] as const) {
      for (const tolerance of [8, 12, 24, 30, 48]) {
        const [red, green, blue] = colour;
        expect(lanesNear(strip, position, lanes, red, green, blue, tolerance), `line ${position}, tolerance ${tolerance}`).toBe(plainLanesNear(plain, position, lanes, colour, tolerance));
      }
    }
    if (index % 2 === 1) sameMeans();
  });
}

/** Every cell's colour, line by line, with all of the strip's lines filled. */
function filledColours(strip: Strip): Float32Array {
  for (let position = 0; position < strip.positions; position++) fillLineColours(strip, position);
  return strip.rgb;
}

/** Index of the first value that differs in its bits (or in the lengths), -1 when none does. */
function firstDifference(actual: Float32Array | Uint8Array, expected: Float32Array | Uint8Array): number {
  if (actual.length !== expected.length) return Math.min(actual.length, expected.length);
  for (let index = 0; index < actual.length; index++) if (!Object.is(actual[index], expected[index])) return index;
  return -1;
}

function expectSameStrip(actual: Strip, expected: Strip): void {
  expect({ ...actual, rgb: null, luma: null, pending: null }).toEqual({ ...expected, rgb: null, luma: null, pending: null });
  expect(firstDifference(filledColours(actual), expected.rgb)).toBe(-1);
  expect(firstDifference(actual.luma, expected.luma)).toBe(-1);
}

/** Noise with flat patches and hard edges, so steps of every size and uniform lines occur. */
function randomImage(random: () => number, width: number, height: number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  const edge = Math.floor(random() * width);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const offset = (y * width + x) * 4;
      const flat = y % 7 < 3;
      for (let channel = 0; channel < 3; channel++) data[offset + channel] = flat ? (x < edge ? 40 : 200) + channel : random() * 256;
      data[offset + 3] = 255;
    }
  }
  return { data, width, height };
}

/** Line spans and lane ranges the detector asks about: whole strips, trimmed cards, single and empty lanes. */
function queries(strip: Strip, random: () => number): { from: number; to: number; lanes: LaneRange }[] {
  const out = [
    { from: 0, to: strip.positions, lanes: { from: 0, to: strip.lanes } },
    { from: 0, to: strip.positions, lanes: { from: 0, to: 1 } },
    { from: 0, to: strip.positions, lanes: { from: 3, to: 3 } },
    { from: 2, to: 9, lanes: { from: 0, to: strip.lanes } },
  ];
  for (let query = 0; query < 6; query++) {
    const from = Math.floor(random() * strip.positions * 0.3);
    const to = strip.positions - Math.floor(random() * strip.positions * 0.3);
    const laneFrom = Math.floor(random() * strip.lanes * 0.4);
    out.push({ from, to, lanes: { from: laneFrom, to: Math.max(laneFrom, strip.lanes - Math.floor(random() * strip.lanes * 0.4)) } });
  }
  return out;
}

function expectSameAsPlain(img: RgbaImage, random: () => number): void {
  const expected = { columns: plainStrip(img, true), rows: plainStrip(img, false) };
  const actual = buildStrips(img);
  // Colours first, while most lines are still to be filled (the buffers hold an earlier image's).
  for (const [strip, plain] of [[actual.columns, expected.columns], [actual.rows, expected.rows]] as const) {
    for (const { from, to, lanes } of queries(strip, random)) {
      const profile = columnSeamStrength(strip, from, to, lanes);
      const plainProfile = plainSeamStrength(plain, from, to, lanes);
      expect(profile.start).toBe(plainProfile.start);
      expect(firstDifference(profile.strengths, plainProfile.strengths)).toBe(-1);
      expect(firstDifference(quickLookUniform(strip, from, to, lanes), plainQuickLook(plain, from, to, lanes))).toBe(-1);
      expectSameLanesNear(strip, plain, lanes, random);
    }
  }
  expectSameStrip(actual.columns, expected.columns);
  expectSameStrip(actual.rows, expected.rows);
}

const FIXTURES = ['cards', 'photos'].flatMap((folder) => readdirSync(fixturePath(folder)).map((file) => `${folder}/${file}`));

describe('detectCard fast paths against their plain definitions', () => {
  it.each(FIXTURES)('%s: strips, seam profiles and quick looks bit for bit', async (file) => {
    expectSameAsPlain(await loadFixture(file), seededRandom(7));
  });

  it('a JPEG card with a gutter, including lanes with real seams and uniform lines', async () => {
    const { image } = await makeCard({
      rows: [['photos/skimage_astronaut.png', 'photos/skimage_coffee.png']],
      panelSize: [301, 257],
      gutter: 5,
      border: 3,
      jpegQuality: 80,
    });
    expectSameAsPlain(image, seededRandom(11));
  });

  it('awkward sizes: 1-pixel lanes, lanes left short, very short and very long lines', () => {
    const random = seededRandom(1059285548);
    const sizes: [number, number][] = [[64, 64], [255, 17], [257, 15], [513, 33], [100, 700], [1031, 263], [300, 1601], [77, 129]];
    for (const [width, height] of sizes) expectSameAsPlain(randomImage(random, width, height), random);
    // Eight images through both paths: seconds on a busy 2-core machine.
  }, 30_000);

  it('pixels off a 4-byte boundary (read a byte at a time) and on one (a word per pixel) give the same strips', () => {
    const random = seededRandom(5);
    for (const [width, height] of [[301, 97], [64, 515]] as const) {
      const image = randomImage(random, width, height);
      const shifted = new Uint8ClampedArray(new ArrayBuffer(image.data.length + 1), 1, image.data.length);
      shifted.set(image.data);
      expectSameAsPlain({ data: shifted, width, height }, random);
      expectSameAsPlain(image, random);
    }
  });

  it('kept buffers: a small image after a large one reads none of the large one', () => {
    const random = seededRandom(3);
    const large = randomImage(random, 1200, 900);
    const small = randomImage(random, 333, 129);
    buildStrips(large);
    expectSameAsPlain(small, random);
    expectSameAsPlain(large, random);
  });
});
