// The web app in a real browser (Debian's chromium through playwright-core) against the real server on the demo
// database: the course's exercise 2 through the UI (table 07459, Oslo and Stavanger, Alder left out, latest year),
// downloads, copying and running the API query, saving it, the console, browsing, search, a statistic's list,
// the language switch, keyboard use, and escaping of texts from the API. Every number the page shows is checked
// against a direct API query. Skips when /usr/bin/chromium is absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildDemoTable } from '../../src/demo/index.js';
import { browserSuite, BROWSER_SKIP, pickValues, setMode, useCodelist, openPage, type OpenedPage } from './helpers.js';

const skip = BROWSER_SKIP;
if (skip) console.log(`# ${skip}`);

const XSS = '<img src=x onerror="window.__xss=1">Table <b>bold</b> & "quoted"';

const web = browserSuite({ prepare: (store) => {
    // a table whose texts are markup: the app must show them as text
    const cube = buildDemoTable('10622')!;
    cube.meta = { ...cube.meta, id: 'XSS01', matrix: 'XSS01', title: { no: XSS, en: XSS } };
    cube.meta.variables[0].values[0].label = { no: '<script>window.__xss=2</script>', en: '<script>window.__xss=2</script>' };
    store.putTable(cube, { folders: ['tr'] });
  },
});

