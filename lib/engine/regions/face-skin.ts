/**
 * Face skin from the 478 face-mesh landmarks: the face oval minus the eyes, brows, lips and
 * nostrils, each cut a little wider than its outline (lashes, brow hairs, lip liner).
 */
import { CHIN, FACE_OVAL, FOREHEAD, LANDMARK_COUNT, LEFT_EYE, LEFT_EYEBROW, LIPS, NOSTRILS, RIGHT_EYE, RIGHT_EYEBROW } from './face-mesh';
import { fillPolygon, growPolygon, type Point } from './mask';

/** Extra margin round each cut-out feature, as a share of the face's width (≈ 2 px on a 130 px face). */
const FEATURE_MARGIN_SHARE = 0.015;

export function landmarkPoint(landmarks: Float32Array, index: number): Point {
  return { x: landmarks[index * 3] ?? NaN, y: landmarks[index * 3 + 1] ?? NaN };
}

export function landmarkPolygon(landmarks: Float32Array, indices: readonly number[]): Point[] {
  return indices.map((index) => landmarkPoint(landmarks, index));
}

export function hasFullMesh(landmarks: Float32Array | null): landmarks is Float32Array {
  return landmarks !== null && landmarks.length >= LANDMARK_COUNT * 3 && landmarks.every((value) => Number.isFinite(value));
}

/** Width of the face oval in pixels. */
export function faceWidth(landmarks: Float32Array): number {
  const xs = FACE_OVAL.map((index) => landmarks[index * 3] ?? 0);
  return Math.max(...xs) - Math.min(...xs);
}

/** The face oval filled (255), nothing cut out; into `into` (all zeros, `width` × `height`) when given. */
export function faceOvalMask(landmarks: Float32Array, width: number, height: number, into?: Uint8Array): Uint8Array {
  const mask = into ?? new Uint8Array(width * height);
  fillPolygon(mask, width, height, landmarkPolygon(landmarks, FACE_OVAL));
  return mask;
}

/** Face skin from the landmarks alone: 255 inside the oval, 0 on the eyes, brows, lips, nostrils and outside; `into` as for faceOvalMask. */
export function faceSkinMask(landmarks: Float32Array, width: number, height: number, into?: Uint8Array): Uint8Array {
  const mask = faceOvalMask(landmarks, width, height, into);
  const margin = Math.max(1, faceWidth(landmarks) * FEATURE_MARGIN_SHARE);
  for (const feature of [LEFT_EYE, RIGHT_EYE, LEFT_EYEBROW, RIGHT_EYEBROW, LIPS, NOSTRILS]) {
    fillPolygon(mask, width, height, growPolygon(landmarkPolygon(landmarks, feature), margin), 0);
  }
  return mask;
}

/**
 * The chin line: points whose projection on the face's forehead→chin axis lies beyond the chin
 * are "below the face", whatever the head's tilt. Returns a test for pixel centres.
 */
export function belowChin(landmarks: Float32Array): (x: number, y: number) => boolean {
  const chin = landmarkPoint(landmarks, CHIN);
  const forehead = landmarkPoint(landmarks, FOREHEAD);
  const length = Math.hypot(chin.x - forehead.x, chin.y - forehead.y) || 1;
  const axisX = (chin.x - forehead.x) / length;
  const axisY = (chin.y - forehead.y) / length;
  return (x, y) => (x + 0.5 - chin.x) * axisX + (y + 0.5 - chin.y) * axisY > 0;
}
