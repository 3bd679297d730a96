import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../scripts/lib/seeded-random.mjs';
import { upscaleMask } from '../../lib/engine/regions/build';
import { binomialBlur, cannyEdges, traceEdgeChains } from '../../lib/engine/regions/edges';
import { ellipseDistanceAt, ellipsePoint, type Ellipse } from '../../lib/engine/regions/ellipse';
import { connectedComponents, dilateMask, INSIDE, maskExtent, passingColumns, subtractMask } from '../../lib/engine/regions/mask';
import { belowChin } from '../../lib/engine/regions/face-skin';
import { CHIN, FOREHEAD, LANDMARK_COUNT } from '../../lib/engine/regions/face-mesh';
import { ScratchArrays } from '../../lib/engine/regions/scratch';
import { interiorMostlyFree, nearOutlineColumns, shrunkYCbCr } from '../../lib/engine/regions/tabletop';
import { cropRgba, selectInPlace } from '../../lib/engine/image';
import { isGrayscale } from '../../lib/engine/regions/skin-colour';
import type { RegionMask } from '../../lib/engine/regions/types';
import type { GrayImage } from '../../lib/engine/types';

/**
 * The region maps' hot loops (sliding windows, runs, reused buffers) against their plain
 * definitions, bit for bit, on seeded random inputs of awkward sizes: being faster must not
 * change a single value.
 */

/** [1 4 6 4 1] / 16 along rows then columns, the edge pixel repeated: the definition, one pixel at a time. */
function plainBlur({ data, width, height }: GrayImage, passes: number): Float32Array {
  let source = data;
  const at = (values: Float32Array, x: number, y: number) => values[Math.min(height - 1, Math.max(0, y)) * width + Math.min(width - 1, Math.max(0, x))] ?? 0;
  for (let pass = 0; pass < passes; pass++) {
    const rows = new Float32Array(source.length);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) rows[y * width + x] = (at(source, x - 2, y) + 4 * at(source, x - 1, y) + 6 * at(source, x, y) + 4 * at(source, x + 1, y) + at(source, x + 2, y)) / 16;
    const out = new Float32Array(source.length);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) out[y * width + x] = (at(rows, x, y - 2) + 4 * at(rows, x, y - 1) + 6 * at(rows, x, y) + 4 * at(rows, x, y + 1) + at(rows, x, y + 2)) / 16;
    source = out;
  }
  return source;
}

/** Nearest-neighbour upscaling as defined: each panel pixel takes the working pixel it falls in, within the mask's box. */
function plainUpscale(mask: RegionMask, width: number, height: number): { data: Uint8Array; pixels: number } {
  const out = new Uint8Array(width * height);
  const [boxX, boxY, boxWidth, boxHeight] = mask.box;
  const sourceOf = (target: number, targetLength: number, sourceLength: number) => Math.min(sourceLength - 1, Math.floor(((target + 0.5) * sourceLength) / targetLength));
  let pixels = 0;
  for (let y = 0; y < height; y++) {
    const row = sourceOf(y, height, mask.height);
    if (row < boxY || row >= boxY + boxHeight) continue;
    for (let x = 0; x < width; x++) {
      const column = sourceOf(x, width, mask.width);
      if (column < boxX || column >= boxX + boxWidth) continue;
      const value = mask.data[row * mask.width + column] ?? 0;
      out[y * width + x] = value;
      if (value >= INSIDE) pixels++;
    }
  }
  return { data: out, pixels };
}

/**
 * The strongest channel's Sobel gradient (divided by 8) at each interior pixel, as defined: channel
 * after channel, a pixel's gradient replaced where the new one is stronger than the stored one.
 */
