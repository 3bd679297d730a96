import { useLayoutEffect, useRef } from 'react';
import type { Box } from '@/lib/engine/types';
import { LOUPE_VIEW_PX } from './loupe';
import { panelName } from './signals';

export interface LoupeProps {
  /** The page's own image: drawn into the views (a cross-origin one taints them; nothing reads them back). */
  image: CanvasImageSource & { naturalWidth: number; naturalHeight: number };
  /** Size of the analysed image (result pixels), to map windows onto the image as the page loaded it. */
  sourceSize: { width: number; height: number };
  /** One source view per panel, in result pixels (loupeWindows). */
  windows: Box[];
  labels: (string | null)[];
  /** Top-left of the loupe, in card CSS pixels. */
  left: number;
  top: number;
}

function LoupeView({ image, sourceSize, view, index, label }: Pick<LoupeProps, 'image' | 'sourceSize'> & { view: Box; index: number; label: string | null }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [x, y, width, height] = view;
  useLayoutEffect(() => {
    const element = canvas.current;
    const context = element?.getContext('2d');
    if (!element || !context) return;
    const fx = image.naturalWidth / sourceSize.width;
    const fy = image.naturalHeight / sourceSize.height;
    context.imageSmoothingQuality = 'high';
    context.clearRect(0, 0, element.width, element.height);
    try {
      context.drawImage(image, x * fx, y * fy, width * fx, height * fy, 0, 0, element.width, element.height);
    } catch {
      // An image that is gone or broken leaves the view empty.
    }
  }, [image, sourceSize.width, sourceSize.height, x, y, width, height]);
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
export function Loupe({ image, sourceSize, windows, labels, left, top }: LoupeProps) {
  return (
    <div className="loupe" style={{ left, top }} aria-hidden="true" data-testid="sidelight-loupe">
      {windows.map((view, index) => (
        <LoupeView key={index} image={image} sourceSize={sourceSize} view={view} index={index} label={labels[index] ?? null} />
      ))}
    </div>
  );
}
