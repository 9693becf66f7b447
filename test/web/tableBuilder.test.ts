// The table builder people come back to, in a real browser against the real server on the demo database:
// the course's saved query 10007797 opens as a finished table of five years; a table opens with its default
// selection shown; a keyboard-only user picks Oslo, Stavanger and the latest five years in under 40 key presses;
// relative selections (latest N, from, range, wildcard) reach the copied and saved queries; a saved "latest 3
// years" query shows the new year after a release; the layout (rows/columns) reaches downloads and saved queries.
// Every number shown is checked against the API's. Skips when /usr/bin/chromium is absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { buildDemoTable } from '../../src/demo/index.js';
import { fillCube, flatIndex } from '../../src/demo/build.js';
import type { Cube } from '../../src/core/model.js';
import { browserSuite, BROWSER_SKIP, setMode, openPage, type OpenedPage } from './helpers.js';

const skip = BROWSER_SKIP;

const web = browserSuite();

async function open(path: string, viewport = { width: 1366, height: 900 }): Promise<OpenedPage> {
  return openPage(web.browser, web.base + path, { viewport, clipboard: true });
}

async function getJson<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(web.base + path, init);
  assert.equal(res.status, 200, `${path}: ${res.status}`);
  return (await res.json()) as T;
}

interface JsonStat2 {
  id: string[];
  size: number[];
  value: (number | null)[];
  dimension: Record<string, { category: { index: Record<string, number> | string[] } }>;
}

function codesOf(ds: JsonStat2, dim: string): string[] {
  const index = ds.dimension[dim].category.index;
  return Array.isArray(index) ? index : Object.keys(index).sort((a, b) => (index as Record<string, number>)[a] - (index as Record<string, number>)[b]);
}

/** Every cell of a json-stat2 answer keyed by its codes ("0301|2021"), in dimension order, single-valued dims left out. */
function cellsByCodes(ds: JsonStat2): Map<string, number | null> {
  const dims = ds.id.map((d) => ({ d, codes: codesOf(ds, d) }));
  const out = new Map<string, number | null>();
  ds.value.forEach((v, i) => {
    let rest = i;
    const parts: string[] = [];
    for (let k = dims.length - 1; k >= 0; k--) {
      const n = dims[k].codes.length;
      if (n > 1) parts.unshift(dims[k].codes[rest % n]);
      rest = Math.floor(rest / n);
    }
    out.set(parts.join('|'), v);
  });
  return out;
}

function parseShown(text: string): number {
  return Number(text.replace(/[\s\u00a0\u202f]/g, '').replace(/\./g, '').replace(',', '.'));
}

/** The result table as shown: each data cell keyed by its row codes and column codes (single-valued dims skipped). */
async function shownCells(page: Page): Promise<{ rows: string[]; cells: number[] }> {
  await page.locator('.data-table tbody tr').first().waitFor();
  const rows = await page.$$eval('.data-table tbody tr', (trs) => trs.map((tr) => (tr as HTMLElement).dataset.codes ?? ''));
  const cells = await page.$$eval('.data-table tbody td', (tds) => tds.map((td) => td.textContent ?? ''));
  return { rows, cells: cells.map(parseShown) };
}

const YEARS = async () => (await getJson<{ variables: { code: string; values: string[] }[] }>('/api/v0/no/table/07459')).variables.find((v) => v.code === 'Tid')!.values;