function plainStrongestGradient(channels: GrayImage[], blurPasses: number): { gradientX: Float32Array; gradientY: Float32Array } {
  const { width, height } = channels[0] as GrayImage;
  const gradientX = new Float32Array(width * height);
  const gradientY = new Float32Array(width * height);
  const magnitude = new Float32Array(width * height);
  for (const channel of channels) {
    const blurred = binomialBlur(channel, blurPasses).data;
    const at = (x: number, y: number) => blurred[y * width + x] ?? 0;
    for (let y = 1; y < height - 1; y++) {
      for (let x = 1; x < width - 1; x++) {
        const gx = (at(x + 1, y - 1) + 2 * at(x + 1, y) + at(x + 1, y + 1) - at(x - 1, y - 1) - 2 * at(x - 1, y) - at(x - 1, y + 1)) / 8;
        const gy = (at(x - 1, y + 1) + 2 * at(x, y + 1) + at(x + 1, y + 1) - at(x - 1, y - 1) - 2 * at(x, y - 1) - at(x + 1, y - 1)) / 8;
        const strength = Math.sqrt(gx * gx + gy * gy);
        if (strength <= (magnitude[y * width + x] ?? 0)) continue;
        gradientX[y * width + x] = gx;
        gradientY[y * width + x] = gy;
        magnitude[y * width + x] = strength;
      }
    }
  }
  return { gradientX, gradientY };
}

/** Square dilation as defined: inside when any pixel within `radius` in x and in y is inside. */
function plainDilate(data: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let dy = -radius; dy <= radius && out[y * width + x] === 0; dy++)
        for (let dx = -radius; dx <= radius; dx++) {
          const sourceX = x + dx;
          const sourceY = y + dy;
          if (sourceX >= 0 && sourceY >= 0 && sourceX < width && sourceY < height && (data[sourceY * width + sourceX] ?? 0) >= INSIDE) {
            out[y * width + x] = 255;
            break;
          }
        }
  return out;
}

function randomImage(random: () => number, width: number, height: number): GrayImage {
  return { data: Float32Array.from({ length: width * height }, () => random() * 255), width, height };
}

/** A mask of random blobs (runs of one value, soft edges) over `width` × `height`. */
function randomMask(random: () => number, width: number, height: number): RegionMask {
  const data = new Uint8Array(width * height);
  for (let blob = 0; blob < 4; blob++) {
    const centreX = random() * width;
    const centreY = random() * height;
    const radius = 1 + random() * Math.max(width, height) * 0.4;
    const level = random() < 0.5 ? 255 : Math.floor(random() * 256);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) if (Math.hypot(x - centreX, y - centreY) < radius) data[y * width + x] = random() < 0.05 ? Math.floor(random() * 256) : level;
  }
  const { box, pixels } = maskExtent(data, width, height);
  return { data, width, height, box, pixels, confidence: 0.5 };
}

