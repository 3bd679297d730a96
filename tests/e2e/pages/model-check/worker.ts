// Module worker of the test page: the same lib/models/mediapipe calls, where the analysis worker will make them.
import { detectFaces, type FaceDetection } from '../../../../lib/models/mediapipe';

export interface WorkerRequest {
  bitmap: ImageBitmap;
}

export type WorkerReply = { faces: FaceDetection[] } | { error: string };

self.addEventListener('message', async (event: MessageEvent<WorkerRequest>) => {
  try {
    const reply: WorkerReply = { faces: await detectFaces(event.data.bitmap) };
    self.postMessage(reply);
  } catch (error) {
    self.postMessage({ error: String(error) } satisfies WorkerReply);
  }
});
