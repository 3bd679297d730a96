/**
 * The realism stage for one card, in one call: the photo gate and the signals on each panel, the
 * controlled-comparison audit across them, and the verdict, as the fields of an `AnalysisResult`
 * (heatmaps kept apart: they are for drawing, not for the JSON). The worker calls this once the
 * region maps are built; panels whose regions could not be built pass null and get the gate only.
 */
import { auditComparison, type AuditResult } from './audit';
import { SHARE_STRUCTURE_FROM, shareRegions } from './regions/share';
import type { PanelRegionMaps } from './regions/types';
import { createPanelContext, THUMBNAIL_SIDE } from './signals/context';
import { thumbnail, type Thumbnail } from './signals/pixels';
import { panelSignalsResult } from './signals/realism';
import { measurePanelWith, type PanelSignals, type SignalMeasurements } from './signals/registry';
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

/**
 * Whether the two panels line up pixel for pixel, so that one set of regions serves both
 * (regions/share.ts): not flagged as uncontrolled, and the whole pictures' structure aligned.
 */
export function regionsShareable(audit: AuditResult): boolean {
  return audit.consistency.controlled !== false && audit.structure >= SHARE_STRUCTURE_FROM;
}

/**
 * What both panels' measurements start from: their thumbnails, the audit, and the regions each panel
 * is measured on (one set for both when the panels line up). Measuring the panels (`measureJudgedPanel`)
 * needs nothing else, so the two can run apart (on two threads) before `finishJudgement`.
 */
export interface JudgementPlan {
  audit: AuditResult;
  thumbnails: [Thumbnail, Thumbnail];
  regions: [PanelRegionMaps | null, PanelRegionMaps | null];
}

export function planJudgement(first: JudgedPanel, second: JudgedPanel): JudgementPlan {
  const thumbnails = [first, second].map(({ panel }) => thumbnail(panel, THUMBNAIL_SIDE)) as [Thumbnail, Thumbnail];
  // The audit looks at the setup only (faces, landmarks, structure), so it comes first: it says whether the panels can share their regions.
  const audit = auditComparison(
    { panel: first.panel, regions: first.regions, thumbnail: thumbnails[0] },
    { panel: second.panel, regions: second.regions, thumbnail: thumbnails[1] },
  );
  const shared =
    first.regions && second.regions && regionsShareable(audit)
      ? shareRegions(first.regions, second.regions, [first.panel, second.panel])
      : [first.regions, second.regions];
  return { audit, thumbnails, regions: [shared[0] ?? null, shared[1] ?? null] };
}

/** The photo gate and the signals of one panel, on the regions and thumbnail its plan gives. */
export function measureJudgedPanel(panel: RgbaImage, regions: PanelRegionMaps | null, small: Thumbnail): PanelSignals {
  return measurePanelWith(panel, regions, createPanelContext(panel, regions, small));
}

/** The card's judgement from its plan and both panels' measurements: per-panel results, audit, verdict. */
export function finishJudgement(plan: JudgementPlan, measured: readonly [PanelSignals, PanelSignals], layout: Layout | null): CardJudgement {
  const [a, b] = measured;
  const panels = [a, b].map((signals) => ({ photo: signals.photo, gateReason: signals.gateReason, ...panelSignalsResult(signals.measurements) })) as CardJudgement['panels'];
  return {
    panels,
    consistency: plan.audit.consistency,
    verdict: decideVerdict(panels, plan.audit.consistency, layout, plan.audit.reasons),
    heatmaps: [heatmapsOf(a.measurements), heatmapsOf(b.measurements)],
  };
}

export function judgeCard(first: JudgedPanel, second: JudgedPanel, layout: Layout | null): CardJudgement {
  const plan = planJudgement(first, second);
  const measured = [first, second].map(({ panel }, index) => measureJudgedPanel(panel, plan.regions[index] ?? null, plan.thumbnails[index] as Thumbnail));
  return finishJudgement(plan, measured as [PanelSignals, PanelSignals], layout);
}
