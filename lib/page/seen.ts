/**
 * What the content script remembers about the images it has asked about, so that no picture is
 * analysed twice on a page: one request per address however many elements show it (feeds repeat
 * images, virtualised feeds recycle elements), with a bound so an endless feed cannot grow it.
 * Across reloads the background's caches (address → content hash → result) take over.
 */

/** A map that forgets its least recently used entries past `limit`. */
export class BoundedMap<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(readonly limit: number) {
    if (!(limit > 0)) throw new RangeError('BoundedMap needs a positive limit');
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    if (!this.#entries.has(key)) return undefined;
    const value = this.#entries.get(key) as V;
    // Re-insert: Map keeps insertion order, so the front is the least recently used.
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  set(key: K, value: V): this {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    while (this.#entries.size > this.limit) {
      const oldest = this.#entries.keys().next().value as K;
      this.#entries.delete(oldest);
    }
    return this;
  }

  delete(key: K): boolean {
    return this.#entries.delete(key);
  }
}

/**
 * Shares one analysis per address: the first caller starts it, later callers get the same
 * promise. A failed run is forgotten so a later look can retry it.
 */
export class OncePerKey<V> {
  readonly #runs: BoundedMap<string, Promise<V>>;

  constructor(limit: number) {
    this.#runs = new BoundedMap(limit);
  }

  run(key: string, start: () => Promise<V>): Promise<V> {
    const known = this.#runs.get(key);
    if (known) return known;
    const started = start();
    this.#runs.set(key, started);
    started.catch(() => {
      if (this.#runs.get(key) === started) this.#runs.delete(key);
    });
    return started;
  }
}
