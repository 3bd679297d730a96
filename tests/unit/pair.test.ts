import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { detectCard } from '../../lib/engine/detect';
import { cropRgba } from '../../lib/engine/image';
import { isPairResult, pairDetection, pairKey, pairLayout, pairPanelBoxes, pairSource, withPairEvidence } from '../../lib/engine/pair';
import { resultFromDetection, zeroTimings } from '../../lib/engine/result';
import { analysisResultProblems } from '../../lib/engine/schema';
import type { AnalysisResult, CardDetection, RgbaImage } from '../../lib/engine/types';
import { loadFixture } from './decode';

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);

/** A picture scaled by nearest neighbour: the tests only need its size and rough content at the pair's height. */
function scaledTo(image: RgbaImage, width: number, height: number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const sourceY = Math.min(image.height - 1, Math.floor((y * image.height) / height));
    for (let x = 0; x < width; x++) {
      const sourceX = Math.min(image.width - 1, Math.floor((x * image.width) / width));
      data.set(image.data.subarray((sourceY * image.width + sourceX) * 4, (sourceY * image.width + sourceX) * 4 + 4), (y * width + x) * 4);
    }
  }
  return { data, width, height };
}

/** The two pictures on one card as lib/library/pair.ts draws them (white gutter), in Node. */
function composed(first: RgbaImage, second: RgbaImage): { image: RgbaImage; layout: ReturnType<typeof pairLayout> } {
  const layout = pairLayout(first, second);
  const data = new Uint8ClampedArray(layout.width * layout.height * 4).fill(255);
  const pictures = [scaledTo(first, layout.widths[0], layout.height), scaledTo(second, layout.widths[1], layout.height)];
  pairPanelBoxes(layout).forEach(([left], index) => {
    const picture = pictures[index] as RgbaImage;
    for (let y = 0; y < picture.height; y++) data.set(picture.data.subarray(y * picture.width * 4, (y + 1) * picture.width * 4), (y * layout.width + left) * 4);
  });
  return { image: { data, width: layout.width, height: layout.height }, layout };
}

function detectPair(first: RgbaImage, second: RgbaImage): CardDetection {
  const { image, layout } = composed(first, second);
  const [firstBox, secondBox] = pairPanelBoxes(layout);
  return pairDetection(layout, [detectCard(cropRgba(image, firstBox)), detectCard(cropRgba(image, secondBox))]);
}

function uniform(width: number, height: number, value: number): RgbaImage {
  return { data: new Uint8ClampedArray(width * height * 4).fill(value), width, height };
}

describe('a two-image post as one card', () => {
  it.each([
    ['same size', { width: 800, height: 600 }, { width: 800, height: 600 }, [[0, 0, 800, 600], [818, 0, 800, 600]]],
    ['the taller is scaled to the shorter', { width: 512, height: 512 }, { width: 1024, height: 768 }, [[0, 0, 512, 512], [527, 0, 683, 512]]],
    ['capped at 1024 px high', { width: 3000, height: 4000 }, { width: 4000, height: 3000 }, [[0, 0, 768, 1024], [799, 0, 1365, 1024]]],
  ])('panel boxes are the pictures exactly: %s', (_name, first, second, expected) => {
    const layout = pairLayout(first, second);
    const boxes = pairPanelBoxes(layout);
    expect(boxes).toEqual(expected);
    // The boxes tile the card: picture, gutter, picture, nothing left over.
    expect(boxes[1][0] + boxes[1][2]).toBe(layout.width);
    expect(boxes[1][0] - boxes[0][2]).toBe(layout.gutter);
  });

  it('is a side-by-side card whose panels are the two real photos', async () => {
    const [hopper, astronaut] = await Promise.all([loadFixture('photos/matplotlib_grace_hopper.jpg'), loadFixture('photos/skimage_astronaut.png')]);
    const detection = detectPair(hopper, astronaut);
    expect(detection).toMatchObject({ isComparison: true, layout: 'side-by-side', confidence: 1, grid: { rows: 1, cols: 2 }, reason: null });
    expect(detection.panels).toEqual(pairPanelBoxes(pairLayout(hopper, astronaut)));
  });

  it('uses the pictures as they are, even where one alone would be read as a card', async () => {
    const [card, photo] = await Promise.all([loadFixture('cards/minimaxir_ghibli_real_vs_nanobanana_unlabeled.webp'), loadFixture('photos/skimage_coffee.png')]);
    expect(detectCard(card).isComparison).toBe(true);
    const detection = detectPair(card, photo);
    expect(detection.isComparison).toBe(true);
    expect(detection.panels).toEqual(pairPanelBoxes(pairLayout(card, photo)));
  });

  it.each<[string, () => RgbaImage, string]>([
    ['a picture too small to be a panel', () => uniform(90, 60, 128), 'too-small'],
    ['a blank picture', () => uniform(600, 400, 240), 'uniform'],
    ['a picture too long and thin', () => uniform(2400, 200, 100), 'extreme-aspect'],
  ])('is not a card with %s', async (_name, make, reason) => {
    const photo = await loadFixture('photos/skimage_chelsea.png');
    const detection = detectPair(photo, make());
    expect(detection).toMatchObject({ isComparison: false, reason, panels: [] });
  });

  it('keys the pair by both pictures, in order, stably', async () => {
    const expected = createHash('sha256').update(`sidelight-pair-v1\n${HASH_A}\n${HASH_B}`).digest('hex');
    expect(await pairKey(HASH_A, HASH_B)).toBe(expected);
    expect(await pairKey(HASH_A, HASH_B)).toBe(expected);
    expect(await pairKey(HASH_B, HASH_A)).not.toBe(expected);
    expect(await pairKey(HASH_A, HASH_A)).not.toBe(expected);
  });
});

