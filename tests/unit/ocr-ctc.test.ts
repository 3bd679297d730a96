import { describe, expect, it } from 'vitest';
import { ctcGreedyDecode, parseRecognitionKeys } from '../../lib/engine/ocr/ctc';

/** A [frames, classes] probability table whose per-frame winner is `winners[frame]` with probability `peak`. */
function table(winners: number[], classes: number, peak = 0.9): Float32Array {
  const probabilities = new Float32Array(winners.length * classes).fill((1 - peak) / (classes - 1));
  winners.forEach((winner, frame) => (probabilities[frame * classes + winner] = peak));
  return probabilities;
}

describe('parseRecognitionKeys', () => {
  it('takes one key per line and appends the space class', () => {
    expect(parseRecognitionKeys('a\nb\nc')).toEqual(['a', 'b', 'c', ' ']);
  });

  it('ignores a trailing newline and Windows line ends', () => {
    expect(parseRecognitionKeys('a\r\nb\r\n')).toEqual(['a', 'b', ' ']);
  });

  it('keeps a key that is itself a space or punctuation', () => {
    expect(parseRecognitionKeys("'\n \n-")).toEqual(["'", ' ', '-', ' ']);
  });
});

describe('ctcGreedyDecode', () => {
  const keys = ['N', 'a', 'n', 'o', 'l', ' '];
  const classes = keys.length + 1;
  const cases: { name: string; winners: number[]; text: string }[] = [
    { name: 'skips blanks (class 0)', winners: [0, 1, 0, 2, 0, 3, 0, 4, 0], text: 'Nano' },
    { name: 'collapses repeats', winners: [1, 1, 1, 2, 2, 3, 4, 4], text: 'Nano' },
    { name: 'keeps a letter repeated across a blank', winners: [5, 0, 5], text: 'll' },
    { name: 'maps class k to keys[k − 1], the last class to a space', winners: [1, 6, 1], text: 'N N' },
    { name: 'reads nothing from all blanks', winners: [0, 0, 0], text: '' },
  ];
  it.each(cases)('$name', ({ winners, text }) => {
    expect(ctcGreedyDecode(table(winners, classes), winners.length, classes, keys).text).toBe(text);
  });

  it('records each character’s frames and its best probability', () => {
    const probabilities = table([0, 1, 1, 0, 2], classes, 0.8);
    probabilities[2 * classes + 1] = 0.95;
    const decoding = ctcGreedyDecode(probabilities, 5, classes, keys);
    expect(decoding.characters).toEqual([
      { text: 'N', firstFrame: 1, lastFrame: 2, probability: expect.closeTo(0.95, 6), spaceBefore: expect.closeTo(0.2 / 6, 6) },
      { text: 'a', firstFrame: 4, lastFrame: 4, probability: expect.closeTo(0.8, 6), spaceBefore: expect.closeTo(0.2 / 6, 6) },
    ]);
    expect(decoding.confidence).toBeCloseTo((0.95 + 0.8) / 2, 6);
    expect(decoding.frames).toBe(5);
  });

  it('records the space probability between each character and the one before it (the model’s doubt about a word gap)', () => {
    // "la": blank frames between the two carry some space probability, the letters' own frames less.
    const probabilities = table([5, 0, 0, 2], classes, 0.9);
    probabilities[0 * classes + 6] = 0.01;
    probabilities[1 * classes + 6] = 0.3;
    probabilities[2 * classes + 6] = 0.2;
    probabilities[3 * classes + 6] = 0.05;
    const [first, second] = ctcGreedyDecode(probabilities, 4, classes, keys).characters;
    expect(first?.spaceBefore).toBeCloseTo(0.01, 6);
    expect(second?.spaceBefore).toBeCloseTo(0.3, 6);
    // Without a space class there is nothing to report.
    expect(ctcGreedyDecode(table([1, 2], 6), 2, 6, keys.slice(0, 5)).characters[1]?.spaceBefore).toBeUndefined();
  });

  it('reports zero confidence when nothing was read', () => {
    expect(ctcGreedyDecode(table([0, 0], classes), 2, classes, keys).confidence).toBe(0);
  });

  it('rejects a table smaller than frames × classes', () => {
    expect(() => ctcGreedyDecode(new Float32Array(5), 2, classes, keys)).toThrow(RangeError);
  });
});
