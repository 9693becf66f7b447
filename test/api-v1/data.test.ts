// POST a table: every filter and every kind of elimination, checked cell by cell against brute force.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { checkAgainstCube, item, makeApp, makeStore, query, readJsonStat2, type VarExpect } from './helpers.js';
import type { Cube } from '../../src/core/model.js';

let app: FastifyInstance;
let cube: Cube;
const URL = '/api/v0/no/table/07459';

before(async () => {
  const s = makeStore({ withSymbols: true, ages: 6, firstYear: 2015, lastYear: 2024 });
  cube = s.cube;
  app = await makeApp(s.store);
});
after(() => app.close());

const codes = (d: number) => cube.meta.variables[d].values.map((v) => v.code);
const ALL_AGES = () => codes(2);
const YEARS = () => codes(4);

async function run(body: string, expect: VarExpect[]) {
  const r = await app.inject({ method: 'POST', url: URL, payload: body });
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
  checkAgainstCube(cube, readJsonStat2(r.body), expect);
}

test('item: metadata order, whatever the request order', async () => {
  await run(
    query([
      ['Region', 'item', ['1103', '0301']],
      ['Kjonn', 'item', ['2', '1']],
      ['Alder', 'item', ['003']],
      ['ContentsCode', 'item', ['Personer1']],
      ['Tid', 'item', ['2021', '2020']],
    ]),
    [item('0301', '1103'), item('1', '2'), item('003'), item('Personer1'), item('2020', '2021')],
  );
});

test('all with *, prefix and suffix wildcards (pattern order, then metadata order)', async () => {
  await run(
    query([
      ['Region', 'all', ['11*', '*01']],
      ['Kjonn', 'all', ['*']],
      ['Alder', 'item', ['000']],
      ['Tid', 'all', ['202*']],
    ]),
    [item('11', '1101', '1103', '1108', '0301'), item('1', '2'), item('000'), item('Personer1'), item('2020', '2021', '2022', '2023', '2024')],
  );
});

test('top: the latest N periods of the time variable, the first N otherwise', async () => {
  await run(
    query([
      ['Region', 'top', ['2']],
      ['Kjonn', 'item', ['1']],
      ['Alder', 'top', ['1']],
      ['Tid', 'top', ['3']],
    ]),
    [item('0', '03'), item('1'), item('000'), item('Personer1'), item('2022', '2023', '2024')],
  );
  // N beyond the number of values takes them all
  await run(query([['Region', 'item', ['0']], ['Kjonn', 'item', ['1']], ['Alder', 'item', ['000']], ['Tid', 'top', ['99']]]), [
    item('0'),
    item('1'),
    item('000'),
    item('Personer1'),
    item(...YEARS()),
  ]);
});

test('left-out variables: elimination value, summed, mandatory takes all values', async () => {
  // Region has eliminationValue "0"; Kjonn and Alder have none (summed); ContentsCode and Tid are mandatory.
  await run(query([]), [{ elim: ['0'] }, { elim: ['1', '2'] }, { elim: ALL_AGES() }, item('Personer1'), item(...YEARS())]);
  await run(query([['Region', 'item', ['0301', '1103']], ['Tid', 'top', ['1']]]), [
    item('0301', '1103'),
    { elim: ['1', '2'] },
    { elim: ALL_AGES() },
    item('Personer1'),
    item('2024'),
  ]);
});

test('vs: value sets; an empty vs selection eliminates under the value set', async () => {
  await run(
    query([
      ['Region', 'vs:Fylker', ['11', '03']],
      ['Alder', 'vs:AlleAldre00B', []],
      ['Tid', 'top', ['2']],
    ]),
    [item('03', '11'), { elim: ['1', '2'] }, { elim: ALL_AGES() }, item('Personer1'), item('2023', '2024')],
  );
  // SSB's own generated query shape (vs:Landet)
  await run(
    query([
      ['Region', 'vs:Landet', ['0']],
      ['Alder', 'vs:AlleAldre00B', []],
      ['Tid', 'top', ['3']],
    ]),
    [item('0'), { elim: ['1', '2'] }, { elim: ALL_AGES() }, item('Personer1'), item('2022', '2023', '2024')],
  );
  // a code outside the value set is a variable error even though the variable has it
  const r = await app.inject({ method: 'POST', url: URL, payload: query([['Region', 'vs:Fylker', ['0301']]]) });
  assert.equal(r.statusCode, 400);
  assert.deepEqual(JSON.parse(r.body), { error: "The request for variable 'Region' has an error. Please check your query." });
});

test('agg:, agg_single:, agg_all: groupings', async () => {
  const F11 = ['1101', '1103', '1108'];
  await run(query([['Region', 'agg:Fylker2024', ['F-11', 'F-03']], ['Kjonn', 'item', ['2']], ['Tid', 'top', ['2']]]), [
    { out: [['F-03', ['0301']], ['F-11', F11]] },
    item('2'),
    { elim: ALL_AGES() },
    item('Personer1'),
    item('2023', '2024'),
  ]);
  await run(query([['Region', 'agg_single:Fylker2024', ['1108', '0301']], ['Kjonn', 'item', ['1']], ['Tid', 'top', ['1']]]), [
    item('0301', '1108'),
    item('1'),
    { elim: ALL_AGES() },
    item('Personer1'),
    item('2024'),
  ]);
  await run(query([['Region', 'agg_all:Fylker2024', ['1103', 'F-11']], ['Kjonn', 'item', ['1']], ['Tid', 'top', ['1']]]), [
    { out: [['F-11', F11], ['1103', ['1103']]] },
    item('1'),
    { elim: ALL_AGES() },
    item('Personer1'),
    item('2024'),
  ]);
  await run(query([['Region', 'agg:KommSummer', ['K-1103']], ['Kjonn', 'item', ['1', '2']], ['Alder', 'item', ['001']], ['Tid', 'item', ['2015']]]), [
    { out: [['K-1103', ['1103']]] },
    item('1', '2'),
    item('001'),
    item('Personer1'),
    item('2015'),
  ]);
});

