/**
 * Cards of `npm run bench:detect`'s held-out seeds, kept as they were composed (tests/fixtures/composed),
 * whose panel boxes were wrong for a reason that is not the card's alone.
 */
import { describe, expect, it } from 'vitest';
import { detectCard } from '../../lib/engine/detect';
import type { Box } from '../../lib/engine/types';
import { loadFixture } from './decode';

/** The bench's own measure: a panel box is right at IoU ≥ 0.95 with the picture's box. */
const MIN_IOU = 0.95;

function iou(first: Box, second: Box): number {
  const left = Math.max(first[0], second[0]);
  const top = Math.max(first[1], second[1]);
  const right = Math.min(first[0] + first[2], second[0] + second[2]);
  const bottom = Math.min(first[1] + first[3], second[1] + second[3]);
  const overlap = Math.max(0, right - left) * Math.max(0, bottom - top);
  return overlap / (first[2] * first[3] + second[2] * second[3] - overlap);
}

describe('detectCard on composed cards of held-out bench seeds', () => {
  it('keeps a translucent bar in the panel where the picture under it is smooth, when the other panel’s bar shows its picture through (seed 424242, composed-154)', async () => {
    // Green bars at 55-80 % over the top of each picture: over the selfie's wall and door it shows them, over the
    // camera photo's even sky it reads as flat as an opaque caption. Labels of one card share their style.
    const detection = detectCard(await loadFixture('composed/label_bars_translucent_top_selfie_camera.jpg'));
    const truth: Box[] = [[0, 0, 379, 431], [397, 0, 379, 431]];
    expect(detection.layout).toBe('side-by-side');
    truth.forEach((box, panel) => expect(iou(detection.panels[panel] ?? [0, 0, 0, 0], box), `panel ${panel}: [${detection.panels[panel]}]`).toBeGreaterThanOrEqual(MIN_IOU));
  });

  it('trims a caption on the margin that another panel’s caption, misread as a see-through bar on one line of JPEG ringing, does not match (seed 777, composed-86)', async () => {
    // The lower panel's caption stays on it (its margin line next to the glyphs reads as textured); that
    // line alone is no evidence of a translucent bar, so the upper panel's caption is still cut off.
    const detection = detectCard(await loadFixture('composed/captions_top_white_margin_coffee_selfie.jpg'));
    expect(detection.layout).toBe('stacked');
    expect(iou(detection.panels[0] ?? [0, 0, 0, 0], [6, 26, 172, 172]), `[${detection.panels[0]}]`).toBeGreaterThanOrEqual(MIN_IOU);
  });

  it('ends a caption on a dark margin where a dark picture of nearly its colour begins (seed 424242, composed-166)', async () => {
    // Light text on #1e1e1e under Grace Hopper's navy suit: the suit's lines lie within 24 levels of the margin in
    // most lanes, like the margin between glyphs, but vary within that; the margin between glyphs is one colour.
    const detection = detectCard(await loadFixture('composed/captions_dark_margin_under_hopper.jpg'));
    expect(detection.layout).toBe('side-by-side');
    expect(iou(detection.panels[0] ?? [0, 0, 0, 0], [16, 23, 394, 369]), `[${detection.panels[0]}]`).toBeGreaterThanOrEqual(MIN_IOU);
  });

  it('trims a caption like the other panel’s where the picture above it begins in the caption’s colour (seed 424242, composed-166)', async () => {
    // The right caption ("GPT Image 2") sits under a wider stretch of the suit, whose lines keep its band from
    // ending in an edge; the left panel's caption, the same style, was trimmed, so the right one's lines go too.
    const detection = detectCard(await loadFixture('composed/captions_dark_margin_under_hopper.jpg'));
    expect(detection.layout).toBe('side-by-side');
    expect(iou(detection.panels[1] ?? [0, 0, 0, 0], [415, 16, 394, 369]), `[${detection.panels[1]}]`).toBeGreaterThanOrEqual(MIN_IOU);
  });

  it.each([
    // A #1e1e1e frame all round; on the left the picture begins with the man's dark coat (seed 5150, composed-89).
    { fixture: 'composed/frame_dark_beside_coat_camera.jpg', truth: [[17, 17, 256, 195], [291, 17, 256, 195]] as Box[] },
    // A 6-pixel lime frame whose left side JPEG's chroma smears past a uniform line (seed 5150, composed-143).
    { fixture: 'composed/frame_lime_smeared_selfie.jpg', truth: [[6, 13, 230, 187], [236, 6, 265, 201]] as Box[] },
  ])('takes the outer frame off the side where it meets a picture edge of about its colour: $fixture', async ({ fixture, truth }) => {
    const detection = detectCard(await loadFixture(fixture));
    expect(detection.layout).toBe('side-by-side');
    truth.forEach((box, panel) => expect(iou(detection.panels[panel] ?? [0, 0, 0, 0], box), `panel ${panel}: [${detection.panels[panel]}]`).toBeGreaterThanOrEqual(MIN_IOU));
  });

  it('splits a stacked card at its seam where the lower picture begins with a translucent label bar (seed 8675309, composed-178)', async () => {
    // A light bar with "Photon 3" over the top of the lower cat: its two edges, both across the whole width,
    // read like a shelf board's, but it holds a line of text, so the seam above it is the split.
    const detection = detectCard(await loadFixture('composed/label_bar_translucent_top_of_lower_chelsea.jpg'));
    const truth: Box[] = [[34, 34, 409, 418], [34, 452, 409, 418]];
    expect(detection.layout).toBe('stacked');
    truth.forEach((box, panel) => expect(iou(detection.panels[panel] ?? [0, 0, 0, 0], box), `panel ${panel}: [${detection.panels[panel]}]`).toBeGreaterThanOrEqual(MIN_IOU));
  });

  it('splits a stacked card whose upper picture ends with a translucent label bar above a 1-pixel gutter (seed 20261126, composed-29)', async () => {
    // A light bar with "Before" over the foot of the upper portrait: the picture shows through it, so it is neither flat
    // nor a caption band of one colour, and its two full-length edges read like a shelf board's; its middle lines
    // cross the glyphs' strokes (6-11 runs of far lanes against 1-3 in its margins), so the seam below it is the split.
    const detection = detectCard(await loadFixture('composed/label_bar_translucent_bottom_of_upper_hopper.jpg'));
    const truth: Box[] = [[0, 0, 501, 490], [0, 491, 501, 490]];
    expect(detection.layout).toBe('stacked');
    truth.forEach((box, panel) => expect(iou(detection.panels[panel] ?? [0, 0, 0, 0], box), `panel ${panel}: [${detection.panels[panel]}]`).toBeGreaterThanOrEqual(MIN_IOU));
  });

  it('splits a stacked card above the lower picture’s label bar when the upper picture begins with one too (seed 2718281, composed-117)', async () => {
    // Translucent purple bars "Imagen 3" / "Ideogram 2.0" over the top of two crops of the astronaut (re-encoded as JPEG 92).
    // The lower bar's two edges are the two best seams, 0.81 and 0.90 strong; split at the lower one, the upper panel
    // ended with the lower panel's label and read it as its own. The card's first picture begins with a bar of text, so
    // the bars are the pictures' tops and the split is the lower bar's upper edge.
    const detection = detectCard(await loadFixture('composed/label_bars_translucent_top_of_both_astronaut.jpg'));
    const truth: Box[] = [[0, 0, 554, 415], [0, 415, 554, 414]];
    expect(detection.layout).toBe('stacked');
    truth.forEach((box, panel) => expect(iou(detection.panels[panel] ?? [0, 0, 0, 0], box), `panel ${panel}: [${detection.panels[panel]}]`).toBeGreaterThanOrEqual(MIN_IOU));
  });

  it.each([
    {
      // Translucent white bars over both pictures' tops, no gutter: the lower bar's lines with only the ascenders of
      // "Edited" (E, d, t: 3-5 runs) ended the text, so its seam above was taken for a board's edge (seed 777, composed-0).
      fixture: 'composed/label_bar_translucent_top_of_lower_no_gutter_chelsea.jpg',
      truth: [[16, 16, 905, 660], [16, 676, 905, 660]] as Box[],
    },
    {
      // Light bars over both pictures' feet, touching: the upper bar's seams were taken for an object's (seed 16180339, composed-99).
      fixture: 'composed/label_bars_light_foot_no_gutter_chelsea.jpg',
      truth: [[7, 7, 804, 540], [7, 547, 804, 539]] as Box[],
    },
    {
      // The same, the lower picture narrower on grey; with the seam kept, the cup's rim at the card's top read as a bar
      // of text, so the split went to the upper bar's top edge (seed 16180339, composed-77).
      fixture: 'composed/label_bars_translucent_foot_unequal_coffee.jpg',
      truth: [[0, 0, 1139, 806], [89, 806, 976, 860]] as Box[],
    },
    {
      // The portrait's dark, busy top, read with the lanes at the card's sides left out, looks like text lines; it is
      // no bar of the middle one's colour (seed 8675309, composed-199).
      fixture: 'composed/label_bars_light_foot_hopper_dark_top.jpg',
      truth: [[0, 0, 302, 432], [3, 432, 302, 432]] as Box[],
    },
    {
      // The same on a small card with red bars and the cat's fur at the top (seed 20261126, composed-56).
      fixture: 'composed/label_bars_red_foot_small_chelsea.jpg',
      truth: [[37, 34, 196, 242], [34, 276, 203, 226]] as Box[],
    },
  ])('splits a stacked card with a label bar at the seam on the bar\'s own side: $fixture', async ({ fixture, truth }) => {
    const detection = detectCard(await loadFixture(fixture));
    expect(detection.layout).toBe('stacked');
    truth.forEach((box, panel) => expect(iou(detection.panels[panel] ?? [0, 0, 0, 0], box), `panel ${panel}: [${detection.panels[panel]}]`).toBeGreaterThanOrEqual(MIN_IOU));
  });

  it.each([
    {
      // Translucent green bars over both feet: the right one's edge is flat, so it was cut off as a caption; the left
      // one ends on the collar showing through, no uniform line, so no caption was read there (seed 16180339, composed-78).
      fixture: 'composed/label_bars_green_translucent_foot_hopper.jpg',
      truth: [[0, 0, 981, 655], [986, 8, 981, 655]] as Box[],
    },
    {
      // White bars over both feet in a white border: the left one merged with the border was cut off (seed 31337, composed-199).
      fixture: 'composed/label_bars_white_foot_in_white_border_hopper.jpg',
      truth: [[22, 22, 423, 407], [450, 22, 423, 407]] as Box[],
    },
  ])('keeps a bar on both pictures when one panel shows it over its picture: $fixture', async ({ fixture, truth }) => {
    // Labels of one card share their style: the bar another panel keeps, with the picture showing through at its edge.
    const detection = detectCard(await loadFixture(fixture));
    expect(detection.layout).toBe('side-by-side');
    truth.forEach((box, panel) => expect(iou(detection.panels[panel] ?? [0, 0, 0, 0], box), `panel ${panel}: [${detection.panels[panel]}]`).toBeGreaterThanOrEqual(MIN_IOU));
  });

  it.each([
    {
      // Suit beside suit: the seam holds in 0.57 of the lanes (seed 777, composed-17).
      fixture: 'composed/label_bars_white_foot_touching_hopper.jpg',
      truth: [[9, 17, 566, 394], [575, 9, 638, 412]] as Box[],
    },
    {
      // The same selfie twice, misaligned by 7 px: wall beside wall (seed 16180339, composed-146).
      fixture: 'composed/label_pills_white_top_touching_selfie.jpg',
      truth: [[0, 0, 865, 702], [865, 7, 865, 702]] as Box[],
    },
  ])('finds two pictures that meet along a weak seam by a label on each: $fixture', async ({ fixture, truth }) => {
    const detection = detectCard(await loadFixture(fixture));
    expect(detection.layout).toBe('side-by-side');
    truth.forEach((box, panel) => expect(iou(detection.panels[panel] ?? [0, 0, 0, 0], box), `panel ${panel}: [${detection.panels[panel]}]`).toBeGreaterThanOrEqual(MIN_IOU));
  });

  it.each([
    {
      // The green gutter and the far edge of the bar over the lower picture's top (seed 16180339, composed-93).
      fixture: 'composed/label_bars_black_old_new_top_gutter_chelsea.jpg',
      truth: [[43, 22, 728, 677], [25, 733, 770, 740]] as Box[],
    },
    {
      // A 2 px gutter and the far edge of the bar over the lower picture's top; the card's top bar shows the sky through it (seed 120, composed-7).
      fixture: 'composed/label_bars_green_see_through_top_camera.jpg',
      truth: [[24, 0, 976, 741], [0, 743, 1024, 809]] as Box[],
    },
  ])('splits at the gutter beside a label bar, not at the bar’s other edge: $fixture', async ({ fixture, truth }) => {
    const detection = detectCard(await loadFixture(fixture));
    expect(detection.layout).toBe('stacked');
    truth.forEach((box, panel) => expect(iou(detection.panels[panel] ?? [0, 0, 0, 0], box), `panel ${panel}: [${detection.panels[panel]}]`).toBeGreaterThanOrEqual(MIN_IOU));
  });

  it('splits at the picture’s edge, not at the gutter, where the card’s first picture begins with a caption bar too (seed 1234567, composed-121)', async () => {
    // Light caption bars on the teal surround above each picture, 3 lines of surround between the lower one and its
    // picture (a gutter): the card's first picture begins with such a bar, so the lower caption's first edge is the split.
    const detection = detectCard(await loadFixture('composed/captions_light_outside_top_teal_selfie_chelsea.jpg'));
    expect(detection.layout).toBe('stacked');
    const truth: Box[] = [[17, 89, 864, 748], [47, 918, 804, 766]];
    truth.forEach((box, panel) => expect(iou(detection.panels[panel] ?? [0, 0, 0, 0], box), `panel ${panel}: [${detection.panels[panel]}]`).toBeGreaterThanOrEqual(MIN_IOU));
  });
});