test('the course saved query 10007797 opens as a finished table of the latest five years, numbers as the API', { skip, timeout: 120_000 }, async () => {
  const years = await YEARS();
  const direct = await getJson<JsonStat2>('/api/v2/savedqueries/10007797/data?outputFormat=json-stat2');
  assert.deepEqual(codesOf(direct, 'Tid'), years.slice(-5));
  const { page, done } = await open('/statbank/sq/10007797');
  // no click: the table is there
  const { rows, cells } = await shownCells(page);
  const heads = await page.$$eval('.data-table thead th[data-code]', (ths) => ths.map((th) => (th as HTMLElement).dataset.code ?? ''));
  const yearHeads = heads.filter((c) => years.includes(c));
  assert.deepEqual(yearHeads, years.slice(-5), 'five years across');
  assert.deepEqual(rows, ['0301', '1103']);
  const want = cellsByCodes(direct);
  const got = rows.flatMap((r) => yearHeads.map((y) => want.get(`${r}|${y}`)));
  assert.deepEqual(cells, got);
  // the selection stays relative: "latest 5", and the copied queries say top
  assert.equal(await page.locator('fieldset[data-variable="Tid"] select.mode').inputValue(), 'top');
  assert.equal(await page.locator('fieldset[data-variable="Tid"] input.top-n').inputValue(), '5');
  assert.match((await page.locator('#v2-url').textContent()) ?? '', /valueCodes%5BTid%5D=top\(5\)|valueCodes\[Tid\]=top\(5\)/);
  assert.match((await page.locator('#v1-body').textContent()) ?? '', /"code":"Tid","selection":\{"filter":"top","values":\["5"\]\}/);
  await done();
});

test("a table page opens with the table's default selection shown as a table, numbers as the API", { skip, timeout: 120_000 }, async () => {
  const def = await getJson<{ selection: { variableCode: string; codelist?: string; valueCodes: string[] }[] }>('/api/v2/tables/07459/defaultselection?lang=no');
  const res = await fetch(`${web.base}/api/v2/tables/07459/data?lang=no&outputFormat=json-stat2`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ selection: def.selection.filter((s) => s.valueCodes.length) }),
  });
  const direct = (await res.json()) as JsonStat2;
  const { page, done } = await open('/statbank/table/07459');
  const { rows, cells } = await shownCells(page);
  const want = cellsByCodes(direct);
  // only the ages vary: one row per age, in the API's order
  assert.equal(rows.length, want.size);
  assert.deepEqual(cells, [...want.values()]);
  // the pickers fold away under a one-line summary; the cell count matches
  assert.equal(await page.locator('details.selection').getAttribute('open'), null);
  assert.equal(await page.locator('.cell-count').getAttribute('data-cells'), String(want.size));
  await done();
});

test('keyboard only: Oslo, Stavanger and the latest 5 years on 07459 in under 40 key presses', { skip, timeout: 120_000 }, async () => {
  const years = await YEARS();
  const { page, done } = await open('/statbank/table/07459?select');
  await page.locator('fieldset[data-variable="Region"] .value-list').waitFor({ state: 'attached' });
  let presses = 0;
  const press = async (key: string, times = 1) => {
    for (let i = 0; i < times; i++) {
      await page.keyboard.press(key);
      presses += 1;
    }
  };
  const type = async (text: string) => {
    for (const ch of text) await press(ch);
  };
  /** Tab until the focused element matches (each Tab counts). */
  const tabTo = async (selector: string) => {
    for (let i = 0; i < 30; i++) {
      await press('Tab');
      if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    }
    assert.fail(`never reached ${selector}`);
  };
  await tabTo('fieldset[data-variable="Region"] select.codelist');
  // back from the default "whole country" value set to the table's regions
  await press('Home');
  await page.waitForFunction(() => document.querySelector('fieldset[data-variable="Region"] [role=option][data-code="0301"]') !== null);
  await tabTo('fieldset[data-variable="Region"] .value-list');
  await type('oslo');
  await press(' ');
  await type('stav');
  await press(' ');
  // ages: the total
  await tabTo('fieldset[data-variable="Alder"] select.mode');
  await press('Home');
  // years: the latest 5
  await tabTo('fieldset[data-variable="Tid"] select.mode');
  await press('ArrowDown');
  await tabTo('fieldset[data-variable="Tid"] input.top-n');
  await type('5');
  await tabTo('#show-table');
  await press('Enter');
  const { rows } = await shownCells(page);
  assert.ok(presses < 40, `${presses} key presses`);
  assert.deepEqual(rows, ['0301', '1103']);
  const heads = await page.$$eval('.data-table thead th[data-code]', (ths) => ths.map((th) => (th as HTMLElement).dataset.code ?? ''));
  assert.deepEqual(heads.filter((c) => years.includes(c)), years.slice(-5));
  assert.equal(await page.locator('.cell-count').getAttribute('data-cells'), '10');
  await done();
});

