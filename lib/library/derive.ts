import type { AnalysisResult, SignalName } from '../engine/types';
import type { CardPanel, CardSearchFields, ControlledState, LibraryCard, PostInfo, ScoreKey, VerdictState } from './types';

const SIGNALS: readonly SignalName[] = ['shadow', 'skin', 'knit', 'ceramic'];

/** A link the library may show: http(s) only, so a page cannot plant a javascript: or extension URL. */
export function httpUrlOrNull(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Tags as a user means them: trimmed, lower-case, no blanks, no repeats, in first-seen order. */
export function normalizeTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const tag of tags) {
    const normal = tag.trim().toLowerCase().replace(/\s+/g, ' ');
    if (normal) seen.add(normal);
  }
  return [...seen];
}

function highest(values: (number | null | undefined)[]): number | null {
  let best: number | null = null;
  for (const value of values) if (typeof value === 'number' && Number.isFinite(value) && (best === null || value > best)) best = value;
  return best;
}

/** Sort keys per card: each signal, realism and confidence, the highest over the panels, on a 0-100 scale. */
export function cardScores(analysis: AnalysisResult): Record<ScoreKey, number | null> {
  const scores = {} as Record<ScoreKey, number | null>;
  for (const signal of SIGNALS) scores[signal] = highest(analysis.panels.map((panel) => panel.signals[signal]?.score));
  scores.realism = highest(analysis.panels.map((panel) => panel.realism));
  scores.confidence = analysis.confidence === null ? null : Math.round(analysis.confidence * 1000) / 10;
  return scores;
}

/** Each panel's label and scores, in panel order (blank labels are null). */
export function cardPanels(analysis: AnalysisResult): CardPanel[] {
  return analysis.panels.map((panel) => ({
    label: panel.label?.trim() || null,
    scores: {
      shadow: panel.signals.shadow?.score ?? null,
      skin: panel.signals.skin?.score ?? null,
      knit: panel.signals.knit?.score ?? null,
      ceramic: panel.signals.ceramic?.score ?? null,
      realism: panel.realism,
    },
  }));
}

function controlledState(analysis: AnalysisResult): ControlledState {
  const controlled = analysis.consistency.controlled;
  return controlled === null ? 'unknown' : controlled ? 'yes' : 'no';
}

/** The text a search looks through, lower-case. */
export function searchTextOf(fields: Pick<LibraryCard, 'labels' | 'author' | 'site' | 'postText' | 'notes' | 'tags' | 'file'>): string {
  return [...fields.labels, fields.author ?? '', fields.site, fields.postText ?? '', fields.notes, ...fields.tags, fields.file]
    .filter(Boolean)
    .join('\n')
    .toLowerCase();
}

/** The search, filter and sort fields of a card, recomputed whenever its analysis, notes or tags change. */
export function deriveSearchFields(analysis: AnalysisResult, post: PostInfo, notes: string, tags: readonly string[]): CardSearchFields {
  const labels = analysis.panels.map((panel) => panel.label?.trim() ?? '').filter(Boolean);
  const winner = analysis.verdict.winner;
  const verdict: VerdictState = winner === 0 ? 'A' : winner === 1 ? 'B' : 'none';
  const winnerLabel = winner === null ? null : analysis.panels[winner]?.label?.trim() || null;
  const file = analysis.file;
  const searchText = searchTextOf({ labels, author: post.author, site: post.site, postText: post.postText, notes, tags: [...tags], file });
  return { file, labels, verdict, winnerLabel, controlled: controlledState(analysis), scores: cardScores(analysis), searchText, panels: cardPanels(analysis) };
}
