/** The loupe's geometry (pure): the same relative spot on both panels, as source rectangles. */
import type { Box } from '@/lib/engine/types';

/** Where the loupe looks: a panel and a point in it, 0-1 across and down. */
export interface LoupeSpot {
  panel: number;
  u: number;
  v: number;
}

/** How much larger than the card is shown on the page the loupe draws. */
export const LOUPE_ZOOM = 4;
/** Each of the loupe's two views, in CSS pixels. */
export const LOUPE_VIEW_PX = 168;
/** Smallest source window: past this the loupe would only show blown-up pixels. */
const MIN_WINDOW_PX = 12;

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/**
 * The square source window (result pixels) around (u, v) of each panel. Both windows have the
 * same side, so the two views show the same share of the picture; each stays inside its panel.
 */
export function loupeWindows(panels: readonly Box[], spot: Pick<LoupeSpot, 'u' | 'v'>, cssPerPixel: number): Box[] {
  const smallest = Math.min(...panels.map(([, , width, height]) => Math.min(width, height)));
  const side = Math.round(clamp(LOUPE_VIEW_PX / (cssPerPixel * LOUPE_ZOOM), Math.min(MIN_WINDOW_PX, smallest), smallest));
  const u = clamp(spot.u, 0, 1);
  const v = clamp(spot.v, 0, 1);
  return panels.map(([x, y, width, height]) => {
    const left = clamp(Math.round(x + u * width - side / 2), x, x + width - side);
    const top = clamp(Math.round(y + v * height - side / 2), y, y + height - side);
    return [left, top, side, side];
  });
}

/** Moves the spot by arrow keys: a twentieth of the panel a press, a fifth with Shift. */
export function movedSpot(spot: LoupeSpot, key: string, large: boolean): LoupeSpot | null {
  const step = large ? 0.2 : 0.05;
  const moves: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
  const move = moves[key];
  if (!move) return null;
  return { ...spot, u: clamp(spot.u + move[0], 0, 1), v: clamp(spot.v + move[1], 0, 1) };
}

/** The loupe box: two views, their gaps and captions (CSS pixels, as style.css draws it). */
export const LOUPE_BOX = { width: 2 * LOUPE_VIEW_PX + 3 * 8, height: LOUPE_VIEW_PX + 2 * 8 + 22 };
/** Room kept between the spot and the loupe, so the loupe never hides what it magnifies. */
const LOUPE_GAP = 24;

/**
 * Where the loupe goes in the card (CSS pixels, its top-left) for a spot at (x, y): below the
 * spot, else above, else beside it, else under the card: never over the spot itself.
 */
export function loupePosition(x: number, y: number, card: { width: number; height: number }, box = LOUPE_BOX): { left: number; top: number } {
  const centredLeft = clamp(x - box.width / 2, 0, Math.max(0, card.width - box.width));
  if (y + LOUPE_GAP + box.height <= card.height) return { left: centredLeft, top: y + LOUPE_GAP };
  if (y - LOUPE_GAP - box.height >= 0) return { left: centredLeft, top: y - LOUPE_GAP - box.height };
  const top = clamp(y - box.height / 2, 0, Math.max(0, card.height - box.height));
  if (x + LOUPE_GAP + box.width <= card.width) return { left: x + LOUPE_GAP, top };
  if (x - LOUPE_GAP - box.width >= 0) return { left: x - LOUPE_GAP - box.width, top };
  return { left: centredLeft, top: card.height + 8 };
}
