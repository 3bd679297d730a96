/**
 * CTC greedy decoding of PaddleOCR recognition output: per time step (frame) the class with the
 * highest probability; class 0 is the CTC blank, repeats of one class collapse into one character.
 */

/** One decoded character and the frames it was read from (for word-gap analysis). */
export interface DecodedCharacter {
  text: string;
  firstFrame: number;
  lastFrame: number;
  /** Highest probability among its frames. */
  probability: number;
  /**
   * Highest probability of the space class between the previous character and this one (frames
   * included): the model's doubt about a word gap it did not read. Absent without a space class.
   */
  spaceBefore?: number;
}

export interface CtcDecoding {
  text: string;
  characters: DecodedCharacter[];
  /** Mean probability of the decoded characters; 0 when nothing was read. */
  confidence: number;
  frames: number;
}

/**
 * The recognition alphabet: the lines of `ppocr_keys_v1.txt` plus a final space (PaddleOCR's
 * `use_space_char`), so class k (k ≥ 1) is `keys[k − 1]`.
 */
export function parseRecognitionKeys(keyFileText: string): string[] {
  const lines = keyFileText.split('\n').map((line) => line.replace(/\r$/, ''));
  // A trailing newline is the end of the last line, not an empty key.
  if (lines.at(-1) === '') lines.pop();
  return [...lines, ' '];
}

/**
 * Greedy CTC over `probabilities`, laid out [frames, classes] (one batch item of the model's
 * `[N, frames, classes]` output).
 */
export function ctcGreedyDecode(probabilities: Float32Array, frames: number, classes: number, keys: readonly string[]): CtcDecoding {
  if (probabilities.length < frames * classes) throw new RangeError(`Expected ${frames}×${classes} probabilities, got ${probabilities.length}.`);
  const characters: DecodedCharacter[] = [];
  let previousClass = 0;
  const spaceClass = keys.lastIndexOf(' ') + 1;
  let spaceSince = 0;
  for (let frame = 0; frame < frames; frame++) {
    const rowStart = frame * classes;
    let bestClass = 0;
    let bestProbability = probabilities[rowStart] ?? 0;
    for (let index = 1; index < classes; index++) {
      const probability = probabilities[rowStart + index] ?? 0;
      if (probability > bestProbability) {
        bestProbability = probability;
        bestClass = index;
      }
    }
    const last = characters.at(-1);
    if (spaceClass > 0) spaceSince = Math.max(spaceSince, probabilities[rowStart + spaceClass] ?? 0);
    if (bestClass !== 0 && bestClass === previousClass && last) {
      last.lastFrame = frame;
      last.probability = Math.max(last.probability, bestProbability);
    } else if (bestClass !== 0) {
      const character: DecodedCharacter = { text: keys[bestClass - 1] ?? '', firstFrame: frame, lastFrame: frame, probability: bestProbability };
      if (spaceClass > 0) character.spaceBefore = spaceSince;
      characters.push(character);
    }
    // From a character's last frame on, space probabilities count towards the gap after it.
    if (bestClass !== 0) spaceSince = spaceClass > 0 ? (probabilities[rowStart + spaceClass] ?? 0) : 0;
    previousClass = bestClass;
  }
  const confidence = characters.length === 0 ? 0 : characters.reduce((sum, character) => sum + character.probability, 0) / characters.length;
  return { text: characters.map((character) => character.text).join(''), characters, confidence, frames };
}
