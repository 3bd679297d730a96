import { bytesToBase64 } from '../messaging/base64';

export interface ThumbnailBytes {
  bytes: Uint8Array;
  mime: string;
}

/**
 * data: URLs for thumbnails, read in batches: every request made in the same task becomes one
 * read, so a grid that mounts 40 tiles does one database round trip. data: URLs rather than
 * object URLs: creating an object URL costs milliseconds of main thread per tile in Chromium.
 * The least recently used are dropped past `capacity`.
 */
export function thumbnailUrls(readMany: (hashes: string[]) => Promise<Map<string, ThumbnailBytes>>, capacity = 1000) {
  const urls = new Map<string, string>();
  let batch: Map<string, { resolve: (url: string | null) => void; reject: (error: unknown) => void }[]> | null = null;

  function remember(hash: string, url: string): void {
    urls.delete(hash);
    urls.set(hash, url);
    if (urls.size > capacity) {
      const oldest = urls.keys().next();
      if (!oldest.done) urls.delete(oldest.value);
    }
  }

  async function flush(waiting: NonNullable<typeof batch>): Promise<void> {
    try {
      const thumbnails = await readMany([...waiting.keys()]);
      for (const [hash, callbacks] of waiting) {
        const thumbnail = thumbnails.get(hash);
        const url = thumbnail ? `data:${thumbnail.mime};base64,${bytesToBase64(thumbnail.bytes)}` : null;
        if (url) remember(hash, url);
        callbacks.forEach(({ resolve }) => resolve(url));
      }
    } catch (error) {
      for (const callbacks of waiting.values()) callbacks.forEach(({ reject }) => reject(error));
    }
  }

  return {
    /** The thumbnail's URL, or null when the card has none. */
    get(hash: string): Promise<string | null> {
      const known = urls.get(hash);
      if (known) {
        remember(hash, known);
        return Promise.resolve(known);
      }
      return new Promise((resolve, reject) => {
        if (!batch) {
          const waiting = (batch = new Map());
          setTimeout(() => {
            batch = null;
            void flush(waiting);
          }, 0);
        }
        const callbacks = batch.get(hash) ?? [];
        callbacks.push({ resolve, reject });
        batch.set(hash, callbacks);
      });
    },
    /** Drops a card's thumbnail (it was deleted). */
    forget(hash: string): void {
      urls.delete(hash);
    },
  };
}
