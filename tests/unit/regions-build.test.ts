import { beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { buildRegionMaps, MAP_WORKING_SIDE, panelFace, summarizeRegions, UNCONFIRMED_FACE_MIN_SCORE, upscaleMask } from '../../lib/engine/regions/build';
import { belowChin, faceOvalMask, landmarkPoint } from '../../lib/engine/regions/face-skin';
import { labelCutoutMask } from '../../lib/engine/regions/label-cutout';
import { INSIDE, maskExtent, maskIou } from '../../lib/engine/regions/mask';
import { findRimEllipses, findTabletopObjects } from '../../lib/engine/regions/tabletop';
import { ScratchArrays } from '../../lib/engine/regions/scratch';
import type { PanelRegionMaps, RegionMask } from '../../lib/engine/regions/types';
import type { Box, RgbaImage } from '../../lib/engine/types';
import { fixturePath } from './decode';
import { doubledPhoto, loadRecordedPhoto, loadReferenceMask, type RecordedPhoto } from './region-fixtures';

const photos = new Map<string, RecordedPhoto>();
const maps = new Map<string, PanelRegionMaps>();
beforeAll(async () => {
  for (const photo of ['skimage_astronaut.png', 'matplotlib_grace_hopper.jpg', 'skimage_coffee.png']) {
    const recorded = await loadRecordedPhoto(photo);
    photos.set(photo, recorded);
    maps.set(photo, buildRegionMaps(recorded.pixels, recorded.outputs));
  }
  // Three photos' maps: over 10 s on a busy 2-core machine.
}, 30_000);

function mapsOf(photo: string): PanelRegionMaps {
  const found = maps.get(photo);
  if (!found) throw new Error(`no maps for ${photo}`);
  return found;
}

function inside(mask: RegionMask | null, predicate: (x: number, y: number) => boolean): { matching: number; total: number } {
  let matching = 0;
  let total = 0;
  if (!mask) return { matching, total };
  for (let y = 0; y < mask.height; y++)
    for (let x = 0; x < mask.width; x++) {
      if ((mask.data[y * mask.width + x] ?? 0) < INSIDE) continue;
      total++;
      if (predicate(x, y)) matching++;
    }
  return { matching, total };
}

const REGIONS = ['person', 'faceSkin', 'otherSkin', 'garment', 'background'] as const;

describe('region maps of a portrait (recorded model output, astronaut)', () => {
  it('finds every region, each with a size and a confidence', () => {
    const regions = mapsOf('skimage_astronaut.png');
    expect(regions.face?.landmarks).toHaveLength(478 * 3);
    for (const name of REGIONS) {
      const region = regions[name];
      expect(region, name).not.toBeNull();
      expect(region?.pixels, name).toBe(region?.data.filter((value) => value >= INSIDE).length);
      expect(region?.confidence, name).toBeGreaterThan(0.5);
      expect(region?.confidence, name).toBeLessThanOrEqual(1);
    }
  });

  it('puts the garment below the chin only, and never on skin or the face', () => {
    const regions = mapsOf('skimage_astronaut.png');
    const landmarks = regions.face?.landmarks;
    if (!landmarks) throw new Error('no landmarks');
    const below = belowChin(landmarks);
    const oval = faceOvalMask(landmarks, regions.width, regions.height);
    const garment = regions.garment;
    expect(inside(garment, below)).toMatchObject({ matching: garment?.pixels });
    for (const other of [regions.faceSkin, regions.otherSkin]) {
      expect(inside(garment, (x, y) => (other?.data[y * regions.width + x] ?? 0) >= INSIDE).matching).toBe(0);
    }
    expect(inside(garment, (x, y) => (oval[y * regions.width + x] ?? 0) >= INSIDE).matching).toBe(0);
    // The sleeve and the chest are garment.
    expect(inside(garment, (x, y) => x >= 60 && x < 110 && y >= 330 && y < 380).matching).toBe(2500);
  });

  it('finds other skin on the neck, not in the hair or on the suit', () => {
    const regions = mapsOf('skimage_astronaut.png');
    const landmarks = regions.face?.landmarks;
    if (!landmarks) throw new Error('no landmarks');
    const chin = landmarkPoint(landmarks, 152);
    const otherSkin = regions.otherSkin;
    const neck = inside(otherSkin, (x, y) => Math.abs(x - chin.x) < 30 && y > chin.y && y < chin.y + 15).matching;
    expect(neck).toBeGreaterThan(150);
    expect(inside(otherSkin, (x, y) => y < 60).matching).toBe(0); // hair
    expect(inside(otherSkin, (x, y) => x >= 40 && x < 120 && y >= 300 && y < 450).matching).toBe(0); // sleeve
    expect(inside(otherSkin, (x, y) => (regions.person?.data[y * regions.width + x] ?? 0) < INSIDE).matching).toBe(0);
  });

  it('keeps the background to what is not person', () => {
    const regions = mapsOf('skimage_astronaut.png');
    expect(inside(regions.background, (x, y) => (regions.person?.data[y * regions.width + x] ?? 0) >= INSIDE).matching).toBe(0);
    expect((regions.background?.pixels ?? 0) + (regions.person?.pixels ?? 0)).toBeLessThanOrEqual(regions.width * regions.height);
  });

  it('reports the summary in source pixels, offset by the panel origin', () => {
    const regions = mapsOf('skimage_astronaut.png');
    const summary = summarizeRegions(regions, [100, 40]);
    expect(summary.face?.landmarks).toBe(478);
    expect(summary.faceSkin?.box[0]).toBe((regions.faceSkin?.box[0] ?? 0) + 100);
    expect(summary.garment?.box[1]).toBe((regions.garment?.box[1] ?? 0) + 40);
    expect(summary.garment?.pixels).toBe(regions.garment?.pixels);
    expect(summary.tabletop).toBeNull();
  });
});

describe('grayscale photos', () => {
  it('build face skin from the landmarks and look for other skin on the neck only, trusted less', () => {
    const recorded = photos.get('skimage_astronaut.png');
    if (!recorded?.outputs.landmarks) throw new Error('no astronaut');
    const data = new Uint8ClampedArray(recorded.pixels.data);
    for (let offset = 0; offset < data.length; offset += 4) {
      const luma = Math.round(0.299 * (data[offset] ?? 0) + 0.587 * (data[offset + 1] ?? 0) + 0.114 * (data[offset + 2] ?? 0));
      data.set([luma, luma, luma], offset);
    }
    const gray = buildRegionMaps({ ...recorded.pixels, data }, recorded.outputs);
    const colour = mapsOf('skimage_astronaut.png');
    expect(gray.faceSkin?.pixels).toBeGreaterThan((colour.faceSkin?.pixels ?? 0) * 0.9);
    expect(gray.faceSkin?.confidence).toBeLessThan(colour.faceSkin?.confidence ?? 0);
    expect(gray.otherSkin?.confidence ?? 0).toBeLessThan(colour.otherSkin?.confidence ?? 0);
    const chin = landmarkPoint(recorded.outputs.landmarks, 152);
    // The neck: at most 0.9 face heights (≈ 100 px here) below the chin, along the slightly tilted face axis.
    expect(inside(gray.otherSkin, (_x, y) => y > chin.y - 10 && y < chin.y + 120).matching).toBe(gray.otherSkin?.pixels ?? 0);
    expect(gray.garment).not.toBeNull();
  });
});

describe('absent regions are null, never guessed', () => {
  it('has nothing but tabletop objects without model output', () => {
    const coffee = photos.get('skimage_coffee.png');
    if (!coffee) throw new Error('no coffee');
    const regions = buildRegionMaps(coffee.pixels, { face: null, landmarks: null, person: null });
    for (const name of [...REGIONS, 'face'] as const) expect(regions[name], name).toBeNull();
  });

  it('without a face, trusts the person mask little and builds no face, skin or garment', () => {
    // The segmenter calls the cup a person (recorded output); with no face that is not believed.
    const regions = mapsOf('skimage_coffee.png');
    expect(regions.face).toBeNull();
    expect(regions.faceSkin).toBeNull();
    expect(regions.otherSkin).toBeNull();
    expect(regions.garment).toBeNull();
    expect(regions.person?.confidence).toBeLessThan(0.35);
    expect(regions.tabletop).toHaveLength(1);
  });

  it('drops a face box the mesh did not confirm when the detector was unsure of it (a cup read as a face), keeps a sure one', () => {
    // The face detector at its 0.5 floor on a mushy cup, the landmarker finding no face there: as on the signals bench's cards.
    const coffee = photos.get('skimage_coffee.png');
    if (!coffee) throw new Error('no coffee');
    const faceBox: Box = [200, 120, 170, 170];
    const unsure = buildRegionMaps(coffee.pixels, { ...coffee.outputs, face: { box: faceBox, score: 0.5 } });
    expect(unsure.face).toBeNull();
    expect(unsure.garment).toBeNull();
    expect(unsure.tabletop?.map((object) => object.mask.box)).toEqual(mapsOf('skimage_coffee.png').tabletop?.map((object) => object.mask.box));
    // Only the score changes: a sure detection stands without a mesh (and then the person mask is believed, the cup is a garment).
    const sure = buildRegionMaps(coffee.pixels, { ...coffee.outputs, face: { box: faceBox, score: UNCONFIRMED_FACE_MIN_SCORE } });
    expect(sure.face?.box).toEqual(faceBox);
    expect(sure.garment).not.toBeNull();
  }, 30_000);

  it('panelFace is the face buildRegionMaps reports, without the maps: meshed, unmeshed, unsure, and on a panel worked at a smaller size', () => {
    const astronaut = photos.get('skimage_astronaut.png');
    const coffee = photos.get('skimage_coffee.png');
    if (!astronaut || !coffee) throw new Error('no photos');
    const faceBox: Box = [200, 120, 170, 170];
    const cases = [
      ...[...photos.values()].map((photo) => ({ pixels: photo.pixels, outputs: photo.outputs })),
      { pixels: coffee.pixels, outputs: { ...coffee.outputs, face: { box: faceBox, score: 0.5 } } },
      { pixels: coffee.pixels, outputs: { ...coffee.outputs, face: { box: faceBox, score: UNCONFIRMED_FACE_MIN_SCORE } } },
      // A mesh cut short is no mesh.
      { pixels: astronaut.pixels, outputs: { ...astronaut.outputs, landmarks: astronaut.outputs.landmarks?.slice(0, 300) ?? null } },
      doubledPhoto(astronaut),
    ];
    expect(cases.at(-1)?.pixels.width).toBeGreaterThan(MAP_WORKING_SIDE);
    for (const { pixels, outputs } of cases) expect(panelFace(outputs)).toEqual(buildRegionMaps(pixels, outputs).face);
    expect(cases.map(({ outputs }) => panelFace(outputs)?.landmarks?.length ?? null)).toEqual([1434, 1434, null, null, null, null, 1434]);
  }, 60_000);
});

/** A 200×120 picture: a diagonal gradient, with a green pill (rounded ends) and white text in it. */
function pillPicture(): { pixels: RgbaImage; pill: Box; text: Box } {
  const width = 200;
  const height = 120;
  const data = new Uint8ClampedArray(width * height * 4);
  const pill: Box = [40, 88, 120, 28];
  const text: Box = [62, 96, 76, 12];
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const offset = (y * width + x) * 4;
      data.set([(x * 255) / width, (y * 255) / height, 128, 255], offset);
      const [pillX, pillY, pillWidth, pillHeight] = pill;
      const radius = pillHeight / 2;
      const nearestX = Math.min(Math.max(x + 0.5, pillX + radius), pillX + pillWidth - radius);
      if (Math.hypot(x + 0.5 - nearestX, y + 0.5 - (pillY + radius)) <= radius) data.set([30, 170, 40, 255], offset);
      const [textX, textY, textWidth, textHeight] = text;
      if (x >= textX && x < textX + textWidth && y >= textY && y < textY + textHeight && (x + y) % 3 === 0) data.set([250, 250, 250, 255], offset);
    }
  return { pixels: { data, width, height }, pill, text };
}

