/** Every realism signal, in the order the overlay lists them, and the one call that runs them all on a panel. */
import type { PanelRegionMaps } from '../regions/types';
import type { RgbaImage, SignalName } from '../types';
import { ceramicSignal } from './ceramic';
import { createPanelContext, type PanelContext } from './context';
import { knitSignal } from './knit';
import { photoGate, type PhotoGate } from './photo';
import { shadowSignal } from './shadow';
import { skinSignal } from './skin';
import type { Signal, SignalMeasurement } from './types';

export const SIGNALS: readonly Signal[] = [shadowSignal, skinSignal, knitSignal, ceramicSignal];

export type SignalMeasurements = Record<SignalName, SignalMeasurement | null>;

export interface PanelSignals {
  photo: boolean;
  gateReason: 'graphic' | null;
  gate: PhotoGate['evidence'];
  measurements: SignalMeasurements;
}

export function noMeasurements(): SignalMeasurements {
  return { shadow: null, skin: null, knit: null, ceramic: null };
}

/** The photo gate, then every signal whose region is present; a graphic panel gets none. */
export function measurePanel(panel: RgbaImage, regions: PanelRegionMaps | null): PanelSignals {
  return measurePanelWith(panel, regions, createPanelContext(panel, regions));
}

/** `measurePanel` with a context the caller keeps (to reuse its thumbnail for the audit). Without region maps only the gate runs. */
export function measurePanelWith(panel: RgbaImage, regions: PanelRegionMaps | null, context: PanelContext): PanelSignals {
  const gate = photoGate(panel, context.thumbnail());
  const measurements = noMeasurements();
  if (gate.photo && regions) {
    for (const signal of SIGNALS) measurements[signal.name] = signal.measure(panel, regions, context);
  }
  return { photo: gate.photo, gateReason: gate.gateReason, gate: gate.evidence, measurements };
}
