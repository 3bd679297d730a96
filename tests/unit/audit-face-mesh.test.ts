/**
 * The audit on real face meshes (tests/fixtures/model-outputs, recorded from the bundled MediaPipe
 * models by scripts/fixtures/capture-model-outputs.mjs): a tone curve on a small, turned face moves
 * its mesh as much as another person's face would, and must not make the pair "a different person".
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { auditComparison, combinedIdentity, CONTROLLED_FROM, faceLayoutAgreement, landmarkAgreement, UNCONTROLLED_BELOW, type AuditPanel } from '../../lib/engine/audit';
import type { Box, RgbaImage } from '../../lib/engine/types';
import { fixturePath, loadFixture } from './decode';
import { emptyRegionMaps } from './signals-regions';
import { editInside } from './signals-synthetic';

/** The capture script's curve: levels up to `blackPoint` to black, the rest stretched (it recorded the mesh of exactly these pixels). */
const crushShadows = (image: RgbaImage, blackPoint: number) => editInside(image, null, (value) => Math.max(0, ((value - blackPoint) * 255) / (255 - blackPoint)));

async function recordedMesh(stem: string): Promise<{ box: Box; score: number; landmarks: Float32Array }> {
  const recorded = JSON.parse(await readFile(fixturePath(`model-outputs/${stem}.landmarks.json`), 'utf8')) as { face: { box: Box; score: number }; landmarks: number[] };
  return { ...recorded.face, landmarks: Float32Array.from(recorded.landmarks) };
}

/** A panel with only the face the models found in it (its box and mesh): what the audit reads. */
async function meshPanel(photo: string, stem: string, edit?: (image: RgbaImage) => RgbaImage): Promise<AuditPanel> {
  const original = await loadFixture(`photos/${photo}`);
  const panel = edit ? edit(original) : original;
  return { panel, regions: { ...emptyRegionMaps(panel.width, panel.height), face: await recordedMesh(stem) } };
}

const landmarksOf = (panel: AuditPanel) => panel.regions?.face?.landmarks ?? null;

describe('auditComparison on recorded face meshes', () => {
  it('keeps a crushed-shadow copy of a small, turned face controlled although its mesh moved', async () => {
    const clean = await meshPanel('skimage_camera.png', 'skimage_camera');
    const crushed = await meshPanel('skimage_camera.png', 'skimage_camera.black70', (image) => crushShadows(image, 70));
    // The problem: the mesh alone reads the crushed copy as another face shape (residual ≈ 7.5 % of the face's radius).
    const mesh = landmarkAgreement(landmarksOf(clean), landmarksOf(crushed));
    expect(mesh?.identity).toBeLessThan(UNCONTROLLED_BELOW);
    const audit = auditComparison(clean, crushed);
    expect(audit.faceLayout).toBeGreaterThan(0.85);
    expect(audit.consistency.identity).toBeGreaterThanOrEqual(CONTROLLED_FROM);
    expect(audit.consistency.controlled, JSON.stringify(audit)).toBe(true);
    expect(audit.reasons).toEqual([]);
  });

  it.each([
    ['skimage_camera.png', 'skimage_astronaut.png'],
    ['skimage_astronaut.png', 'matplotlib_grace_hopper.jpg'],
    ['skimage_camera.png', 'matplotlib_grace_hopper.jpg'],
  ])('still calls %s and %s two different people', async (photoA, photoB) => {
    const stem = (photo: string) => photo.replace(/\.[a-z]+$/, '');
    const audit = auditComparison(await meshPanel(photoA, stem(photoA)), await meshPanel(photoB, stem(photoB)));
    expect(audit.faceLayout).toBeLessThan(0.2);
    expect(audit.consistency.identity).toBeLessThan(UNCONTROLLED_BELOW);
    expect(audit.consistency.controlled).toBe(false);
    expect(audit.reasons).toContain('a different person');
  });

  it('still calls a crushed-shadow face and another person two different people', async () => {
    const crushed = await meshPanel('skimage_camera.png', 'skimage_camera.black70', (image) => crushShadows(image, 70));
    const audit = auditComparison(crushed, await meshPanel('matplotlib_grace_hopper.jpg', 'matplotlib_grace_hopper'));
    expect(audit.faceLayout).toBeLessThan(0.2);
    expect(audit.consistency.controlled).toBe(false);
    expect(audit.reasons).toContain('a different person');
  });
});

describe('faceLayoutAgreement: the face brightness layout in the mesh frame', () => {
  it('stays near 1 under a strong rising tone curve on the same face and mesh', async () => {
    const clean = await meshPanel('matplotlib_grace_hopper.jpg', 'matplotlib_grace_hopper');
    const landmarks = landmarksOf(clean);
    const gamma = editInside(clean.panel, null, (value) => 255 * (value / 255) ** 1.8);
    // Pixel ranks do not move; the cells are means, and the mean of a curved map reorders a few near-equal cells.
    expect(faceLayoutAgreement({ panel: clean.panel, landmarks }, { panel: gamma, landmarks })).toBeGreaterThan(0.97);
  });

  it('follows the face, not the frame: the same face cropped and shifted still agrees', async () => {
    const clean = await meshPanel('skimage_astronaut.png', 'skimage_astronaut');
    const landmarks = landmarksOf(clean) as Float32Array;
    const [left, top, width, height] = [40, 25, 400, 420];
    const data = new Uint8ClampedArray(width * height * 4);
    for (let row = 0; row < height; row++) data.set(clean.panel.data.subarray(((top + row) * clean.panel.width + left) * 4, ((top + row) * clean.panel.width + left + width) * 4), row * width * 4);
    const shifted = landmarks.map((value, index) => (index % 3 === 0 ? value - left : index % 3 === 1 ? value - top : value));
    expect(faceLayoutAgreement({ panel: clean.panel, landmarks }, { panel: { data, width, height }, landmarks: shifted })).toBeGreaterThan(0.99);
  });

  it('is null without both meshes', async () => {
    const clean = await meshPanel('skimage_astronaut.png', 'skimage_astronaut');
    expect(faceLayoutAgreement({ panel: clean.panel, landmarks: landmarksOf(clean) }, { panel: clean.panel, landmarks: null })).toBeNull();
    expect(faceLayoutAgreement({ panel: clean.panel, landmarks: new Float32Array(30) }, { panel: clean.panel, landmarks: landmarksOf(clean) })).toBeNull();
  });
});

describe('combinedIdentity', () => {
  it.each([
    [0.9, null, 0.9],
    [0.3, null, 0.3],
    [0.3, 0.92, 0.92],
    [0.95, 0.8, 0.95],
    // A layout that only half agrees (another face on the same background) never lifts the mesh.
    [0.3, 0.69, 0.3],
    [0.1, 0.5, 0.1],
  ])('mesh %s, layout %s: %s', (mesh, layout, expected) => {
    expect(combinedIdentity(mesh, layout)).toBe(expected);
  });
});
