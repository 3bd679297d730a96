import type { Box } from '../types';

/**
 * Region maps of one panel: the contract between the model stage (lib/models → lib/engine/regions)
 * and the realism signals (lib/engine/signals). Everything is in the panel's own pixel grid
 * (panel crop at native resolution: x = 0 is the panel's left edge), unless said otherwise.
 */

/** A soft or hard mask over the panel: 0 = outside, 255 = certainly inside. */
export interface RegionMask {
  data: Uint8Array;
  width: number;
  height: number;
  /** Tight bounding box of the pixels ≥ 128, in panel pixels. */
  box: Box;
  /** Count of pixels ≥ 128. */
  pixels: number;
  /** 0-1: how much to trust this mask. */
  confidence: number;
}

export interface FaceFinding {
  /** Face box in panel pixels. */
  box: Box;
  /** Detector score, 0-1. */
  score: number;
  /** 478 landmarks as x, y, z triples in panel pixels (z in the same scale as x); null when the mesh did not run. */
  landmarks: Float32Array | null;
}

export interface TabletopObject {
  mask: RegionMask;
  /** What the rim/silhouette looks like, e.g. 'cup', 'bowl', 'plate', 'glass', or 'object' when unsure. */
  kind: string;
}

export interface PanelRegionMaps {
  width: number;
  height: number;
  face: FaceFinding | null;
  /** Person (selfie segmentation), soft. */
  person: RegionMask | null;
  /** Face minus eyes, brows, lips and nostrils, from the landmarks. */
  faceSkin: RegionMask | null;
  /** Neck, shoulders, arms: person mask ∩ a skin-colour model fitted to the face skin. */
  otherSkin: RegionMask | null;
  /** Person, not skin, below the face. */
  garment: RegionMask | null;
  /** Not person. */
  background: RegionMask | null;
  tabletop: TabletopObject[] | null;
}
