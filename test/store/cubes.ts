// Small cubes for the store tests. `stamped(k)` encodes k in every cell, its status pattern and its title,
// so a reader can tell a consistent cube (all parts from version k) from a torn one.

import { Status, type Cube, type TableMeta } from '../../src/core/model.js';

export function meta(id: string, sizes: number[], title = id): TableMeta {
  const variables = sizes.map((n, d) => ({
    code: `V${d}`,
    label: { no: `variabel ${d}`, en: `variable ${d}` },
    elimination: false,
    values: Array.from({ length: n }, (_, i) => ({ code: String(i).padStart(3, '0'), label: { no: `verdi ${i}`, en: `value ${i}` } })),
  }));
  return {
    id,
    title: { no: title, en: title },
    contents: { no: title, en: title },
    languages: ['no', 'en'],
    defaultLanguage: 'no',
    variables,
    stub: variables.slice(0, -1).map((v) => v.code),
    heading: variables.slice(-1).map((v) => v.code),
    decimals: 0,
  };
}

/** A cube whose cell i holds `f(i)`. */
export function cube(id: string, sizes: number[], f: (i: number) => number, title?: string): Cube {
  const m = meta(id, sizes, title);
  const n = sizes.reduce((a, b) => a * b, 1);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = f(i);
  return { meta: m, values, status: null };
}

/** Version stamp k everywhere: values k + 0.25, status ".." on cells i with i % 7 == k % 7, title "v<k>". */
export function stamped(id: string, sizes: number[], k: number): Cube {
  const c = cube(id, sizes, () => k + 0.25, `v${k}`);
  const status = new Uint8Array(c.values.length);
  for (let i = k % 7; i < status.length; i += 7) {
    status[i] = Status.Dot2;
    c.values[i] = 0;
  }
  c.status = status;
  return c;
}

/** Check a cube read back is exactly one stamp; returns its k or throws a description of the tear. */
export function stampOf(c: Cube): number {
  const k = Number(c.meta.title.no.slice(1));
  if (!Number.isInteger(k)) throw new Error(`bad title ${c.meta.title.no}`);
  if (!c.status) throw new Error(`v${k}: no status`);
  for (let i = 0; i < c.values.length; i++) {
    const sym = i % 7 === k % 7;
    if (sym ? c.status[i] !== Status.Dot2 || c.values[i] !== 0 : c.status[i] !== 0 || c.values[i] !== k + 0.25) {
      throw new Error(`torn cube: title v${k} but cell ${i} = ${c.values[i]} status ${c.status[i]}`);
    }
  }
  return k;
}
