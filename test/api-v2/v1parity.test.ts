// The same table queried through API v1 (POST /api/v0/...) and API v2 gives the same numbers: both APIs share
// the engine and the serializers, but each resolves its own filter syntax. Compared cell by cell through
// jsonstat-toolkit, looking cells up by value codes (the APIs may order values differently).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import JSONstat from 'jsonstat-toolkit';
import { testServer, type TestServer } from './cubes.js';

let t: TestServer;
before(async () => {
  t = await testServer();
});
after(async () => {
  await t.app.close();
});

type Ds = { id: string[]; Dimension(id: string): { id: string[] }; Data(q: Record<string, string>): { value: number | null; status: string | null } | null };

async function v1(table: string, query: { code: string; filter: string; values: string[] }[]): Promise<Ds> {
  const body = { query: query.map((q) => ({ code: q.code, selection: { filter: q.filter, values: q.values } })), response: { format: 'json-stat2' } };
  const r = await t.app.inject({ method: 'POST', url: `/api/v0/en/table/${table}`, payload: JSON.stringify(body) });
  assert.equal(r.statusCode, 200, `v1: ${r.body.slice(0, 300)}`);
  return JSONstat(JSON.parse(r.body)) as unknown as Ds;
}

async function v2(table: string, selection: { variableCode: string; codelist?: string; valueCodes: string[] }[]): Promise<Ds> {
  const r = await t.app.inject({ method: 'POST', url: `/api/v2/tables/${table}/data?lang=en`, payload: JSON.stringify({ selection }) });
  assert.equal(r.statusCode, 200, `v2: ${r.body.slice(0, 300)}`);
  return JSONstat(JSON.parse(r.body)) as unknown as Ds;
}

/** Every cell of `b` is in `a` with the same value/status, and both have the same dimensions and sizes. */
function sameCells(a: Ds, b: Ds, what: string) {
  assert.deepEqual([...a.id].sort(), [...b.id].sort(), `${what}: dimensions`);
  const dims = b.id.map((d) => ({ d, codes: b.Dimension(d).id }));
  for (const { d, codes } of dims) assert.deepEqual([...a.Dimension(d).id].sort(), [...codes].sort(), `${what}: values of ${d}`);
  let n = 0;
  const walk = (k: number, q: Record<string, string>) => {
    if (k === dims.length) {
      const x = a.Data(q)!;
      const y = b.Data(q)!;
      assert.equal(x.value, y.value, `${what} ${JSON.stringify(q)}`);
      assert.equal(x.status ?? null, y.status ?? null, `${what} status ${JSON.stringify(q)}`);
      n++;
      return;
    }
    for (const c of dims[k].codes) walk(k + 1, { ...q, [dims[k].d]: c });
  };
  walk(0, {});
  assert.ok(n > 0);
}

test('item lists, top and all', async () => {
  sameCells(
    await v1('05810', [
      { code: 'Kjonn', filter: 'item', values: ['2', '1'] },
      { code: 'Alder', filter: 'item', values: ['80+', '00-06', '999B'] },
      { code: 'ContentsCode', filter: 'item', values: ['Personer'] },
      { code: 'Tid', filter: 'top', values: ['3'] },
    ]),
    await v2('05810', [
      { variableCode: 'Kjonn', valueCodes: ['2', '1'] },
      { variableCode: 'Alder', valueCodes: ['80+', '00-06', '999B'] },
      { variableCode: 'ContentsCode', valueCodes: ['Personer'] },
      { variableCode: 'Tid', valueCodes: ['top(3)'] },
    ]),
    'items',
  );
  sameCells(
    await v1('03024', [
      { code: 'VareGrupper2', filter: 'all', values: ['*'] },
      { code: 'ContentsCode', filter: 'all', values: ['*'] },
      { code: 'Tid', filter: 'all', values: ['2025*'] },
    ]),
    await v2('03024', [
      { variableCode: 'VareGrupper2', valueCodes: ['*'] },
      { variableCode: 'ContentsCode', valueCodes: ['*'] },
      { variableCode: 'Tid', valueCodes: ['2025*'] },
    ]),
    'all',
  );
});

test('groupings, value sets and elimination of left-out variables', async () => {
  sameCells(
    await v1('05810', [
      { code: 'Alder', filter: 'agg:Barn', values: ['B0-15', 'V16+'] },
      { code: 'ContentsCode', filter: 'item', values: ['Personer'] },
      { code: 'Tid', filter: 'item', values: ['2024', '2025'] },
    ]),
    await v2('05810', [
      { variableCode: 'Alder', codelist: 'agg_Barn', valueCodes: ['*'] },
      { variableCode: 'ContentsCode', valueCodes: ['Personer'] },
      { variableCode: 'Tid', valueCodes: ['2024', '2025'] },
    ]),
    'grouping; Kjonn eliminated',
  );
  sameCells(
    await v1('05810', [
      { code: 'Kjonn', filter: 'item', values: ['1', '2'] },
      { code: 'Alder', filter: 'vs:AldGrupper', values: ['00-06', '07-15'] },
      { code: 'ContentsCode', filter: 'item', values: ['Personer'] },
      { code: 'Tid', filter: 'item', values: ['2019', '2020'] },
    ]),
    await v2('05810', [
      { variableCode: 'Kjonn', valueCodes: ['1', '2'] },
      { variableCode: 'Alder', codelist: 'vs_AldGrupper', valueCodes: ['00-06', '07-15'] },
      { variableCode: 'ContentsCode', valueCodes: ['Personer'] },
      { variableCode: 'Tid', valueCodes: ['2019', '2020'] },
    ]),
    'value set, symbols',
  );
  // Alder left out: summed (no elimination value), symbols follow the shared sum rule in both
  sameCells(
    await v1('05810', [
      { code: 'Kjonn', filter: 'item', values: ['0', '1'] },
      { code: 'ContentsCode', filter: 'item', values: ['Personer'] },
      { code: 'Tid', filter: 'item', values: ['2019', '2025'] },
    ]),
    await v2('05810', [
      { variableCode: 'Kjonn', valueCodes: ['0', '1'] },
      { variableCode: 'ContentsCode', valueCodes: ['Personer'] },
      { variableCode: 'Tid', valueCodes: ['2019', '2025'] },
    ]),
    'eliminated',
  );
});
