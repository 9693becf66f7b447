// The v2 selection-expression grammar, property-tested against a brute-force selector written here from the
// spec table (§3.7.4), plus the GET comma/bracket splitting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ExpressionSyntaxError,
  ExpressionValueError,
  expandExpression,
  parseSelectionExpression,
  splitValueCodes,
} from '../../src/query/v2Expressions.js';

type Outcome = { kind: 'illegal' } | { kind: 'missing' } | { kind: 'notExpr' } | { kind: 'ok'; picks: number[] };

/** What the spec says an item selects, by the reference regexes and plain loops. */
function bruteForce(item: string, codes: string[], isTime: boolean): Outcome {
  const up = item.toUpperCase();
  const ix = (c: string) => codes.findIndex((x) => x.toUpperCase() === c.toUpperCase());
  const between = (a: number, b: number) => codes.map((_, i) => i).filter((i) => i >= a && i < b);
  for (const kw of ['RANGE', 'TOP', 'BOTTOM', 'FROM', 'TO']) {
    if (!up.startsWith(kw + '(')) continue;
    if (kw === 'RANGE') {
      const m = /^RANGE\(([^,]+),([^,)]+)\)$/i.exec(item);
      if (!m) return { kind: 'illegal' };
      let a = ix(m[1]);
      let b = ix(m[2]);
      if (a < 0 || b < 0) return { kind: 'missing' };
      if (a > b) [a, b] = [b, a];
      return { kind: 'ok', picks: between(a, b + 1) };
    }
    if (kw === 'TOP' || kw === 'BOTTOM') {
      const m = new RegExp(`^${kw}\\(([1-9]\\d*)(?:,([0-9]\\d*))?\\)$`, 'i').exec(item);
      if (!m || Number(m[1]) > 2147483647 || Number(m[2] ?? 0) > 2147483647) return { kind: 'illegal' };
      const n = Number(m[1]);
      const o = Number(m[2] ?? 0);
      const all = codes.map((_, i) => i);
      const fromStart = (kw === 'TOP') !== isTime; // top on non-time and bottom on time count from the start
      const picks = fromStart ? all.slice(o, o + n) : all.reverse().slice(o, o + n).reverse();
      return { kind: 'ok', picks };
    }
    const m = new RegExp(`^${kw}\\(([^,]+)\\)$`, 'i').exec(item);
    if (!m) return { kind: 'illegal' };
    const a = ix(m[1]);
    if (a < 0) return { kind: 'missing' };
    return { kind: 'ok', picks: kw === 'FROM' ? between(a, codes.length) : between(0, a + 1) };
  }
  if (item.includes('?')) {
    const picks = codes
      .map((c, i) => [c, i] as const)
      .filter(([c]) => c.length === item.length && [...c].every((ch, k) => item[k] === '?' || ch.toUpperCase() === item[k].toUpperCase()))
      .map(([, i]) => i);
    return { kind: 'ok', picks };
  }
  if (item.includes('*')) {
    const stars = item.split('*').length - 1;
    const s = item.startsWith('*');
    const e = item.endsWith('*');
    if (item === '*') return { kind: 'ok', picks: codes.map((_, i) => i) };
    if (stars > 2 || (stars === 1 && !s && !e) || (stars === 2 && !(s && e))) return { kind: 'illegal' };
    const core = item.replace(/^\*/, '').replace(/\*$/, '').toUpperCase();
    const ok = (c: string) => {
      const u = c.toUpperCase();
      if (s && e) return u.includes(core);
      return s ? u.endsWith(core) : u.startsWith(core);
    };
    return { kind: 'ok', picks: codes.map((c, i) => (ok(c) ? i : -1)).filter((i) => i >= 0) };
  }
  return { kind: 'notExpr' };
}

function actual(item: string, codes: string[], isTime: boolean): Outcome {
  try {
    const e = parseSelectionExpression(item);
    if (!e) return { kind: 'notExpr' };
    return { kind: 'ok', picks: expandExpression(e, codes, isTime, item) };
  } catch (err) {
    if (err instanceof ExpressionSyntaxError) return { kind: 'illegal' };
    if (err instanceof ExpressionValueError) return { kind: 'missing' };
    throw err;
  }
}