describe('label pills and text are cut out of every region', () => {
  it('grows the text box to the pill round it, and no further', () => {
    const { pixels, pill, text } = pillPicture();
    const cutout = labelCutoutMask(pixels, [text]);
    if (!cutout) throw new Error('no cut-out');
    const [pillX, pillY, pillWidth, pillHeight] = pill;
    let pillPixels = 0;
    let pillCovered = 0;
    let beyond = 0;
    for (let y = 0; y < pixels.height; y++)
      for (let x = 0; x < pixels.width; x++) {
        const offset = (y * pixels.width + x) * 4;
        const pillColour = pixels.data[offset] === 30 && pixels.data[offset + 1] === 170 && pixels.data[offset + 2] === 40;
        const isPill = pillColour || (x >= text[0] && x < text[0] + text[2] && y >= text[1] && y < text[1] + text[3]);
        const cut = (cutout[y * pixels.width + x] ?? 0) >= INSIDE;
        if (isPill) {
          pillPixels++;
          if (cut) pillCovered++;
        }
        if (cut && (x < pillX - 3 || x >= pillX + pillWidth + 3 || y < pillY - 3 || y >= pillY + pillHeight + 3)) beyond++;
      }
    expect(pillCovered / pillPixels).toBeGreaterThan(0.97);
    expect(beyond).toBe(0);
    expect(labelCutoutMask(pixels, [])).toBeNull();
  });

  it('cuts just the text box when the text sits straight on a busy picture', () => {
    const data = new Uint8ClampedArray(100 * 60 * 4);
    for (let pixel = 0; pixel < 100 * 60; pixel++) data.set([(pixel * 97) % 256, (pixel * 61) % 256, (pixel * 37) % 256, 255], pixel * 4);
    const cutout = labelCutoutMask({ data, width: 100, height: 60 }, [[20, 20, 40, 10]]);
    const cut = cutout?.filter((value) => value >= INSIDE).length ?? 0;
    // The text box with a 3 px gap and 2 px of anti-aliasing round it.
    expect(cut).toBe((40 + 2 * 5) * (10 + 2 * 5));
  });

  it('leaves no region pixel under the label (astronaut with a label over the chest)', () => {
    const recorded = photos.get('skimage_astronaut.png');
    if (!recorded) throw new Error('no astronaut');
    const label: Box = [150, 430, 200, 30];
    const regions = buildRegionMaps(recorded.pixels, recorded.outputs, { labelBoxes: [label] });
    const cutout = labelCutoutMask(recorded.pixels, [label]);
    for (const name of REGIONS) {
      const region = regions[name];
      expect(region, name).not.toBeNull();
      expect(inside(region, (x, y) => (cutout?.[y * regions.width + x] ?? 0) >= INSIDE).matching, name).toBe(0);
    }
    expect(regions.garment?.pixels).toBeLessThan(mapsOf('skimage_astronaut.png').garment?.pixels ?? 0);
  });
});

