import { useLayoutEffect, useRef } from 'react';
import { decodeHeatmapLevels } from '../../lib/engine/heatmap-codec';
import type { EncodedHeatmap, SignalName } from '@/lib/engine/types';

/** Cells below this level stay clear, so the panel reads through where a signal found nothing. */
export const CLEAR_BELOW = 24;

/** The grid's RGBA pixels: the signal's colour, opacity rising with the cell's level. */
export function heatmapPixels(levels: Uint8Array, colour: readonly [number, number, number]): Uint8ClampedArray<ArrayBuffer> {
  const pixels = new Uint8ClampedArray(levels.length * 4);
  levels.forEach((level, index) => {
    if (level < CLEAR_BELOW) return;
    pixels.set(colour, index * 4);
    pixels[index * 4 + 3] = Math.round(40 + (level / 255) * 140);
  });
  return pixels;
}

export interface HeatmapCanvasProps {
  signal: SignalName;
  heatmap: EncodedHeatmap;
  colour: readonly [number, number, number];
  /** CSS pixels per panel pixel. */
  scaleX: number;
  scaleY: number;
}

/** One signal's heat map over one panel: drawn at grid size from the result's own numbers, stretched by CSS. */
export function HeatmapCanvas({ signal, heatmap, colour, scaleX, scaleY }: HeatmapCanvasProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useLayoutEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    let levels: Uint8Array;
    try {
      levels = decodeHeatmapLevels(heatmap);
    } catch {
      return; // A damaged map draws nothing rather than something wrong.
    }
    context.putImageData(new ImageData(heatmapPixels(levels, colour), heatmap.width, heatmap.height), 0, 0);
  }, [heatmap, colour]);
  return (
    <canvas
      ref={canvas}
      className="heatmap"
      data-signal={signal}
      width={heatmap.width}
      height={heatmap.height}
      style={{ width: (heatmap.width / heatmap.scale) * scaleX, height: (heatmap.height / heatmap.scale) * scaleY }}
      aria-hidden="true"
    />
  );
}
