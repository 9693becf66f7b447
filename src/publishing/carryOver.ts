// A republished table keeps its value sets, groupings, classification and absent-code symbol: a PX file rarely
// carries the first two and never the last two (they are made in the
// statbank), so a new version without them takes the previous version's, with a warning. A new version that has
// its own value sets or groupings for a variable keeps those (it says otherwise). Items that refer to codes the new
// version no longer has are dropped (and said so).

import { symbolText, type Cube, type Variable } from '../core/model.js';

export function carryOverValueSets(prev: Cube['meta'] | undefined, cube: Cube): { cube: Cube; warnings: string[] } {
  const warnings: string[] = [];
  if (!prev) return { cube, warnings };
  const before = new Map(prev.variables.map((v) => [v.code, v]));
  const variables = cube.meta.variables.map((v): Variable => {
    const old = before.get(v.code);
    if (!old) return v;
    const codes = new Set(v.values.map((x) => x.code));
    let next = v;
    if (!v.valueSets?.length && old.valueSets?.length) {
      const kept = old.valueSets.filter((s) => s.codes.some((c) => codes.has(c))).map((s) => ({ ...s, codes: s.codes.filter((c) => codes.has(c)) }));
      const lost = old.valueSets.length - kept.length;
      if (kept.length) {
        next = { ...next, valueSets: kept };
        warnings.push(`${v.code}: the file has no value sets; kept the previous version's ${kept.map((s) => s.id).join(', ')}`);
      }
      if (lost) warnings.push(`${v.code}: ${lost} value set(s) of the previous version dropped (none of their values remain)`);
    }
    if (!v.groupings?.length && old.groupings?.length) {
      const kept = old.groupings
        .map((g) => ({
          ...g,
          groups: g.groups
            .map((gr) => ({ ...gr, inputs: gr.inputs.filter((c) => codes.has(c)), partial: gr.partial?.filter((c) => codes.has(c)) }))
            .filter((gr) => gr.inputs.length),
        }))
        .filter((g) => g.groups.length);
      if (kept.length) {
        next = { ...next, groupings: kept };
        warnings.push(`${v.code}: the file has no groupings; kept the previous version's ${kept.map((g) => g.id).join(', ')}`);
      }
      if (kept.length < old.groupings.length) warnings.push(`${v.code}: ${old.groupings.length - kept.length} grouping(s) of the previous version dropped (none of their values remain)`);
    }
    // nor do PX files name the classification a variable follows or the symbol of a code that did not exist
    if (!v.classification && old.classification) {
      next = { ...next, classification: old.classification };
      warnings.push(`${v.code}: kept the previous version's classification ${old.classification.id}`);
    }
    if (next.absentStatus === undefined && old.absentStatus !== undefined) {
      const was = symbolText(prev, old.absentStatus, prev.defaultLanguage);
      if (symbolText(cube.meta, old.absentStatus, cube.meta.defaultLanguage) === was) next = { ...next, absentStatus: old.absentStatus };
      else warnings.push(`${v.code}: the symbol "${was}" of codes that did not exist has another meaning in the new version; not kept`);
    }
    return next;
  });
  return { cube: { ...cube, meta: { ...cube.meta, variables } }, warnings };
}
