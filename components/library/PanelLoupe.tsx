import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { Box } from '@/lib/engine/types';

export interface PanelLoupeProps {
  /** The original card image (an object URL). */
  src: string;
  /** The original's size in pixels: panel boxes are in these pixels. */
  size: { width: number; height: number };
  panels: readonly Box[];
  labels: readonly (string | null)[];
}

/** How much the lens magnifies the panel as shown. */
const ZOOM = 3;
const LENS = 132;
/** One arrow-key press moves the point this share of the panel. */
const KEY_STEP = 0.02;

interface Point {
  u: number;
  v: number;
}

const clamp01 = (value: number) => Math.min(1, Math.max(0, value));

/**
 * The panels side by side, each cropped from the original, with one lens that magnifies the same
 * spot (relative to each panel) in every panel at once: point at a hand in one, see both hands.
 */
export function PanelLoupe({ src, size, panels, labels }: PanelLoupeProps) {
  const [point, setPoint] = useState<Point | null>(null);
  const [widths, setWidths] = useState<number[]>([]);
  const frames = useRef<(HTMLDivElement | null)[]>([]);

  // The lens works in display pixels, so it needs each panel's shown width (it changes with the side panel's).
  useEffect(() => {
    const observer = new ResizeObserver(() => setWidths(frames.current.map((frame) => frame?.clientWidth ?? 0)));
    for (const frame of frames.current) if (frame) observer.observe(frame);
    return () => observer.disconnect();
  }, [panels.length]);

  function onPointerMove(event: PointerEvent<HTMLDivElement>): void {
    const box = event.currentTarget.getBoundingClientRect();
    setPoint({ u: clamp01((event.clientX - box.left) / box.width), v: clamp01((event.clientY - box.top) / box.height) });
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    const moves: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    const move = moves[event.key];
    if (event.key === 'Escape' && point) {
      event.stopPropagation();
      setPoint(null);
      return;
    }
    if (!move) return;
    event.preventDefault();
    const from = point ?? { u: 0.5, v: 0.5 };
    setPoint({ u: clamp01(from.u + move[0] * KEY_STEP), v: clamp01(from.v + move[1] * KEY_STEP) });
  }

  return (
    <div
      className="loupe"
      data-testid="panel-loupe"
      tabIndex={0}
      role="group"
      aria-label="Panels side by side with a synchronized loupe: point at a spot in either panel, or use the arrow keys, to magnify the same spot in both"
      onKeyDown={onKeyDown}
      onBlur={() => setPoint(null)}
      data-point={point ? `${point.u.toFixed(3)},${point.v.toFixed(3)}` : ''}
    >
      {panels.map((panel, index) => {
        const [x, y, width, height] = panel;
        const shown = widths[index] ?? 0;
        const scale = shown / width; // display px per source px
        const zoomed = scale * ZOOM;
        return (
          <figure key={index} className="loupe-panel">
            <div
              ref={(element) => {
                frames.current[index] = element;
              }}
              className="loupe-frame"
              style={{ aspectRatio: `${width} / ${height}` }}
              onPointerMove={onPointerMove}
              onPointerLeave={() => setPoint(null)}
            >
              <img
                src={src}
                alt=""
                draggable={false}
                style={{ width: `${(size.width / width) * 100}%`, left: `${(-x / width) * 100}%`, top: `${(-y / height) * 100}%` }}
              />
              {point && shown > 0 && (
                <div className="loupe-lens" data-testid="loupe-lens" style={{ width: LENS, height: LENS, left: point.u * shown - LENS / 2, top: point.v * shown * (height / width) - LENS / 2 }}>
                  <img
                    src={src}
                    alt=""
                    draggable={false}
                    style={{
                      width: size.width * zoomed,
                      left: LENS / 2 - (x + point.u * width) * zoomed,
                      top: LENS / 2 - (y + point.v * height) * zoomed,
                    }}
                  />
                </div>
              )}
            </div>
            <figcaption>
              {index === 0 ? 'A' : index === 1 ? 'B' : `Panel ${index + 1}`}: {labels[index] ?? 'no label'}
            </figcaption>
          </figure>
        );
      })}
    </div>
  );
}
