/** What several signals read from one panel, computed once per panel and only when first asked for. */
import type { PanelRegionMaps, RegionMask } from '../regions/types';
import type { Box, RgbaImage } from '../types';
import { growBox, inside, panelNoiseFloor, thumbnail, type Thumbnail } from './pixels';

/** Longest side of the shared thumbnail (photo gate, key light, structure). */
export const THUMBNAIL_SIDE = 128;
/** How far around the face box the noise floor keeps away, as a share of the face size. */
const FACE_MARGIN_SHARE = 0.25;

export interface PanelContext {
  /** The panel's grain outside every region (see `panelNoiseFloor`). */
  noiseFloor(): number;
  thumbnail(): Thumbnail;
}

/** `small`: the panel's thumbnail when the caller already made one (at THUMBNAIL_SIDE). */
export function createPanelContext(panel: RgbaImage, regions: PanelRegionMaps | null, small?: Thumbnail): PanelContext {
  let noise: number | undefined;
  return {
    noiseFloor() {
      noise ??= panelNoiseFloor(panel, regionTest(regions));
      return noise;
    },
    thumbnail() {
      small ??= thumbnail(panel, THUMBNAIL_SIDE);
      return small;
    },
  };
}

/** Whether a panel pixel lies in any region a signal judges (face with a margin, skin, garment, person, tabletop). */
function regionTest(regions: PanelRegionMaps | null): (x: number, y: number) => boolean {
  if (!regions) return () => false;
  const masks: RegionMask[] = [regions.faceSkin, regions.otherSkin, regions.garment, regions.person, ...(regions.tabletop ?? []).map((object) => object.mask)].filter(
    (mask): mask is RegionMask => mask !== null,
  );
  const boxes: Box[] = [];
  if (regions.face) {
    const [, , width, height] = regions.face.box;
    boxes.push(growBox(regions.face.box, FACE_MARGIN_SHARE * Math.max(width, height)));
  }
  return (x, y) =>
    masks.some((mask) => inside(mask, Math.floor(x), Math.floor(y))) ||
    boxes.some(([left, top, width, height]) => x >= left && x < left + width && y >= top && y < top + height);
}
