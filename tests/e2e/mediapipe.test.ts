import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Box } from '../../lib/engine/types';
import { openTestPage, scratchDir, type TestPage } from './harness';
import { readNetLogRequests, type LoggedRequest } from './netlog';
import type { FaceRange } from '../../lib/models/mediapipe';
import { LEFT_EYE_CONTOUR, LEFT_IRIS_FIRST, RIGHT_EYE_CONTOUR, RIGHT_IRIS_FIRST } from '../../scripts/lib/face-landmarks.mjs';
import type { FacesReply, ImageKind, LandmarksReply, ModelCheckApi, PersonReply } from './pages/model-check/main';

/**
 * Hand-marked from the fixtures (x, y, width, height in pixels): where the face is (brow to chin,
 * cheek to cheek), areas that are certainly the person, and areas that are certainly background.
 */
const PHOTOS = {
  'skimage_astronaut.png': {
    face: [180, 80, 95, 105],
    person: [[185, 60, 80, 110], [80, 300, 200, 180]],
    background: [[0, 0, 70, 200], [330, 0, 180, 150]],
  },
  'matplotlib_grace_hopper.jpg': {
    face: [165, 140, 200, 195],
    person: [[190, 150, 160, 160], [60, 420, 390, 170]],
    background: [[0, 0, 120, 200], [400, 50, 112, 200]],
  },
} satisfies Record<string, { face: Box; person: Box[]; background: Box[] }>;
const FACELESS = 'skimage_brick.png';

/** The astronaut scaled to 400 px at (300, 620) on a grey 1024² canvas: a face ~7% of the image wide. */
const SMALL_FACE = { name: 'small-face', scale: 400 / 512, left: 300, top: 620, canvas: 1024 };
const smallFaceBox = (): Box => {
  const [x, y, width, height] = PHOTOS['skimage_astronaut.png'].face;
  const { scale, left, top } = SMALL_FACE;
  return [left + x * scale, top + y * scale, width * scale, height * scale];
};

/** A found face must overlap the hand-marked face by at least this IoU. */
const MIN_FACE_IOU = 0.5;
/** Mean person probability inside certain-person areas, and the most allowed in certain-background areas. */
const MIN_PERSON_PROBABILITY = 0.9;
const MAX_BACKGROUND_PROBABILITY = 0.1;

function iou([ax, ay, aw, ah]: Box, [bx, by, bw, bh]: Box): number {
  const overlapWidth = Math.max(0, Math.min(ax + aw, bx + bw) - Math.max(ax, bx));
  const overlapHeight = Math.max(0, Math.min(ay + ah, by + bh) - Math.max(ay, by));
  const overlap = overlapWidth * overlapHeight;
  return overlap / (aw * ah + bw * bh - overlap);
}

/** Mean of a 0-255 mask over a box, as 0-1. */
function meanOver(reply: PersonReply, [x, y, width, height]: Box): number {
  const mask = Buffer.from(reply.maskBase64, 'base64');
  let sum = 0;
  for (let row = y; row < y + height; row++) for (let column = x; column < x + width; column++) sum += mask[row * reply.width + column] ?? 0;
  return sum / (width * height * 255);
}

function personShare(reply: PersonReply): number {
  const mask = Buffer.from(reply.maskBase64, 'base64');
  return mask.filter((value) => value >= 128).length / mask.length;
}