describe('tabletop objects', () => {
  it('finds the cup and saucer of the still life as one object (IoU ≥ 0.9 against the hand-drawn mask)', async () => {
    const coffee = photos.get('skimage_coffee.png');
    if (!coffee) throw new Error('no coffee');
    const objects = findTabletopObjects(coffee.pixels, { person: null, exclude: null, faceBox: null });
    expect(objects).toHaveLength(1);
    expect(objects[0]?.kind).toBe('cup');
    const reference = await loadReferenceMask('skimage_coffee.png', 'tabletop');
    expect(maskIou(objects[0]?.mask.data ?? new Uint8Array(), reference.data)).toBeGreaterThanOrEqual(0.9);
    expect(objects[0]?.mask.confidence).toBeGreaterThan(0.5);
  });

  it('finds closed rims on the astronaut too (neck ring, mission patch), all on the person: no tabletop', () => {
    const astronaut = photos.get('skimage_astronaut.png');
    if (!astronaut) throw new Error('no astronaut');
    expect(findRimEllipses(astronaut.pixels).rims.length).toBeGreaterThan(0);
    expect(mapsOf('skimage_astronaut.png').tabletop).toBeNull();
    expect(mapsOf('matplotlib_grace_hopper.jpg').tabletop).toBeNull();
  });
});

