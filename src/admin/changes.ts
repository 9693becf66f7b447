// Structural changes between two versions of a table, recorded at each release: variables added or removed,
// values added or removed, value texts renamed, the table discontinued (or its replacement named). Numbers that
// change are not structural changes.

import type { TableMeta } from '../core/model.js';

export type Change =
  | { kind: 'variable-added' | 'variable-removed'; variable: string }
  | { kind: 'values-added' | 'values-removed'; variable: string; values: string[] }
  | { kind: 'value-renamed'; variable: string; value: string; language: string; from: string; to: string }
  | { kind: 'discontinued'; replacedBy?: string }
  | { kind: 'first-version' };

export interface ChangeRecord {
  tableId: string;
  version: number;
  previousVersion?: number;
  /** The release instant (ISO UTC). */
  released: string;
  title: string;
  changes: Change[];
}

/** Values listed at most this many per change (a classification change can touch thousands). */
const MAX_LISTED = 200;

export function structuralChanges(prev: TableMeta | undefined, next: TableMeta, discontinued: { before: boolean; after: boolean; replacedBy?: string }): Change[] {
  if (!prev) return [{ kind: 'first-version' }];
  const out: Change[] = [];
  const before = new Map(prev.variables.map((v) => [v.code, v]));
  const after = new Map(next.variables.map((v) => [v.code, v]));
  for (const code of before.keys()) if (!after.has(code)) out.push({ kind: 'variable-removed', variable: code });
  for (const code of after.keys()) if (!before.has(code)) out.push({ kind: 'variable-added', variable: code });
  for (const [code, nv] of after) {
    const ov = before.get(code);
    if (!ov) continue;
    const oldValues = new Map(ov.values.map((x) => [x.code, x]));
    const newCodes = new Set(nv.values.map((x) => x.code));
    const added = nv.values.filter((x) => !oldValues.has(x.code)).map((x) => x.code);
    const removed = ov.values.filter((x) => !newCodes.has(x.code)).map((x) => x.code);
    if (added.length) out.push({ kind: 'values-added', variable: code, values: added.slice(0, MAX_LISTED) });
    if (removed.length) out.push({ kind: 'values-removed', variable: code, values: removed.slice(0, MAX_LISTED) });
    for (const x of nv.values) {
      const o = oldValues.get(x.code);
      if (!o) continue;
      for (const [lang, label] of Object.entries(x.label)) {
        const was = o.label[lang];
        if (was !== undefined && was !== label) out.push({ kind: 'value-renamed', variable: code, value: x.code, language: lang, from: was, to: label });
      }
    }
  }
  if (discontinued.after && !discontinued.before) out.push({ kind: 'discontinued', replacedBy: discontinued.replacedBy });
  return out;
}

/** One line per change, for feeds. */
export function describeChange(c: Change): string {
  switch (c.kind) {
    case 'first-version':
      return 'new table';
    case 'variable-added':
      return `variable ${c.variable} added`;
    case 'variable-removed':
      return `variable ${c.variable} removed`;
    case 'values-added':
      return `${c.variable}: ${c.values.length} value(s) added (${c.values.slice(0, 10).join(', ')}${c.values.length > 10 ? ', …' : ''})`;
    case 'values-removed':
      return `${c.variable}: ${c.values.length} value(s) removed (${c.values.slice(0, 10).join(', ')}${c.values.length > 10 ? ', …' : ''})`;
    case 'value-renamed':
      return `${c.variable} ${c.value} renamed (${c.language}): "${c.from}" -> "${c.to}"`;
    case 'discontinued':
      return c.replacedBy ? `discontinued, replaced by ${c.replacedBy}` : 'discontinued';
  }
}