/** A new page (in its own context: no language remembered) that records script errors; `done()` asserts there were none. */
async function open(path: string): Promise<OpenedPage> {
  return openPage(web.browser, web.base + path, { clipboard: true });
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

/** Value by code of one varying dimension (every other dimension has one value). */
function valuesBy(ds: JsonStat2, dim: string): Map<string, number | null> {
  assert.equal(ds.size.filter((s, i) => s > 1 && ds.id[i] !== dim).length, 0);
  const index = ds.dimension[dim].category.index;
  const codes = Array.isArray(index) ? index : Object.keys(index).sort((a, b) => (index as Record<string, number>)[a] - (index as Record<string, number>)[b]);
  return new Map(codes.map((c, i) => [c, ds.value[i]]));
}

/** A number as the page shows it in either language ("716 132", "1,234.5"). */
function parseShown(text: string, lang: 'no' | 'en'): number {
  const t = text.replace(/[\s\u00a0\u202f]/g, '');
  return Number(lang === 'no' ? t.replace(/\./g, '').replace(',', '.') : t.replace(/,/g, ''));
}

// The course's own solution to exercise 2.2 (total inhabitants of Oslo and Stavanger, Alder left out), as json-stat2.
const COURSE_QUERY = {
  query: [
    { code: 'Region', selection: { filter: 'item', values: ['1103', '0301'] } },
    { code: 'ContentsCode', selection: { filter: 'item', values: ['Personer1'] } },
    { code: 'Tid', selection: { filter: 'top', values: ['1'] } },
  ],
  response: { format: 'json-stat2' },
};

test('exercise 2 through the UI: table 07459, Oslo and Stavanger, Alder left out, latest year; download, copy, save', { skip, timeout: 120_000 }, async () => {
  const direct = valuesBy(await getJson<JsonStat2>('/api/v0/no/table/07459', { method: 'POST', body: JSON.stringify(COURSE_QUERY) }), 'Region');
  const meta = await getJson<{ variables: { code: string; values: string[] }[] }>('/api/v0/no/table/07459');
  const years = meta.variables.find((v) => v.code === 'Tid')!.values;
  const latest = years[years.length - 1];

  const { page, done } = await open('/statbank/table/07459?select');
  const region = page.locator('fieldset[data-variable="Region"]');
  await region.waitFor();
  // the selection view starts from the table's default selection: back to the table's own regions, ages as a total
  await useCodelist(page, 'Region', '');
  await setMode(page, 'Alder', 'total');
  await pickValues(page, 'Tid', []);
  assert.match((await page.locator('h1').textContent()) ?? '', /^07459/);
  // Alder (and Kjonn, Region) may be left out; Tid and ContentsCode are required
  assert.match((await page.locator('fieldset[data-variable="Alder"] legend').textContent()) ?? '', /valgfri/);
  assert.match((await page.locator('fieldset[data-variable="Tid"] legend').textContent()) ?? '', /må velges/);
  // the table has code lists for Region and Alder
  assert.ok((await page.locator('fieldset[data-variable="Region"] select.codelist option').count()) > 1);
  // and a clear total choice wherever the variable can be left out
  assert.equal(await page.locator('fieldset[data-variable="Alder"] select.mode').inputValue(), 'total');
  assert.match((await page.locator('fieldset[data-variable="Alder"] .total-help').textContent()) ?? '', /totalen/);
  assert.equal(await page.locator('fieldset[data-variable="Tid"] select.mode option[value="total"]').count(), 0);
  // the demo note is visible before any query
  assert.match((await page.locator('.about').textContent()) ?? '', /Demodata/);
  // nothing chosen yet: the table cannot be shown
  assert.equal(await page.locator('#show-table').isDisabled(), true);

  // pick Stavanger with the search box, then Oslo
  await region.locator('input[type=search]').fill('Stavanger');
  assert.equal(await region.locator('.value-list [role=option]').count(), 1);
  await region.locator('[role=option][data-code="1103"]').click();
  await region.locator('input[type=search]').fill('0301');
  await region.locator('[role=option][data-code="0301"]').click();
  assert.equal((await region.locator('.count').textContent())?.replace(/\s/g, ' '), `2 av ${meta.variables[0].values.length} valgt`);
  await page.locator(`fieldset[data-variable="Tid"] [role=option][data-code="${latest}"]`).click();
  assert.equal(await page.locator('.cell-count').getAttribute('data-cells'), '2');
  assert.equal(await page.locator('#show-table').isDisabled(), false);

  await page.click('#show-table');
  await page.locator('.data-table tbody tr').first().waitFor();
  const rows = await page.$$eval('.data-table tbody tr', (trs) => trs.map((tr) => ({ codes: (tr as HTMLElement).dataset.codes ?? '', cells: [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '') })));
  assert.deepEqual(rows.map((r) => r.codes).sort(), ['0301', '1103']);
  for (const r of rows) {
    assert.equal(r.cells.length, 1);
    assert.equal(parseShown(r.cells[0], 'no'), direct.get(r.codes));
  }
  assert.match((await page.locator('.footnotes').textContent()) ?? '', /Demodata/);
  const shot = join(process.env.STATBANK_SCREENSHOT_DIR ?? web.tmp, 'table-07459.png');
  await page.screenshot({ path: shot, fullPage: true });
  assert.ok(statSync(shot).size > 10_000);

  // chart of the result
  await page.click('#tab-chart');
  await page.locator('.chart canvas').first().waitFor({ timeout: 20_000 });
  await page.click('#tab-table');

  // download csv (v2) and check the file
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('button[data-api="v2"][data-format="csv"]')]);
  const csvPath = join(web.tmp, csv.suggestedFilename());
  await csv.saveAs(csvPath);
  assert.match(csv.suggestedFilename(), /\.csv$/);
  const lines = readFileSync(csvPath, 'latin1').trim().split(/\r?\n/);
  assert.equal(lines.length, 3);
  assert.match(lines[0], new RegExp(`Personer1 ${latest}`));
  const fileValues = new Map(lines.slice(1).map((l) => {
    const [code, value] = l.split(',');
    return [code.replace(/"/g, ''), Number(value)];
  }));
  assert.deepEqual(fileValues, direct);

  // and csv2 through API v1: texts and the same numbers
  const [csv2] = await Promise.all([page.waitForEvent('download'), page.click('button[data-api="v1"][data-format="csv2"]')]);
  const csv2Path = join(web.tmp, csv2.suggestedFilename());
  await csv2.saveAs(csv2Path);
  const csv2Text = readFileSync(csv2Path, 'latin1');
  assert.match(csv2Text, new RegExp(`"Oslo",.*${direct.get('0301')}`));
  assert.match(csv2Text, new RegExp(`"Stavanger",.*${direct.get('1103')}`));

  // every other format downloads without an error
  for (const [apiName, format] of [['v2', 'json-stat2'], ['v2', 'xlsx'], ['v2', 'html'], ['v2', 'px'], ['v2', 'json-px'], ['v2', 'parquet'], ['v1', 'csv3'], ['v1', 'json-stat']]) {
    const [d] = await Promise.all([page.waitForEvent('download'), page.click(`button[data-api="${apiName}"][data-format="${format}"]`)]);
    const p = join(web.tmp, `${apiName}-${format}-${d.suggestedFilename()}`);
    await d.saveAs(p);
    assert.ok(statSync(p).size > 0, format);
  }

  // copy the v1 URL and body, and run them
  await page.click('#copy-v1-url');
  const v1Url = await page.evaluate(() => navigator.clipboard.readText());
  await page.click('#copy-v1-body');
  const v1Body = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(v1Url, `${web.base}/api/v0/no/table/07459`);
  const parsed = JSON.parse(v1Body) as { query: { code: string }[] };
  assert.deepEqual(parsed.query.map((q) => q.code), ['Region', 'ContentsCode', 'Tid']);
  const v1Res = await fetch(v1Url, { method: 'POST', body: v1Body });
  assert.equal(v1Res.status, 200);
  assert.deepEqual(valuesBy((await v1Res.json()) as JsonStat2, 'Region'), direct);
  // the v2 GET URL gives the same numbers
  await page.click('#copy-v2-url');
  const v2Url = await page.evaluate(() => navigator.clipboard.readText());
  assert.ok(v2Url.startsWith(`${web.base}/api/v2/tables/07459/data?`));
  const v2Res = await fetch(v2Url);
  assert.equal(v2Res.status, 200);
  assert.deepEqual(valuesBy((await v2Res.json()) as JsonStat2, 'Region'), direct);

  // save the query (csv) and fetch its data link
  await page.selectOption('select.save-format', 'csv');
  await page.click('#save-query');
  const link = page.locator('a.saved-link');
  await link.waitFor();
  const saved = (await link.getAttribute('href')) ?? '';
  assert.match(saved, new RegExp(`^${web.base}/api/v2/savedqueries/[^/]+/data$`));
  const savedRes = await fetch(saved);
  assert.equal(savedRes.status, 200);
  const savedCsv = Buffer.from(await savedRes.arrayBuffer()).toString('latin1');
  assert.match(savedCsv, new RegExp(`"0301",${direct.get('0301')}`));

  // the language switch keeps the selection and shows English texts from the API
  const en = await getJson<{ label: string }>('/api/v2/tables/07459?lang=en');
  await page.click('.lang-switch[data-lang="en"]');
  await page.waitForFunction((want) => document.querySelector('h1')?.textContent === want, en.label);
  assert.equal(await page.locator('fieldset[data-variable="Region"] [role=option][data-code="0301"]').getAttribute('aria-selected'), 'true');
  assert.match((await page.locator('fieldset[data-variable="Alder"] legend').textContent()) ?? '', /optional/);
  assert.ok(page.url().includes('lang=en'));
  // and the result that was shown is shown again, in English
  await page.locator('.data-table tbody tr').first().waitFor();
  assert.deepEqual((await page.$$eval('.data-table tbody tr', (trs) => trs.map((tr) => (tr as HTMLElement).dataset.codes))).sort(), ['0301', '1103']);
  assert.match((await page.locator('.cell-count').textContent()) ?? '', /2 cells selected/);
  await done();
});

test('a grouping from the code lists (5-year ages): the numbers of the API, the v1 query runs, rows and columns swap', { skip, timeout: 60_000 }, async () => {
  const direct = valuesBy(
    await getJson<JsonStat2>('/api/v2/tables/07459/data?lang=no&valueCodes%5BRegion%5D=0301&valueCodes%5BAlder%5D=000-004,005-009&codelist%5BAlder%5D=agg_FemAarigGruppering&valueCodes%5BContentsCode%5D=Personer1&valueCodes%5BTid%5D=top(1)'),
    'Alder',
  );
  assert.equal(direct.size, 2);
  const { page, done } = await open('/statbank/table/07459?select');
  const alder = page.locator('fieldset[data-variable="Alder"]');
  await alder.waitFor();
  await useCodelist(page, 'Alder', 'agg_FemAarigGruppering');
  await pickValues(page, 'Alder', ['000-004', '005-009']);
  await useCodelist(page, 'Region', '');
  await pickValues(page, 'Region', ['0301']);
  await setMode(page, 'Tid', 'top');
  await page.locator('fieldset[data-variable="Tid"] input.top-n').fill('1');
  assert.equal(await page.locator('.cell-count').getAttribute('data-cells'), '2');
  await page.click('#show-table');
  await page.locator('.data-table tbody tr').first().waitFor();
  const rows = await page.$$eval('.data-table tbody tr', (trs) => trs.map((tr) => ({ codes: (tr as HTMLElement).dataset.codes ?? '', cell: tr.querySelector('td')?.textContent ?? '' })));
  assert.deepEqual(rows.map((r) => r.codes), ['0301|000-004', '0301|005-009']);
  for (const r of rows) assert.equal(parseShown(r.cell, 'no'), direct.get(r.codes.split('|')[1]));
  // the copied v1 query uses the grouping (agg:) and gives the same numbers
  await page.click('#copy-v1-body');
  const body = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(body, /"filter":"agg:FemAarigGruppering"/);
  const v1 = await fetch(`${web.base}/api/v0/no/table/07459`, { method: 'POST', body });
  assert.deepEqual(valuesBy((await v1.json()) as JsonStat2, 'Alder'), direct);
  // swap rows and columns: one row, the age groups across
  await page.click('#pivot');
  await page.waitForFunction(() => document.querySelectorAll('.data-table tbody tr').length === 1);
  const cells = await page.$$eval('.data-table tbody td', (tds) => tds.map((td) => td.textContent ?? ''));
  const heads = await page.$$eval('.data-table thead th[data-code]', (ths) => ths.map((th) => (th as HTMLElement).dataset.code));
  assert.ok(heads.includes('000-004') && heads.includes('005-009'));
  assert.deepEqual(cells.map((c) => parseShown(c, 'no')), [direct.get('000-004'), direct.get('005-009')]);
  await done();
});

test('every cell of a table with symbols: the number or the symbol of the API; the symbol legend shows', { skip, timeout: 60_000 }, async () => {
  const meta = await getJson<{ id: string[] }>('/api/v2/tables/09405/metadata?lang=no');
  const all = meta.id.map((c) => `valueCodes%5B${encodeURIComponent(c)}%5D=*`).join('&');
  const api = await getJson<JsonStat2 & { status?: Record<string, string> }>(`/api/v2/tables/09405/data?lang=no&${all}`);
  const status = api.status ?? {};
  assert.ok(Object.keys(status).length > 0, 'the demo table has symbols');
  const { page, done } = await open('/statbank/table/09405?select');
  await page.locator('fieldset.picker').first().waitFor();
  for (const fs of await page.locator('fieldset.picker').all()) {
    const code = (await fs.getAttribute('data-variable'))!;
    if ((await fs.locator('select.mode').count()) === 0) continue;
    if ((await fs.locator('select.codelist').count()) > 0) await useCodelist(page, code, '');
    await setMode(page, code, 'all');
  }
  assert.equal(await page.locator('.cell-count').getAttribute('data-cells'), String(api.value.length));
  await page.click('#show-table');
  await page.locator('.data-table tbody tr').first().waitFor();
  const shown = await page.$$eval('.data-table td[data-index]', (tds) => tds.map((td) => [Number((td as HTMLElement).dataset.index), td.textContent ?? ''] as [number, string]));
  assert.equal(shown.length, api.value.length);
  for (const [i, text] of shown) {
    const v = api.value[i];
    const symbol = status[String(i)];
    if (v === null) assert.equal(text, symbol ?? '..', `cell ${i}`);
    // a number with a symbol shows both: "123 p"
    else assert.equal(parseShown(symbol ? text.slice(0, -symbol.length) : text, 'no'), v, `cell ${i}: ${text}`);
  }
  assert.match((await page.locator('.symbol-legend').textContent()) ?? '', /\.\./);
  await done();
});

test('saved query page opens the table with the saved selection', { skip, timeout: 60_000 }, async () => {
  const res = await fetch(`${web.base}/api/v2/savedqueries`, {
    method: 'POST',
    body: JSON.stringify({ tableId: '07459', language: 'no', outputFormat: 'csv', outputFormatParams: [], selection: { selection: [{ variableCode: 'Region', valueCodes: ['1103'] }, { variableCode: 'ContentsCode', valueCodes: ['Personer1'] }, { variableCode: 'Tid', valueCodes: ['2020', '2021'] }] } }),
  });
  assert.equal(res.status, 201);
  const { id } = (await res.json()) as { id: string };
  const { page, done } = await open(`/statbank/sq/${id}?select`);
  await page.locator('fieldset[data-variable="Tid"]').waitFor();
  assert.equal(await page.locator('fieldset[data-variable="Region"] [role=option][data-code="1103"]').getAttribute('aria-selected'), 'true');
  assert.equal(await page.locator('fieldset[data-variable="Tid"] [role=option][data-code="2021"]').getAttribute('aria-selected'), 'true');
  assert.equal(await page.locator('.cell-count').getAttribute('data-cells'), '2');
  // ?select opens the selection view without the table
  assert.equal(await page.locator('details.selection').getAttribute('open'), '');
  assert.equal(await page.locator('#result').isHidden(), true);
  await done();
});

test('browse from the root to tr/tr01/kilt and open table 12535', { skip, timeout: 60_000 }, async () => {
  const labelOf = async (path: string, id: string) => (await getJson<{ id: string; text: string }[]>(`/api/v0/no/table/${path}`)).find((x) => x.id === id)!.text;
  const labels = [await labelOf('', 'tr'), await labelOf('tr/', 'tr01'), await labelOf('tr/tr01/', 'kilt')];
  const { page, done } = await open('/statbank/');
  for (const label of labels) {
    await page.getByRole('link', { name: label, exact: false }).first().click();
    await page.waitForFunction((want) => document.querySelector('h1')?.textContent === want, label);
  }
  assert.ok(page.url().endsWith('/statbank/browse/tr/tr01/kilt'));
  const crumbs = await page.locator('.breadcrumbs li').allTextContents();
  assert.deepEqual(crumbs.slice(1), labels);
  await page.click('a[data-table-id="12535"]');
  await page.locator('fieldset.picker').first().waitFor({ state: 'attached' });
  assert.match((await page.locator('h1').textContent()) ?? '', /^12535/);
  assert.ok(page.url().endsWith('/statbank/table/12535'));
  // the table page's breadcrumbs lead back into the tree
  assert.deepEqual((await page.locator('.breadcrumbs li').allTextContents()).slice(1, 4), labels);
  // and back/forward work
  await page.goBack();
  await page.waitForFunction((want) => document.querySelector('h1')?.textContent === want, labels[2]);
  await done();
});

test('search "statsborgerskap": the hits of the v2 search; scoped to sk/sk02 the hits of the v1 folder search', { skip, timeout: 60_000 }, async () => {
  const v2 = await getJson<{ tables: { id: string }[] }>('/api/v2/tables?lang=no&query=statsborgerskap&pageSize=100');
  const v1 = await getJson<{ id: string }[]>('/api/v0/no/table/sk/sk02/?query=statsborgerskap');
  assert.ok(v2.tables.length > 0);
  const { page, done } = await open('/statbank/');
  await page.getByLabel('Søk etter tabeller').fill('statsborgerskap');
  await page.getByLabel('Søk etter tabeller').press('Enter');
  await page.locator('.results, .no-hits').first().waitFor();
  const ids = await page.locator('.results li').evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset.tableId));
  assert.deepEqual(ids, v2.tables.map((x) => x.id));
  const first = (await page.locator('.results li').first().textContent()) ?? '';
  assert.match(first, /Oppdatert/);
  // within the crime folder, as exercise 3.2
  await page.goto(`${web.base}/statbank/browse/sk/sk02`);
  await page.getByLabel('Søk i denne mappen').fill('statsborgerskap');
  await page.getByLabel('Søk i denne mappen').press('Enter');
  await page.locator('.results, .no-hits').first().waitFor();
  const scoped = await page.locator('.results li').evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset.tableId));
  assert.deepEqual([...scoped].sort(), v1.map((x) => x.id).sort());
  await done();
});

