import { useEffect, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { AnalysisResult, SignalName } from '@/lib/engine/types';
import { HeatmapCanvas } from './HeatmapCanvas';
import { Loupe, type LoupeImage, type LoupeSource } from './Loupe';
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
  image?: LoupeImage;
  /**
   * A card made of two pictures (a two-image post): where each panel's picture is shown, in the
   * card's CSS pixels, and that picture for the loupe. Panels are placed on their pictures, not by
   * scaling their boxes; `image` is then unused.
   */
  pictures?: PanelPicture[];
  /** Panels take the pointer and focus (the loupe) and show heat maps only while active. */
  active: boolean;
  /** The id of the text that explains the loupe, for the panels' description. */
  loupeHintId?: string;
}

export interface PanelPicture {
  rect: { left: number; top: number; width: number; height: number };
  image?: LoupeImage;
}

/**
 * A card's panel outlines, each signal's heat map over its own panel, and the synchronized loupe:
 * the same in the overlay on a page and in the library's detail view.
 */
export function CardPanels({ result, width, height, shown, image, pictures, active, loupeHintId }: CardPanelsProps) {
  const [spot, setSpot] = useState<LoupeSpot | null>(null);
  const size = result.size ?? { width, height };
  const boxes = result.panels.map((panel) => panel.box);
  const labels = result.panels.map((panel) => panel.label);
  // Each panel's place in the card (CSS pixels): its box scaled with the card, or its own picture's place.
  const places = boxes.map((box, index) => {
    const picture = pictures?.[index];
    if (picture) return picture.rect;
    return { left: box[0] * (width / size.width), top: box[1] * (height / size.height), width: box[2] * (width / size.width), height: box[3] * (height / size.height) };
  });
  const sources: (LoupeSource | undefined)[] = pictures
    ? boxes.map((box, index) => {
        const pictureImage = pictures[index]?.image;
        return pictureImage ? { image: pictureImage, area: box } : undefined;
      })
    : boxes.map(() => (image ? { image, area: [0, 0, size.width, size.height] } : undefined));
  const loupeReady = sources.length === 2 && sources.every((source) => source !== undefined);

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
    const place = places[at.panel];
    if (!box || !place) return null;
    const x = place.left + at.u * place.width;
    const y = place.top + at.v * place.height;
    return { windows: loupeWindows(boxes, at, place.width / box[2]), ...loupePosition(x, y, { width, height }) };
  }

  const loupe = active && spot && loupeReady ? loupePlacement(spot) : null;
  const interactive = active && loupeReady;

  return (
    <>
      {result.panels.map((panel, index) => (
        <div
          key={index}
          className={`panel panel-${index}`}
          style={places[index]}
          data-panel={index}
          data-box={panel.box.join(',')}
          {...(interactive
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
              const place = places[index];
              return heatmap && place ? (
                <HeatmapCanvas key={name} signal={name} heatmap={heatmap} colour={colour} scaleX={place.width / panel.box[2]} scaleY={place.height / panel.box[3]} />
              ) : null;
            })}
          {loupe && spot && <span className="spot" style={{ left: `${spot.u * 100}%`, top: `${spot.v * 100}%` }} aria-hidden="true" />}
        </div>
      ))}
      {loupe && <Loupe sources={sources.filter((source): source is LoupeSource => source !== undefined)} windows={loupe.windows} labels={labels} left={loupe.left} top={loupe.top} />}
    </>
  );
}
