import { describe, expect, it } from 'vitest';
import { BoundedMap, OncePerKey } from '../../lib/page/seen';

describe('BoundedMap', () => {
  it('forgets the least recently used entry past its limit', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1).set('b', 2);
    expect(map.get('a')).toBe(1); // 'a' is now the most recent
    map.set('c', 3);
    expect(map.get('b')).toBeUndefined();
    expect(map.get('a')).toBe(1);
    expect(map.get('c')).toBe(3);
    expect(map.size).toBe(2);
  });

  it('refuses a limit that is not positive', () => {
    expect(() => new BoundedMap(0)).toThrow(RangeError);
  });
});

describe('OncePerKey', () => {
  it('runs once per key while the first run is in flight and after it is done', async () => {
    const once = new OncePerKey<number>(10);
    let starts = 0;
    let release: (value: number) => void = () => undefined;
    const start = () => {
      starts++;
      return new Promise<number>((resolve) => (release = resolve));
    };
    const first = once.run('https://cdn.example/a.jpg', start);
    const second = once.run('https://cdn.example/a.jpg', start);
    expect(second).toBe(first);
    release(7);
    expect(await first).toBe(7);
    expect(await once.run('https://cdn.example/a.jpg', start)).toBe(7);
    expect(starts).toBe(1);
    await once.run('https://cdn.example/b.jpg', () => Promise.resolve(8));
    expect(starts).toBe(1);
  });

  it('forgets a failed run so the next look retries it', async () => {
    const once = new OncePerKey<number>(10);
    await expect(once.run('k', () => Promise.reject(new Error('offline')))).rejects.toThrow('offline');
    expect(await once.run('k', () => Promise.resolve(1))).toBe(1);
  });

  it('is bounded: the oldest key is run again once it has been forgotten', async () => {
    const once = new OncePerKey<string>(2);
    let starts = 0;
    const start = (value: string) => () => {
      starts++;
      return Promise.resolve(value);
    };
    await once.run('a', start('a'));
    await once.run('b', start('b'));
    await once.run('c', start('c'));
    await once.run('a', start('a'));
    expect(starts).toBe(4);
  });
});