test('/statbank/list/kpi lists the tables of the statistic', { skip, timeout: 60_000 }, async () => {
  const v2 = await getJson<{ tables: { id: string }[] }>('/api/v2/tables?lang=no&query=kpi&pageSize=200');
  assert.ok(v2.tables.length > 0);
  const { page, done } = await open('/statbank/list/kpi');
  await page.locator('.results, .no-hits').first().waitFor();
  const ids = await page.locator('.results li').evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset.tableId));
  assert.deepEqual(ids, v2.tables.map((x) => x.id));
  await done();
});

test("console: the table's default query runs; xlsx comes back as a file", { skip, timeout: 60_000 }, async () => {
  const { page, done } = await open('/statbank/console?table=07459');
  const body = page.locator('textarea');
  await page.waitForFunction(() => ((document.querySelector('textarea') as HTMLTextAreaElement | null)?.value ?? '').includes('"query"'));
  const query = JSON.parse(await body.inputValue()) as { query: { code: string }[] };
  assert.ok(query.query.some((q) => q.code === 'Tid'));
  assert.equal(await page.locator('input.url-input').inputValue(), `${web.base}/api/v0/no/table/07459`);
  await page.click('#run');
  await page.locator('#response-status').waitFor();
  assert.match((await page.locator('#response-status').textContent()) ?? '', /^200/);
  assert.match((await page.locator('#response-body').textContent()) ?? '', /"class": "dataset"/);
  assert.match((await page.locator('#response-time').textContent()) ?? '', /\d+ ms/);
  // exercise 1.1: ask for xlsx instead
  await body.fill((await body.inputValue()).replace('"json-stat2"', '"xlsx"'));
  await page.click('#run');
  await page.waitForFunction(() => document.querySelector('#response-body')?.classList.contains('binary'));
  assert.match((await page.locator('.headers').textContent()) ?? '', /spreadsheetml/);
  // a bad query shows the API's error
  await body.fill('{"query":[{"code":"Nope","selection":{"filter":"item","values":["1"]}}]}');
  await page.click('#run');
  await page.waitForFunction(() => /^400/.test(document.querySelector('#response-status')?.textContent ?? ''));
  await done();
});

