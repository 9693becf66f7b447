// A small LRU cache of finished HTTP responses, bounded by bytes, so that a repeated small query is
// answered from memory. Callers build the key from method, URL, body and the table's version, so a
// new version of a table never serves an old answer. Shared by API v1 and API v2.

export interface CachedResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface ResponseCacheOptions {
  /** Total byte budget (bodies + keys); 0 disables the cache. */
  maxBytes?: number;
  /** Bodies larger than this are not kept. */
  maxEntryBytes?: number;
}

export class ResponseCache {
  readonly maxBytes: number;
  readonly maxEntryBytes: number;
  private readonly map = new Map<string, { value: CachedResponse; size: number }>();
  private used = 0;
  hits = 0;
  misses = 0;

  constructor(opts: ResponseCacheOptions = {}) {
    this.maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
    this.maxEntryBytes = Math.min(opts.maxEntryBytes ?? 1024 * 1024, this.maxBytes);
  }

  /** Cache key of a request: method, URL, body and the version of the data it reads. */
  static key(method: string, url: string, body: string | Buffer | undefined, version: string | number): string {
    const b = body === undefined ? '' : typeof body === 'string' ? body : body.toString('latin1');
    return `${method}\n${url}\n${version}\n${b}`;
  }

  /** Whether a response is kept under the key (not counted as a hit or a miss, not made recent). */
  has(key: string): boolean {
    return this.map.has(key);
  }

  get(key: string): CachedResponse | undefined {
    const e = this.map.get(key);
    if (!e) {
      this.misses++;
      return undefined;
    }
    // most recently used goes last
    this.map.delete(key);
    this.map.set(key, e);
    this.hits++;
    return e.value;
  }

  set(key: string, value: CachedResponse): boolean {
    const size = value.body.length + key.length * 2 + 64;
    if (this.maxBytes <= 0 || value.body.length > this.maxEntryBytes || size > this.maxBytes) return false;
    const old = this.map.get(key);
    if (old) {
      this.map.delete(key);
      this.used -= old.size;
    }
    this.map.set(key, { value, size });
    this.used += size;
    while (this.used > this.maxBytes) {
      const [k, e] = this.map.entries().next().value as [string, { size: number }];
      this.map.delete(k);
      this.used -= e.size;
    }
    return true;
  }

  clear(): void {
    this.map.clear();
    this.used = 0;
  }

  get bytes(): number {
    return this.used;
  }

  get size(): number {
    return this.map.size;
  }
}
