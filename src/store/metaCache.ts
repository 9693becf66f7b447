// Byte-bounded LRU of parsed table metadata, keyed by table id and version (a version's metadata never changes, so
// an entry is never stale; a release simply asks for another key). Bytes are estimated from the stored JSON length.

import type { TableMeta } from '../core/model.js';

/** Parsed objects take a few times their JSON text. */
const PARSED_PER_JSON_BYTE = 3;

export class MetaCache {
  private readonly entries = new Map<string, { meta: TableMeta; bytes: number }>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(readonly budget: number) {}

  get(id: string, version: number): TableMeta | undefined {
    const k = `${version}\u0000${id}`;
    const e = this.entries.get(k);
    if (!e) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.entries.delete(k);
    this.entries.set(k, e);
    return e.meta;
  }

  /** Whether an entry is cached (without counting a hit or a miss, or refreshing it). */
  has(id: string, version: number): boolean {
    return this.entries.has(`${version}\u0000${id}`);
  }

  set(id: string, version: number, meta: TableMeta, jsonBytes: number): void {
    const k = `${version}\u0000${id}`;
    const bytes = jsonBytes * PARSED_PER_JSON_BYTE;
    const old = this.entries.get(k);
    if (old) {
      this.bytes -= old.bytes;
      this.entries.delete(k);
    }
    this.entries.set(k, { meta, bytes });
    this.bytes += bytes;
    for (const [key, e] of this.entries) {
      if (this.bytes <= this.budget || this.entries.size <= 1) break;
      this.entries.delete(key);
      this.bytes -= e.bytes;
    }
  }

  stats(): { entries: number; bytes: number; budget: number; hits: number; misses: number } {
    return { entries: this.entries.size, bytes: this.bytes, budget: this.budget, hits: this.hits, misses: this.misses };
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}
