import { describe, expect, it } from 'vitest';
import { addMoments, ellipseFromMoments, ellipseMoments, ellipsePoint, fitEllipse, frameOf, type Ellipse } from '../../lib/engine/regions/ellipse';
import {
  connectedComponents,
  dilateMask,
  dropSmallComponents,
  erodeMask,
  fillPolygon,
  growPolygon,
  maskExtent,
  maskIou,
  regionMask,
  type Point,
} from '../../lib/engine/regions/mask';

const points = (...pairs: [number, number][]): Point[] => pairs.map(([x, y]) => ({ x, y }));

function filled(width: number, height: number, polygon: Point[]): Uint8Array {
  const mask = new Uint8Array(width * height);
  fillPolygon(mask, width, height, polygon);
  return mask;
}

function count(mask: Uint8Array): number {
  return mask.filter((value) => value >= 128).length;
}

describe('polygon rasterisation (pixel centres, even-odd)', () => {
  it.each<[string, Point[], number]>([
    ['a 2×2 square on pixel corners', points([0, 0], [2, 0], [2, 2], [0, 2]), 4],
    ['a 10×5 rectangle', points([3, 2], [13, 2], [13, 7], [3, 7]), 50],
    ['a rectangle whose edges pass 0.1 px inside the outer centres', points([2.6, 1.6], [5.4, 1.6], [5.4, 4.4], [2.6, 4.4]), 4],
    ['a rectangle whose edges pass 0.1 px outside them', points([2.4, 1.4], [5.6, 1.4], [5.6, 4.6], [2.4, 4.6]), 16],
    ['a right triangle of legs 10 (centres on the slanted edge left out: x + y ≤ 8)', points([0, 0], [10, 0], [0, 10]), 45],
    ['an L shape (concave)', points([0, 0], [6, 0], [6, 2], [2, 2], [2, 6], [0, 6]), 20],
    ['a polygon reaching past the image, clipped', points([-5, -5], [5, -5], [5, 5], [-5, 5]), 25],
    ['a degenerate polygon', points([1, 1], [4, 4]), 0],
  ])('fills %s', (_name, polygon, expected) => {
    expect(count(filled(16, 16, polygon))).toBe(expected);
  });

  it('leaves a hole where a ring crosses itself back (even-odd)', () => {
    // Outer square 0..8 and inner square 2..6 traced as one outline joined by a zero-width seam.
    const ring = points([0, 0], [8, 0], [8, 8], [0, 8], [0, 2], [2, 2], [2, 6], [6, 6], [6, 2], [0, 2]);
    const mask = filled(10, 10, ring);
    expect(count(mask)).toBe(64 - 16);
    expect(mask[4 * 10 + 4]).toBe(0);
    expect(mask[1 * 10 + 1]).toBe(255);
  });

  it('fills a disc of radius 20 to within 1 % of π r²', () => {
    const disc = Array.from({ length: 180 }, (_, index) => ({ x: 32 + 20 * Math.cos((index * Math.PI) / 90), y: 32 + 20 * Math.sin((index * Math.PI) / 90) }));
    expect(Math.abs(count(filled(64, 64, disc)) - Math.PI * 400) / (Math.PI * 400)).toBeLessThan(0.01);
  });

  it('grows a polygon outward by the margin along each corner bisector, either winding', () => {
    const step = Math.SQRT1_2;
    for (const square of [points([0, 0], [4, 0], [4, 4], [0, 4]), points([0, 0], [0, 4], [4, 4], [4, 0])]) {
      const grown = growPolygon(square, 1);
      const rounded = grown.map(({ x, y }) => [Math.round(x * 1e6) / 1e6, Math.round(y * 1e6) / 1e6]);
      const expected = [[-step, -step], [-step, 4 + step], [4 + step, -step], [4 + step, 4 + step]].map(([x = 0, y = 0]) => [Math.round(x * 1e6) / 1e6, Math.round(y * 1e6) / 1e6]);
      expect(rounded.sort()).toEqual(expected.sort());
    }
  });

  it('grows a thin arch evenly (a brow), never folding it over', () => {
    const arch = [...Array.from({ length: 9 }, (_, index) => ({ x: index * 5, y: 10 - 8 * Math.sin((index * Math.PI) / 8) })), ...Array.from({ length: 9 }, (_, index) => ({ x: 40 - index * 5, y: 12 - 8 * Math.sin(((8 - index) * Math.PI) / 8) }))];
    const original = filled(64, 32, arch);
    const grown = filled(64, 32, growPolygon(arch, 1.5));
    expect(original.every((value, index) => !value || grown[index])).toBe(true);
    expect(count(grown)).toBeGreaterThan(count(original) * 1.5);
  });
});

