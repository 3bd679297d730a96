import { describe, expect, it } from 'vitest';
import { findLabelStrips, type LabelStrip } from '../../lib/engine/ocr/label-strips';
import type { Box, RgbaImage } from '../../lib/engine/types';
import { loadFixture, makeCard, type Rgb } from './decode';

/** Text boxes must match the glyphs drawn (synthetic) or measured (real cards) within this many pixels per edge. */
const BOX_TOLERANCE_PX = 2;

const ASTRONAUT = 'photos/skimage_astronaut.png';
const COFFEE = 'photos/skimage_coffee.png';
const CHELSEA = 'photos/skimage_chelsea.png';
const HOPPER = 'photos/matplotlib_grace_hopper.jpg';
const WHITE: Rgb = [255, 255, 255];
const BLACK: Rgb = [0, 0, 0];

function paint(image: RgbaImage, [x, y, width, height]: Box, [red, green, blue]: Rgb): void {
  for (let row = y; row < y + height; row++) for (let column = x; column < x + width; column++) image.data.set([red, green, blue, 255], (row * image.width + column) * 4);
}

/** Lays `colour` over a box at `opacity`, so the picture under it still shows. */
function veil(image: RgbaImage, [x, y, width, height]: Box, colour: Rgb, opacity: number): void {
  for (let row = y; row < y + height; row++) {
    for (let column = x; column < x + width; column++) {
      const offset = (row * image.width + column) * 4;
      for (let channel = 0; channel < 3; channel++) image.data[offset + channel] = opacity * (colour[channel] ?? 0) + (1 - opacity) * (image.data[offset + channel] ?? 0);
    }
  }
}

/**
 * Block "glyphs" (font-independent): `letters` per word, glyph width half the height, letter
 * gaps 0.15 and word gaps 0.6 of the height. Returns the union of the glyphs.
 */
function paintWords(image: RgbaImage, left: number, top: number, height: number, letters: number[], colour: Rgb): Box {
  const glyphWidth = Math.round(height / 2);
  const letterGap = Math.round(height * 0.15);
  const wordGap = Math.round(height * 0.6);
  let x = left;
  letters.forEach((count, word) => {
    if (word > 0) x += wordGap - letterGap;
    for (let letter = 0; letter < count; letter++) {
      paint(image, [x, top, glyphWidth, height], colour);
      x += glyphWidth + letterGap;
    }
  });
  return [left, top, x - letterGap - left, height];
}

function expectBox(actual: Box | undefined, expected: Box): void {
  expect(actual).toBeDefined();
  actual?.forEach((value, index) => expect(Math.abs(value - (expected[index] ?? 0)), `edge ${index} of [${actual.join(',')}] vs [${expected.join(',')}]`).toBeLessThanOrEqual(BOX_TOLERANCE_PX));
}

function expectStrips(strips: (LabelStrip | null)[], placement: LabelStrip['placement'], textBoxes: Box[]): void {
  expect(strips).toHaveLength(textBoxes.length);
  strips.forEach((strip, index) => {
    expect(strip?.placement).toBe(placement);
    expectBox(strip?.textBox, textBoxes[index] ?? [0, 0, 0, 0]);
  });
}

