import { storage } from 'wxt/utils/storage';

/** Images the user dismissed the overlay on, by content hash (SHA-256), newest last. */
export const dismissedItem = storage.defineItem<string[]>('local:dismissed-images', { fallback: [] });

/** Oldest dismissals are forgotten past this many (a hash is 64 characters: ~35 kB at most). */
export const MAX_DISMISSED = 500;

/** The list with `hash` added last (moved there if present), the oldest dropped past `max`. */
export function withDismissed(list: readonly string[], hash: string, max = MAX_DISMISSED): string[] {
  const next = list.filter((entry) => entry !== hash);
  next.push(hash);
  return next.slice(Math.max(0, next.length - max));
}

export async function dismissImage(hash: string): Promise<void> {
  await dismissedItem.setValue(withDismissed(await dismissedItem.getValue(), hash));
}

export async function isDismissed(hash: string | null): Promise<boolean> {
  return hash !== null && (await dismissedItem.getValue()).includes(hash);
}
