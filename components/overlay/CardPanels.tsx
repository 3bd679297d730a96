import { useEffect, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { AnalysisResult, SignalName } from '@/lib/engine/types';
import { HeatmapCanvas } from './HeatmapCanvas';
import { Loupe, type LoupeProps } from './Loupe';
import { loupePosition, loupeWindows, movedSpot, type LoupeSpot } from './loupe';
import { panelName, SIGNAL_INFO } from './signals';

export interface CardPanelsProps {
  result: AnalysisResult;
  /** Size the card is shown at, in CSS pixels; the panels are placed over it. */
  width: number;
  height: number;
  /** Signals whose heat maps are drawn over the panels. */
  shown: ReadonlySet<SignalName>;
  /** The card's image as shown, for the loupe to draw from; no loupe without it. */
  image?: LoupeProps['image'];
  /** Panels take the pointer and focus (the loupe) and show heat maps only while active. */
  active: boolean;
  /** The id of the text that explains the loupe, for the panels' description. */
  loupeHintId?: string;
}

/**
 * A card's panel outlines, each signal's heat map over its own panel, and the synchronized loupe:
 * the same in the overlay on a page and in the library's detail view.
 */
export function CardPanels({ result, width, height, shown, image, active, loupeHintId }: CardPanelsProps) {
  const [spot, setSpot] = useState<LoupeSpot | null>(null);
  const size = result.size ?? { width, height };
  const scaleX = width / size.width;
  const scaleY = height / size.height;
  const boxes = result.panels.map((panel) => panel.box);
  const labels = result.panels.map((panel) => panel.label);

  // A spot left from before the panels were put away does not come back with them.
  useEffect(() => {
    if (!active) setSpot(null);
  }, [active]);

  function pointAt(panel: number, event: PointerEvent<HTMLDivElement>): void {
    const bounds = event.currentTarget.getBoundingClientRect();
    if (bounds.width === 0 || bounds.height === 0) return;
    setSpot({ panel, u: (event.clientX - bounds.left) / bounds.width, v: (event.clientY - bounds.top) / bounds.height });
  }

  function onPanelKeyDown(panel: number, event: KeyboardEvent<HTMLDivElement>): void {
    const moved = movedSpot(spot?.panel === panel ? spot : { panel, u: 0.5, v: 0.5 }, event.key, event.shiftKey);
    if (!moved) return;
    event.preventDefault();
    setSpot(moved);
  }

  function loupePlacement(at: LoupeSpot) {
    const box = boxes[at.panel];
    if (!box) return null;
    const x = (box[0] + at.u * box[2]) * scaleX;
    const y = (box[1] + at.v * box[3]) * scaleY;
    return { windows: loupeWindows(boxes, at, scaleX), ...loupePosition(x, y, { width, height }) };
  }

  const loupe = active && spot && image && boxes.length === 2 ? loupePlacement(spot) : null;

  return (
    <>
      {result.panels.map((panel, index) => (
        <div
          key={index}
          className={`panel panel-${index}`}
          style={{
            left: panel.box[0] * scaleX,
            top: panel.box[1] * scaleY,
            width: panel.box[2] * scaleX,
            height: panel.box[3] * scaleY,
          }}
          data-panel={index}
          data-box={panel.box.join(',')}
          {...(active && image
            ? {
                tabIndex: 0,
                role: 'img',
                'aria-label': `Panel ${panelName(index)}: ${panel.label ?? 'no label read'}. Loupe`,
                'aria-describedby': loupeHintId,
                onPointerMove: (event: PointerEvent<HTMLDivElement>) => pointAt(index, event),
                onPointerLeave: () => setSpot(null),
                onFocus: () => setSpot((current) => (current?.panel === index ? current : { panel: index, u: 0.5, v: 0.5 })),
                onBlur: () => setSpot(null),
                onKeyDown: (event: KeyboardEvent<HTMLDivElement>) => onPanelKeyDown(index, event),
              }
            : { 'aria-hidden': true })}
        >
          {active &&
            SIGNAL_INFO.filter(({ name }) => shown.has(name)).map(({ name, colour }) => {
              const heatmap = panel.heatmaps?.[name];
              return heatmap ? <HeatmapCanvas key={name} signal={name} heatmap={heatmap} colour={colour} scaleX={scaleX} scaleY={scaleY} /> : null;
            })}
          {loupe && spot && <span className="spot" style={{ left: `${spot.u * 100}%`, top: `${spot.v * 100}%` }} aria-hidden="true" />}
        </div>
      ))}
      {loupe && image && <Loupe image={image} sourceSize={size} windows={loupe.windows} labels={labels} left={loupe.left} top={loupe.top} />}
    </>
  );
}