describe('findLabelStrips on the real cards', () => {
  // Panels as drawn on each card; text boxes measured on the pills' glyphs.
  it('finds the green and blue pills over the bottom of each portrait', async () => {
    const card = await loadFixture('cards/minimaxir_pps_nanobanana_vs_nanobananapro_labeled.webp');
    const strips = findLabelStrips(card, [[0, 0, 864, 1184], [864, 0, 896, 1184]]);
    expectStrips(strips, 'bottom', [[270, 1118, 324, 37], [1101, 1118, 421, 37]]);
    expect(strips.map((strip) => strip?.background)).toEqual([[31, 177, 1], [4, 119, 186]]);
  });

  it('finds the pills under the UI screenshots and ignores the UI text', async () => {
    const card = await loadFixture('cards/minimaxir_counter_ui_nanobanana_vs_pro_labeled.webp');
    const strips = findLabelStrips(card, [[0, 41, 1141, 823], [1141, 0, 1227, 864]]);
    expectStrips(strips, 'bottom', [[430, 804, 324, 37], [1595, 804, 421, 37]]);
  });

  it('measures the word gaps of "Nano Banana Pro" apart from its letter gaps', async () => {
    const card = await loadFixture('cards/minimaxir_pps_nanobanana_vs_nanobananapro_labeled.webp');
    const [, right] = findLabelStrips(card, [[0, 0, 864, 1184], [864, 0, 896, 1184]]);
    const widths = (right?.gaps ?? []).map(([start, end]) => end - start);
    expect(widths.filter((width) => width >= 15)).toHaveLength(2);
    expect(widths.filter((width) => width < 10).length).toBeGreaterThanOrEqual(8);
  });

  it('keeps the glyphs of each line, left to right, inside its text box', async () => {
    const card = await loadFixture('cards/minimaxir_pps_nanobanana_vs_nanobananapro_labeled.webp');
    const strips = findLabelStrips(card, [[0, 0, 864, 1184], [864, 0, 896, 1184]]);
    // "Nano Banana" and "Nano Banana Pro": one piece of ink per letter at this size.
    expect(strips.map((strip) => strip?.glyphs.length)).toEqual([10, 13]);
    for (const strip of strips) {
      const [textX, textY, textWidth, textHeight] = strip?.textBox ?? [0, 0, 0, 0];
      const glyphs = strip?.glyphs ?? [];
      glyphs.forEach(([x, y, width, height], index) => {
        expect(x).toBeGreaterThanOrEqual(textX);
        expect(y).toBeGreaterThanOrEqual(textY);
        expect(x + width).toBeLessThanOrEqual(textX + textWidth);
        expect(y + height).toBeLessThanOrEqual(textY + textHeight);
        if (index > 0) expect(x).toBeGreaterThan(glyphs[index - 1]?.[0] ?? 0);
      });
    }
  });

  it('reads dark text on light translucent bars over a dark suit and a white shirt (a composed card)', async () => {
    // bench:detect seed 1059285548, composed-40: "Photon 3" / "Lumen 5" on #e8ecf0 bars over the
    // portrait. The right bar is darker over the suit than light over the shirt is bright; the
    // bar's own colour, from its blend over the picture, says its ink is dark.
    const card = await loadFixture('composed/label_bars_light_over_hopper.jpg');
    const strips = findLabelStrips(card, [[0, 0, 533, 401], [535, 0, 533, 401]]);
    expectStrips(strips, 'bottom', [[225, 376, 84, 15], [758, 374, 86, 15]]);
  });

  it('reads the whole line on a translucent bar, not a flat piece of it that takes in a streak of the picture (a composed card)', async () => {
    // bench:detect seed 1059285548, composed-146, its bottom 260 rows: "Seedream 4" / "imagen-4-ultra"
    // on #fff4d6 bars over the coffee. A flat piece of the left bar holds "Seedream" and a light
    // streak of the saucer to its left, wider than the bar's own line; the bar's line reaches past it to the 4.
    const card = await loadFixture('composed/label_bars_over_coffee_bottom.jpg');
    const strips = findLabelStrips(card, [[0, 0, 818, 260], [822, 0, 818, 260]]);
    expectStrips(strips, 'bottom', [[336, 230, 147, 19], [1128, 226, 207, 25]]);
  });

  it.each([
    ['minimaxir_ghibli_real_vs_nanobanana_unlabeled.webp', [[0, 0, 1042, 1024], [1042, 0, 1006, 1024]]],
    // The speech bubble ("IMAGE GENERATION!") is text on a flat shape, but in one panel only and far from its edge.
    ['minimaxir_chatgpt_two_gens_unlabeled.webp', [[0, 0, 512, 512], [512, 0, 512, 512]]],
  ] as [string, Box[]][])('finds no label on %s', async (file, panels) => {
    expect(findLabelStrips(await loadFixture(`cards/${file}`), panels)).toEqual([null, null]);
  });
});

