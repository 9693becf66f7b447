import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decimalsFor,
  formatFixed,
  roundedValue,
  formatJsonNumber,
  roundingRule,
  writeFixed,
  writeJsonNumber,
  writeJsonNumberRun,
  writeUint,
} from '../../src/formats/numberFormat.js';
import { salesMeta } from './cubes.js';

const viaFixed = (v: number, d: number, rule: 'halfEven' | 'halfUp' = 'halfEven') => {
  const b = Buffer.alloc(64);
  return b.toString('latin1', 0, writeFixed(b, 0, v, d, rule));
};
const viaJson = (v: number, d: number, rule: 'halfEven' | 'halfUp' = 'halfEven') => {
  const b = Buffer.alloc(64);
  return b.toString('latin1', 0, writeJsonNumber(b, 0, v, d, rule));
};

test('ties: half to even by default, half up on request', () => {
  const cases: [number, number, string, string][] = [
    // value, decimals, half-even, half-up
    [0.5, 0, '0', '1'],
    [1.5, 0, '2', '2'],
    [2.5, 0, '2', '3'],
    [-2.5, 0, '-2', '-3'],
    [0.125, 2, '0.12', '0.13'],
    [0.375, 2, '0.38', '0.38'],
    [1.005, 2, '1.00', '1.01'], // a tie in decimal, just below it in binary
    [2.675, 2, '2.68', '2.68'],
    [1.0049999, 2, '1.00', '1.00'],
    [1.0050001, 2, '1.01', '1.01'],
    [-1.005, 2, '-1.00', '-1.01'],
    [3.35, 1, '3.4', '3.4'],
    [5.05, 1, '5.0', '5.1'],
  ];
  for (const [v, d, even, up] of cases) {
    assert.equal(formatFixed(v, d, 'halfEven'), even, `${v} @${d} half-even`);
    assert.equal(formatFixed(v, d, 'halfUp'), up, `${v} @${d} half-up`);
    assert.equal(viaFixed(v, d, 'halfEven'), even, `writeFixed ${v} @${d}`);
    assert.equal(viaFixed(v, d, 'halfUp'), up, `writeFixed ${v} @${d} up`);
  }
});

test('fixed decimals: exact count, negatives, -0, large and tiny numbers', () => {
  assert.equal(formatFixed(87, 2), '87.00');
  assert.equal(formatFixed(125.36, 2), '125.36');
  assert.equal(formatFixed(11364, 0), '11364');
  assert.equal(formatFixed(-362, 0), '-362');
  assert.equal(formatFixed(-0.5, 2), '-0.50');
  assert.equal(formatFixed(-0, 2), '0.00');
  assert.equal(formatFixed(-0.001, 2), '0.00'); // rounds to zero: no "-0.00"
  assert.equal(formatFixed(0.05, 1), '0.0'); // tie, 0 is even
  assert.equal(formatFixed(123456789012.345, 2), '123456789012.34'); // decimal tie at 2 -> even
  assert.equal(formatFixed(1e21, 0), '1000000000000000000000');
  assert.equal(formatFixed(1.5e-7, 3), '0.000');
  assert.equal(formatFixed(9.995, 2, 'halfUp'), '10.00');
  assert.equal(formatFixed(0.1 + 0.2, 2), '0.30');
  assert.equal(formatFixed(1234.5678, 15), '1234.567800000000000');
  for (const [v, d] of [[87, 2], [-0.001, 2], [1e21, 0], [1.5e-7, 3], [123456789012.345, 2], [2 ** 40 + 0.25, 1], [4e15 + 2, 0], [1234.5678, 15]] as const) {
    assert.equal(viaFixed(v, d), formatFixed(v, d), `writeFixed agrees for ${v} @${d}`);
  }
});

test('JSON numbers: rounded, integers without .0, shortest form otherwise', () => {
  assert.equal(formatJsonNumber(87.0001, 2), '87');
  assert.equal(formatJsonNumber(84.19, 2), '84.19');
  assert.equal(formatJsonNumber(77.2400001, 2), '77.24');
  assert.equal(formatJsonNumber(-7, 0), '-7');
  assert.equal(formatJsonNumber(-0, 0), '0');
  assert.equal(formatJsonNumber(-0.004, 2), '0');
  assert.equal(formatJsonNumber(0.1 + 0.2, 2), '0.3');
  assert.equal(formatJsonNumber(2.5, 0), '2');
  assert.equal(formatJsonNumber(2.5, 0, 'halfUp'), '3');
  assert.equal(formatJsonNumber(NaN, 2), 'null');
  const samples = [0, 1, -1, 0.5, 1.005, 2.675, 87, 84.19, 125.36, -362, 12345.678, 1e15 + 0.3, 98765.4321, 2 ** 31, -(2 ** 31), 2 ** 31 + 0.5, 123456789.987654];
  for (const v of samples) {
    for (const d of [0, 1, 2, 3, 6]) {
      assert.equal(viaJson(v, d), formatJsonNumber(v, d), `writeJsonNumber agrees for ${v} @${d}`);
      assert.equal(Number(viaJson(v, d)), Number(formatFixed(v, d)), `same value as fixed for ${v} @${d}`);
    }
  }
});