describe('mask helpers', () => {
  const square = filled(10, 10, points([2, 3], [6, 3], [6, 8], [2, 8]));

  it('measures the box and count, and reports too-small regions as absent', () => {
    expect(maskExtent(square, 10, 10)).toEqual({ box: [2, 3, 4, 5], pixels: 20 });
    expect(maskExtent(square, 10, 10, [0, 0, 10, 5])).toEqual({ box: [2, 3, 4, 2], pixels: 8 });
    expect(regionMask(square, 10, 10, 0.7, 21)).toBeNull();
    expect(regionMask(square, 10, 10, 1.4, 20)).toMatchObject({ pixels: 20, confidence: 1 });
    expect(regionMask(new Uint8Array(100), 10, 10, 1)).toBeNull();
  });

  it('dilates and erodes by a square', () => {
    expect(maskExtent(dilateMask(square, 10, 10, 1), 10, 10)).toEqual({ box: [1, 2, 6, 7], pixels: 42 });
    expect(maskExtent(erodeMask(square, 10, 10, 1), 10, 10)).toEqual({ box: [3, 4, 2, 3], pixels: 6 });
  });

  it('labels 4-connected components and drops the small ones', () => {
    const mask = filled(12, 12, points([0, 0], [5, 0], [5, 5], [0, 5]));
    mask[10 * 12 + 10] = 255;
    mask[11 * 12 + 11] = 255; // diagonal neighbour: a separate component
    expect(connectedComponents(mask, 12, 12).sizes).toEqual([0, 25, 1, 1]);
    dropSmallComponents(mask, 12, 12, 2);
    expect(count(mask)).toBe(25);
  });

  it('computes intersection over union', () => {
    const left = filled(10, 10, points([0, 0], [6, 0], [6, 10], [0, 10]));
    const right = filled(10, 10, points([4, 0], [10, 0], [10, 10], [4, 10]));
    expect(maskIou(left, right)).toBeCloseTo(20 / 100, 6);
    expect(maskIou(left, left)).toBe(1);
  });
});

describe('ellipse fitting', () => {
  const truth: Ellipse = { centreX: 120, centreY: 80, a: 60, b: 25, angle: 0.3 };
  const sample = (from: number, to: number, count: number) => {
    const xs: number[] = [];
    const ys: number[] = [];
    for (let index = 0; index < count; index++) {
      const point = ellipsePoint(truth, from + ((to - from) * index) / (count - 1));
      // Deterministic jitter of ±0.3 px, like rounded edge pixels.
      xs.push(point.x + 0.3 * Math.sin(index * 12.9898));
      ys.push(point.y + 0.3 * Math.cos(index * 78.233));
    }
    return { xs, ys };
  };

  it('recovers an ellipse from noisy points round it, to 1 px and 0.02 rad', () => {
    const { xs, ys } = sample(0, 2 * Math.PI, 120);
    const fit = fitEllipse(xs, ys);
    expect(fit?.centreX).toBeCloseTo(120, 0);
    expect(fit?.centreY).toBeCloseTo(80, 0);
    expect(Math.abs((fit?.a ?? 0) - 60)).toBeLessThan(1);
    expect(Math.abs((fit?.b ?? 0) - 25)).toBeLessThan(1);
    expect(Math.abs((fit?.angle ?? 0) - 0.3)).toBeLessThan(0.02);
  });

  it('fits two arcs together by adding their moments, as if fitted at once', () => {
    const first = sample(0.2, 1.4, 30);
    const second = sample(3.3, 4.6, 30);
    const frame = frameOf([...first.xs, ...second.xs], [...first.ys, ...second.ys]);
    const together = ellipseFromMoments(addMoments(ellipseMoments(first.xs, first.ys, frame), ellipseMoments(second.xs, second.ys, frame)), frame);
    const direct = fitEllipse([...first.xs, ...second.xs], [...first.ys, ...second.ys]);
    expect(together?.a).toBeCloseTo(direct?.a ?? 0, 6);
    expect(together?.centreX).toBeCloseTo(direct?.centreX ?? 0, 6);
    expect(Math.abs((together?.b ?? 0) - 25)).toBeLessThan(1.5);
  });

  it('refuses points on a line', () => {
    expect(fitEllipse([0, 1, 2, 3, 4, 5, 6], [0, 2, 4, 6, 8, 10, 12])).toBeNull();
  });
});
