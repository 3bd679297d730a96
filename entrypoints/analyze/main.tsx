import { createRoot } from 'react-dom/client';
import { AnalyzeView, type AnalyzedFile } from '@/components/AnalyzeView';
import { failedResult } from '@/lib/engine/result';
import { base64ToBytes } from '@/lib/messaging/base64';
import type { BackendPreference } from '@/lib/engine/types';
import { pairCaption } from '@/lib/library/pair';
import type { AnalysisReply, PairPictureBytes } from '@/lib/messaging/protocol';
import { sendMessage } from '@/lib/messaging/runtime';
import './style.css';

function analyzeBytes(name: string, bytes: Uint8Array, render: boolean, backend: BackendPreference = 'auto'): Promise<AnalysisReply> {
  return sendMessage('analyze-bytes', { name, bytes, render, backend });
}

async function analyzeFile(file: File): Promise<AnalyzedFile> {
  const reply = await analyzeBytes(file.name, new Uint8Array(await file.arrayBuffer()), true);
  return {
    name: file.name,
    result: reply.result,
    annotatedUrl: reply.annotatedPngBase64 ? `data:image/png;base64,${reply.annotatedPngBase64}` : null,
  };
}

/** Two files as the two panels of one card (`sidelight analyze --pair`): the library's drop and a two-image post run the same. */
function analyzePair(pictures: [PairPictureBytes, PairPictureBytes], render: boolean, backend: BackendPreference = 'auto'): Promise<AnalysisReply> {
  // Files named after models ("nano-banana-pro.png") label the panels, as on the library page.
  const postText = pairCaption(pictures[0].name, pictures[1].name);
  return sendMessage('analyze-pair-bytes', { pictures, render, backend, postText });
}

/** A file handed over by a driver of this page (the CLI, `npm start`, the bench) as its name and base64 bytes. */
interface DrivenFile {
  name: string;
  bytesBase64: string;
}

function analyzeImage(url: string): Promise<AnalysisReply> {
  return sendMessage('analyze-image', { url, pageUrl: url });
}

function unreadable(name: string, error: string): AnalysisReply {
  return { result: failedResult(name, 'unreadable', error), annotatedPngBase64: null, cached: false };
}

// `sidelight analyze` and `npm start` drive this page with the same calls the file picker uses.
Object.assign(globalThis, {
  sidelightAnalyzeBytes: (name: string, bytesBase64: string, render: boolean, backend?: BackendPreference) => analyzeBytes(name, base64ToBytes(bytesBase64), render, backend),
  sidelightAnalyzePair: (pictures: [DrivenFile, DrivenFile], render: boolean, backend?: BackendPreference) =>
    analyzePair(pictures.map((picture) => ({ name: picture.name, bytes: base64ToBytes(picture.bytesBase64) })) as [PairPictureBytes, PairPictureBytes], render, backend),
  sidelightAnalyzeImage: analyzeImage,
  sidelightUnreadable: unreadable,
});

const container = document.getElementById('root');
if (container) createRoot(container).render(<AnalyzeView analyze={analyzeFile} />);