describe('detectCard on photos of held-out bench seeds', () => {
  it.each([
    // Sky 0.998 of smooth cells, grass 0.05 (seed 13579, photo-with-structure-14).
    { fixture: 'composed/horizon_sky_over_grass.jpg' },
    // Sky 1.0, gravel 0.17; scaled and JPEG 71 (seed 424242, photo-with-structure-16).
    { fixture: 'composed/horizon_sky_over_gravel.jpg' },
  ])('does not take a horizon under a gradient sky for a seam between two pictures: $fixture', async ({ fixture }) => {
    // The sky steps by a level every few lines, so it is not flat, but it is smooth: one smooth field above detail.
    const detection = detectCard(await loadFixture(fixture));
    expect(detection.isComparison).toBe(false);
    expect(detection.reason).toBe('no-split');
  });

  it('keeps a blurred close-up touching a sharp portrait as a card (seed 90210, composed-145)', async () => {
    // The smoothest card panel of the bench suites (0.92 of smooth cells): smooth, yet not one field.
    const detection = detectCard(await loadFixture('composed/touching_blurred_closeup_beside_portrait.png'));
    expect(detection.layout).toBe('side-by-side');
    const truth: Box[] = [[0, 0, 308, 395], [308, 0, 308, 395]];
    truth.forEach((box, panel) => expect(iou(detection.panels[panel] ?? [0, 0, 0, 0], box), `panel ${panel}: [${detection.panels[panel]}]`).toBeGreaterThanOrEqual(MIN_IOU));
  });

  it('does not take a door jamb lit from one side for a gutter (seed 8675309, photo-with-structure-38)', async () => {
    // A brown jamb 4 % of the width down the middle of the grass, evenly shaded along its length but
    // lighter from its left side to its right: a gutter is laid down in one colour across its width.
    const detection = detectCard(await loadFixture('composed/door_frame_lit_across_grass.jpg'));
    expect(detection.isComparison).toBe(false);
  });

  it('does not take the line where a shelf board meets the wall behind it for a gutter (seed 20261126, photo-with-structure-9)', async () => {
    // A light board across the whole width over the dark wall of the shelf below: scaled, the line between them is
    // one colour in every lane (both sides are), but it is their blend, stepping from one to the other, no gutter's own.
    const detection = detectCard(await loadFixture('composed/bookshelf_board_over_wall.jpg'));
    expect(detection.isComparison).toBe(false);
  });

  it.each([
    // Texture at the foot of each half gives text lines 125 and 90 px tall (seed 1059285548, photo-with-structure-35).
    { fixture: 'composed/window_dark_wall_lit_sill.jpg' },
    // The post's first line on the left, "Show more" on the right: alike, but 30 px apart (seed 20261126, screenshot-10).
    { fixture: 'composed/screenshot_side_bars_text_camera.jpg' },
  ])('does not take text or texture on each side of a weak line for two labels: $fixture', async ({ fixture }) => {
    const detection = detectCard(await loadFixture(fixture));
    expect(detection.isComparison).toBe(false);
  });

  it('does not take a window bar over a textured wall for a label bar (seed 777, photo-with-structure-14)', async () => {
    // Lines across the bar cross the fur on both sides: 4-7 runs of far lanes, like glyphs, and single lines of 3, like
    // margins. A label bar's margins are two or more lines in a row.
    const detection = detectCard(await loadFixture('composed/window_cross_bars_over_fur.jpg'));
    expect(detection.isComparison).toBe(false);
  });

  it.each([
    // A window frame's top bar, 8 lines wide, lighter at its lower edge than at its upper (seed 8675309, photo-with-structure-8).
    { fixture: 'composed/window_frame_lit_across.jpg' },
    // A shelf board 16 lines wide between the books above and the wall below (seed 1059285548, photo-with-structure-11).
    { fixture: 'composed/bookshelf_board_lit_across.jpg' },
  ])('takes two edges around a band that only grows lighter across its width for a lit object, not a split: $fixture', async ({ fixture }) => {
    // The band steps by several levels a line from one edge to the other, steadily: shading, which the old
    // smoothness test (a few levels a line in all) read as texture, so the edge stayed a seam.
    const detection = detectCard(await loadFixture(fixture));
    expect(detection.isComparison).toBe(false);
  });
});
