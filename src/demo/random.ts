// Deterministic randomness for the demo data. No Math.random, no clock: the same inputs give the same bytes.
//
// `noise(...)` hashes integer coordinates, so a cell's value does not depend on how many other cells exist
// (publishing one more year leaves every earlier cell unchanged). `Prng` is a sequential stream for series
// that evolve over time (random walks), always drawn from the first period forward.

/** murmur3's 32-bit finalizer: spreads every input bit over the output. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of a sequence of integers. */
export function hash(...xs: number[]): number {
  let h = 0x9e3779b9;
  for (const x of xs) h = fmix(Math.imul(h ^ (x | 0), 0x01000193) + 0x7f4a7c15);
  return h;
}

/** Uniform in [-1, 1), from integer coordinates. */
export function noise(...xs: number[]): number {
  return hash(...xs) / 0x80000000 - 1;
}

/** A stable integer for a string (table ids, codes) to feed into hash()/noise(). */
export function key(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** mulberry32: a small, fast sequential generator. */
export class Prng {
  private a: number;
  constructor(seed: number) {
    this.a = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Roughly normal (mean 0, sd 1): sum of uniforms. */
  gauss(): number {
    return (this.next() + this.next() + this.next() + this.next() - 2) * 1.7320508;
  }
}

export function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  const r = Math.round(x * f) / f;
  return r === 0 ? 0 : r; // no negative zero in stored data
}