test('English texts in answers', async () => {
  const r = await app.inject({ method: 'POST', url: '/api/v0/en/table/07459', payload: query([['Region', 'item', ['0']], ['Tid', 'top', ['1']]]) });
  assert.equal(r.statusCode, 200);
  const j = JSON.parse(r.body);
  assert.equal(j.dimension.Region.category.label['0'], 'The whole country');
  assert.equal(j.dimension.Region.label, 'region');
  assert.equal(j.dimension.Tid.label, 'year');
});

const VAR_ERROR = (v: string) => ({ error: `The request for variable '${v}' has an error. Please check your query.` });
const PARAM = { error: 'Parameter error' };

test('query errors answer 400 with the PxWeb messages', async () => {
  const cases: [string | undefined, unknown][] = [
    [query([['Region', 'item', ['9999']]]), VAR_ERROR('Region')],
    [query([['Region', 'item', ['0301', '0301']]]), VAR_ERROR('Region')],
    [query([['Region', 'item', ['0301']], ['Region', 'item', ['0']]]), PARAM],
    [query([['Nope', 'item', ['1']]]), PARAM],
    [query([['region', 'item', ['0301']]]), PARAM],
    [query([['Region', 'all', ['03']]]), PARAM],
    [query([['Tid', 'top', ['0']]]), PARAM],
    [query([['Tid', 'top', ['x']]]), PARAM],
    [query([['Tid', 'top', ['1', '2']]]), PARAM],
    [query([['Tid', 'item', []]]), PARAM],
    [query([['ContentsCode', 'all', ['x*']]]), PARAM],
    [query([['Region', 'agg:Nope', ['x']]]), VAR_ERROR('Region')],
    [query([['Region', 'vs:Nope', ['x']]]), VAR_ERROR('Region')],
    [query([['Region', 'AGG:Fylker2024', ['F-11']]]), PARAM],
    [query([['Region', 'agg:fylker2024', ['F-11']]]), VAR_ERROR('Region')],
    [query([], 'jsonstat2'), PARAM],
    [query([], 'nope'), PARAM],
    ['{"query":{}}', PARAM],
    ['{"query":[{"code":"Region"}]}', PARAM],
    ['{"query":[{"code":"Region","selection":{"values":["0"]}}]}', PARAM],
    ['{"response":{"format":"csv"}}', PARAM],
    ['not json', PARAM],
    ['[1,2]', PARAM],
    ['"x"', PARAM],
    ['null', PARAM],
    ['', PARAM],
    [undefined, PARAM],
    ['{"query":[{"code":"Region","selection":{"filter":"item","values":[{"a":1}]}}]}', PARAM],
  ];
  for (const [body, expected] of cases) {
    const r = await app.inject({ method: 'POST', url: URL, payload: body, headers: body === undefined ? {} : { 'content-type': 'application/json' } });
    assert.equal(r.statusCode, 400, `${body}: ${r.body}`);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(r.body), expected, String(body));
  }
});

test('property names are case-insensitive; filter names too; numbers and single values accepted', async () => {
  const body = '{"Query":[{"Code":"Region","Selection":{"Filter":"ITEM","Values":["0301"]}},{"code":"Tid","selection":{"filter":"Top","values":[1]}}],"Response":{"Format":"JSON-STAT2"}}';
  const r = await app.inject({ method: 'POST', url: URL, payload: body });
  assert.equal(r.statusCode, 200, r.body);
  checkAgainstCube(cube, readJsonStat2(r.body), [item('0301'), { elim: ['1', '2'] }, { elim: ALL_AGES() }, item('Personer1'), item('2024')]);
  const r2 = await app.inject({ method: 'POST', url: URL, payload: '\ufeff{"query":[{"code":"Tid","selection":{"filter":"item","values":"2015"}}]}' });
  assert.equal(r2.statusCode, 200, r2.body);
  assert.deepEqual(readJsonStat2(r2.body).codes.at(-1), ['2015']);
});

test('garbage bodies never crash the server', async () => {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const pieces = ['{', '}', '[', ']', '"query"', ':', ',', '"code"', '"Region"', '"selection"', '"filter"', '"item"', '"values"', '"0301"', 'null', '1', '"*"', '"top"'];
  for (let i = 0; i < 200; i++) {
    let s = '';
    const n = 1 + Math.floor(rnd() * 20);
    for (let k = 0; k < n; k++) s += pieces[Math.floor(rnd() * pieces.length)];
    const r = await app.inject({ method: 'POST', url: URL, payload: s });
    assert.ok([200, 400].includes(r.statusCode), `${s} -> ${r.statusCode}`);
    assert.ok(r.headers['content-type']?.toString().startsWith('application/json'));
  }
  const bin = await app.inject({ method: 'POST', url: URL, payload: Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x80]), headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(bin.statusCode, 400);
});
