// Test-only extension page (bundled by scripts/lib/test-page.mjs, never shipped): runs the
// pipeline's region stage (lib/worker/regions) on a whole photo handed over by Playwright and
// returns the region maps as masks, for comparison with hand-drawn references and for timing.
import type { RegionMask } from '../../../../lib/engine/regions/types';
import type { Box, PanelRegions } from '../../../../lib/engine/types';
import { decodeToRgba } from '../../../../lib/worker/decode';
import { mapPanelRegions } from '../../../../lib/worker/regions';

export type MaskName = 'person' | 'faceSkin' | 'otherSkin' | 'garment' | 'background' | 'tabletop';

export interface RegionReply {
  width: number;
  height: number;
  summary: PanelRegions | null;
  /** 0-255 masks, row-major, base64; null where the region is absent. Tabletop: every object together. */
  masks: Record<MaskName, string | null>;
  /** The face the maps were built round (panel = image pixels) and its detector score. */
  face: { box: Box; score: number } | null;
  landmarks: number[] | null;
  tabletopKinds: string[];
  faceMs: number;
  segmentMs: number;
  /** Of segmentMs, building the maps. */
  mapsMs: number;
  modelLoadMs: number;
  /** Wall time of the whole call, decoding excluded. */
  ms: number;
}

export interface RegionCheckApi {
  /**
   * The region stage on one photo (one panel covering it); `labelBox` in image pixels is cut out.
   * `withMasks: false` leaves the masks out of the reply (benchmarks: no encoding garbage).
   */
  regions(imageBase64: string, labelBox?: Box | null, withMasks?: boolean): Promise<RegionReply>;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let start = 0; start < bytes.length; start += 0x8000) binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  return btoa(binary);
}

let encodeMasks = true;
const encode = (mask: RegionMask | null) => (mask && encodeMasks ? toBase64(mask.data) : null);

const api: RegionCheckApi = {
  async regions(imageBase64, labelBox = null, withMasks = true) {
    encodeMasks = withMasks;
    const image = await decodeToRgba(Uint8Array.from(atob(imageBase64), (char) => char.charCodeAt(0)));
    const started = performance.now();
    const stage = await mapPanelRegions(image, [[0, 0, image.width, image.height]], { labelBoxes: [labelBox] });
    const ms = performance.now() - started - stage.modelLoadMs;
    const panel = stage.panels[0];
    const maps = panel?.regions;
    let tabletop: Uint8Array | null = null;
    for (const object of withMasks ? (maps?.tabletop ?? []) : []) {
      tabletop ??= new Uint8Array(image.width * image.height);
      object.mask.data.forEach((value, index) => {
        if (value >= 128) (tabletop as Uint8Array)[index] = 255;
      });
    }
    return {
      width: image.width,
      height: image.height,
      summary: stage.summaries[0] ?? null,
      masks: {
        person: encode(maps?.person ?? null),
        faceSkin: encode(maps?.faceSkin ?? null),
        otherSkin: encode(maps?.otherSkin ?? null),
        garment: encode(maps?.garment ?? null),
        background: encode(maps?.background ?? null),
        tabletop: tabletop ? toBase64(tabletop) : null,
      },
      face: maps?.face ? { box: maps.face.box, score: maps.face.score } : null,
      landmarks: maps?.face?.landmarks ? Array.from(maps.face.landmarks) : null,
      tabletopKinds: (maps?.tabletop ?? []).map((object) => object.kind),
      faceMs: stage.faceMs,
      segmentMs: stage.segmentMs,
      mapsMs: stage.mapsMs,
      modelLoadMs: stage.modelLoadMs,
      ms,
    };
  },
};

Object.assign(globalThis, { sidelightRegionCheck: api });
document.body.dataset.ready = 'true';
