import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';

// @wxt-dev/browser reads globalThis.chrome once, when first imported: stub it before loading the module.
vi.stubGlobal('chrome', fakeBrowser);
const { dismissImage, isDismissed, MAX_DISMISSED, withDismissed } = await import('../../lib/settings/dismissed');

describe('dismissed images', () => {
  beforeEach(() => fakeBrowser.reset());

  it('keeps the newest dismissals, each once', () => {
    expect(withDismissed(['a', 'b', 'c'], 'a', 3)).toEqual(['b', 'c', 'a']);
    expect(withDismissed(['a', 'b', 'c'], 'd', 3)).toEqual(['b', 'c', 'd']);
  });

  it('remembers a dismissed hash in extension storage, and forgets the oldest past the bound', async () => {
    expect(await isDismissed('h0')).toBe(false);
    expect(await isDismissed(null)).toBe(false);
    for (let index = 0; index <= MAX_DISMISSED; index++) await dismissImage(`h${index}`);
    expect(await isDismissed('h0')).toBe(false);
    expect(await isDismissed('h1')).toBe(true);
    expect(await isDismissed(`h${MAX_DISMISSED}`)).toBe(true);
    expect(((await fakeBrowser.storage.local.get('dismissed-images'))['dismissed-images'] as string[]).length).toBe(MAX_DISMISSED);
  }, 60_000);
});
