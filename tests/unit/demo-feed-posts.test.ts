// @vitest-environment jsdom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adapterFor } from '../../lib/sites/registry';

describe('the generic adapter on the bundled demo feed', () => {
  document.documentElement.innerHTML = readFileSync(join(import.meta.dirname, '../../demo/index.html'), 'utf8');
  const adapter = adapterFor(new URL('http://127.0.0.1/demo/'), document);
  const image = document.querySelector<HTMLImageElement>('img[src$="minimaxir_ghibli_real_vs_nanobanana_unlabeled.webp"]');

  it('reads a feed post’s own paragraph as its text when it has no caption or heading', () => {
    expect(adapter.id).toBe('generic');
    expect(image).not.toBeNull();
    const post = adapter.postFor(image as HTMLImageElement);
    expect(post?.text).toBe('Real photo (left) vs Nano Banana (right). I asked for Studio Ghibli style and it barely changed anything.');
    expect(post?.images).toEqual([image]);
  });
});
