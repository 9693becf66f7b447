// Byte-bounded LRU cache of loaded cube cells, keyed by table id and version: the current version of a table and
// a scheduled one (warmed before its release) can be held side by side. It accounts the bytes the typed arrays
// actually keep alive (their whole ArrayBuffers), so the budget bounds resident memory: about 9 bytes per cell
// (Float64 value + status byte) for a loaded cube. A pinned entry (a warmed release) is never evicted until unpinned.

import type { CubeCells } from './cubeCodec.js';

interface Entry {
  id: string;
  version: number;
  cells: CubeCells;
  bytes: number;
  pinned: boolean;
}

export interface CubeCacheStats {
  entries: number;
  bytes: number;
  budget: number;
  hits: number;
  misses: number;
  evictions: number;
  /** Entries held for a coming release (not evictable). */
  pinned: number;
}

/** Bytes kept alive by the arrays of a cube (an array viewing part of a larger buffer keeps all of it). */
export function retainedBytes(cells: CubeCells): number {
  const vb = cells.values.buffer;
  let n = vb.byteLength;
  if (cells.status && cells.status.buffer !== vb) n += cells.status.buffer.byteLength;
  return n;
}

const keyOf = (id: string, version: number) => `${version}\u0000${id}`;

export class CubeCache {
  readonly budget: number;
  // A Map iterates in insertion order: re-inserting on use makes the first key the least recently used.
  private entries = new Map<string, Entry>();
  /** Cached versions per table id. */
  private byId = new Map<string, Set<number>>();
  private total = 0;
  private hits = 0;
  private misses = 0;
  private evictions = 0;

  constructor(budgetBytes: number) {
    this.budget = Number.isFinite(budgetBytes) && budgetBytes > 0 ? Math.floor(budgetBytes) : 0;
  }

  /** The cells of `id` at `version`, or undefined. */
  get(id: string, version: number): CubeCells | undefined {
    const key = keyOf(id, version);
    const e = this.entries.get(key);
    if (!e) {
      this.misses++;
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, e);
    this.hits++;
    return e.cells;
  }

  /** Is this version cached? (No effect on the LRU order or the counters.) */
  has(id: string, version: number): boolean {
    return this.entries.has(keyOf(id, version));
  }

  /**
   * Keep `cells` if they fit the budget, evicting least recently used unpinned entries. Returns whether kept.
   * A pinned entry stays until `unpin` (or a delete).
   */
  set(id: string, version: number, cells: CubeCells, pin = false): boolean {
    this.remove(keyOf(id, version));
    const bytes = retainedBytes(cells);
    if (bytes > this.budget) return false;
    if (this.total + bytes > this.budget) {
      for (const [key, e] of this.entries) {
        if (this.total + bytes <= this.budget) break;
        if (e.pinned) continue;
        this.remove(key);
        this.evictions++;
      }
      if (this.total + bytes > this.budget) return false; // pinned entries fill the budget
    }
    this.entries.set(keyOf(id, version), { id, version, cells, bytes, pinned: pin });
    let vs = this.byId.get(id);
    if (!vs) this.byId.set(id, (vs = new Set()));
    vs.add(version);
    this.total += bytes;
    return true;
  }

  /** Make a pinned entry evictable again (its release happened). */
  unpin(id: string, version: number): void {
    const e = this.entries.get(keyOf(id, version));
    if (e) e.pinned = false;
  }

  /** Drop every cached version of `id` except `keepVersion`. */
  invalidate(id: string, keepVersion?: number): void {
    this.retain(id, (v) => v === keepVersion);
  }

  /** Drop the cached versions of `id` for which `keep` says no. */
  retain(id: string, keep: (version: number) => boolean): void {
    const vs = this.byId.get(id);
    if (!vs) return;
    for (const v of [...vs]) if (!keep(v)) this.remove(keyOf(id, v));
  }

  /** Drop every cached version of `id`. */
  delete(id: string): boolean {
    const vs = this.byId.get(id);
    if (!vs) return false;
    for (const v of [...vs]) this.remove(keyOf(id, v));
    return true;
  }

  /** Drop one cached version. */
  deleteVersion(id: string, version: number): boolean {
    return this.remove(keyOf(id, version));
  }

  private remove(key: string): boolean {
    const e = this.entries.get(key);
    if (!e) return false;
    this.entries.delete(key);
    this.total -= e.bytes;
    const vs = this.byId.get(e.id);
    if (vs) {
      vs.delete(e.version);
      if (!vs.size) this.byId.delete(e.id);
    }
    return true;
  }

  clear(): void {
    this.entries.clear();
    this.byId.clear();
    this.total = 0;
  }

  get bytes(): number {
    return this.total;
  }

  /** Table ids with at least one cached version. */
  ids(): string[] {
    return [...this.byId.keys()];
  }

  /** Cached versions of a table. */
  versions(id: string): number[] {
    return [...(this.byId.get(id) ?? [])].sort((a, b) => a - b);
  }

  stats(): CubeCacheStats {
    let pinned = 0;
    for (const e of this.entries.values()) if (e.pinned) pinned++;
    return {
      entries: this.entries.size,
      bytes: this.total,
      budget: this.budget,
      hits: this.hits,
      misses: this.misses,
      evictions: this.evictions,
      pinned,
    };
  }
}
