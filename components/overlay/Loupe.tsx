import { useLayoutEffect, useRef } from 'react';
import type { Box } from '@/lib/engine/types';
import { LOUPE_VIEW_PX } from './loupe';
import { panelName } from './signals';

/** The page's own image: drawn into the views (a cross-origin one taints them; nothing reads them back). */
export type LoupeImage = CanvasImageSource & { naturalWidth: number; naturalHeight: number };

/** What a view draws from: an image and the part of the analysed card (result pixels) it shows (the whole card, or one panel of a pair). */
export interface LoupeSource {
  image: LoupeImage;
  area: Box;
}

export interface LoupeProps {
  /** One per view: where its window's pixels come from. */
  sources: LoupeSource[];
  /** One source view per panel, in result pixels (loupeWindows). */
  windows: Box[];
  labels: (string | null)[];
  /** Top-left of the loupe, in card CSS pixels. */
  left: number;
  top: number;
}

function LoupeView({ source, view, index, label }: { source: LoupeSource; view: Box; index: number; label: string | null }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { image } = source;
  const [areaX, areaY, areaWidth, areaHeight] = source.area;
  const [x, y, width, height] = view;
  useLayoutEffect(() => {
    const element = canvas.current;
    const context = element?.getContext('2d');
    if (!element || !context) return;
    // Result pixels to the image's own, as the page loaded it.
    const fx = image.naturalWidth / areaWidth;
    const fy = image.naturalHeight / areaHeight;
    context.imageSmoothingQuality = 'high';
    context.clearRect(0, 0, element.width, element.height);
    try {
      context.drawImage(image, (x - areaX) * fx, (y - areaY) * fy, width * fx, height * fy, 0, 0, element.width, element.height);
    } catch {
      // An image that is gone or broken leaves the view empty.
    }
  }, [image, areaX, areaY, areaWidth, areaHeight, x, y, width, height]);
  const pixels = Math.round(LOUPE_VIEW_PX * Math.min(2, Math.max(1, globalThis.devicePixelRatio || 1)));
  return (
    <figure className="loupe-view">
      <canvas
        ref={canvas}
        width={pixels}
        height={pixels}
        data-panel={index}
        data-source-rect={view.join(',')}
        style={{ width: LOUPE_VIEW_PX, height: LOUPE_VIEW_PX }}
      />
      <figcaption>
        <span className={`loupe-key panel-key-${index}`}>{panelName(index)}</span> {label ?? 'no label read'}
      </figcaption>
    </figure>
  );
}

/** Both panels magnified at the same spot, side by side. Visual only: screen readers get the panels' labels instead. */
export function Loupe({ sources, windows, labels, left, top }: LoupeProps) {
  return (
    <div className="loupe" style={{ left, top }} aria-hidden="true" data-testid="sidelight-loupe">
      {windows.map((view, index) => {
        const source = sources[index];
        return source ? <LoupeView key={index} source={source} view={view} index={index} label={labels[index] ?? null} /> : null;
      })}
    </div>
  );
}
