/**
 * The realism stage for one card, in one call: the photo gate and the signals on each panel, the
 * controlled-comparison audit across them, and the verdict, as the fields of an `AnalysisResult`
 * (heatmaps kept apart: they are for drawing, not for the JSON). The worker calls this once the
 * region maps are built; panels whose regions could not be built pass null and get the gate only.
 */
import { auditComparison } from './audit';
import type { PanelRegionMaps } from './regions/types';
import { createPanelContext } from './signals/context';
import { panelSignalsResult } from './signals/realism';
import { measurePanelWith, type SignalMeasurements } from './signals/registry';
import type { Heatmap } from './signals/types';
import type { AnalysisResult, Layout, PanelResult, RgbaImage, SignalName } from './types';
import { decideVerdict } from './verdict';

export interface JudgedPanel {
  panel: RgbaImage;
  /** null when the region stage produced nothing for this panel. */
  regions: PanelRegionMaps | null;
}

export interface CardJudgement {
  panels: [Pick<PanelResult, 'photo' | 'gateReason' | 'signals' | 'realism'>, Pick<PanelResult, 'photo' | 'gateReason' | 'signals' | 'realism'>];
  consistency: AnalysisResult['consistency'];
  verdict: AnalysisResult['verdict'];
  heatmaps: [Record<SignalName, Heatmap | null>, Record<SignalName, Heatmap | null>];
}

function heatmapsOf(measurements: SignalMeasurements): Record<SignalName, Heatmap | null> {
  return {
    shadow: measurements.shadow?.heatmap ?? null,
    skin: measurements.skin?.heatmap ?? null,
    knit: measurements.knit?.heatmap ?? null,
    ceramic: measurements.ceramic?.heatmap ?? null,
  };
}

export function judgeCard(first: JudgedPanel, second: JudgedPanel, layout: Layout | null): CardJudgement {
  const measured = [first, second].map(({ panel, regions }) => {
    const context = createPanelContext(panel, regions);
    return { context, signals: measurePanelWith(panel, regions, context) };
  });
  const [a, b] = measured as [(typeof measured)[number], (typeof measured)[number]];
  const panels = [a, b].map(({ signals }) => ({ photo: signals.photo, gateReason: signals.gateReason, ...panelSignalsResult(signals.measurements) })) as CardJudgement['panels'];
  const audit = auditComparison(
    { panel: first.panel, regions: first.regions, thumbnail: a.context.thumbnail() },
    { panel: second.panel, regions: second.regions, thumbnail: b.context.thumbnail() },
  );
  return {
    panels,
    consistency: audit.consistency,
    verdict: decideVerdict(panels, audit.consistency, layout, audit.reasons),
    heatmaps: [heatmapsOf(a.signals.measurements), heatmapsOf(b.signals.measurements)],
  };
}