test('relative selections reach the copied queries: from, range, wildcard; both APIs give the cells the page counts', { skip, timeout: 120_000 }, async () => {
  const years = await YEARS();
  const { page, done } = await open('/statbank/table/07459?select');
  await page.locator('fieldset[data-variable="Region"]').waitFor();
  await setMode(page, 'Region', 'pattern');
  await page.locator('fieldset[data-variable="Region"] input.pattern').fill('11*');
  await setMode(page, 'Alder', 'total');
  await setMode(page, 'Tid', 'from');
  await page.locator('fieldset[data-variable="Tid"] select.period').selectOption(years.at(-3)!);
  const cells = Number(await page.locator('.cell-count').getAttribute('data-cells'));
  const v2Url = (await page.locator('#v2-url').textContent()) ?? '';
  assert.match(v2Url, /valueCodes(\[|%5B)Region(\]|%5D)=11\*/);
  assert.match(v2Url, new RegExp(`valueCodes(\\[|%5B)Tid(\\]|%5D)=from\\(${years.at(-3)}\\)`));
  const v2 = (await (await fetch(v2Url)).json()) as JsonStat2;
  assert.equal(v2.value.length, cells);
  const v1Body = JSON.parse((await page.locator('#v1-body').textContent()) ?? '') as { query: { code: string; selection: { filter: string; values: string[] } }[] };
  assert.deepEqual(v1Body.query.find((q) => q.code === 'Region')!.selection, { filter: 'all', values: ['11*'] });
  // v1 has no "from": it lists the periods, and the page says so
  assert.deepEqual(v1Body.query.find((q) => q.code === 'Tid')!.selection, { filter: 'item', values: years.slice(-3) });
  assert.equal(await page.locator('#v1-note').count(), 1);
  const v1 = (await (await fetch(`${web.base}/api/v0/no/table/07459`, { method: 'POST', body: JSON.stringify(v1Body) })).json()) as JsonStat2;
  assert.deepEqual(v1.value, v2.value);
  // a range
  await setMode(page, 'Tid', 'range');
  await page.locator('fieldset[data-variable="Tid"] select.period').first().selectOption(years.at(-4)!);
  await page.locator('fieldset[data-variable="Tid"] select.period').nth(1).selectOption(years.at(-2)!);
  assert.match((await page.locator('#v2-url').textContent()) ?? '', new RegExp(`Tid(\\]|%5D)=${years.slice(-4, -1).join(',')}&`));
  assert.equal(Number(await page.locator('.cell-count').getAttribute('data-cells')), (v2.value.length / 3) * 3);
  await done();
});

/** 07459 with one more year: the old cells kept, the new year's cells = the last year's + 1000. */
function withNextYear(cube: Cube): Cube {
  const meta = structuredClone(cube.meta);
  const t = meta.variables.findIndex((v) => v.code === 'Tid');
  const tid = meta.variables[t];
  const last = tid.values[tid.values.length - 1];
  const next = String(Number(last.code) + 1);
  tid.values.push({ ...structuredClone(last), code: next, label: { no: next, en: next } });
  const oldLen = tid.values.length - 1;
  return fillCube(meta, (ix) => {
    const old = Array.from(ix);
    const isNew = old[t] === oldLen;
    if (isNew) old[t] = oldLen - 1;
    return cube.values[flatIndex(cube.meta, old)] + (isNew ? 1000 : 0);
  });
}