describe('region map loops match their plain definitions exactly', () => {
  it.each([
    [1, 1],
    [2, 3],
    [4, 4],
    [5, 2],
    [6, 7],
    [37, 23],
  ])('binomial blur of a %i×%i image, 1 to 3 passes', (width, height) => {
    const random = seededRandom(width * 100 + height);
    const image = randomImage(random, width, height);
    const copy = image.data.slice();
    for (const passes of [1, 2, 3]) {
      expect(Array.from(binomialBlur(image, passes).data), `${passes} passes`).toEqual(Array.from(plainBlur(image, passes)));
    }
    // The input is never written to.
    expect(Array.from(image.data)).toEqual(Array.from(copy));
  });

  it.each([
    [40, 30, 64, 48],
    [33, 47, 100, 141],
    [64, 64, 64, 64],
    [17, 9, 60, 31],
  ])('mask upscaling from %i×%i to %i×%i: same values and count, box over the mask box', (sourceWidth, sourceHeight, width, height) => {
    const random = seededRandom(sourceWidth * 7 + width);
    for (let trial = 0; trial < 5; trial++) {
      const mask = randomMask(random, sourceWidth, sourceHeight);
      const fast = upscaleMask(mask, width, height);
      const plain = plainUpscale(mask, width, height);
      expect(fast.pixels).toBe(plain.pixels);
      expect(Buffer.from(fast.data).equals(Buffer.from(plain.data))).toBe(true);
      if (plain.pixels > 0) {
        // The box holds every inside pixel.
        expect(maskExtent(fast.data, width, height, fast.box).pixels).toBe(plain.pixels);
      }
    }
  });

  it('finds the columns below the chin row by row exactly where a test per pixel finds them, whatever the tilt', () => {
    const random = seededRandom(1234);
    const width = 97;
    const height = 61;
    const landmarks = new Float32Array(LANDMARK_COUNT * 3);
    const place = (index: number, x: number, y: number) => {
      landmarks[index * 3] = x;
      landmarks[index * 3 + 1] = y;
    };
    // Random tilts, an upright face (the axis straight down: x plays no part), one lying on its side, chin on a pixel centre.
    const faces: [number, number, number, number][] = Array.from({ length: 40 }, () => [random() * width, random() * height, random() * width, random() * height]);
    faces.push([48.3, 10, 48.3, 40.2], [10, 30.5, 60, 30.5], [20.5, 20.5, 60.5, 50.5], [30, 5, 30, 5]);
    for (const [foreheadX, foreheadY, chinX, chinY] of faces) {
      place(FOREHEAD, foreheadX, foreheadY);
      place(CHIN, chinX, chinY);
      const test = belowChin(landmarks);
      for (let y = 0; y < height; y++) {
        for (const [left, right] of [[0, width], [13, 80], [40, 41], [50, 50]] as const) {
          const plain: number[] = [];
          for (let x = left; x < right; x++) if (test(x, y)) plain.push(x);
          const [from, to] = passingColumns(test, y, left, right);
          const spanned: number[] = [];
          for (let x = from; x < to; x++) spanned.push(x);
          expect(spanned, `forehead (${foreheadX}, ${foreheadY}), chin (${chinX}, ${chinY}), row ${y}, [${left}, ${right})`).toEqual(plain);
        }
      }
    }
  });

  it('hands out scratch arrays zeroed, as new ones, however the last user left them', () => {
    const scratch = new ScratchArrays();
    for (const length of [10, 4, 25, 0, 25]) {
      for (const array of [scratch.float32(0, length), scratch.uint8(0, length), scratch.int32(0, length)]) {
        expect(array.length).toBe(length);
        expect(Array.from(array).every((value) => value === 0)).toBe(true);
        array.fill(7);
      }
    }
    // Slots are separate.
    const first = scratch.uint8(0, 8).fill(1);
    scratch.uint8(1, 8).fill(2);
    expect(Array.from(first)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it('finds the same channels, edges, chains and components in reused buffers as in new ones, image after image of other sizes', () => {
    const random = seededRandom(4242);
    const channelScratch = new ScratchArrays();
    const edgeScratch = new ScratchArrays();
    const componentScratch = new ScratchArrays();
    for (const [width, height] of [[61, 47], [9, 5], [80, 33], [61, 47], [1, 1], [33, 80]] as const) {
      const data = new Uint8ClampedArray(width * height * 4).map(() => Math.floor(random() * 256));
      const pixels = { data, width, height };
      const fresh = shrunkYCbCr(pixels, 40);
      const reused = shrunkYCbCr(pixels, 40, channelScratch);
      for (let channel = 0; channel < 3; channel++) expect(Array.from(reused[channel]?.data ?? []), `channel ${channel}, ${width}×${height}`).toEqual(Array.from(fresh[channel]?.data ?? []));
      const plainEdges = cannyEdges(fresh, { blurPasses: 2 });
      const edges = cannyEdges(reused, { blurPasses: 2 }, edgeScratch);
      for (const key of ['edges', 'gradientX', 'gradientY'] as const) expect(Array.from(edges[key]), `${key}, ${width}×${height}`).toEqual(Array.from(plainEdges[key]));
      const chains = (found: { xs: Int32Array; ys: Int32Array }[]) => found.map(({ xs, ys }) => [Array.from(xs), Array.from(ys)]);
      expect(chains(traceEdgeChains(edges, 2, edgeScratch))).toEqual(chains(traceEdgeChains(plainEdges, 2)));
      const mask = randomMask(random, width, height);
      const plainComponents = connectedComponents(mask.data, width, height, mask.box);
      const components = connectedComponents(mask.data, width, height, mask.box, componentScratch);
      expect(components.sizes).toEqual(plainComponents.sizes);
      expect(Array.from(components.labels)).toEqual(Array.from(plainComponents.labels));
    }
  });

  it('crops into a kept buffer the same pixels as into a new array, panel after panel of other sizes, the buffer holding the last one', () => {
    const random = seededRandom(31);
    const image = { width: 37, height: 29, data: new Uint8ClampedArray(37 * 29 * 4).map(() => Math.floor(random() * 256)) };
    const kept = new Uint8ClampedArray(37 * 29 * 4).fill(7);
    for (const box of [[0, 0, 37, 29], [3.4, 5.6, 20, 11], [30, 20, 20, 20], [-4, -2, 9, 40], [5, 5, 0, 3], [1, 2, 36, 27]] as const) {
      const fresh = cropRgba(image, [...box]);
      const reused = cropRgba(image, [...box], kept);
      expect([reused.width, reused.height], `${box.join(',')}`).toEqual([fresh.width, fresh.height]);
      expect(reused.data.length).toBe(fresh.data.length);
      expect(Array.from(reused.data), `${box.join(',')}`).toEqual(Array.from(fresh.data));
      expect(reused.data.buffer).toBe(kept.buffer);
    }
    // A buffer too small for the panel is left alone: the crop gets a new array.
    const small = new Uint8ClampedArray(8);
    expect(cropRgba(image, [0, 0, 4, 4], small).data.buffer).not.toBe(small.buffer);
  });

  it('traces every edge pixel of a random edge map into at most one chain, each chain 8-connected', () => {
    const random = seededRandom(99);
    const image = randomImage(random, 60, 45);
    const edges = cannyEdges(image, { blurPasses: 1 });
    const chains = traceEdgeChains(edges, 1);
    const seen = new Uint8Array(edges.width * edges.height);
    let traced = 0;
    for (const { xs, ys } of chains) {
      for (let point = 0; point < xs.length; point++) {
        const index = (ys[point] ?? 0) * edges.width + (xs[point] ?? 0);
        expect(edges.edges[index]).toBe(1);
        expect(seen[index]).toBe(0);
        seen[index] = 1;
        traced++;
        if (point > 0) {
          expect(Math.max(Math.abs((xs[point] ?? 0) - (xs[point - 1] ?? 0)), Math.abs((ys[point] ?? 0) - (ys[point - 1] ?? 0)))).toBe(1);
        }
      }
    }
    expect(traced).toBe(edges.edges.reduce((sum, value) => sum + value, 0));
    expect(traced).toBeGreaterThan(100);
  });

  it.each([
    [3, 3],
    [9, 5],
    [41, 29],
  ])('the strongest of three channels\' gradients, in one pass, on a %i×%i image: as channel after channel', (width, height) => {
    const random = seededRandom(width * 31 + height);
    // Continuous values, and a few levels only (equal gradients in two channels: the first one stays).
    for (const levels of [0, 3]) {
      const channel = () => {
        const image = randomImage(random, width, height);
        if (levels > 0) image.data = image.data.map((value) => Math.floor((value / 256) * levels) * 40);
        return image;
      };
      const first = channel();
      // The second channel is the first negated: equal strengths everywhere, opposite gradients, and the first must stay.
      const channels = [first, { ...first, data: first.data.map((value) => 255 - value) }, channel()];
      for (const blurPasses of [1, 2]) {
        const fused = cannyEdges(channels, { blurPasses });
        const plain = plainStrongestGradient(channels, blurPasses);
        expect(Buffer.from(fused.gradientX.buffer).equals(Buffer.from(plain.gradientX.buffer)), `gradient x, ${levels} levels, ${blurPasses} passes`).toBe(true);
        expect(Buffer.from(fused.gradientY.buffer).equals(Buffer.from(plain.gradientY.buffer)), `gradient y, ${levels} levels, ${blurPasses} passes`).toBe(true);
        // A fourth, flat channel never wins: the channel-after-channel path gives the same edges.
        const flat = { data: new Float32Array(width * height), width, height };
        expect(Array.from(fused.edges)).toEqual(Array.from(cannyEdges([...channels, flat], { blurPasses }).edges));
      }
    }
  });

  it.each([
    [1, 1, 2],
    [7, 5, 1],
    [40, 30, 2],
    [23, 61, 3],
  ])('square dilation of a %i×%i mask by %i: as defined, and the same when told where the inside pixels are', (width, height, radius) => {
    const random = seededRandom(width * 13 + height * 3 + radius);
    for (let trial = 0; trial < 4; trial++) {
      const mask = randomMask(random, width, height);
      const plain = plainDilate(mask.data, width, height, radius);
      expect(Array.from(dilateMask(mask.data, width, height, radius))).toEqual(Array.from(plain));
      // A box larger than the mask's own extent, reaching outside the mask.
      const [x, y, boxWidth, boxHeight] = mask.box;
      expect(Array.from(dilateMask(mask.data, width, height, radius, [x - 3, y - 2, boxWidth + 7, boxHeight + 5]))).toEqual(Array.from(plain));
    }
    expect(Array.from(dilateMask(new Uint8Array(width * height), width, height, radius))).toEqual(Array.from(new Uint8Array(width * height)));
  });

  it('subtracting a cut-out within its box clears exactly what subtracting it everywhere clears', () => {
    const random = seededRandom(7);
    const [width, height] = [53, 37];
    for (let trial = 0; trial < 5; trial++) {
      const target = randomMask(random, width, height).data;
      const cut = randomMask(random, width, height);
      const everywhere = target.slice();
      subtractMask(everywhere, cut.data);
      const within = target.slice();
      subtractMask(within, cut.data, { width, box: cut.box });
      expect(Array.from(within)).toEqual(Array.from(everywhere));
    }
  });

  it.each([0, 0.005, 0.0099, 0.0101, 0.02, 0.5])('a picture with %f of its sampled pixels coloured is grayscale up to 1 %', (share) => {
    const random = seededRandom(Math.round(share * 1e4) + 1);
    for (const [width, height] of [
      [100, 100],
      [400, 301],
    ] as const) {
      const data = new Uint8ClampedArray(width * height * 4);
      for (let index = 0; index < width * height; index++) {
        const level = Math.floor(random() * 256);
        data.set([level, level, level, 255], index * 4);
      }
      // The samples are every `step`-th pixel: colour exactly `share` of them (rounded down).
      const step = Math.max(1, Math.floor((width * height) / 20_000));
      const samples = Math.ceil((width * height) / step);
      const coloured = Math.floor(samples * share);
      for (let sample = 0; sample < coloured; sample++) data.set([200, 40, 40], sample * step * 4);
      expect(isGrayscale({ data, width, height }), `${width}×${height}, ${coloured} of ${samples} samples coloured`).toBe(coloured <= samples * 0.01);
    }
  });

  it.each([1, 2, 3, 10, 101, 4000])('order statistics of %i values (ties and all) are what sorting gives', (count) => {
    const random = seededRandom(count);
    for (const levels of [3, 1000]) {
      // Few distinct levels: many ties; many levels: nearly all distinct.
      const values = Float32Array.from({ length: count }, () => Math.floor(random() * levels) * 0.37);
      const sorted = values.slice().sort();
      for (const rank of new Set([0, count >> 1, count - 1, Math.round((count - 1) * 0.05), Math.round((count - 1) * 0.95)])) {
        expect(selectInPlace(values.slice(), count, rank), `rank ${rank} of ${count}, ${levels} levels`).toBe(sorted[rank]);
      }
      // On one array reordered by earlier calls, as the skin model uses it.
      const shared = values.slice();
      expect([selectInPlace(shared, count, 0), selectInPlace(shared, count, count - 1)]).toEqual([sorted[0], sorted[count - 1]]);
    }
  });

  it.each([
    [11, 1],
    [12, 2],
    [13, 3],
    [14, 4],
  ])('the ring a rim refit reads holds every pixel within 2 px of the ellipse (seed %i, %i)', (seed, sizeClass) => {
    const random = seededRandom(seed);
    for (let trial = 0; trial < 40; trial++) {
      // From tiny (b under 2 px: no inner stretch) to large and flat, any tilt, centres off the pixel grid.
      const a = sizeClass === 1 ? 1 + random() * 4 : 4 + random() * 40 * sizeClass;
      const ellipse: Ellipse = { centreX: 60 + random() * 80, centreY: 60 + random() * 80, a, b: a * (0.2 + random() * 0.8), angle: (random() - 0.5) * Math.PI };
      const cos = Math.cos(ellipse.angle);
      const sin = Math.sin(ellipse.angle);
      const band = new Float64Array(4);
      let read = 0;
      let near = 0;
      const missed: string[] = [];
      for (let y = -10; y < 260; y++) {
        nearOutlineColumns(ellipse, cos, sin, y, 2, band);
        for (let x = -10; x < 260; x++) {
          const kept = x >= (band[0] as number) && x <= (band[1] as number) && !(x >= (band[2] as number) && x <= (band[3] as number));
          if (kept) read++;
          if (ellipseDistanceAt(ellipse, cos, sin, x, y) > 2) continue;
          near++;
          if (!kept) missed.push(`(${x}, ${y})`);
        }
      }
      expect(missed, JSON.stringify(ellipse)).toEqual([]);
      expect(near).toBeGreaterThan(0);
      // Not the whole box: on large rims the ring is a small part of it.
      if (sizeClass >= 3 && ellipse.b > 20) expect(read).toBeLessThan(4 * ellipse.a * ellipse.b * 0.6);
    }
  });

  it.each([21, 22, 23])('the placement test counts person and label samples inside an ellipse as sampling each one does (seed %i)', (seed) => {
    const random = seededRandom(seed);
    const width = 97;
    const height = 83;
    const person = randomMask(random, width, height).data;
    const exclude = randomMask(random, width, height).data;
    const inside = (mask: Uint8Array, x: number, y: number, scale: number) =>
      (mask[Math.min(height - 1, Math.max(0, Math.floor(y / scale))) * width + Math.min(width - 1, Math.max(0, Math.floor(x / scale)))] ?? 0) >= INSIDE;
    let outcomes = 0;
    for (let trial = 0; trial < 300; trial++) {
      const scale = 0.3 + random() * 1.5;
      const a = 2 + random() * 40;
      const ellipse: Ellipse = { centreX: random() * width * scale, centreY: random() * height * scale, a, b: a * (0.3 + random() * 0.7), angle: (random() - 0.5) * Math.PI };
      const personShare = random() * 0.5;
      const excludedShare = random() * 0.5;
      // The definition: four rings of 12·ring points at ring / 4.5 of the axes, then the centre, each looked up once.
      const points: { x: number; y: number }[] = [];
      for (let ring = 1; ring <= 4; ring++) {
        const ringEllipse = { ...ellipse, a: ellipse.a * (ring / 4.5), b: ellipse.b * (ring / 4.5) };
        for (let index = 0; index < ring * 12; index++) points.push(ellipsePoint(ringEllipse, (2 * Math.PI * index) / (ring * 12)));
      }
      points.push({ x: ellipse.centreX, y: ellipse.centreY });
      const personHits = points.filter(({ x, y }) => inside(person, x, y, scale)).length;
      const excludedHits = points.filter(({ x, y }) => inside(exclude, x, y, scale)).length;
      const expected = personHits <= points.length * personShare && excludedHits <= points.length * excludedShare;
      if (expected) outcomes++;
      expect(interiorMostlyFree(ellipse, person, exclude, width, height, scale, personShare, excludedShare), `trial ${trial}`).toBe(expected);
      expect(interiorMostlyFree(ellipse, null, exclude, width, height, scale, personShare, excludedShare)).toBe(excludedHits <= points.length * excludedShare);
    }
    // Both answers occur.
    expect(outcomes).toBeGreaterThan(10);
    expect(outcomes).toBeLessThan(290);
  });
});
