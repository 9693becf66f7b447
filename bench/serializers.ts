// Serializer speed: a 10-million-cell cube, an ~800,000-cell selection through evaluate(), then every large-result
// format written from the result's Float64Array to a Buffer (p50 of several runs), without HTTP. On this VM a
// fresh buffer costs ~4-10 ms per MB in first-touch page faults, so the bigger outputs (csv2/csv3 ~30-60 MB)
// are dominated by memory, not by formatting.

import { evaluate, range, type Plan } from '../src/core/engine.js';
import { Status, type Cube, type TableMeta, type Variable } from '../src/core/model.js';
import { csvV1Long, csvV2 } from '../src/formats/csv.js';
import { parquetTable } from '../src/formats/parquet.js';
import { jsonStat2Data } from '../src/formats/jsonStat2.js';
import { pxJson } from '../src/formats/pxJson.js';

function variable(code: string, n: number, extra: Partial<Variable> = {}, codeOf = (i: number) => String(i)): Variable {
  return {
    code,
    label: { en: code.toLowerCase(), no: code.toLowerCase() },
    elimination: false,
    values: Array.from({ length: n }, (_, i) => ({ code: codeOf(i), label: { en: `${code} ${codeOf(i)}`, no: `${code} ${codeOf(i)} ø` } })),
    ...extra,
  };
}

export function bigCube(): Cube {
  const variables = [
    variable('Region', 500, { role: 'geo' }, (i) => String(i).padStart(4, '0')),
    variable('Alder', 100),
    variable('Kjonn', 2, {}, (i) => String(i + 1)),
    variable('ContentsCode', 2, { role: 'contents' }, (i) => (i ? 'Pris' : 'Antall')),
    variable('Tid', 50, { role: 'time', timeUnit: 'A' }, (i) => String(1975 + i)),
  ];
  const meta: TableMeta = {
    id: 'BENCH',
    title: { en: 'Bench table', no: 'Benk' },
    contents: { en: 'Bench,', no: 'Benk,' },
    languages: ['en', 'no'],
    defaultLanguage: 'en',
    variables,
    stub: ['Region', 'Alder', 'Kjonn'],
    heading: ['ContentsCode', 'Tid'],
    decimals: 2,
    contentInfo: {
      Antall: { unit: { en: 'persons' }, decimals: 0 },
      Pris: { unit: { en: 'NOK' }, decimals: 2 },
    },
    codepage: 'iso-8859-1',
  };
  const n = 500 * 100 * 2 * 2 * 50;
  const values = new Float64Array(n);
  const status = new Uint8Array(n);
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
  for (let i = 0; i < n; i++) {
    const pris = Math.floor(i / 50) % 2 === 1;
    values[i] = pris ? Math.round(rnd() * 100000) / 100 + 0.001 * rnd() : Math.floor(rnd() * 100000);
    if (rnd() < 0.01) {
      status[i] = rnd() < 0.5 ? Status.Dot2 : Status.Dot3;
      values[i] = 0;
    }
  }
  return { meta, values, status };
}

function p50(times: number[]): number {
  const s = [...times].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(runs: number, f: () => Buffer): { p50: number; min: number; bytes: number } {
  let bytes = 0;
  f(); // warm-up
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    bytes = f().length;
    t.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { p50: Math.round(p50(t) * 100) / 100, min: Math.round(Math.min(...t) * 100) / 100, bytes };
}

export async function run(): Promise<Record<string, unknown>> {
  const t0 = Date.now();
  const cube = bigCube();
  const buildMs = Date.now() - t0;
  const pick = (n: number, step: number) => Int32Array.from({ length: n }, (_, i) => i * step);
  const plan: Plan = [
    { kind: 'pick', indices: pick(200, 2) },
    { kind: 'pick', indices: pick(20, 5) },
    { kind: 'pick', indices: range(2) },
    { kind: 'pick', indices: range(2) },
    { kind: 'pick', indices: range(50) },
  ];
  const t1 = process.hrtime.bigint();
  const result = evaluate(cube, plan);
  const evaluateMs = Number(process.hrtime.bigint() - t1) / 1e6;
  const runs = 9;
  return {
    cubeCells: cube.values.length,
    resultCells: result.values.length,
    buildMs,
    evaluateMs: Math.round(evaluateMs * 100) / 100,
    runs,
    jsonStat2: time(runs, () => jsonStat2Data(result, { lang: 'en' })),
    csv: time(runs, () => csvV2(result, { lang: 'en' })),
    csvCodesAndTexts: time(runs, () => csvV2(result, { lang: 'no', labels: 'codesAndTexts', separator: 'semicolon' })),
    // one value per row: 800,000 rows
    csv2: time(3, () => csvV1Long(result, { lang: 'en' }, false)),
    csv3: time(3, () => csvV1Long(result, { lang: 'en' }, true)),
    parquet: time(runs, () => parquetTable(result, { lang: 'en' })),
    pxJson: time(3, () => pxJson(result, { lang: 'en' })),
  };
}

// run directly: node --import tsx bench/serializers.ts
if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await run(), null, 2));
