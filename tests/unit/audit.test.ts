import { describe, expect, it } from 'vitest';
import { auditComparison, landmarkAgreement, symmetricEigen, type AuditPanel } from '../../lib/engine/audit';
import type { PanelRegionMaps } from '../../lib/engine/regions/types';
import type { RgbaImage } from '../../lib/engine/types';
import { loadFixture } from './decode';
import { emptyRegionMaps, photoRegionSpecs, regionMapsFromSpec } from './signals-regions';
import { blurInside, editInside, normal, portrait, seeded } from './signals-synthetic';

/** A photo with its hand-drawn region maps (an audit panel whose regions are whole maps). */
async function photoPanel(file: string): Promise<AuditPanel & { regions: PanelRegionMaps | null }> {
  const panel = await loadFixture(file);
  return { panel, regions: regionMapsFromSpec(photoRegionSpecs()[file] ?? { size: [panel.width, panel.height] }) };
}

const crush = (image: RgbaImage) => editInside(image, null, (value) => Math.max(0, ((value - 70) * 255) / 185));

describe('auditComparison: the setup, not the rendering', () => {
  it('calls two copies of a portrait controlled, every component near 1', async () => {
    const astronaut = await photoPanel('photos/skimage_astronaut.png');
    const audit = auditComparison(astronaut, astronaut);
    expect(audit.consistency).toMatchObject({ identity: null, pose: null, controlled: true });
    expect(audit.consistency.framing).toBeGreaterThan(0.99);
    expect(audit.consistency.lighting).toBeGreaterThan(0.99);
    expect(audit.reasons).toEqual([]);
  });

  it.each([
    ['crushed shadows', (image: RgbaImage) => crush(image)],
    ['smoothed skin', (image: RgbaImage, regions: PanelRegionMaps) => blurInside(image, regions.faceSkin, 2)],
    ['blurred fabric', (image: RgbaImage, regions: PanelRegionMaps) => blurInside(image, regions.garment, 2)],
  ] as [string, (image: RgbaImage, regions: PanelRegionMaps) => RgbaImage][])('keeps a pair controlled when one panel has %s', async (_, degrade) => {
    for (const file of ['photos/matplotlib_grace_hopper.jpg', 'photos/skimage_astronaut.png']) {
      const clean = await photoPanel(file);
      const regions = clean.regions ?? emptyRegionMaps(clean.panel.width, clean.panel.height);
      const audit = auditComparison(clean, { panel: degrade(clean.panel, regions), regions });
      expect(audit.consistency.controlled, `${file}: ${JSON.stringify(audit.consistency)}`).toBe(true);
    }
  });

  it('says not controlled when only one panel has a face', async () => {
    const audit = auditComparison(await photoPanel('photos/skimage_astronaut.png'), await photoPanel('photos/skimage_coffee.png'));
    expect(audit.consistency.controlled).toBe(false);
    expect(audit.reasons).toEqual(['a face in the first panel only']);
  });

  it('compares whole-panel structure when neither panel has a face', async () => {
    const coffee = await photoPanel('photos/skimage_coffee.png');
    const brick = await photoPanel('photos/skimage_brick.png');
    const gravel = await photoPanel('photos/skimage_gravel.png');
    const mushy = { ...coffee, panel: blurInside(coffee.panel, coffee.regions?.tabletop?.[0]?.mask ?? null, 2) };
    expect(auditComparison(coffee, mushy).consistency.controlled).toBe(true);
    const different = auditComparison(brick, gravel);
    expect(different.consistency.controlled).toBe(false);
    expect(different.reasons).toContain('a different picture');
    expect(different.structure).toBeLessThan(0.5);
  });

  it('says not controlled when the face moves or changes size in the frame', () => {
    const scene = portrait();
    const moved: PanelRegionMaps = { ...scene.regions, face: { box: [150, 90, 60, 76], score: 1, landmarks: null } };
    const audit = auditComparison({ panel: scene.image, regions: scene.regions }, { panel: scene.image, regions: moved });
    expect(audit.consistency.framing).toBeLessThan(0.5);
    expect(audit.consistency.controlled).toBe(false);
    expect(audit.reasons).toContain('different framing');
  });

  it('says not controlled when the key light comes from the other side', () => {
    const fromRight = portrait({ faceShading: 40 });
    const fromLeft = portrait({ faceShading: -40 });
    const audit = auditComparison({ panel: fromRight.image, regions: fromRight.regions }, { panel: fromLeft.image, regions: fromLeft.regions });
    expect(audit.consistency.lighting).toBeLessThan(0.5);
    expect(audit.reasons).toContain('different light');
    const same = auditComparison({ panel: fromRight.image, regions: fromRight.regions }, { panel: portrait({ faceShading: 40, seed: 99 }).image, regions: fromRight.regions });
    expect(same.consistency.lighting).toBeGreaterThan(0.8);
  });
});

