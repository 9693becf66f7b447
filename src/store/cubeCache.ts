// Byte-bounded LRU cache of loaded cube cells, keyed by table id and validated by table version.
// It accounts the bytes the typed arrays actually keep alive (their whole ArrayBuffers), so the budget
// bounds resident memory: about 9 bytes per cell (Float64 value + status byte) for a loaded cube.

import type { CubeCells } from './cubeCodec.js';

interface Entry {
  version: number;
  cells: CubeCells;
  bytes: number;
}

export interface CubeCacheStats {
  entries: number;
  bytes: number;
  budget: number;
  hits: number;
  misses: number;
  evictions: number;
}

/** Bytes kept alive by the arrays of a cube (an array viewing part of a larger buffer keeps all of it). */
export function retainedBytes(cells: CubeCells): number {
  const vb = cells.values.buffer;
  let n = vb.byteLength;
  if (cells.status && cells.status.buffer !== vb) n += cells.status.buffer.byteLength;
  return n;
}

export class CubeCache {
  readonly budget: number;
  // A Map iterates in insertion order: re-inserting on use makes the first key the least recently used.
  private entries = new Map<string, Entry>();
  private total = 0;
  private hits = 0;
  private misses = 0;
  private evictions = 0;

  constructor(budgetBytes: number) {
    this.budget = Number.isFinite(budgetBytes) && budgetBytes > 0 ? Math.floor(budgetBytes) : 0;
  }

  /** The cells of `id` at `version`, or undefined (a stale version is dropped). */
  get(id: string, version: number): CubeCells | undefined {
    const e = this.entries.get(id);
    if (!e) {
      this.misses++;
      return undefined;
    }
    if (e.version !== version) {
      this.delete(id);
      this.misses++;
      return undefined;
    }
    this.entries.delete(id);
    this.entries.set(id, e);
    this.hits++;
    return e.cells;
  }

  /** Keep `cells` if they fit the budget, evicting least recently used entries. Returns whether kept. */
  set(id: string, version: number, cells: CubeCells): boolean {
    this.delete(id);
    const bytes = retainedBytes(cells);
    if (bytes > this.budget) return false;
    for (const [key, e] of this.entries) {
      if (this.total + bytes <= this.budget) break;
      this.entries.delete(key);
      this.total -= e.bytes;
      this.evictions++;
    }
    this.entries.set(id, { version, cells, bytes });
    this.total += bytes;
    return true;
  }

  /** Drop the entry of `id` unless it holds `keepVersion`. */
  invalidate(id: string, keepVersion?: number): void {
    const e = this.entries.get(id);
    if (e && e.version !== keepVersion) this.delete(id);
  }

  delete(id: string): boolean {
    const e = this.entries.get(id);
    if (!e) return false;
    this.entries.delete(id);
    this.total -= e.bytes;
    return true;
  }

  clear(): void {
    this.entries.clear();
    this.total = 0;
  }

  get bytes(): number {
    return this.total;
  }

  ids(): string[] {
    return [...this.entries.keys()];
  }

  stats(): CubeCacheStats {
    return {
      entries: this.entries.size,
      bytes: this.total,
      budget: this.budget,
      hits: this.hits,
      misses: this.misses,
      evictions: this.evictions,
    };
  }
}
