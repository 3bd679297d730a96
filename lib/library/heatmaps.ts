import type { AnalysisResult } from '../engine/types';

const sameBox = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((value, index) => value === b[index]);

/**
 * A card saved again with a result that carries no heat maps (the background's result cache drops
 * the oldest cards' maps; cards analysed before maps existed never had them) keeps the maps its
 * saved analysis has, as long as that analysis split the same image into the same panels.
 */
export function withKeptHeatmaps(result: AnalysisResult, saved: AnalysisResult | undefined): AnalysisResult {
  if (!saved || result.panels.some((panel) => panel.heatmaps)) return result;
  if (saved.hash !== result.hash || saved.panels.length !== result.panels.length || !saved.panels.some((panel) => panel.heatmaps)) return result;
  if (saved.size?.width !== result.size?.width || saved.size?.height !== result.size?.height) return result;
  if (!saved.panels.every((panel, index) => sameBox(panel.box, result.panels[index]?.box ?? []))) return result;
  return {
    ...result,
    panels: result.panels.map((panel, index) => {
      const heatmaps = saved.panels[index]?.heatmaps;
      return heatmaps ? { ...panel, heatmaps } : panel;
    }),
  };
}
