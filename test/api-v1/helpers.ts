// Shared helpers for the API v1 tests: a store with a 07459-like table, an app, a JSON-stat 2.0 reader and
// brute-force expectations computed straight from the cube's flat arrays.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { loadConfig, type AppConfig } from '../../src/app/config.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import type { Store } from '../../src/store/store.js';
import type { Cube } from '../../src/core/model.js';
import { build07459, cellAt, combos, type Cube07459Options } from '../query/cube07459.js';

export const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
export const HAVE_SHARED = existsSync(SHARED);

export function makeStore(opts: Cube07459Options = { withSymbols: true }): { store: Store; cube: Cube } {
  const store = createMemoryStore();
  store.putFolder('be', { no: 'Befolkning', en: 'Population' });
  store.putFolder('be/be01', { no: 'Folkemengde', en: 'Population count' });
  store.putFolder('tom', { no: 'Tom mappe', en: 'Empty folder' });
  const cube = build07459(opts);
  store.putTable(cube, { folders: ['be/be01'], shortName: 'folkemengde', published: '2025-02-21T07:00:00Z' });
  return { store, cube };
}

export async function makeApp(store: Store, overrides: Partial<AppConfig> = {}): Promise<FastifyInstance> {
  const config = loadConfig({ maxCalls: 0, ...overrides }, {});
  return buildApp({ store, config }, { logger: false });
}

export interface ParsedJsonStat {
  id: string[];
  size: number[];
  codes: string[][];
  value: (number | null)[];
  status: Record<string, string>;
  raw: Record<string, unknown>;
}

/** Read a JSON-stat 2.0 dataset (category.index as object or array). */
export function readJsonStat2(text: string): ParsedJsonStat {
  const j = JSON.parse(text) as Record<string, any>;
  assert.equal(j.class, 'dataset');
  assert.equal(j.version, '2.0');
  const id = j.id as string[];
  const codes = id.map((d) => {
    const idx = j.dimension[d].category.index;
    if (Array.isArray(idx)) return idx as string[];
    return Object.entries(idx as Record<string, number>)
      .sort((a, b) => a[1] - b[1])
      .map((e) => e[0]);
  });
  const status: Record<string, string> = {};
  if (Array.isArray(j.status)) j.status.forEach((s: string | null, i: number) => s && (status[i] = s));
  else if (j.status) Object.assign(status, j.status);
  return { id, size: j.size, codes, value: j.value, status, raw: j };
}

/** What a variable should look like in the answer: output values each summing input codes, or eliminated. */
export type VarExpect = { out: [string, string[]][] } | { elim: string[] };

export const item = (...codes: string[]): VarExpect => ({ out: codes.map((c) => [c, [c]]) });

/** Brute force a cell: the sum rule of the engine, written out independently. */
export function bruteCell(cube: Cube, inputs: string[][]): { kind: 'value'; value: number } | { kind: 'nil' } | { kind: 'missing' } {
  let sum = 0;
  let missing = false;
  let allNil = true;
  for (const codes of combos(inputs)) {
    const c = cellAt(cube, codes);
    if (c.status === 0) {
      sum += c.value;
      allNil = false;
    } else if (c.status === 8) {
      /* nil adds 0 */
    } else {
      missing = true;
      allNil = false;
    }
  }
  if (missing) return { kind: 'missing' };
  if (allNil) return { kind: 'nil' };
  return { kind: 'value', value: sum };
}

/** Check a JSON-stat answer against expectations for every table variable (in table order). */
export interface CheckOptions {
  /** Allowed absolute difference (answers are rounded to the table's decimals). */
  tol?: number;
  /** Check the nil symbol is "-" (off for tables with their own symbols). */
  symbols?: boolean;
}

export function checkAgainstCube(cube: Cube, js: ParsedJsonStat, expect: VarExpect[], opts: CheckOptions = {}): void {
  const tol = opts.tol ?? 0;
  const symbols = opts.symbols ?? true;
  const vars = cube.meta.variables;
  assert.equal(expect.length, vars.length);
  // a table without a contents variable gets a one-category ContentsCode dimension in JSON-stat: set it aside
  const extra = js.id.map((d, k) => (!vars.some((v) => v.code === d) && js.size[k] === 1 ? k : -1)).filter((k) => k >= 0);
  if (extra.length) js = { ...js, id: js.id.filter((_, k) => !extra.includes(k)), codes: js.codes.filter((_, k) => !extra.includes(k)), size: js.size.filter((_, k) => !extra.includes(k)) };
  const kept = vars.map((v, d) => ({ v, e: expect[d] })).filter((x) => 'out' in x.e);
  assert.deepEqual(js.id, kept.map((x) => x.v.code), 'dimensions');
  kept.forEach((x, k) => assert.deepEqual(js.codes[k], (x.e as { out: [string, string[]][] }).out.map((o) => o[0]), `codes of ${x.v.code}`));
  const outLists = expect.map((e) => ('out' in e ? e.out.map((_, i) => i) : [0]));
  let n = 0;
  for (const combo of combos(outLists.map((l) => l.map(String)))) {
    const inputs = expect.map((e, d) => ('out' in e ? e.out[Number(combo[d])][1] : e.elim));
    const b = bruteCell(cube, inputs);
    const v = js.value[n];
    const s = js.status[String(n)];
    if (b.kind === 'value') {
      if (tol === 0) assert.equal(v, b.value, `cell ${n} ${inputs.join('|')}`);
      else assert.ok(typeof v === 'number' && Math.abs(v - b.value) <= tol + 1e-9 * Math.abs(b.value), `cell ${n}: ${v} vs ${b.value}`);
      // (cell notes may put a symbol beside a number: only checked when symbols are)
      if (symbols) assert.equal(s, undefined, `cell ${n} status`);
    } else if (b.kind === 'nil') {
      assert.ok(v === null || v === 0, `cell ${n} nil`);
      if (symbols) assert.equal(s, '-', `cell ${n} nil symbol`);
      else assert.ok(s !== undefined, `cell ${n} nil symbol`);
    } else {
      assert.equal(v, null, `cell ${n} missing`);
      assert.ok(s !== undefined, `cell ${n} missing symbol`);
      if (symbols) assert.notEqual(s, '-', `cell ${n} missing symbol`);
    }
    n++;
  }
  assert.equal(js.value.length, n, 'value length');
}

export function query(parts: [string, string, string[]][], format?: string): string {
  const q: Record<string, unknown> = {
    query: parts.map(([code, filter, values]) => ({ code, selection: { filter, values } })),
  };
  if (format) q.response = { format };
  return JSON.stringify(q);
}
