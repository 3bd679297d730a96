/**
 * Outlines on MediaPipe's 478-point face mesh, as closed polygons of landmark indices.
 * Source: mediapipe/python/solutions/face_mesh_connections.py (FACEMESH_FACE_OVAL, _LEFT_EYE,
 * _RIGHT_EYE, _LEFT_EYEBROW, _RIGHT_EYEBROW, _LIPS, _NOSE), edge lists chained into rings.
 * "Left" and "right" are the subject's: the left eye is on the image's right.
 */

export const LANDMARK_COUNT = 478;

/** Forehead top (10) clockwise round the jaw to the chin (152) and back. */
export const FACE_OVAL = [
  10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149, 150, 136, 172, 58, 132, 93, 234,
  127, 162, 21, 54, 103, 67, 109,
] as const;

/** Eyelid contours: lower lid from the outer corner, then the upper lid back. */
export const LEFT_EYE = [263, 249, 390, 373, 374, 380, 381, 382, 362, 398, 384, 385, 386, 387, 388, 466] as const;
export const RIGHT_EYE = [33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246] as const;

/** Brows: the lower edge outwards-in, then the upper edge back. */
export const LEFT_EYEBROW = [276, 283, 282, 295, 285, 336, 296, 334, 293, 300] as const;
export const RIGHT_EYEBROW = [46, 53, 52, 65, 55, 107, 66, 105, 63, 70] as const;

/** Outer lip line: lower lip corner to corner, then the upper lip back. */
export const LIPS = [61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291, 409, 270, 269, 267, 0, 37, 39, 40, 185] as const;

/**
 * Nostrils: FACEMESH_NOSE's bottom chain (right ala 64, 98, 97, subnasale 2, 326, 327, left ala 294)
 * closed through 19, under the nose tip. Covers both nostril openings and the columella between them.
 */
export const NOSTRILS = [64, 98, 97, 2, 326, 327, 294, 19] as const;

/** Chin (bottom of the face oval) and forehead top: the face's vertical axis. */
export const CHIN = 152;
export const FOREHEAD = 10;
