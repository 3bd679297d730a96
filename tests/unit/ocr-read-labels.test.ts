import { describe, expect, it, vi } from 'vitest';
import { labelsFromCaption, readPanelLabels, type LineRecognizer, type RecognitionOutput } from '../../lib/engine/ocr/read-labels';
import type { RecognitionInput } from '../../lib/engine/ocr/recognition-input';
import type { Box } from '../../lib/engine/types';
import { loadFixture } from './decode';

const PPS = 'cards/minimaxir_pps_nanobanana_vs_nanobananapro_labeled.webp';
const PPS_PANELS: Box[] = [[0, 0, 864, 1184], [864, 0, 896, 1184]];
const GHIBLI = 'cards/minimaxir_ghibli_real_vs_nanobanana_unlabeled.webp';
const GHIBLI_PANELS: Box[] = [[0, 0, 1042, 1024], [1042, 0, 1006, 1024]];
const KEYS = [...'NanoBPrGTImg12 '];

/** A recogniser double that "reads" the given lines in turn, one character every other frame (at `probability`, or the call's own). */
function fakeRecognizer(lines: string[], probability: number | number[] = 0.97): LineRecognizer & { inputs: RecognitionInput[] } {
  const inputs: RecognitionInput[] = [];
  const classes = KEYS.length + 1;
  return {
    keys: KEYS,
    inputs,
    recognize: (input): Promise<RecognitionOutput> => {
      inputs.push(input);
      const text = lines[inputs.length - 1] ?? '';
      const sure = typeof probability === 'number' ? probability : (probability[inputs.length - 1] ?? 0.97);
      const frames = input.dims[3] / 8;
      const probabilities = new Float32Array(frames * classes);
      for (let frame = 0; frame < frames; frame++) {
        const character = frame % 2 === 1 ? text[(frame - 1) / 2] : undefined;
        const winner = character === undefined ? 0 : KEYS.indexOf(character) + 1;
        probabilities[frame * classes + winner] = sure;
      }
      return Promise.resolve({ probabilities, frames, classes });
    },
  };
}

describe('readPanelLabels', () => {
  it('reads each pill, snaps near-misses to the catalogue and ties the text to its panel', async () => {
    const recognizer = fakeRecognizer([' Nano Banana', 'NanoBanana Pro']);
    const loadRecognizer = vi.fn(() => Promise.resolve(recognizer));
    const reading = await readPanelLabels(await loadFixture(PPS), PPS_PANELS, { loadRecognizer });
    expect(reading.labels).toEqual([
      { label: 'Nano Banana', labelBox: [270, 1118, 324, 37], labelSource: 'ocr' },
      { label: 'Nano Banana Pro', labelBox: [1101, 1118, 421, 37], labelSource: 'ocr' },
    ]);
    expect(reading.linesRecognized).toBe(2);
    expect(loadRecognizer).toHaveBeenCalledOnce();
    expect(recognizer.inputs.map((input) => input.dims.slice(0, 3))).toEqual([[1, 3, 48], [1, 3, 48]]);
  });

  it('keeps an unknown label as read', async () => {
    const reading = await readPanelLabels(await loadFixture(PPS), PPS_PANELS, { loadRecognizer: () => Promise.resolve(fakeRecognizer(['GPT Img 12', 'Nano'])) });
    expect(reading.labels.map((label) => label.label)).toEqual(['GPT Img 12', 'Nano']);
  });

  it('drops a line the model is unsure of, read as cut and read wider', async () => {
    const recognizer = fakeRecognizer(['Nano Banana', 'Nano Banana', 'Nano Banana Pro', 'Nano Banana Pro'], 0.4);
    const reading = await readPanelLabels(await loadFixture(PPS), PPS_PANELS, { loadRecognizer: () => Promise.resolve(recognizer) });
    expect(reading.labels.map((label) => label.label)).toEqual([null, null]);
    expect(reading.linesRecognized).toBe(4);
  });

  it('reads a line the model is unsure of once more with more of its surroundings, and keeps that reading when it is sure', async () => {
    const recognizer = fakeRecognizer(['Nano Banana', 'Nano Banana', 'Nano Banana Pro'], [0.4, 0.97, 0.97]);
    const reading = await readPanelLabels(await loadFixture(PPS), PPS_PANELS, { loadRecognizer: () => Promise.resolve(recognizer) });
    expect(reading.labels).toEqual([
      { label: 'Nano Banana', labelBox: [270, 1118, 324, 37], labelSource: 'ocr' },
      { label: 'Nano Banana Pro', labelBox: [1101, 1118, 421, 37], labelSource: 'ocr' },
    ]);
    expect(reading.linesRecognized).toBe(3);
    // The second reading's crop is wider by a line height (37 px) each side.
    const cropWidth = (input: RecognitionInput | undefined) => (input ? input.contentWidth / input.xScale : 0);
    const [first, second] = recognizer.inputs;
    expect(cropWidth(second) - cropWidth(first)).toBeCloseTo(2 * 37, -1);
  });

  it('never loads the model for a card without label strips, and falls back to the alt text, then the post text', async () => {
    const loadRecognizer = vi.fn(() => Promise.resolve(fakeRecognizer([])));
    const image = await loadFixture(GHIBLI);
    const bare = await readPanelLabels(image, GHIBLI_PANELS, { loadRecognizer });
    expect(bare).toEqual({ labels: [{ label: null, labelBox: null, labelSource: null }, { label: null, labelBox: null, labelSource: null }], linesRecognized: 0 });
    // The caption fallback runs on the engine's result, after the cache (withCaptionLabels).
    const fromPost = labelsFromCaption(bare.labels.length, 'a man in a hallway', 'Real photo vs Nano Banana');
    expect(fromPost).toEqual([
      { label: 'Real photo', labelBox: null, labelSource: 'post-text' },
      { label: 'Nano Banana', labelBox: null, labelSource: 'post-text' },
    ]);
    const fromAlt = labelsFromCaption(bare.labels.length, 'left: real, right: nano-banana', 'Real photo vs Nano Banana');
    expect(fromAlt?.map((label) => [label.label, label.labelSource])).toEqual([
      ['real', 'alt-text'],
      ['Nano Banana', 'alt-text'],
    ]);
    expect(loadRecognizer).not.toHaveBeenCalled();
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(readPanelLabels(await loadFixture(PPS), PPS_PANELS, { loadRecognizer: () => Promise.resolve(fakeRecognizer([])), signal: controller.signal })).rejects.toThrow();
  });
});

describe('labelsFromCaption', () => {
  it('only labels two-panel cards', () => {
    expect(labelsFromCaption(3, 'A vs B')).toBeNull();
    expect(labelsFromCaption(2, undefined, null)).toBeNull();
    expect(labelsFromCaption(2, null, 'Imagen 4 vs GPT Image 1')?.map((label) => label.label)).toEqual(['Imagen 4', 'GPT Image 1']);
  });
});