test('keyboard: a value picked with the space bar, the result tabs with arrow keys', { skip, timeout: 60_000 }, async () => {
  const { page, done } = await open('/statbank/table/12535?select');
  await page.locator('fieldset.picker').first().waitFor();
  const firstVar = (await page.locator('fieldset.picker').first().getAttribute('data-variable'))!;
  await pickValues(page, firstVar, []);
  const list = page.locator(`fieldset[data-variable="${firstVar}"] .value-list`);
  await list.focus();
  await page.keyboard.press('Space');
  assert.equal(await list.locator('[role=option]').first().getAttribute('aria-selected'), 'true');
  // the other variables as the table's default selection gave them
  assert.equal(await page.locator('#show-table').isDisabled(), false);
  await page.locator('#show-table').focus();
  await page.keyboard.press('Enter');
  await page.locator('#tab-table').waitFor();
  await page.locator('#tab-table').focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.locator('#tab-chart').getAttribute('aria-selected'), 'true');
  await page.locator('.chart canvas').first().waitFor({ timeout: 20_000 });
  // every form control on the page has a label
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll('main input, main select, main textarea')].filter((el) => !(el as HTMLInputElement).labels?.length && !el.getAttribute('aria-label')).length,
  );
  assert.equal(unlabelled, 0);
  await done();
});

test('texts from the API are shown as text, never run as markup', { skip, timeout: 60_000 }, async () => {
  const { page, done } = await open('/statbank/table/XSS01');
  await page.locator('fieldset.picker').first().waitFor({ state: 'attached' });
  assert.ok(((await page.locator('h1').textContent()) ?? '').startsWith(XSS));
  assert.match((await page.locator('fieldset.picker').first().textContent()) ?? '', /<script>window.__xss=2<\/script>/);
  assert.equal(await page.locator('main img, main b, main script').count(), 0);
  assert.equal(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
  // and in the subject tree listing
  await page.goto(`${web.base}/statbank/browse/tr`);
  await page.locator('a[data-table-id="XSS01"]').waitFor();
  assert.match((await page.locator('a[data-table-id="XSS01"]').textContent()) ?? '', /<img src=x/);
  assert.equal(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
  await done();
});