/** Small deterministic PRNG (mulberry32). */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('expressions agree with a brute-force selector on random items', () => {
  const r = rng(20261127);
  const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)];
  const frags = ['top', 'TOP', 'Bottom', 'range', 'RANGE', 'from', 'To', '(', ')', ',', ' ', '*', '?', '0', '1', '2', '3', '05', '12', 'a', 'B', 'x', 'K-', '99999999999'];
  let checked = 0;
  const kinds = new Map<string, number>();
  for (let round = 0; round < 300; round++) {
    // a variable: short random codes, sometimes time-like ascending codes
    const isTime = r() < 0.3;
    const n = 1 + Math.floor(r() * 8);
    const codes = isTime
      ? Array.from({ length: n }, (_, i) => String(2010 + i))
      : [...new Set(Array.from({ length: n }, () => Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(['a', 'b', 'A1', '0', '1', 'k', '-', 'x2'])).join('')))];
    for (let k = 0; k < 40; k++) {
      let item: string;
      const shape = r();
      if (shape < 0.5) {
        // well-formed-ish keyword expressions over the codes
        const c1 = r() < 0.85 ? pick(codes) : 'zz';
        const c2 = r() < 0.85 ? pick(codes) : 'zz';
        item = pick([
          `${pick(['top', 'TOP', 'Top'])}(${1 + Math.floor(r() * 9)})`,
          `${pick(['bottom', 'BOTTOM'])}(${1 + Math.floor(r() * 9)},${Math.floor(r() * 9)})`,
          `top(${Math.floor(r() * 3)},${pick(['0', '1', '01', ' 1', ''])})`,
          `${pick(['range', 'RANGE', 'Range'])}(${c1},${c2})`,
          `from(${c1})`,
          `TO(${c2})`,
          `${c1.slice(0, 1)}*`,
          `*${c2.slice(-1)}`,
          `*${c1.slice(0, 1)}*`,
          c1.replace(/./, '?'),
          c1.toUpperCase(),
        ]);
      } else {
        const len = 1 + Math.floor(r() * 6);
        item = Array.from({ length: len }, () => pick(frags)).join('');
      }
      const want = bruteForce(item, codes, isTime);
      const got = actual(item, codes, isTime);
      assert.deepEqual(got, want, `item ${JSON.stringify(item)} over ${JSON.stringify(codes)} (time=${isTime})`);
      const kind = want.kind === 'ok' ? (want.picks.length ? 'picks' : 'empty') : want.kind;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      checked++;
    }
  }
  assert.equal(checked, 12000);
  // every outcome is exercised many times
  for (const k of ['picks', 'empty', 'illegal', 'missing', 'notExpr']) assert.ok((kinds.get(k) ?? 0) > 200, `${k}: ${kinds.get(k)}`);
});

test('the reference examples', () => {
  const weeks = ['2024U52', '2025U01', '2025U02', '2025U03'];
  const sel = (item: string, codes: string[], isTime = false) => {
    const e = parseSelectionExpression(item);
    assert.ok(e, item);
    return expandExpression(e, codes, isTime).map((i) => codes[i]);
  };
  assert.deepEqual(sel('from(2025U01)', weeks, true), ['2025U01', '2025U02', '2025U03']);
  assert.deepEqual(sel('top(2)', weeks, true), ['2025U02', '2025U03']);
  assert.deepEqual(sel('top(2,1)', weeks, true), ['2025U01', '2025U02']);
  assert.deepEqual(sel('bottom(1)', weeks, true), ['2024U52']);
  assert.deepEqual(sel('top(2)', ['a', 'b', 'c']), ['a', 'b']);
  assert.deepEqual(sel('bottom(2)', ['a', 'b', 'c']), ['b', 'c']);
  assert.deepEqual(sel('range(2025u03,2025U01)', weeks), ['2025U01', '2025U02', '2025U03']);
  assert.deepEqual(sel('2025*', weeks), ['2025U01', '2025U02', '2025U03']);
  assert.deepEqual(sel('*u0?', weeks), []); // '*' is literal once '?' is present
  assert.deepEqual(sel('2025U0?', weeks), ['2025U01', '2025U02', '2025U03']);
  assert.deepEqual(sel('*U0*', weeks), ['2025U01', '2025U02', '2025U03']);
});

test('syntax errors say where and why', () => {
  const bad: [string, RegExp][] = [
    ['top(5, 1)', /position 7: blanks/],
    ['top(0)', /position 5: .*from 1/],
    ['top(5', /must end with '\)'/],
    ['range(a)', /two codes/],
    ['range(a,b,c)', /exactly two/],
    ['from(a,b)', /exactly one/],
    ['a*b', /start or the end/],
    ['*a*b*', /at most two/],
    ['top()', /needs an argument/],
  ];
  for (const [item, re] of bad) {
    assert.throws(() => parseSelectionExpression(item), (e: unknown) => e instanceof ExpressionSyntaxError && re.test(e.message), item);
  }
  assert.equal(parseSelectionExpression('K-0301'), null);
  assert.equal(parseSelectionExpression('range (a,b)'), null);
});

test('GET lists split on commas outside brackets and unwrap [..]', () => {
  assert.deepEqual(splitValueCodes('01, 02 ,03'), ['01', '02', '03']);
  assert.deepEqual(splitValueCodes('[range(2020,2022)],2024'), ['range(2020,2022)', '2024']);
  assert.deepEqual(splitValueCodes('[top(5,1)]'), ['top(5,1)']);
  // the reference splits an unbracketed range(a,b) into two broken items (and answers 400); we keep it whole
  assert.deepEqual(splitValueCodes('range(2020,2022)'), ['range(2020,2022)']);
  assert.deepEqual(splitValueCodes('0301,range(2020,2022),top(2)'), ['0301', 'range(2020,2022)', 'top(2)']);
  assert.deepEqual(splitValueCodes('[a,b],[c]'), ['a,b', 'c']);
  assert.deepEqual(splitValueCodes(''), []);
  assert.deepEqual(splitValueCodes(',,a,'), ['a']);
  // the reference regex for each comma: split iff the next bracket to its right is not ']'
  const r = rng(7);
  for (let k = 0; k < 2000; k++) {
    const s = Array.from({ length: Math.floor(r() * 12) }, () => 'ab,[] '[Math.floor(r() * 6)]).join('');
    const want = s
      .split(/,(?=[^\]]*(?:\[|$))/)
      .map((x) => x.trim())
      .map((x) => (x.length >= 2 && x.startsWith('[') && x.endsWith(']') ? x.slice(1, -1) : x))
      .filter((x) => x !== '');
    assert.deepEqual(splitValueCodes(s), want, JSON.stringify(s));
  }
});
