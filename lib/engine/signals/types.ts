/** The shape every realism signal shares, and what it hands back. */
import type { PanelRegionMaps } from '../regions/types';
import type { GrayImage, RgbaImage, SignalName } from '../types';
import type { PanelContext } from './context';

/**
 * Where a signal found its problems: 0 = fine or not measured, 1 = what pulled the score down most.
 * A coarse grid over the panel: cell (x, y) covers panel pixels (x / scale, y / scale).
 */
export interface Heatmap extends GrayImage {
  /** Heatmap size / panel size (1 = the panel's own grid). */
  scale: number;
}

export interface SignalMeasurement {
  /** 0-100, higher = more credible. */
  score: number;
  /** The named terms behind the score, rounded; a term absent from the record did not apply. */
  evidence: Record<string, number>;
  heatmap: Heatmap;
}

export interface Signal {
  name: SignalName;
  /** The region it reads, in words (for docs and the overlay). */
  reads: string;
  /** null when the region it reads is absent from this panel. */
  measure(panel: RgbaImage, regions: PanelRegionMaps, context?: PanelContext): SignalMeasurement | null;
}

/** One evidence term turned into credibility: `value` in 0-1 (1 = credible), counted `weight` times. */
export interface Term {
  value: number;
  weight: number;
}