test('a saved "latest 3 years" query shows the new year after a release is published', { skip, timeout: 120_000 }, async () => {
  const years = await YEARS();
  const { page, done } = await open('/statbank/table/07459?select');
  await page.locator('fieldset[data-variable="Region"]').waitFor();
  await setMode(page, 'Region', 'pattern');
  await page.locator('fieldset[data-variable="Region"] input.pattern').fill('0301');
  await setMode(page, 'Alder', 'total');
  await setMode(page, 'Tid', 'top');
  await page.locator('fieldset[data-variable="Tid"] input.top-n').fill('3');
  await page.click('#save-query');
  const openLink = page.locator('.saved-result a[href*="/statbank/sq/"]');
  await openLink.waitFor();
  const sqPath = new URL((await openLink.getAttribute('href'))!, web.base).pathname;
  await done();

  // publish a new version of 07459 with one more year
  const cube = buildDemoTable('07459', { small: true })!;
  const current = await getJson<JsonStat2>('/api/v2/tables/07459/data?lang=no&valueCodes%5BRegion%5D=0301&valueCodes%5BContentsCode%5D=*&valueCodes%5BTid%5D=*');
  assert.deepEqual(codesOf(current, 'Tid'), years, 'the stored table is the demo generator\'s');
  web.server.store.putTable(withNextYear(cube));
  const newYears = await YEARS();
  assert.equal(newYears.length, years.length + 1);
  const direct = await getJson<JsonStat2>('/api/v2/tables/07459/data?lang=no&valueCodes%5BRegion%5D=0301&valueCodes%5BContentsCode%5D=Personer1&valueCodes%5BTid%5D=top(3)');

  const again = await open(sqPath);
  const { cells } = await shownCells(again.page);
  const heads = await again.page.$$eval('.data-table thead th[data-code]', (ths) => ths.map((th) => (th as HTMLElement).dataset.code ?? ''));
  assert.deepEqual(heads.filter((c) => newYears.includes(c)), newYears.slice(-3));
  assert.deepEqual(cells, direct.value);
  await again.done();
});

test('rows and columns by keyboard; the layout goes into the csv download and the saved query', { skip, timeout: 120_000 }, async () => {
  const { page, done } = await open('/statbank/sq/10007797');
  await page.locator('.data-table tbody tr').first().waitFor();
  await page.locator('.pivot-controls summary').focus();
  await page.keyboard.press('Enter');
  // Region down the side by default: move it to the columns, then years to the rows
  await page.getByRole('button', { name: /Flytt region til kolonnene/ }).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('.data-table tbody tr').length !== 2);
  await page.getByRole('button', { name: /Flytt år til radene/ }).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('.data-table tbody tr').length === 5);
  const heads = await page.$$eval('.data-table thead th[data-code]', (ths) => ths.map((th) => (th as HTMLElement).dataset.code ?? ''));
  assert.ok(heads.includes('0301') && heads.includes('1103'));
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('button[data-api="v2"][data-format="csv"]')]);
  const p = join(web.tmp, csv.suggestedFilename());
  await csv.saveAs(p);
  const header = readFileSync(p, 'latin1').split(/\r?\n/)[0];
  assert.match(header, /"0301".*"1103"|0301.*1103/);
  assert.equal(readFileSync(p, 'latin1').trim().split(/\r?\n/).length, 6);
  await page.click('#save-query');
  const openLink = page.locator('.saved-result a[href*="/statbank/sq/"]');
  await openLink.waitFor();
  const id = decodeURIComponent((await openLink.getAttribute('href'))!.split('/sq/')[1].split('?')[0]);
  const saved = await getJson<{ savedQuery: { selection: { placement?: { heading: string[]; stub: string[] }; selection: { variableCode: string; valueCodes: string[] }[] } } }>(`/api/v2/savedqueries/${id}`);
  assert.ok(saved.savedQuery.selection.placement?.heading.includes('Region'));
  assert.ok(saved.savedQuery.selection.placement?.stub.includes('Tid'));
  assert.deepEqual(saved.savedQuery.selection.selection.find((s) => s.variableCode === 'Tid')?.valueCodes, ['top(5)']);
  await done();
});
