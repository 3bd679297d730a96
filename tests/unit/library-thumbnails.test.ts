import { describe, expect, it } from 'vitest';
import { thumbnailUrls, type ThumbnailBytes } from '../../lib/library/thumbnail-urls';

describe('thumbnail URLs for the grid', () => {
  it('reads every thumbnail asked for in one task with one read, then serves them from memory', async () => {
    const reads: string[][] = [];
    const urls = thumbnailUrls(async (hashes) => {
      reads.push(hashes);
      return new Map<string, ThumbnailBytes>(hashes.filter((hash) => hash !== 'missing').map((hash) => [hash, { bytes: new TextEncoder().encode(hash), mime: 'image/webp' }]));
    });
    const first = await Promise.all(['a', 'b', 'a', 'missing'].map((hash) => urls.get(hash)));
    expect(reads).toEqual([['a', 'b', 'missing']]);
    expect(first).toEqual(['data:image/webp;base64,YQ==', 'data:image/webp;base64,Yg==', 'data:image/webp;base64,YQ==', null]);
    expect(await urls.get('b')).toBe('data:image/webp;base64,Yg==');
    expect(reads).toHaveLength(1);
    urls.forget('b');
    await urls.get('b');
    expect(reads).toEqual([['a', 'b', 'missing'], ['b']]);
  });

  it('keeps at most `capacity` URLs, dropping the least recently used', async () => {
    const reads: string[][] = [];
    const urls = thumbnailUrls(async (hashes) => {
      reads.push(hashes);
      return new Map(hashes.map((hash) => [hash, { bytes: new Uint8Array([1]), mime: 'image/jpeg' }]));
    }, 2);
    await urls.get('a');
    await urls.get('b');
    await urls.get('a'); // a is now the most recent
    await urls.get('c'); // evicts b
    await urls.get('a');
    await urls.get('b');
    expect(reads).toEqual([['a'], ['b'], ['c'], ['b']]);
  });

  it('a failed read rejects every request in its batch', async () => {
    const urls = thumbnailUrls(async () => {
      throw new Error('database closed');
    });
    await expect(Promise.all([urls.get('a'), urls.get('b')])).rejects.toThrow('database closed');
  });
});
