/** Cheap checks on the page's own numbers: nothing here reads pixels. */

export const MIN_NATURAL_WIDTH = 200;
export const MIN_NATURAL_HEIGHT = 120;
export const MIN_RENDERED_WIDTH = 120;
export const MIN_RENDERED_HEIGHT = 80;
/** Cards are at most about 4:1 (side by side) or 1:4 (stacked); banners and strips are skipped. */
export const MAX_ASPECT = 4;

export interface ImageMetrics {
  naturalWidth: number;
  naturalHeight: number;
  renderedWidth: number;
  renderedHeight: number;
}

/** Whether an image is big enough and shaped like something that could be a comparison card. */
export function couldBeCard(metrics: ImageMetrics): boolean {
  const { naturalWidth, naturalHeight, renderedWidth, renderedHeight } = metrics;
  if (naturalWidth < MIN_NATURAL_WIDTH || naturalHeight < MIN_NATURAL_HEIGHT) return false;
  if (renderedWidth < MIN_RENDERED_WIDTH || renderedHeight < MIN_RENDERED_HEIGHT) return false;
  const aspect = naturalWidth / naturalHeight;
  return aspect <= MAX_ASPECT && aspect >= 1 / MAX_ASPECT;
}

/** Distance from a rectangle to the viewport's centre line: the queue analyses the nearest first. */
export function distanceToViewportCentre(top: number, height: number, viewportHeight: number): number {
  const centre = viewportHeight / 2;
  if (top <= centre && top + height >= centre) return 0;
  return Math.min(Math.abs(top - centre), Math.abs(top + height - centre));
}