describe('the result of a pair', () => {
  const layout = pairLayout({ width: 1200, height: 900 }, { width: 900, height: 900 });
  const detection = pairDetection(layout, [
    { isComparison: false, layout: null, confidence: 0.9, grid: null, panels: [], reason: 'no-split' },
    { isComparison: false, layout: null, confidence: 0.9, grid: null, panels: [], reason: 'no-split' },
  ]);
  const result: AnalysisResult = {
    ...resultFromDetection('a.jpg + b.jpg', detection, { hash: 'c'.repeat(64), width: layout.width, height: layout.height }, zeroTimings()),
    source: pairSource([
      { file: 'a.jpg', hash: HASH_A, width: 1200, height: 900 },
      { file: 'b.jpg', hash: HASH_B, width: 900, height: 900 },
    ]),
  };

  it('is schema-valid and says it came from two pictures', () => {
    expect(analysisResultProblems(result)).toEqual([]);
    expect(isPairResult(result)).toBe(true);
    expect(isPairResult({})).toBe(false);
    expect(result.panels.map((panel) => panel.box)).toEqual([
      [0, 0, 1200, 900],
      [1227, 0, 900, 900],
    ]);
  });

  it.each<[string, (source: NonNullable<AnalysisResult['source']>) => unknown]>([
    ['another kind', (source) => ({ ...source, kind: 'triple' })],
    ['one picture', (source) => ({ ...source, images: [source.images[0]] })],
    ['a picture without its hash', (source) => ({ ...source, images: [source.images[0], { ...source.images[1], hash: 'x' }] })],
    ['a picture of no size', (source) => ({ ...source, images: [{ ...source.images[0], width: 0 }, source.images[1]] })],
  ])('reports a source with %s', (_name, corrupt) => {
    expect(analysisResultProblems({ ...result, source: corrupt(result.source as NonNullable<AnalysisResult['source']>) })).toContain('result.source');
  });

  it('reports a pair with one panel', () => {
    expect(analysisResultProblems({ ...result, panels: result.panels.slice(0, 1) })).toContain('result.source');
  });
});

describe('a pair needs evidence that it is a comparison', () => {
  const layout = pairLayout({ width: 1200, height: 900 }, { width: 900, height: 900 });
  const detection = pairDetection(layout, [
    { isComparison: false, layout: null, confidence: 0.9, grid: null, panels: [], reason: 'no-split' },
    { isComparison: false, layout: null, confidence: 0.9, grid: null, panels: [], reason: 'no-split' },
  ]);
  const base: AnalysisResult = {
    ...resultFromDetection('a.jpg + b.jpg', detection, { hash: 'c'.repeat(64), width: layout.width, height: layout.height }, zeroTimings()),
    source: pairSource([
      { file: 'a.jpg', hash: HASH_A, width: 1200, height: 900 },
      { file: 'b.jpg', hash: HASH_B, width: 900, height: 900 },
    ]),
  };
  const audited = (controlled: boolean | null): AnalysisResult => ({ ...base, consistency: { ...base.consistency, controlled } });
  const labelled = (result: AnalysisResult, labels: [string | null, string | null]): AnalysisResult => ({
    ...result,
    panels: result.panels.map((panel, index) => ({ ...panel, label: labels[index] ?? null, labelSource: labels[index] ? 'post-text' : null })),
  });

  it('is no card when the two pictures show different setups and nothing names them', () => {
    const result = withPairEvidence(audited(false));
    expect(result).toMatchObject({ isComparison: false, reason: 'unrelated-pictures', panels: [], layout: null, verdict: { winner: null } });
    expect(result.verdict.summary).toMatch(/not a comparison/);
    expect(analysisResultProblems(result)).toEqual([]);
  });

  it('stays a card when the post names both panels, even for different setups', () => {
    const result = withPairEvidence(labelled(audited(false), ['Nano Banana Pro', 'GPT Image 2']));
    expect(result.isComparison).toBe(true);
    expect(result.panels).toHaveLength(2);
  });

  it('is no card when only one panel is named', () => {
    expect(withPairEvidence(labelled(audited(false), ['Nano Banana Pro', null])).isComparison).toBe(false);
  });

  it.each([true, null])('stays a card when the audit does not find two setups (controlled %s)', (controlled) => {
    expect(withPairEvidence(audited(controlled)).isComparison).toBe(true);
  });

  it('leaves single pictures alone', () => {
    const single: AnalysisResult = { ...audited(false), source: undefined };
    expect(withPairEvidence(single)).toBe(single);
  });
});