describe('findLabelStrips on composed cards', () => {
  it('finds dark pills overlaid on the bottom of each panel', async () => {
    const { image, panels } = await makeCard({ rows: [[ASTRONAUT, COFFEE]], panelSize: [480, 360] });
    const boxes = panels.map(([x, , width]) => {
      paint(image, [x + 100, 300, width - 200, 48], [25, 25, 30]);
      return paintWords(image, x + 130, 312, 24, [4, 3], WHITE);
    });
    expectStrips(findLabelStrips(image, panels), 'bottom', boxes);
  });

  it('leaves a piece far beside the words out of the line (a rounded corner of the picture at the bar’s end)', async () => {
    // bench:detect seed 5150, composed-110: a corner's dark curve at the left end of a light bar over the top of
    // the picture joined "Reve" 300 px to its right, and the recogniser read "A Reve".
    const { image, panels } = await makeCard({ rows: [[ASTRONAUT, COFFEE]], panelSize: [480, 360] });
    const boxes = panels.map(([x]) => {
      paint(image, [x + 60, 300, 360, 48], [244, 244, 244]);
      paint(image, [x + 75, 312, 12, 24], [30, 30, 30]);
      return paintWords(image, x + 260, 312, 24, [2, 2], [30, 30, 30]);
    });
    expectStrips(findLabelStrips(image, panels), 'bottom', boxes);
  });

  it('finds captions printed on the white margin above each panel', async () => {
    const { image, panels } = await makeCard({ rows: [[CHELSEA, HOPPER]], panelSize: [400, 300], border: 60, borderColour: WHITE, gutter: 20 });
    const boxes = panels.map(([x]) => paintWords(image, x + 120, 20, 22, [3, 5], BLACK));
    expectStrips(findLabelStrips(image, panels), 'top', boxes);
  });

  it('gives a stacked card’s gutter caption to the panel above it', async () => {
    const { image, panels } = await makeCard({ rows: [[ASTRONAUT], [COFFEE]], panelSize: [480, 300], gutter: 70, border: 70, borderColour: WHITE });
    const boxes = panels.map(([x, y, , height]) => paintWords(image, x + 150, y + height + 22, 26, [5, 1], BLACK));
    expectStrips(findLabelStrips(image, panels), 'bottom', boxes);
  });

  it('finds light pills that a thin light thing (a tripod leg) runs into', async () => {
    const { image, panels } = await makeCard({ rows: [[ASTRONAUT, COFFEE]], panelSize: [480, 360] });
    const boxes = panels.map(([x]) => {
      paint(image, [x + 236, 0, 4, 300], [240, 240, 240]);
      paint(image, [x + 100, 300, 280, 48], [244, 244, 244]);
      return paintWords(image, x + 130, 312, 24, [4, 3], [30, 30, 30]);
    });
    expectStrips(findLabelStrips(image, panels), 'bottom', boxes);
  });

  it('prefers the caption at the edge to strokes on a flat patch of the picture', async () => {
    const { image, panels } = await makeCard({ rows: [[CHELSEA, HOPPER]], panelSize: [400, 300], border: 60, borderColour: WHITE, gutter: 20 });
    const boxes = panels.map(([x, y]) => {
      paint(image, [x + 20, y + 10, 360, 60], [150, 80, 40]);
      paint(image, [x + 60, y + 30, 280, 14], [60, 20, 10]);
      return paintWords(image, x + 120, 20, 22, [3, 5], BLACK);
    });
    expectStrips(findLabelStrips(image, panels), 'top', boxes);
  });

  it('takes no stroke of the picture for text', async () => {
    const { image, panels } = await makeCard({ rows: [[ASTRONAUT, COFFEE]], panelSize: [480, 360] });
    for (const [x] of panels) {
      paint(image, [x + 60, 290, 360, 60], [150, 80, 40]);
      paint(image, [x + 100, 312, 110, 10], [60, 20, 10]);
      paint(image, [x + 240, 306, 110, 22], [60, 20, 10]);
    }
    expect(findLabelStrips(image, panels)).toEqual([null, null]);
  });

  it('finds labels in small bold type whose letters merge into pieces of two or three', async () => {
    const { image, panels } = await makeCard({ rows: [[ASTRONAUT, COFFEE]], panelSize: [480, 360] });
    const boxes = panels.map(([x]): Box => {
      paint(image, [x + 120, 310, 240, 30], [25, 25, 30]);
      // Three pieces 2.5 times wider than tall, 3 px apart: "Flux", ".1", "Dev" run together.
      for (let piece = 0; piece < 3; piece++) {
        paint(image, [x + 160 + piece * 33, 319, 30, 12], WHITE);
        // Strokes, not a solid block: the counters of the letters show the pill.
        paint(image, [x + 163 + piece * 33, 322, 24, 6], [25, 25, 30]);
      }
      return [x + 160, 319, 96, 12];
    });
    expectStrips(findLabelStrips(image, panels), 'bottom', boxes);
  });

  it('reads the text line, not a long thin streak of ink along the pill’s rim', async () => {
    const { image, panels } = await makeCard({ rows: [[ASTRONAUT, COFFEE]], panelSize: [480, 360] });
    const boxes = panels.map(([x]) => {
      paint(image, [x + 80, 296, 320, 56], [25, 25, 30]);
      // A 5 px streak across most of the pill, as JPEG ringing or a picture's edge leaves along it.
      paint(image, [x + 90, 300, 300, 5], [200, 200, 200]);
      return paintWords(image, x + 130, 316, 24, [4, 3], WHITE);
    });
    expectStrips(findLabelStrips(image, panels), 'bottom', boxes);
  });

  it('finds the text on translucent full-width bars laid over the pictures (the picture shows through)', async () => {
    const { image, panels } = await makeCard({ rows: [[ASTRONAUT, COFFEE]], panelSize: [480, 360] });
    const boxes = panels.map(([x, y, width, height]) => {
      veil(image, [x, y + height - 52, width, 52], [232, 236, 240], 0.6);
      return paintWords(image, x + 150, y + height - 38, 24, [6, 5, 1], [30, 30, 30]);
    });
    expectStrips(findLabelStrips(image, panels), 'bottom', boxes);
  });

  it('reads the whole line on dark translucent bars at the top, not a flat piece of it', async () => {
    const { image, panels } = await makeCard({ rows: [[COFFEE], [ASTRONAUT]], panelSize: [520, 300], gutter: 6, gutterColour: WHITE });
    const boxes = panels.map(([x, y, width]) => {
      veil(image, [x, y, width, 46], [24, 24, 28], 0.55);
      return paintWords(image, x + 110, y + 12, 22, [5, 7, 1], WHITE);
    });
    expectStrips(findLabelStrips(image, panels), 'top', boxes);
  });

  it('finds the bar over a picture that it darkens in one part and lightens in another', async () => {
    // A dark bar at 60 % opacity steps down from white and up from black at its edge: no one
    // direction, but each step is the bar's colour blended over what lies beside it.
    const { image, panels } = await makeCard({ rows: [[ASTRONAUT, COFFEE]], panelSize: [480, 360] });
    const boxes = panels.map(([x, y, width, height]) => {
      paint(image, [x, y + height - 110, Math.round(width * 0.4), 110], WHITE);
      paint(image, [x + Math.round(width * 0.4), y + height - 110, width - Math.round(width * 0.4), 110], BLACK);
      veil(image, [x, y + height - 52, width, 52], [24, 24, 28], 0.6);
      return paintWords(image, x + 90, y + height - 38, 24, [6, 5, 1], WHITE);
    });
    expectStrips(findLabelStrips(image, panels), 'bottom', boxes);
  });

  it('finds a light pill that a patch of the picture in its colour runs into (a white cup’s rim beside a white pill)', async () => {
    const { image, panels } = await makeCard({ rows: [[COFFEE], [ASTRONAUT]], panelSize: [480, 300], gutter: 6, gutterColour: [127, 32, 203] });
    const boxes = panels.map(([x, y]) => {
      paint(image, [x + 20, y + 20, 200, 40], WHITE);
      paint(image, [x + 220, y + 44, 160, 12], WHITE);
      return paintWords(image, x + 50, y + 29, 22, [5, 1], BLACK);
    });
    expectStrips(findLabelStrips(image, panels), 'top', boxes);
  });

  it('pairs the captions on the margin rather than a caption with text-like strokes in the other picture', async () => {
    // In the right panel a flat patch with bigger strokes sits just inside the picture's top edge and outscores the caption on its own.
    const { image, panels } = await makeCard({ rows: [[CHELSEA, HOPPER]], panelSize: [400, 300], border: 60, borderColour: WHITE, gutter: 20 });
    const [, right] = panels as [Box, Box];
    paint(image, [right[0] + 20, right[1] + 4, 360, 70], [150, 80, 40]);
    paintWords(image, right[0] + 60, right[1] + 20, 30, [4, 3], [60, 20, 10]);
    const boxes = panels.map(([x]) => paintWords(image, x + 120, 20, 22, [3, 2], BLACK));
    expectStrips(findLabelStrips(image, panels), 'top', boxes);
  });

  it('finds labels in small bold type whose whole word merges into one piece', async () => {
    // "New" at 7 px: one piece 23 px wide, more than three times its height.
    const { image, panels } = await makeCard({ rows: [[ASTRONAUT, COFFEE]], panelSize: [300, 240], border: 12, borderColour: [240, 240, 240], gutter: 12 });
    const boxes = panels.map(([x, y, , height]): Box => {
      paint(image, [x, y + height, 300, 12], WHITE);
      paint(image, [x + 140, y + height + 3, 23, 7], [30, 30, 30]);
      paint(image, [x + 142, y + height + 5, 8, 3], WHITE);
      paint(image, [x + 153, y + height + 5, 8, 3], WHITE);
      return [x + 140, y + height + 3, 23, 7];
    });
    expectStrips(findLabelStrips(image, panels), 'bottom', boxes);
  });

  it('finds pills inset from the picture’s edge by more than 2.5 of their line heights, within a tenth of the picture', async () => {
    // 10 px text on a 24 px pill that stops 30 px (8 % of 360) short of the bottom edge: the text is 37 px from it.
    const { image, panels } = await makeCard({ rows: [[ASTRONAUT, COFFEE]], panelSize: [480, 360] });
    const boxes = panels.map(([x, y, , height]) => {
      paint(image, [x + 150, y + height - 54, 180, 24], [244, 244, 244]);
      return paintWords(image, x + 170, y + height - 47, 10, [5, 1], [30, 30, 30]);
    });
    expectStrips(findLabelStrips(image, panels), 'bottom', boxes);
  });

  it('reads no label from pills inset further than a tenth of the picture', async () => {
    const { image, panels } = await makeCard({ rows: [[ASTRONAUT, COFFEE]], panelSize: [480, 360] });
    for (const [x, y, , height] of panels) {
      paint(image, [x + 150, y + height - 68, 180, 24], [244, 244, 244]);
      paintWords(image, x + 170, y + height - 61, 10, [5, 1], [30, 30, 30]);
    }
    expect(findLabelStrips(image, panels)).toEqual([null, null]);
  });

  it('finds labels in text 7 px tall (a card scaled down for a feed)', async () => {
    const { image, panels } = await makeCard({ rows: [[ASTRONAUT, COFFEE]], panelSize: [300, 240] });
    const boxes = panels.map(([x, y, , height]) => {
      paint(image, [x + 100, y + height - 20, 100, 15], [25, 25, 30]);
      return paintWords(image, x + 116, y + height - 16, 7, [3, 1], WHITE);
    });
    expectStrips(findLabelStrips(image, panels), 'bottom', boxes);
  });

  it('prefers a pill at the edge to a plate with text inset in the picture', async () => {
    // The pill runs past the panel's bottom edge (a panel box a little short), so only the search
    // that may cross the edge finds it whole; the plate above is found first, but is no label.
    const { image, panels: drawn } = await makeCard({ rows: [[ASTRONAUT, COFFEE]], panelSize: [480, 360] });
    const panels = drawn.map(([x, y, width, height]): Box => [x, y, width, height - 16]);
    const boxes = drawn.map(([x, y, , height]) => {
      // The plate stops 30 px short of the panel's edge (within a tenth of it); its text is 36 px, 3.6 lines, away.
      paint(image, [x + 40, y + height - 68, 100, 22], [25, 25, 30]);
      paintWords(image, x + 54, y + height - 62, 10, [2, 3], WHITE);
      paint(image, [x + 140, y + height - 30, 240, 30], [232, 236, 240]);
      return paintWords(image, x + 160, y + height - 23, 16, [5, 1], [30, 30, 30]);
    });
    expectStrips(findLabelStrips(image, panels), 'bottom', boxes);
  });

  it('pairs the pills when one picture holds bigger lettering near its edge (a sign), which pairs with nothing', async () => {
    const { image, panels } = await makeCard({ rows: [[ASTRONAUT, COFFEE]], panelSize: [480, 360] });
    const [[leftX]] = panels as [Box, Box];
    // The sign's line is 40 px tall, the pills' 16 px: no pair with the other panel's pill.
    paint(image, [leftX + 20, 278, 220, 52], [25, 25, 30]);
    paintWords(image, leftX + 34, 284, 40, [2, 2], WHITE);
    const boxes = panels.map(([x, y, , height]) => {
      paint(image, [x + 250, y + height - 32, 190, 30], [232, 236, 240]);
      return paintWords(image, x + 266, y + height - 25, 16, [5, 1], [30, 30, 30]);
    });
    expectStrips(findLabelStrips(image, panels), 'bottom', boxes);
  });

  it('reads no labels when only one panel has one', async () => {
    const { image, panels } = await makeCard({ rows: [[ASTRONAUT, COFFEE]], panelSize: [480, 360] });
    const [first] = panels;
    paint(image, [(first?.[0] ?? 0) + 100, 300, 280, 48], [25, 25, 30]);
    paintWords(image, (first?.[0] ?? 0) + 130, 312, 24, [4, 3], WHITE);
    expect(findLabelStrips(image, panels)).toEqual([null, null]);
  });

  it('ignores text far from the panel edges', async () => {
    const { image, panels } = await makeCard({ rows: [[ASTRONAUT, COFFEE]], panelSize: [480, 360] });
    for (const [x] of panels) {
      paint(image, [x + 100, 160, 280, 48], [25, 25, 30]);
      paintWords(image, x + 130, 172, 24, [4, 3], WHITE);
    }
    expect(findLabelStrips(image, panels)).toEqual([null, null]);
  });

  it('does not pair labels of very different sizes', async () => {
    const { image, panels } = await makeCard({ rows: [[ASTRONAUT, COFFEE]], panelSize: [480, 360] });
    const [[leftX], [rightX]] = panels as [Box, Box];
    paint(image, [leftX + 100, 300, 280, 48], [25, 25, 30]);
    paintWords(image, leftX + 130, 316, 12, [4, 3], WHITE);
    paint(image, [rightX + 60, 290, 360, 66], [25, 25, 30]);
    paintWords(image, rightX + 80, 298, 40, [3, 2], WHITE);
    expect(findLabelStrips(image, panels)).toEqual([null, null]);
  });

  it('takes the pill like the other panel’s, not the dark suit beside it, where one panel’s best candidate is a stretch of its picture (a composed card)', async () => {
    // bench:detect seed 8675309, composed-77: "Imagen 4 Ultra" / "Flux 2 Dev" on #5a28a0 pills over the
    // portrait (JPEG 56). In the right panel the suit under the pill, a dark flat stretch with the pill's
    // lettering in it, scores above the pill; the left panel's pill says what the labels look like.
    const card = await loadFixture('composed/label_pills_purple_beside_dark_suit_hopper.jpg');
    const strips = findLabelStrips(card, [[20, 20, 722, 697], [750, 20, 722, 697]]);
    expectStrips(strips, 'bottom', [[277, 646, 208, 28], [1041, 643, 140, 23]]);
  });

  it('reads the pills at the top when what pairs at the bottom is two patches of fur apart in colour (a composed card)', async () => {
    // bench:detect seed 8675309, composed-79: "Flux 1.1 Pro" / "Flux.1 Dev" on #006e5a pills at the top of
    // two crops of the cat (JPEG 92); at the bottom, strokes of fur on a brown and an orange patch pair in height.
    const card = await loadFixture('composed/label_pills_top_green_over_chelsea.jpg');
    const strips = findLabelStrips(card, [[43, 43, 622, 524], [43, 567, 622, 523]]);
    expectStrips(strips, 'top', [[89, 80, 213, 23], [101, 605, 178, 23]]);
  });

  it('finds a black pill over a dark table with the strict search when the quick one takes the pill and the table together (a composed card)', async () => {
    // bench:detect seed 777, composed-168: "Aurora v2" / "Pixelforge 2.1" on black pills over two crops of the
    // coffee (JPEG 80). In the right panel the pill and the dark wood beside it are one flat region for the quick
    // search, whose "line" is the wood's grain, 55 px tall against the left label's 15: no pair; only the strict
    // search (closer to the seed colour) parts the pill from the wood.
    const card = await loadFixture('composed/label_pills_black_on_dark_table_coffee.jpg');
    const strips = findLabelStrips(card, [[0, 0, 487, 437], [489, 7, 420, 423]]);
    expectStrips(strips, 'bottom', [[182, 392, 122, 15], [605, 382, 189, 22]]);
  });

  it('pairs a line with ascenders and descenders and one with neither by their glyphs’ heights (a composed card)', async () => {
    // bench:detect seed 777, composed-109: "Grok Imagine" / "Nano Banana 2" on #5a28a0 pills at the top of the cat
    // and the astronaut (re-encoded as JPEG 92). The lines are 28 and 17 px tall (the G, k and g against capitals
    // and x-height letters only), over the 1.6 two labels' lines may differ; their letters are alike.
    const card = await loadFixture('composed/label_pills_top_descender_chelsea_astronaut.jpg');
    const strips = findLabelStrips(card, [[0, 0, 275, 412], [275, 0, 275, 412]]);
    expectStrips(strips, 'top', [[38, 20, 176, 28], [327, 29, 172, 17]]);
  });

  it('keeps the whole lines on translucent white bars over two unlike pictures, not a flat piece of one bar near the other’s colour (a composed card)', async () => {
    // bench:detect seed 20261126, composed-87: "Flux 1.1 Pro" / "GPT-Image-2" on white bars over the selfie
    // and the cat (JPEG 77): blended, the bars lie 58 levels apart; a piece of the left bar holding "lux 1.1"
    // comes within 47 of the right one, no closer than translucent bars often are.
    const card = await loadFixture('composed/label_bars_white_translucent_selfie_chelsea.jpg');
    const strips = findLabelStrips(card, [[38, 38, 377, 570], [415, 38, 377, 570]]);
    expectStrips(strips, 'bottom', [[108, 563, 238, 27], [477, 555, 253, 35]]);
  });
});
