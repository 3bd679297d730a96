/**
 * The engine's outputs on the repository's fixtures, one SHA-256 per case (scripts/fingerprint.mjs):
 * card detection and label strips on every fixture picture (as given, turned a quarter and scaled),
 * the recognition inputs of the strips, the region maps of the photos with recorded model outputs
 * (at their size, doubled so the maps are worked out at a smaller size, with a label cut out), and
 * judgeCard (signals, heat maps, audit, verdict) on pairs of those photos, the same and altered.
 * A speed rewrite that means to change nothing shows the same fingerprints before and after.
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import sharp from 'sharp';
import { detectCard } from '../lib/engine/detect';
import { judgeCard } from '../lib/engine/judge';
import { findLabelStrips } from '../lib/engine/ocr/label-strips';
import { recognitionInput } from '../lib/engine/ocr/recognition-input';
import { buildRegionMaps } from '../lib/engine/regions/build';
import type { PanelRegionMaps } from '../lib/engine/regions/types';
import type { Box, RgbaImage } from '../lib/engine/types';
import { decodeToRgba } from '../tests/unit/decode';
import { doubledPhoto, loadRecordedPhoto } from '../tests/unit/region-fixtures';

const FIXTURES = new URL('../tests/fixtures/', import.meta.url);
const PICTURE_FOLDERS = ['cards', 'photos', 'composed'];

/** SHA-256 of a value as JSON, typed arrays by their bytes (so floats count bit for bit). */
export function fingerprint(value: unknown): string {
  const json = JSON.stringify(value, (_key, item: unknown) => {
    if (ArrayBuffer.isView(item)) {
      const bytes = new Uint8Array(item.buffer, item.byteOffset, item.byteLength);
      return { [item.constructor.name]: item.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') };
    }
    return typeof item === 'number' && !Number.isFinite(item) ? String(item) : item;
  });
  return createHash('sha256').update(json ?? 'undefined').digest('hex');
}

function fixture(path: string): string {
  return new URL(path, FIXTURES).pathname;
}

/** Each fixture picture as given, turned a quarter (a side-by-side card becomes a stacked one) and at 0.7 of its size. */
async function pictureVariants(path: string): Promise<[string, RgbaImage][]> {
  const file = fixture(path);
  const { width = 1 } = await sharp(file).metadata();
  return [
    [path, await decodeToRgba(sharp(file))],
    [`${path} turned`, await decodeToRgba(sharp(file).rotate(90))],
    [`${path} at 0.7`, await decodeToRgba(sharp(file).resize({ width: Math.round(width * 0.7), kernel: 'lanczos3' }))],
  ];
}

/** Detection, label strips and recognition inputs of one picture. */
function detectionCase(image: RgbaImage): unknown {
  const detection = detectCard(image);
  const strips = detection.isComparison ? findLabelStrips(image, detection.panels) : [];
  return { detection, strips, inputs: strips.map((strip) => (strip ? recognitionInput(image, strip.cropBox) : null)) };
}

/** Every channel times `factor` (a darker or brighter copy of the same setup). */
function toned(image: RgbaImage, factor: number): RgbaImage {
  const data = new Uint8ClampedArray(image.data);
  for (let index = 0; index < data.length; index++) if (index % 4 !== 3) data[index] = Math.round((data[index] as number) * factor);
  return { ...image, data };
}

/** The fingerprints, case by case, grouped by the case name's first word (detect, maps, judge). */
export async function engineFingerprints(log: (line: string) => void = () => {}): Promise<Record<string, string>> {
  const prints: Record<string, string> = {};
  for (const folder of PICTURE_FOLDERS) {
    for (const name of readdirSync(fixture(`${folder}/`)).sort()) {
      for (const [label, image] of await pictureVariants(`${folder}/${name}`)) prints[`detect ${label}`] = fingerprint(detectionCase(image));
    }
  }
  log(`detect: ${Object.keys(prints).length} pictures`);

  const stems = readdirSync(fixture('model-outputs/'))
    .filter((name) => name.endsWith('.landmarks.json'))
    .map((name) => name.replace('.landmarks.json', ''))
    .sort();
  const photos = readdirSync(fixture('photos/'));
  const panels: [string, RgbaImage, PanelRegionMaps][] = [];
  for (const stem of stems) {
    const photo = photos.find((name) => name.replace(/\.[a-z]+$/, '') === stem);
    if (!photo) continue; // outputs recorded for an altered copy of a photo
    const recorded = await loadRecordedPhoto(photo);
    const maps = buildRegionMaps(recorded.pixels, recorded.outputs);
    prints[`maps ${stem}`] = fingerprint(maps);
    const { width, height } = recorded.pixels;
    const label: Box = [Math.round(width * 0.3), Math.round(height * 0.85), Math.round(width * 0.4), Math.round(height * 0.1)];
    prints[`maps ${stem} with a label`] = fingerprint(buildRegionMaps(recorded.pixels, recorded.outputs, { labelBoxes: [label] }));
    const large = doubledPhoto(recorded);
    prints[`maps ${stem} doubled`] = fingerprint(buildRegionMaps(large.pixels, large.outputs));
    panels.push([stem, recorded.pixels, maps]);
  }
  log(`maps: ${panels.length} photos`);

  for (const [stem, pixels, regions] of panels) {
    for (const [variant, other] of [
      ['same', pixels],
      ['darker', toned(pixels, 0.6)],
      ['brighter', toned(pixels, 1.3)],
    ] as const) {
      prints[`judge ${stem} ${variant}`] = fingerprint(judgeCard({ panel: pixels, regions }, { panel: other, regions }, 'side-by-side'));
    }
    prints[`judge ${stem} without regions`] = fingerprint(judgeCard({ panel: pixels, regions: null }, { panel: toned(pixels, 0.8), regions: null }, 'stacked'));
  }
  for (let index = 0; index + 1 < panels.length; index++) {
    const [stemA, pixelsA, regionsA] = panels[index] as (typeof panels)[number];
    const [stemB, pixelsB, regionsB] = panels[index + 1] as (typeof panels)[number];
    prints[`judge ${stemA} beside ${stemB}`] = fingerprint(judgeCard({ panel: pixelsA, regions: regionsA }, { panel: pixelsB, regions: regionsB }, 'side-by-side'));
  }
  log(`judge: ${Object.keys(prints).filter((key) => key.startsWith('judge ')).length} pairs`);
  return prints;
}
