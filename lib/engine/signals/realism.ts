/**
 * A panel's realism, and the heatmap-free form of its signals that goes into the result schema.
 * Realism is the plain mean of the signal scores the panel has: no weights, nothing hidden
 * (docs/accuracy.md). Signals whose region is absent do not count; no signal at all gives null.
 */
import type { PanelResult, SignalName, SignalScore } from '../types';
import type { SignalMeasurements } from './registry';

export const SIGNAL_NAMES: readonly SignalName[] = ['shadow', 'skin', 'knit', 'ceramic'];

/** Mean of the present scores, one decimal; null when none is present. */
export function realismOf(signals: Record<SignalName, SignalScore | null>): number | null {
  const scores = SIGNAL_NAMES.map((name) => signals[name]?.score).filter((score): score is number => typeof score === 'number');
  if (scores.length === 0) return null;
  return Math.round((10 * scores.reduce((sum, score) => sum + score, 0)) / scores.length) / 10;
}

/** The schema's `signals` (score and evidence, no heatmap) and `realism` for one panel. */
export function panelSignalsResult(measurements: SignalMeasurements): Pick<PanelResult, 'signals' | 'realism'> {
  const signals = { shadow: null, skin: null, knit: null, ceramic: null } as Record<SignalName, SignalScore | null>;
  for (const name of SIGNAL_NAMES) {
    const measured = measurements[name];
    signals[name] = measured ? { score: measured.score, evidence: { ...measured.evidence } } : null;
  }
  return { signals, realism: realismOf(signals) };
}
