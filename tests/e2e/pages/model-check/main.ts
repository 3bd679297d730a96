// Test-only extension page (bundled by scripts/lib/test-page.mjs, never shipped): runs
// lib/models/mediapipe on images handed over by Playwright and reports results and timings.
import {
  closeMediapipe,
  detectFaceLandmarks,
  detectFaces,
  MEDIAPIPE_BACKEND,
  segmentPerson,
  type FaceDetection,
  type FaceLandmarks,
  type FaceRange,
  type MediapipeImage,
} from '../../../../lib/models/mediapipe';
import type { WorkerReply, WorkerRequest } from './worker';

export type ImageKind = 'bitmap' | 'imagedata';

export interface FacesReply {
  faces: FaceDetection[];
  width: number;
  height: number;
  ms: number;
}

export interface LandmarksReply {
  faces: FaceLandmarks[];
  ms: number;
}

export interface PersonReply {
  /** Person probability quantized to 0-255, row-major, base64. */
  maskBase64: string;
  width: number;
  height: number;
  ms: number;
}

export interface ModelCheckApi {
  backend: string;
  faces(imageBase64: string, kind?: ImageKind, range?: FaceRange): Promise<FacesReply>;
  person(imageBase64: string, kind?: ImageKind): Promise<PersonReply>;
  landmarks(imageBase64: string, kind?: ImageKind): Promise<LandmarksReply>;
  /** detectFaces in a module worker, as the analysis worker will call it. */
  facesInWorker(imageBase64: string): Promise<FaceDetection[]>;
  close(): Promise<void>;
}

function toBitmap(imageBase64: string): Promise<ImageBitmap> {
  return createImageBitmap(new Blob([Uint8Array.from(atob(imageBase64), (char) => char.charCodeAt(0))]));
}

async function toImage(imageBase64: string, kind: ImageKind): Promise<MediapipeImage> {
  const bitmap = await toBitmap(imageBase64);
  if (kind === 'bitmap') return bitmap;
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2D context');
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  return context.getImageData(0, 0, canvas.width, canvas.height);
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let start = 0; start < bytes.length; start += 0x8000) binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  return btoa(binary);
}

const api: ModelCheckApi = {
  backend: MEDIAPIPE_BACKEND,
  async faces(imageBase64, kind = 'bitmap', range = 'short') {
    const image = await toImage(imageBase64, kind);
    const started = performance.now();
    const faces = await detectFaces(image, { range });
    return { faces, width: image.width, height: image.height, ms: performance.now() - started };
  },
  async person(imageBase64, kind = 'bitmap') {
    const image = await toImage(imageBase64, kind);
    const started = performance.now();
    const mask = await segmentPerson(image);
    const ms = performance.now() - started;
    const quantized = Uint8Array.from(mask.data, (value) => Math.round(Math.min(1, Math.max(0, value)) * 255));
    return { maskBase64: toBase64(quantized), width: mask.width, height: mask.height, ms };
  },
  async landmarks(imageBase64, kind = 'bitmap') {
    const image = await toImage(imageBase64, kind);
    const started = performance.now();
    const faces = await detectFaceLandmarks(image);
    return { faces, ms: performance.now() - started };
  },
  async facesInWorker(imageBase64) {
    const bitmap = await toBitmap(imageBase64);
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    try {
      const reply = await new Promise<WorkerReply>((resolve, reject) => {
        worker.addEventListener('message', (event: MessageEvent<WorkerReply>) => resolve(event.data));
        worker.addEventListener('error', (event) => reject(new Error(event.message)));
        worker.postMessage({ bitmap } satisfies WorkerRequest, [bitmap]);
      });
      if ('error' in reply) throw new Error(reply.error);
      return reply.faces;
    } finally {
      worker.terminate();
    }
  },
  close: closeMediapipe,
};

Object.assign(globalThis, { sidelightModelCheck: api });
document.body.dataset.ready = 'true';
