// Selections as people think of them, per variable: picked values, the latest N periods, from a period onwards,
// a range of periods, a wildcard pattern, every value, or the total (the variable left out). Each maps to the
// PxWebApi 2.0 selection expression the queries carry, and back (saved queries, defaults). Pure functions.

import type { Category } from './jsonstat.js';

export type Choice =
  | { kind: 'items' }
  | { kind: 'top'; n: number }
  | { kind: 'from'; code: string }
  | { kind: 'range'; from: string; to: string }
  | { kind: 'pattern'; pattern: string }
  | { kind: 'all' }
  | { kind: 'total' };

export type ChoiceKind = Choice['kind'];

/** The modes a variable offers, in menu order. */
export function kindsFor(isTime: boolean, elimination: boolean): ChoiceKind[] {
  const out: ChoiceKind[] = [];
  if (elimination) out.push('total');
  out.push('items');
  if (isTime) out.push('top', 'from', 'range');
  out.push('all', 'pattern');
  return out;
}

/** Does a wildcard pattern (`*` any run, `?` one character) match a code? Case-insensitive, like the APIs. */
export function matchesPattern(pattern: string, code: string): boolean {
  const re = new RegExp(`^${pattern.split('').map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`, 'i');
  return re.test(code);
}

function indexOf(values: readonly Category[], code: string): number {
  const lc = code.toLowerCase();
  return values.findIndex((v) => v.code.toLowerCase() === lc);
}

/**
 * The codes a choice gives today, in the variable's order. `picked` are the codes of an `items` choice. Periods
 * are in time order, so the latest N are the last N.
 */
export function resolveChoice(choice: Choice, values: readonly Category[], picked: ReadonlySet<string>): string[] {
  switch (choice.kind) {
    case 'items':
      return values.filter((v) => picked.has(v.code)).map((v) => v.code);
    case 'top':
      return choice.n > 0 ? values.slice(Math.max(0, values.length - choice.n)).map((v) => v.code) : [];
    case 'from': {
      const i = indexOf(values, choice.code);
      return i < 0 ? [] : values.slice(i).map((v) => v.code);
    }
    case 'range': {
      const a = indexOf(values, choice.from);
      const b = indexOf(values, choice.to);
      if (a < 0 || b < 0) return [];
      return values.slice(Math.min(a, b), Math.max(a, b) + 1).map((v) => v.code);
    }
    case 'pattern':
      return choice.pattern.trim() ? values.filter((v) => matchesPattern(choice.pattern.trim(), v.code)).map((v) => v.code) : [];
    case 'all':
      return values.map((v) => v.code);
    case 'total':
      return [];
  }
}

/** The v2 expression of a relative choice (undefined for picked values and the total). */
export function choiceExpr(choice: Choice): string | undefined {
  switch (choice.kind) {
    case 'top':
      return `top(${choice.n})`;
    case 'from':
      return `from(${choice.code})`;
    case 'range':
      return `range(${choice.from},${choice.to})`;
    case 'pattern':
      return choice.pattern.trim() || undefined;
    case 'all':
      return '*';
    default:
      return undefined;
  }
}

/**
 * A stored selection's value codes (saved query, default selection) as a choice: one expression becomes its mode;
 * plain codes are picked values; nothing is the total (when the variable can be left out).
 */
export function choiceFromCodes(codes: readonly string[], elimination: boolean): Choice {
  if (!codes.length) return elimination ? { kind: 'total' } : { kind: 'items' };
  if (codes.length === 1) {
    const c = codes[0].trim();
    let m = /^top\(\s*(\d+)\s*\)$/i.exec(c);
    if (m) return { kind: 'top', n: Number(m[1]) };
    m = /^from\(\s*([^,()]+?)\s*\)$/i.exec(c);
    if (m) return { kind: 'from', code: m[1] };
    m = /^range\(\s*([^,()]+?)\s*,\s*([^,()]+?)\s*\)$/i.exec(c);
    if (m) return { kind: 'range', from: m[1], to: m[2] };
    if (c === '*') return { kind: 'all' };
    if (/[*?]/.test(c)) return { kind: 'pattern', pattern: c };
  }
  return { kind: 'items' };
}
