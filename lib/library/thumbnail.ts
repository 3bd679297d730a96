/** The longest side of a saved thumbnail, in pixels: sharp on a 2× screen at the grid's tile size. */
export const THUMBNAIL_MAX_SIDE = 320;

/**
 * A small WebP (JPEG where the browser cannot encode WebP) of an image, for the library grid.
 * The canvas edge: runs wherever createImageBitmap and OffscreenCanvas exist (pages, workers,
 * Chrome's service worker).
 */
export async function makeThumbnail(image: Blob, maxSide = THUMBNAIL_MAX_SIDE): Promise<Blob> {
  const bitmap = await createImageBitmap(image);
  try {
    const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('No 2D canvas is available to draw the thumbnail.');
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, 0, 0, width, height);
    const webp = await canvas.convertToBlob({ type: 'image/webp', quality: 0.8 });
    // Browsers that cannot encode WebP hand back a PNG instead: too big for a thumbnail.
    return webp.type === 'image/webp' ? webp : canvas.convertToBlob({ type: 'image/jpeg', quality: 0.82 });
  } finally {
    bitmap.close();
  }
}
