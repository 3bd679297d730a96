/** What each realism signal is called and reads, and its heat-map colour, for the overlay's bars and maps. */
import type { AnalysisResult, SignalName } from '@/lib/engine/types';

export interface SignalInfo {
  name: SignalName;
  title: string;
  /** The region it reads (lib/engine/signals/*.ts `reads`), in words. */
  reads: string;
  /** Heat-map colour, [r, g, b]. */
  colour: [number, number, number];
}

export const SIGNAL_INFO: readonly SignalInfo[] = [
  { name: 'shadow', title: 'Shadow', reads: 'skin and dark tones: crushed or lifted shadow detail', colour: [168, 85, 247] },
  { name: 'skin', title: 'Skin', reads: 'face and body skin: pores, grain, the skin-to-garment edge', colour: [249, 115, 22] },
  { name: 'knit', title: 'Knit', reads: 'garments: stitches and weave', colour: [34, 197, 94] },
  { name: 'ceramic', title: 'Ceramic', reads: 'cups, bowls, plates, glasses: rims and glaze', colour: [6, 182, 212] },
];

export const PANEL_NAMES = ['A', 'B'] as const;

export function panelName(index: number): string {
  return PANEL_NAMES[index] ?? String(index + 1);
}

/** "textureToNoise" → "texture to noise". */
export function termName(term: string): string {
  return term.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

/** Evidence values as they are worth reading: three significant digits at most. */
export function termValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(3)));
}

/** The set of shown heat maps with `signal` switched: on when it was off, off when it was on. */
export function toggledSignal(shown: ReadonlySet<SignalName>, signal: SignalName): Set<SignalName> {
  const next = new Set(shown);
  if (!next.delete(signal)) next.add(signal);
  return next;
}

/** Signals that have a heat map over at least one panel of the result (none for cards saved before maps were kept). */
export function signalsWithMaps(result: AnalysisResult): SignalName[] {
  return SIGNAL_INFO.filter(({ name }) => result.panels.some((panel) => panel.heatmaps?.[name])).map(({ name }) => name);
}
