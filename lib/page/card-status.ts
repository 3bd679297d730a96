import type { AnalysisProgress } from '../messaging/protocol';

/**
 * What the overlay shows on a picture before (or instead of) a card's result: the analysis is
 * running on a card found (or a picture the user asked about), it failed, or the picture the user
 * asked about is not a comparison card. Replaced, never changed in place (the layer compares by identity).
 */
export type CardStatus =
  | { kind: 'pending'; modelsLoading: boolean }
  | { kind: 'failed'; message: string }
  | { kind: 'not-card'; message: string };

export function pendingStatus(progress: AnalysisProgress | null): CardStatus {
  return { kind: 'pending', modelsLoading: progress?.modelsLoading ?? false };
}

/** The badge's words, short (`text`) and for a screen reader (`label`). */
export function statusWords(status: CardStatus): { text: string; label: string } {
  switch (status.kind) {
    case 'pending':
      return status.modelsLoading
        ? { text: 'Loading models…', label: 'Sidelight found a comparison card and is loading its models to analyse it' }
        : { text: 'Analysing…', label: 'Sidelight is analysing this image' };
    case 'failed':
      return { text: `Couldn’t analyse: ${status.message}`, label: `Sidelight could not analyse this image: ${status.message}` };
    case 'not-card':
      return { text: status.message, label: `Sidelight: ${status.message}` };
  }
}