test('random values: the fast writers agree with the exact string path', () => {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
  const buf = Buffer.alloc(64);
  for (let k = 0; k < 20000; k++) {
    const scale = 10 ** Math.floor(rnd() * 9 - 2);
    const v = (rnd() - 0.3) * scale;
    const d = Math.floor(rnd() * 5);
    const rule = rnd() < 0.5 ? 'halfEven' : 'halfUp';
    const exact = formatFixed(Number(v.toPrecision(6)), d, rule);
    assert.equal(buf.toString('latin1', 0, writeFixed(buf, 0, Number(v.toPrecision(6)), d, rule)), exact);
    // rounding is decided on the shortest decimal form: compare with a string-only reference
    const s = String(Math.abs(Number(v.toPrecision(6))));
    if (!s.includes('e')) {
      const [ip, fp = ''] = s.split('.');
      const digits = ip + fp.padEnd(d + 1, '0');
      const keep = ip.length + d;
      let m = BigInt(digits.slice(0, keep) || '0');
      const next = Number(digits[keep]);
      const rest = digits.slice(keep + 1).replace(/0+$/, '');
      if (next > 5 || (next === 5 && (rest !== '' || rule === 'halfUp' || m % 2n === 1n))) m += 1n;
      const body = m.toString().padStart(d + 1, '0');
      const ref = (d ? body.slice(0, -d) + '.' + body.slice(-d) : body);
      assert.equal(exact.replace('-', ''), ref, `reference for ${v} @${d} ${rule}`);
    }
  }
});

test('writeUint writes every magnitude', () => {
  const b = Buffer.alloc(32);
  for (const n of [0, 7, 10, 99, 100, 12345, 2147483647, 2147483648, 9007199254740991]) {
    assert.equal(b.toString('latin1', 0, writeUint(b, 0, n)), String(n));
  }
});

test('shown decimals per contents value and the rounding rule of the table', () => {
  const meta = salesMeta();
  assert.equal(decimalsFor(meta, 'Antall'), 0);
  assert.equal(decimalsFor(meta, 'Pris'), 2);
  assert.equal(decimalsFor(meta, 'Pris', 4), 4); // PRECISION raises it
  assert.equal(decimalsFor(meta, 'Pris', 1), 2); // but never lowers it
  assert.equal(decimalsFor({ ...meta, contentInfo: undefined, decimals: 3, showDecimals: 1 }), 1);
  assert.equal(roundingRule(meta), 'halfEven');
  assert.equal(roundingRule({ rounding: 1 }), 'halfUp');
});

test('writeJsonNumberRun (the value-array loop) equals one writeJsonNumber per cell', () => {
  let seed = 11;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
  const n = 5000;
  const values = Float64Array.from({ length: n }, (_, i) =>
    i % 7 === 0 ? Math.floor(rnd() * 1e6) - 5e5 : i % 11 === 0 ? (rnd() - 0.5) * 1e12 : i % 13 === 0 ? Math.round(rnd() * 1000) / 8 : (rnd() - 0.4) * 10 ** Math.floor(rnd() * 8),
  );
  values[3] = -0;
  values[4] = 1.005;
  values[5] = NaN;
  const status = Uint8Array.from({ length: n }, () => (rnd() < 0.05 ? 2 : 0));
  for (const d of [0, 1, 2, 4, 12]) {
    for (const rule of ['halfEven', 'halfUp'] as const) {
      const a = Buffer.alloc(n * 41);
      const end = writeJsonNumberRun(a, 0, values, status, 0, n, d, rule);
      const parts: string[] = [];
      const b = Buffer.alloc(64);
      for (let i = 0; i < n; i++) parts.push(status[i] ? 'null' : b.toString('latin1', 0, writeJsonNumber(b, 0, values[i], d, rule)));
      assert.equal(a.toString('latin1', 0, end), parts.join(','), `d=${d} ${rule}`);
    }
  }
  // a run that does not start at 0 begins with a comma
  const c = Buffer.alloc(64);
  assert.equal(c.toString('latin1', 0, writeJsonNumberRun(c, 0, Float64Array.of(1, 2.5), null, 1, 2, 0, 'halfUp')), ',3');
});

test('roundedValue is the number formatFixed writes, for ties, negatives, huge and odd values', () => {
  let seed = 99;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const cases: number[] = [0, -0, 1.005, 2.675, -2.5, 0.5, 1.5, -0.0049, 1e300, -1e-300, 123456789012.345, 4e15, 2 ** 53, NaN, Infinity, -Infinity];
  for (let i = 0; i < 20000; i++) {
    const scale = 10 ** Math.floor(rnd() * 12 - 4);
    const v = (rnd() - 0.5) * scale;
    // also values on exact decimal ties
    cases.push(v, Math.round(v * 1000) / 1000 + 0.0005, Math.round(v) + 0.5);
  }
  for (const rule of ['halfEven', 'halfUp'] as const) {
    for (const v of cases) {
      for (const d of [0, 1, 2, 3, 6, 15]) {
        const want = Number(formatFixed(v, d, rule));
        const got = roundedValue(v, d, rule);
        assert.ok(Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want)), `${v} @${d} ${rule}: ${got} vs ${want}`);
      }
    }
  }
});
