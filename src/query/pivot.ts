// Placement of a result cube (v2 `heading`/`stub`): reorder its variables to stub ++ heading and move the
// cells to match (a transpose of the dense arrays), so every serializer sees the requested layout.

import type { CellNote, Cube } from '../core/model.js';
import { strides } from '../core/model.js';

/** The cube with variables in `stub` then `heading` order. Codes must name exactly the cube's variables. */
export function pivotCube(cube: Cube, stub: readonly string[], heading: readonly string[]): Cube {
  const vars = cube.meta.variables;
  const order = [...stub, ...heading];
  if (order.length !== vars.length) throw new Error('placement must name every variable of the result once');
  const perm = order.map((c) => {
    const i = vars.findIndex((v) => v.code === c);
    if (i < 0) throw new Error(`placement names an unknown variable ${c}`);
    return i;
  });
  if (new Set(perm).size !== perm.length) throw new Error('placement names a variable twice');
  const meta = { ...cube.meta, variables: perm.map((i) => vars[i]), stub: [...stub], heading: [...heading] };
  if (cube.meta.cellNotes?.length) {
    meta.cellNotes = cube.meta.cellNotes.map((n): CellNote => (n.coords.length === perm.length ? { ...n, coords: perm.map((i) => n.coords[i]) } : n));
  }
  if (perm.every((p, k) => p === k)) return { ...cube, meta };

  const sizes = vars.map((v) => v.values.length);
  const srcStrides = strides(sizes);
  const outSizes = perm.map((i) => sizes[i]);
  const step = perm.map((i) => srcStrides[i]); // source stride of each output dimension
  const total = cube.values.length;
  const values = new Float64Array(total);
  const status = cube.status ? new Uint8Array(total) : null;
  const nd = perm.length;
  if (total === 0) return { meta, values, status };
  const last = nd - 1;
  const lastLen = outSizes[last];
  const lastStep = step[last];
  const counter = new Int32Array(nd);
  let base = 0; // source offset of the current row (output dims 0..nd-2)
  let out = 0;
  const src = cube.values;
  const srcStatus = cube.status;
  for (;;) {
    if (status && srcStatus) {
      for (let i = 0, o = base; i < lastLen; i++, o += lastStep) {
        values[out] = src[o];
        status[out++] = srcStatus[o];
      }
    } else {
      for (let i = 0, o = base; i < lastLen; i++, o += lastStep) values[out++] = src[o];
    }
    let d = last - 1;
    while (d >= 0) {
      counter[d]++;
      base += step[d];
      if (counter[d] < outSizes[d]) break;
      base -= step[d] * outSizes[d];
      counter[d] = 0;
      d--;
    }
    if (d < 0) break;
  }
  return { meta, values, status };
}