describe('MediaPipe Tasks on the patched models, in an extension page', () => {
  let opened: TestPage;
  let page: Page;
  let netLogPath: string;
  let pageErrors: string[];
  const pageRequests: { url: string; method: string }[] = [];
  const photos: Record<string, string> = {};

  beforeAll(async () => {
    for (const name of [...Object.keys(PHOTOS), FACELESS]) photos[name] = (await readFile(join('tests/fixtures/photos', name))).toString('base64');
    const astronaut = await sharp(join('tests/fixtures/photos', 'skimage_astronaut.png')).resize(Math.round(512 * SMALL_FACE.scale)).toBuffer();
    photos[SMALL_FACE.name] = (
      await sharp({ create: { width: SMALL_FACE.canvas, height: SMALL_FACE.canvas, channels: 3, background: '#808080' } })
        .composite([{ input: astronaut, left: SMALL_FACE.left, top: SMALL_FACE.top }])
        .png()
        .toBuffer()
    ).toString('base64');
    netLogPath = join(await scratchDir('mediapipe-netlog'), 'net-log.json');
    opened = await openTestPage('model-check', { netLog: netLogPath }, (newPage) =>
      newPage.on('request', (request) => pageRequests.push({ url: request.url(), method: request.method() })),
    );
    ({ page, pageErrors } = opened);
  });

  afterAll(() => opened?.close());

  const faces = (name: string, kind: ImageKind = 'bitmap', range: FaceRange = 'short') =>
    page.evaluate(
      ([image, imageKind, faceRange]) => (globalThis as unknown as { sidelightModelCheck: ModelCheckApi }).sidelightModelCheck.faces(image, imageKind, faceRange),
      [photos[name] ?? '', kind, range] as const,
    );
  const landmarks = (name: string): Promise<LandmarksReply> =>
    page.evaluate((image) => (globalThis as unknown as { sidelightModelCheck: ModelCheckApi }).sidelightModelCheck.landmarks(image), photos[name] ?? '');
  const person = (name: string, kind: ImageKind = 'bitmap') =>
    page.evaluate(([image, imageKind]) => (globalThis as unknown as { sidelightModelCheck: ModelCheckApi }).sidelightModelCheck.person(image, imageKind), [photos[name] ?? '', kind] as const);

  it.each(Object.entries(PHOTOS))('finds the one face in %s where it is', async (name, expected) => {
    const reply: FacesReply = await faces(name);
    expect(reply.faces).toHaveLength(1);
    const [face] = reply.faces;
    expect(face?.score).toBeGreaterThan(0.8);
    expect(iou(face?.box ?? [0, 0, 0, 0], expected.face)).toBeGreaterThanOrEqual(MIN_FACE_IOU);
    // Both eyes (keypoints 0 and 1) sit in the upper half of the box.
    for (const eye of face?.keypoints.slice(0, 2) ?? []) {
      const [x, y, width, height] = face?.box ?? [0, 0, 0, 0];
      expect(eye.x).toBeGreaterThan(x);
      expect(eye.x).toBeLessThan(x + width);
      expect(eye.y).toBeGreaterThan(y);
      expect(eye.y).toBeLessThan(y + height / 2);
    }
  });

  it('finds the same face from a module worker, where the analysis worker will run the models', async () => {
    const inWorker = await page.evaluate(
      (image) => (globalThis as unknown as { sidelightModelCheck: ModelCheckApi }).sidelightModelCheck.facesInWorker(image),
      photos['skimage_astronaut.png'] ?? '',
    );
    expect(inWorker).toHaveLength(1);
    expect(iou(inWorker[0]?.box ?? [0, 0, 0, 0], PHOTOS['skimage_astronaut.png'].face)).toBeGreaterThanOrEqual(MIN_FACE_IOU);
  });

  it.each(Object.entries(PHOTOS))('finds the face in %s with the full-range model too', async (name, expected) => {
    const reply = await faces(name, 'bitmap', 'full');
    expect(reply.faces).toHaveLength(1);
    expect(iou(reply.faces[0]?.box ?? [0, 0, 0, 0], expected.face)).toBeGreaterThanOrEqual(MIN_FACE_IOU);
  });

  it('finds a face 7% of the image wide with the full-range model, which the short-range one misses', async () => {
    const full = await faces(SMALL_FACE.name, 'bitmap', 'full');
    expect(full.faces).toHaveLength(1);
    expect(iou(full.faces[0]?.box ?? [0, 0, 0, 0], smallFaceBox())).toBeGreaterThanOrEqual(MIN_FACE_IOU);
    expect((await faces(SMALL_FACE.name)).faces).toEqual([]);
  });

  it.each<FaceRange>(['short', 'full'])('finds no face on a brick wall (%s range)', async (range) => {
    expect((await faces(FACELESS, 'bitmap', range)).faces).toEqual([]);
  });

  it('takes ImageData as well as ImageBitmap, with the same answer', async () => {
    const [fromBitmap, fromImageData] = [await faces('skimage_astronaut.png'), await faces('skimage_astronaut.png', 'imagedata')];
    expect(fromImageData.faces).toHaveLength(1);
    expect(iou(fromImageData.faces[0]?.box ?? [0, 0, 0, 0], fromBitmap.faces[0]?.box ?? [0, 0, 0, 0])).toBeGreaterThan(0.95);
  });

  it.each(Object.entries(PHOTOS))('puts 478 face landmarks on the face in %s, irises inside their eyes', async (name, expected) => {
    const reply = await landmarks(name);
    expect(reply.faces).toHaveLength(1);
    const points = reply.faces[0]?.points ?? [];
    expect(points).toHaveLength(478);
    // The mesh reaches from the hairline to the chin: allow a margin around the hand-marked face.
    const [x, y, width, height] = expected.face;
    for (const point of points) {
      expect(point.x).toBeGreaterThan(x - width * 0.3);
      expect(point.x).toBeLessThan(x + width * 1.3);
      expect(point.y).toBeGreaterThan(y - height * 0.5);
      expect(point.y).toBeLessThan(y + height * 1.3);
    }
    for (const [contour, firstIris] of [
      [LEFT_EYE_CONTOUR, LEFT_IRIS_FIRST],
      [RIGHT_EYE_CONTOUR, RIGHT_IRIS_FIRST],
    ] as const) {
      const eye = contour.map((index) => points[index] ?? { x: NaN, y: NaN, z: NaN });
      const centre = points[firstIris] ?? { x: NaN, y: NaN, z: NaN };
      expect(centre.x).toBeGreaterThan(Math.min(...eye.map((point) => point.x)));
      expect(centre.x).toBeLessThan(Math.max(...eye.map((point) => point.x)));
      // Iris depth is the mean depth of the eye contour, computed inside the rewritten model.
      const meanDepth = eye.reduce((sum, point) => sum + point.z, 0) / eye.length;
      for (let order = 0; order < 5; order++) expect(points[firstIris + order]?.z).toBeCloseTo(meanDepth, 3);
    }
  });

  it('puts no face landmarks on a brick wall', async () => {
    expect((await landmarks(FACELESS)).faces).toEqual([]);
  });

  it.each(Object.entries(PHOTOS))('masks the person in %s and not the background', async (name, expected) => {
    const reply = await person(name);
    const size = name === 'matplotlib_grace_hopper.jpg' ? [512, 600] : [512, 512];
    expect([reply.width, reply.height]).toEqual(size);
    for (const box of expected.person) expect(meanOver(reply, box)).toBeGreaterThanOrEqual(MIN_PERSON_PROBABILITY);
    for (const box of expected.background) expect(meanOver(reply, box)).toBeLessThanOrEqual(MAX_BACKGROUND_PROBABILITY);
    expect(personShare(reply)).toBeGreaterThan(0.4);
  });

  it('masks no person on a brick wall', async () => {
    expect(personShare(await person(FACELESS))).toBeLessThan(0.02);
  });

  it('ran without page errors, on the CPU backend', async () => {
    expect(pageErrors).toEqual([]);
    expect(await page.evaluate(() => (globalThis as unknown as { sidelightModelCheck: ModelCheckApi }).sidelightModelCheck.backend)).toBe('wasm-cpu');
  });

  it('loads the runtime and the models from the extension bundle, and nothing else', () => {
    const urls = pageRequests.map((request) => request.url);
    const bundled = `chrome-extension://${opened.browser.extensionId}/mediapipe/`;
    for (const file of ['wasm/vision_wasm_module_internal.js', 'wasm/vision_wasm_module_internal.wasm', 'face_detector.tflite', 'face_detection_full_range.tflite', 'selfie_segmentation.tflite', 'face_landmarker.task']) {
      expect(urls).toContain(`${bundled}${file}`);
    }
    expect(urls.filter((url) => !url.startsWith(`chrome-extension://${opened.browser.extensionId}/`))).toEqual([]);
  });

  // Closing the tasks flushes tasks-vision's usage log as a POST to odml.pa.googleapis.com; the
  // manifest's declarativeNetRequest rule (public/rules/block-telemetry.json) must refuse it.
  it('sends nothing out of the browser when the tasks are closed', async () => {
    const leaving = page.waitForEvent('request', { predicate: (request) => !request.url().startsWith('chrome-extension://'), timeout: 5_000 }).catch(() => null);
    await page.evaluate(() => (globalThis as unknown as { sidelightModelCheck: ModelCheckApi }).sidelightModelCheck.close());
    await leaving;
    await opened.browser.close();
    const origin = `chrome-extension://${opened.browser.extensionId}`;
    const sent: LoggedRequest[] = (await readNetLogRequests(netLogPath)).filter((request) => request.initiator === origin);
    expect(sent.map((request) => request.url)).toEqual([]);
  });
});