/** A 478-point synthetic face mesh: points on a half-ellipsoid (70 × 90 × 40 px) around (200, 200, 0). */
function mesh(seed: number, wobble = 0): Float32Array {
  const random = seeded(seed);
  const shape = seeded(1234);
  const gauss = normal(random);
  const points = new Float32Array(478 * 3);
  for (let point = 0; point < 478; point++) {
    const theta = shape() * Math.PI - Math.PI / 2;
    const phi = shape() * Math.PI - Math.PI / 2;
    points[point * 3] = 200 + 70 * Math.sin(theta) * Math.cos(phi) * (1 + wobble * gauss());
    points[point * 3 + 1] = 200 + 90 * Math.sin(phi) * (1 + wobble * gauss());
    points[point * 3 + 2] = -40 * Math.cos(theta) * Math.cos(phi) * (1 + wobble * gauss());
  }
  return points;
}

/** Turns the mesh by `degrees` about the vertical axis through its centre (a head turn), then scales and moves it. */
function turned(points: Float32Array, degrees: number, scale = 1, shift = 0): Float32Array {
  const out = new Float32Array(points.length);
  const angle = (degrees * Math.PI) / 180;
  for (let point = 0; point < points.length / 3; point++) {
    const x = (points[point * 3] ?? 0) - 200;
    const y = (points[point * 3 + 1] ?? 0) - 200;
    const z = points[point * 3 + 2] ?? 0;
    out[point * 3] = 200 + shift + scale * (x * Math.cos(angle) + z * Math.sin(angle));
    out[point * 3 + 1] = 200 + scale * y;
    out[point * 3 + 2] = scale * (-x * Math.sin(angle) + z * Math.cos(angle));
  }
  return out;
}

describe('landmarkAgreement: identity and pose from the face mesh', () => {
  it('sees the same face, moved and scaled, as the same person in the same pose', () => {
    const agreement = landmarkAgreement(mesh(1), turned(mesh(1), 0, 1.3, 40));
    expect(agreement?.identity).toBeGreaterThan(0.99);
    expect(agreement?.pose).toBeGreaterThan(0.99);
  });

  it('sees a head turn as a pose change, not a different person', () => {
    const agreement = landmarkAgreement(mesh(1), turned(mesh(1), 15));
    expect(agreement?.identity).toBeGreaterThan(0.99);
    expect(agreement?.pose).toBeCloseTo(0.5, 2);
  });

  it('sees a differently shaped face as a different person in the same pose', () => {
    const agreement = landmarkAgreement(mesh(1), mesh(2, 0.08));
    expect(agreement?.identity).toBeLessThan(0.5);
    expect(agreement?.pose).toBeGreaterThan(0.8);
  });

  it('gives null without both meshes', () => {
    expect(landmarkAgreement(mesh(1), null)).toBeNull();
    expect(landmarkAgreement(new Float32Array(30), mesh(1))).toBeNull();
  });

  it('decomposes a symmetric matrix into its eigenpairs', () => {
    const { values, vectors } = symmetricEigen([
      [2, 1, 0],
      [1, 2, 0],
      [0, 0, 5],
    ]);
    expect([...values].sort((a, b) => a - b).map((value) => Number(value.toFixed(6)))).toEqual([1, 3, 5]);
    const largest = values.indexOf(Math.max(...values));
    expect(Math.abs(vectors[2]?.[largest] ?? 0)).toBeCloseTo(1, 6);
  });
});
