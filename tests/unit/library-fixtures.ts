// Test doubles for the library: analysis results with labels, signals and verdicts, and card drafts.
import { resultFromDetection, zeroTimings } from '../../lib/engine/result';
import type { AnalysisResult, SignalName } from '../../lib/engine/types';
import type { CardDraft } from '../../lib/library/types';

export interface SampleCard {
  hash: string;
  labels?: [string | null, string | null];
  winner?: 0 | 1 | null;
  controlled?: boolean | null;
  /** Per-panel scores for one signal, e.g. { shadow: [40, 70] }. */
  signals?: Partial<Record<SignalName, [number, number]>>;
  realism?: [number, number];
  site?: string;
  author?: string | null;
  postText?: string | null;
  savedAt?: number;
  notes?: string;
  tags?: string[];
}

export function sampleAnalysis(card: SampleCard): AnalysisResult {
  const result = resultFromDetection(
    `${card.hash}.webp`,
    { isComparison: true, layout: 'side-by-side', confidence: 0.9, grid: { rows: 1, cols: 2 }, panels: [[0, 0, 100, 200], [100, 0, 100, 200]], reason: null },
    { hash: card.hash, width: 200, height: 200 },
    zeroTimings(),
  );
  result.panels.forEach((panel, index) => {
    panel.label = card.labels?.[index] ?? null;
    panel.realism = card.realism?.[index] ?? null;
    for (const [signal, scores] of Object.entries(card.signals ?? {}) as [SignalName, [number, number]][]) {
      panel.signals[signal] = { score: scores[index] ?? 0, evidence: {} };
    }
  });
  result.verdict = { winner: card.winner ?? null, summary: card.winner === undefined || card.winner === null ? 'No winner.' : `Panel ${card.winner === 0 ? 'A' : 'B'} reads as more real.` };
  result.consistency.controlled = card.controlled ?? null;
  return result;
}

/** A draft whose "image" is a few bytes unique to the hash; the DB never decodes them. */
export function sampleDraft(card: SampleCard): CardDraft {
  return {
    hash: card.hash,
    mime: 'image/webp',
    original: new Blob([`original:${card.hash}`], { type: 'image/webp' }),
    thumbnail: new Blob([`thumbnail:${card.hash}`], { type: 'image/webp' }),
    analysis: sampleAnalysis(card),
    postUrl: `https://${card.site ?? 'x.com'}/post/${card.hash}`,
    pageUrl: `https://${card.site ?? 'x.com'}/home`,
    site: card.site ?? 'x.com',
    author: card.author === undefined ? '@someone' : card.author,
    postText: card.postText === undefined ? null : card.postText,
    savedAt: card.savedAt,
    notes: card.notes,
    tags: card.tags,
  };
}
