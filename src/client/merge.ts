// Putting the answers of a split query back together: one cube whose variables and cells are what the one big
// query would have returned.
//
// Each batch answers a block of the result: one piece of each variable's code list. A variable's values are its
// pieces in order. If a server returned a piece in another order than asked (PxWeb v1 answers in metadata order),
// the whole variable is put in the metadata order the client knows. Symbols are matched by their text, since each
// batch's reader numbered its own custom symbols.

import { STATUS_TOKENS, Status, strides, type Cube, type TableMeta, type Value, type Variable } from '../core/model.js';

export class MergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MergeError';
  }
}

export interface BatchAnswer {
  /** Requested codes per result variable (in result variable order). */
  requested: string[][];
  cube: Cube;
}

/** The answer has exactly the asked-for variables (in order) and values (in any order). */
export function checkAnswer(a: BatchAnswer, variables: string[]): void {
  const got = a.cube.meta.variables.map((v) => v.code);
  if (got.length !== variables.length || got.some((c, i) => c !== variables[i])) {
    throw new MergeError(`the server answered with variables [${got.join(', ')}] instead of [${variables.join(', ')}]`);
  }
  a.cube.meta.variables.forEach((v, d) => {
    const want = new Set(a.requested[d]);
    if (v.values.length !== want.size || v.values.some((x) => !want.has(x.code))) {
      throw new MergeError(`the server answered other ${v.code} values than asked (${v.values.slice(0, 5).map((x) => x.code).join(', ')} …)`);
    }
  });
}

/**
 * Merge batch answers. `variables`: codes of the result's variables in order; `pieces`: per variable, its code
 * pieces in the order the batches walk them; `metaOrder`: per variable, metadata positions (used when a server
 * reordered a piece).
 */
export function mergeBatches(
  answers: BatchAnswer[],
  variables: string[],
  pieces: string[][][],
  metaOrder: (Map<string, number> | undefined)[],
): Cube {
  if (!answers.length) throw new MergeError('no answers to merge');
  const first = answers[0].cube.meta;
  const lang = first.defaultLanguage;
  for (const a of answers) checkAnswer(a, variables);

  // each variable's final value order
  const reordered = variables.map((_, d) =>
    answers.some((a) => a.cube.meta.variables[d].values.some((x, i) => x.code !== a.requested[d][i])),
  );
  const finalCodes = variables.map((_, d) => {
    const codes = pieces[d].flat();
    const order = metaOrder[d];
    if (reordered[d] && order) return [...codes].sort((a, b) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity));
    return codes;
  });
  const valueOf = variables.map(() => new Map<string, Value>());
  for (const a of answers) a.cube.meta.variables.forEach((v, d) => v.values.forEach((x) => valueOf[d].has(x.code) || valueOf[d].set(x.code, x)));
  const index = finalCodes.map((codes) => new Map(codes.map((c, i) => [c, i] as const)));
  const sizes = finalCodes.map((c) => c.length);
  const total = sizes.reduce((a, b) => a * b, 1);
  const st = strides(sizes);

  const values = new Float64Array(total);
  const anyStatus = answers.some((a) => a.cube.status !== null);
  const status = anyStatus ? new Uint8Array(total) : null;
  const filled = new Uint8Array(total);

  // symbols by text: codes whose text is a PX token keep that token's code, other texts get free codes
  const symbolText = (meta: TableMeta, s: number) => meta.symbols?.[s]?.[lang] ?? Object.values(meta.symbols?.[s] ?? {})[0] ?? STATUS_TOKENS[s];
  const present = answers.map((a) => {
    const seen = new Set<number>();
    if (a.cube.status) for (const s of a.cube.status) seen.add(s);
    seen.delete(Status.Value);
    return seen;
  });
  const tokenOf = (t: string) => STATUS_TOKENS.indexOf(t as (typeof STATUS_TOKENS)[number]);
  const standard = new Set<number>();
  const customTexts: string[] = [];
  answers.forEach((a, b) => {
    for (const s of present[b]) {
      const t = symbolText(a.cube.meta, s);
      const token = tokenOf(t);
      if (token > 0) standard.add(token);
      else if (!customTexts.includes(t)) customTexts.push(t);
    }
  });
  // the reader's order: free dots codes, then the sum and nil codes (nil first for a text that reads as nil)
  const taken = new Set(standard);
  const mergedSymbols: Partial<Record<number, Record<string, string>>> = {};
  const customByText = new Map<string, number>();
  for (const t of customTexts) {
    const order = [1, 2, 3, 4, 5, 6, Status.DotSum, Status.Nil];
    if (/^(nil|null|zero|[-–—])$/i.test(t.trim())) order.unshift(Status.Nil);
    const code = order.find((c) => !taken.has(c));
    if (code === undefined) {
      customByText.set(t, Status.DotSum);
      continue;
    }
    taken.add(code);
    customByText.set(t, code);
    mergedSymbols[code] = { [lang]: t };
  }
  const mapStatus = (meta: TableMeta): Uint8Array => {
    const remap = new Uint8Array(STATUS_TOKENS.length);
    for (let s = 0; s < STATUS_TOKENS.length; s++) {
      const t = symbolText(meta, s);
      const token = tokenOf(t);
      remap[s] = s === Status.Value ? 0 : token > 0 ? token : (customByText.get(t) ?? Status.DotSum);
    }
    return remap;
  };

  for (const a of answers) {
    const bvars = a.cube.meta.variables;
    const bsizes = bvars.map((v) => v.values.length);
    const nd = bsizes.length;
    const map = bvars.map((v, d) => Int32Array.from(v.values, (x) => index[d].get(x.code)!));
    const remap = a.cube.status ? mapStatus(a.cube.meta) : null;
    const n = a.cube.values.length;
    if (n === 0) continue;
    const pos = new Array<number>(nd).fill(0);
    for (let i = 0; i < n; i++) {
      let off = 0;
      for (let d = 0; d < nd; d++) off += map[d][pos[d]] * st[d];
      values[off] = a.cube.values[i];
      if (status && a.cube.status && remap) status[off] = remap[a.cube.status[i]];
      filled[off] = 1;
      for (let d = nd - 1; d >= 0; d--) {
        if (++pos[d] < bsizes[d]) break;
        pos[d] = 0;
      }
    }
  }
  for (let i = 0; i < total; i++) if (!filled[i]) throw new MergeError(`cell ${i} came back in no batch`);

  const meta: TableMeta = {
    ...first,
    variables: first.variables.map((v, d): Variable => ({ ...v, values: finalCodes[d].map((c) => valueOf[d].get(c)!) })),
  };
  const infos = answers.map((a) => a.cube.meta.contentInfo).filter((x) => x !== undefined);
  if (infos.length) meta.contentInfo = Object.assign({}, ...infos.reverse());
  const notes = answers.flatMap((a) => a.cube.meta.cellNotes ?? []);
  if (notes.length) meta.cellNotes = notes;
  else delete meta.cellNotes;
  if (Object.keys(mergedSymbols).length) meta.symbols = mergedSymbols;
  else delete meta.symbols;
  return { meta, values, status: status && status.some((s) => s !== 0) ? status : null };
}