describe('panels larger than the working size', () => {
  /** The recorded photo scaled up `factor` times (sharp, Lanczos), its model outputs scaled to match. */
  async function scaledUp(photo: string, factor: number): Promise<RecordedPhoto> {
    const recorded = photos.get(photo);
    if (!recorded) throw new Error(`no ${photo}`);
    const width = recorded.pixels.width * factor;
    const height = recorded.pixels.height * factor;
    const { data } = await sharp(fixturePath(`photos/${photo}`)).resize(width, height).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const { face, landmarks, person } = recorded.outputs;
    return {
      pixels: { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), width, height },
      outputs: {
        face: face ? { box: face.box.map((value) => value * factor) as Box, score: face.score } : null,
        landmarks: landmarks ? landmarks.map((value) => value * factor) : null,
        person,
      },
    };
  }

  /** A reference mask scaled up by pixel repetition. */
  function repeated(mask: { data: Uint8Array; width: number }, factor: number): Uint8Array {
    const height = mask.data.length / mask.width;
    const out = new Uint8Array(mask.data.length * factor * factor);
    for (let y = 0; y < height * factor; y++)
      for (let x = 0; x < mask.width * factor; x++) out[y * mask.width * factor + x] = mask.data[Math.floor(y / factor) * mask.width + Math.floor(x / factor)] ?? 0;
    return out;
  }

  it('builds the maps at the working size and hands them back in the panel grid, as good against the hand-drawn masks', async () => {
    const factor = 2;
    const large = await scaledUp('skimage_astronaut.png', factor);
    expect(Math.max(large.pixels.width, large.pixels.height)).toBeGreaterThan(MAP_WORKING_SIDE);
    const regions = buildRegionMaps(large.pixels, large.outputs);
    const native = mapsOf('skimage_astronaut.png');
    expect(regions.width).toBe(large.pixels.width);
    expect(regions.face?.landmarks).toBe(large.outputs.landmarks);
    for (const name of REGIONS) {
      const region = regions[name];
      if (!region) throw new Error(`no ${name}`);
      expect(region.data.length, name).toBe(large.pixels.width * large.pixels.height);
      expect(region.pixels, name).toBe(region.data.filter((value) => value >= INSIDE).length);
      const extent = maskExtent(region.data, region.width, region.height);
      expect(region.box, name).toEqual(extent.box);
      // The same share of the panel as at native size: within 3 %, or 0.1 % of the panel for small regions (outline effects).
      const nativePixels = native[name]?.pixels ?? 0;
      const slack = Math.max(nativePixels * 0.03, native.width * native.height * 0.001);
      expect(Math.abs(region.pixels / (factor * factor) - nativePixels), name).toBeLessThanOrEqual(slack);
    }
    // Same floors as the native-size maps (docs/models.md): face skin 0.70, garment 0.65.
    for (const [name, floor] of [
      ['faceSkin', 0.7],
      ['garment', 0.65],
    ] as const) {
      const reference = repeated(await loadReferenceMask('skimage_astronaut.png', name), factor);
      const nativeIou = maskIou(native[name]?.data ?? new Uint8Array(), (await loadReferenceMask('skimage_astronaut.png', name)).data);
      const iou = maskIou(regions[name]?.data ?? new Uint8Array(), reference);
      expect(iou, name).toBeGreaterThanOrEqual(floor);
      expect(iou, name).toBeGreaterThan(nativeIou - 0.02);
    }
  });

  it('builds each panel as if it were the first: buffers reused from panel to panel never show in, or hold, maps handed back', () => {
    const snapshot = (regions: PanelRegionMaps) => JSON.stringify(REGIONS.map((name) => [name, regions[name]?.box, regions[name]?.pixels, regions[name] && Buffer.from(regions[name].data).toString('base64')]));
    const names = ['skimage_astronaut.png', 'skimage_coffee.png', 'matplotlib_grace_hopper.jpg'];
    // Working size (scaled up) and native size, one after another, then again in the other order.
    const panels = names.flatMap((name) => {
      const recorded = photos.get(name);
      if (!recorded) throw new Error(`no ${name}`);
      return [doubledPhoto(recorded), recorded];
    });
    // A label low on each panel, so its cut-out is built and subtracted too.
    const build = ({ pixels, outputs }: RecordedPhoto) => buildRegionMaps(pixels, outputs, { labelBoxes: [[pixels.width * 0.1, pixels.height * 0.85, pixels.width * 0.3, pixels.height * 0.05]] });
    const built = panels.map(build);
    const first = built.map(snapshot);
    const again = [...panels].reverse().map((panel) => snapshot(build(panel))).reverse();
    expect(again).toEqual(first);
    // The maps built first still hold what they held.
    expect(built.map(snapshot)).toEqual(first);
    // Twelve panels' maps: 2-6 s on a busy 2-core machine.
  }, 30_000);

  it('scales maps up into the buffers given (mapBuffers) exactly as into new arrays, each set holding its panel\'s maps until its next use', () => {
    const masksOf = (regions: PanelRegionMaps) => [...REGIONS.map((name) => regions[name]), ...(regions.tabletop ?? []).map((object) => object.mask)];
    const snapshot = (regions: PanelRegionMaps) => JSON.stringify(masksOf(regions).map((mask) => mask && [mask.box, mask.pixels, mask.confidence, Buffer.from(mask.data).toString('base64')]));
    const panels = ['skimage_coffee.png', 'skimage_astronaut.png', 'matplotlib_grace_hopper.jpg'].map((name) => {
      const recorded = photos.get(name);
      if (!recorded) throw new Error(`no ${name}`);
      return doubledPhoto(recorded);
    });
    const build = ({ pixels, outputs }: RecordedPhoto, mapBuffers?: ScratchArrays) =>
      buildRegionMaps(pixels, outputs, { labelBoxes: [[pixels.width * 0.1, pixels.height * 0.85, pixels.width * 0.3, pixels.height * 0.05]], mapBuffers });
    const fresh = panels.map((panel) => build(panel));
    expect(fresh[0]?.tabletop?.length, 'a tabletop object scaled up too').toBeGreaterThan(0);
    const buffers = panels.map(() => new ScratchArrays());
    const reused = panels.map((panel, index) => build(panel, buffers[index]));
    // Read after every panel is built: no set wrote over another's maps.
    expect(reused.map(snapshot)).toEqual(fresh.map(snapshot));
    // The person maps are the sets' own buffers, the background (scaled up when read) a new array.
    for (const [index, regions] of reused.entries()) {
      expect(regions.person?.data.buffer).toBe(buffers[index]?.uint8(0, 0).buffer);
      expect(regions.background?.data.buffer).not.toBe(buffers[index]?.uint8(0, 0).buffer);
    }
    // A set used again (another panel, after a larger one) holds the new panel's maps, nothing of the old.
    expect(snapshot(build(panels[1] as RecordedPhoto, buffers[0]))).toEqual(snapshot(fresh[1] as PanelRegionMaps));
    expect(snapshot(build(panels[0] as RecordedPhoto, buffers[2]))).toEqual(snapshot(fresh[0] as PanelRegionMaps));
  }, 30_000);

  it('scales a mask up to the panel grid with its box and count measured there', () => {
    const data = new Uint8Array(4 * 3);
    data[1 * 4 + 1] = 255;
    data[1 * 4 + 2] = 200;
    data[2 * 4 + 2] = 100;
    const scaled = upscaleMask({ data, width: 4, height: 3, box: [1, 1, 2, 1], pixels: 2, confidence: 0.7 }, 8, 6);
    expect(scaled.box).toEqual([2, 2, 4, 2]);
    expect(scaled.pixels).toBe(8);
    expect(scaled.confidence).toBe(0.7);
    expect(Array.from(scaled.data.subarray(2 * 8, 3 * 8))).toEqual([0, 0, 255, 255, 200, 200, 0, 0]);
    expect(Array.from(scaled.data.subarray(3 * 8, 4 * 8))).toEqual([0, 0, 255, 255, 200, 200, 0, 0]);
    // Only the box is carried over: the soft 100 below it stays out.
    expect(scaled.data.filter((value) => value > 0)).toHaveLength(8);
  });
});
