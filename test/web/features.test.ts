// Region profiles (kommunefakta), the JSON-stat explorer, regional structures (reform groupings) in the picker,
// the table facts and the phone legend, in a real browser against the real server on the demo database. Every
// number the pages show is checked against the API's own answer. Skips when /usr/bin/chromium is absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { buildDemoTable } from '../../src/demo/index.js';
import { browserSuite, BROWSER_SKIP, pickValues, setMode, useCodelist, openPage, type OpenedPage } from './helpers.js';

const skip = BROWSER_SKIP;

const NEXT = '2031-05-14T06:00:00Z';

const web = browserSuite({ prepare: (store) => {
    // a table with every fact the page can show: contact, next release, reference time, notes
    const cube = buildDemoTable('07221')!;
    cube.meta = {
      ...cube.meta,
      id: 'FACT1',
      matrix: 'FACT1',
      title: { no: 'FACT1: Prisindeks med fakta', en: 'FACT1: Price index with facts' },
      contact: { no: 'Kari Nordmann, 21 09 00 00, kari@example.org', en: 'Kari Nordmann, 21 09 00 00, kari@example.org' },
      nextUpdate: NEXT,
    };
    store.putTable(cube, { folders: ['pp'] });
  },
});

async function open(path: string, viewport = { width: 1280, height: 900 }, opts: { bypassCSP?: boolean } = {}): Promise<OpenedPage> {
  return openPage(web.browser, web.base + path, { viewport, bypassCSP: opts.bypassCSP });
}

interface JsonStat2 {
  id: string[];
  size: number[];
  value: (number | null)[];
  status?: Record<string, string> | (string | null)[];
  note?: string[];
  dimension: Record<string, { label: string; note?: string[]; category: { index: Record<string, number> | string[]; label: Record<string, string>; unit?: Record<string, { base: string }> } }>;
}

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(web.base + path);
  assert.equal(res.status, 200, path);
  return (await res.json()) as T;
}

const codesOf = (ds: JsonStat2, dim: string) => {
  const idx = ds.dimension[dim].category.index;
  return Array.isArray(idx) ? idx : Object.keys(idx).sort((a, b) => (idx as Record<string, number>)[a] - (idx as Record<string, number>)[b]);
};

/** Numbers of a figure card's table, by row code. */
async function cardRows(page: Page, key: string): Promise<Map<string, number | null>> {
  const rows = await page.$$eval(`.figure-card[data-figure="${key}"] tbody tr`, (trs) => trs.map((tr) => [(tr as HTMLElement).dataset.code ?? '', tr.querySelector('td')?.getAttribute('data-value') ?? ''] as const));
  return new Map(rows.map(([c, v]) => [c, v === '' ? null : Number(v)]));
}

test('kommunefakta: found from the front page by search; population, change, age profile, expenses and house prices equal the API', { skip, timeout: 180_000 }, async () => {
  const { page, done } = await open('/statbank/');
  await page.click('#kommunefakta-link');
  const search = page.getByLabel('Finn kommune eller fylke');
  await search.fill('stav');
  await page.locator('.region-matches a[data-code="1103"]').click();
  await page.locator('.figure-card[data-figure="population"]').waitFor();
  assert.equal(await page.locator('h1').textContent(), 'Stavanger');
  assert.ok(page.url().endsWith('/statbank/kommunefakta/1103'));

  // population over the latest ten years, in the newest regional structure (Klass reforms)
  const pop = await getJson<JsonStat2>('/api/v2/tables/07459/data?lang=no&outputFormat=json-stat2&codelist[Region]=agg_reform2024&valueCodes[Region]=1103&valueCodes[ContentsCode]=Personer1&valueCodes[Tid]=top(10)');
  const years = codesOf(pop, 'Tid');
  assert.equal(years.length, 10);
  const popRows = await cardRows(page, 'population');
  assert.deepEqual([...popRows.keys()], years);
  years.forEach((y, i) => assert.equal(popRows.get(y), pop.value[i], y));
  const card = page.locator('.figure-card[data-figure="population"]');
  assert.equal(Number(await card.locator('.figure-value').getAttribute('data-value')), pop.value[9]);
  assert.equal(await card.locator('.figure-period').getAttribute('data-period'), years[9]);
  assert.match((await card.locator('.figure-value').textContent()) ?? '', /personer$/);
  assert.match((await card.textContent()) ?? '', /Regional inndeling per 2024-01-01/);
  // its query is a top(10) query: the link answers the same numbers
  const qhref = (await card.locator('a.query-link').getAttribute('href'))!;
  assert.match(qhref, /valueCodes\[Tid\]=top\(10\)/);
  assert.deepEqual(((await (await fetch(qhref)).json()) as JsonStat2).value, pop.value);
  assert.equal(await card.locator('.mini-chart').getAttribute('data-kind'), 'line');
  await page.waitForFunction(() => document.querySelectorAll('.mini-chart[data-drawn="true"]').length >= 4);

  // change from the year before
  const change = page.locator('.figure-card[data-figure="change"]');
  assert.equal(Number(await change.locator('.figure-value').getAttribute('data-value')), (pop.value[9] as number) - (pop.value[8] as number));
  const changeRows = await cardRows(page, 'change');
  assert.equal(changeRows.get(years[5]), (pop.value[5] as number) - (pop.value[4] as number));

  // age profile of the latest year: 0-17, 18-66, 67+
  const age = await getJson<JsonStat2>('/api/v2/tables/07459/data?lang=no&outputFormat=json-stat2&codelist[Region]=agg_reform2024&valueCodes[Region]=1103&valueCodes[ContentsCode]=Personer1&valueCodes[Alder]=*&valueCodes[Tid]=top(1)');
  const ages = codesOf(age, 'Alder');
  const sum = (lo: number, hi: number) => ages.reduce((s, c, i) => (Number.parseInt(c, 10) >= lo && Number.parseInt(c, 10) <= hi ? s + (age.value[i] ?? 0) : s), 0);
  const ageRows = await cardRows(page, 'age');
  assert.deepEqual([...ageRows.values()], [sum(0, 17), sum(18, 66), sum(67, 999)]);
  assert.equal([...ageRows.values()].reduce((a, b) => (a ?? 0) + (b ?? 0), 0), pop.value[9]);

  // operating expenses by function (12367), latest year
  const acc = await getJson<JsonStat2>('/api/v2/tables/12367/data?lang=no&outputFormat=json-stat2&valueCodes[KOKkommuneregion0000]=1103&valueCodes[KOKfunksjon0000]=*&valueCodes[KOKart0000]=AGD1&valueCodes[ContentsCode]=Belop&valueCodes[Tid]=top(1)');
  const accRows = await cardRows(page, 'accounts');
  codesOf(acc, 'KOKfunksjon0000').forEach((c, i) => assert.equal(accRows.get(c), acc.value[i], c));

  // house prices (07221's "Stavanger"), latest eight quarters
  const hp = await getJson<JsonStat2>('/api/v2/tables/07221/data?lang=no&outputFormat=json-stat2&valueCodes[Region]=002&valueCodes[Boligtype]=00&valueCodes[ContentsCode]=Boligindeks&valueCodes[Tid]=top(8)');
  const hpRows = await cardRows(page, 'houseprices');
  codesOf(hp, 'Tid').forEach((c, i) => assert.equal(hpRows.get(c), hp.value[i], c));
  // maps are left out, and the page says why
  assert.match((await page.locator('.maps-note').textContent()) ?? '', /Kart er ikke med/);
  await done();
});

test('kommunefakta by name: a county gets the quarterly changes of 01222, as the API', { skip, timeout: 120_000 }, async () => {
  const { page, done } = await open('/statbank/kommunefakta/rogaland?lang=en');
  await page.locator('.figure-card[data-figure="quarter"]').waitFor();
  assert.equal(await page.locator('h1').textContent(), 'Rogaland');
  assert.match((await page.locator('.region-kind').textContent()) ?? '', /^County 11\./);
  const q = await getJson<JsonStat2>('/api/v2/tables/01222/data?lang=en&outputFormat=json-stat2&valueCodes[Region]=11&valueCodes[ContentsCode]=Fodte2,Dode3,Innflytting4,Utflytting5&valueCodes[Tid]=top(1)');
  const rows = await cardRows(page, 'quarter');
  assert.deepEqual([...rows.keys()], codesOf(q, 'ContentsCode'));
  assert.deepEqual([...rows.values()], q.value);
  assert.equal(await page.locator('.figure-card[data-figure="quarter"] .figure-period').getAttribute('data-period'), codesOf(q, 'Tid')[0]);
  // an unknown name: the search box with what was typed, and no figures
  await page.goto(`${web.base}/statbank/kommunefakta/Atlantis?lang=en`);
  await page.locator('.region-search').waitFor();
  assert.match((await page.locator('.region-search .hit-count').textContent()) ?? '', /No municipality or county matches "Atlantis"/);
  assert.equal(await page.locator('.figure-card').count(), 0);
  await done();
});

/** Cells of the explorer's table, in order. */
const explorerCells = (page: Page) => page.$$eval('.explorer-table tbody td', (tds) => tds.map((td) => td.textContent ?? ''));

test('explorer: a ready-made dataset (JSON-stat 1.x) from the datasets page; filter, pivot, chart and CSV', { skip, timeout: 120_000 }, async () => {
  const list = await getJson<{ datasets: { id: string; json: string; table: string }[] }>('/api/v0/dataset/list.json?lang=no');
  const set = list.datasets.find((d) => d.table === '08931')!;
  const doc = await getJson<{ dataset: { dimension: { id: string[]; size: number[] }; value: number[] } }>(new URL(set.json).pathname + new URL(set.json).search);
  const { page, done } = await open('/statbank/datasets');
  await page.locator(`a.explorer-link[data-dataset="${set.id}"]`).click();
  await page.locator('.explorer-table tbody td').first().waitFor();
  assert.ok(page.url().endsWith(`/statbank/explorer#/${set.json}`));
  assert.equal(Number(await page.locator('.explorer-table').getAttribute('data-cells')), doc.dataset.value.length);
  const cells = await explorerCells(page);
  assert.deepEqual(cells.map((c) => Number(c.replace(/[\s\u00a0]/g, '').replace(',', '.'))), doc.dataset.value);
  // filter: the first contents value only
  const contentsAt = doc.dataset.dimension.id.indexOf('ContentsCode');
  const sizes = doc.dataset.dimension.size;
  const per = sizes.slice(contentsAt + 1).reduce((a, b) => a * b, 1);
  await page.locator('select[data-dimension="ContentsCode"]').selectOption({ index: 0 });
  await page.waitForFunction((n) => document.querySelector('.explorer-table')?.getAttribute('data-cells') === String(n), per);
  assert.deepEqual((await explorerCells(page)).map((c) => Number(c.replace(/[\s\u00a0]/g, '').replace(',', '.'))), doc.dataset.value.slice(0, per));
  // pivot: months across
  await page.locator('.pivot-box summary').click();
  await page.getByRole('button', { name: 'Flytt måned til kolonnene' }).click();
  await page.waitForFunction(() => document.querySelectorAll('.explorer-table thead th[data-code]').length >= 13);
  assert.equal(await page.locator('.explorer-table tbody tr').count(), 1);
  // a chart, and a CSV of what is shown
  await page.locator('.explorer-chart .chart canvas').first().waitFor();
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#explorer-csv')]);
  const p = join(web.tmp, 'explorer.csv');
  await dl.saveAs(p);
  const lines = readFileSync(p, 'utf8').trim().split(/\r\n/);
  assert.equal(lines.length, per + 1);
  assert.equal(Number(lines[1].split(',').at(-2)), doc.dataset.value[0]);
  await done();
});

test('explorer: a pasted JSON-stat 2.0 document and an uploaded file; garbage is refused', { skip, timeout: 120_000 }, async () => {
  const data = await getJson<JsonStat2>('/api/v2/tables/07459/data?lang=no&outputFormat=json-stat2&valueCodes[Region]=0301,1103&valueCodes[ContentsCode]=Personer1&valueCodes[Tid]=top(3)');
  const { page, done } = await open('/statbank/explorer');
  await page.getByLabel('Eller lim inn JSON-stat').fill(JSON.stringify(data));
  await page.click('#explorer-paste-open');
  await page.locator('.explorer-table tbody td').first().waitFor();
  assert.equal(Number(await page.locator('.explorer-table').getAttribute('data-cells')), 6);
  const shown = (await explorerCells(page)).map((c) => Number(c.replace(/[\s\u00a0]/g, '')));
  assert.deepEqual([...shown].sort((a, b) => a - b), [...(data.value as number[])].sort((a, b) => a - b));
  // a file: a 2.0 collection with the dataset embedded
  const file = join(web.tmp, 'collection.json');
  writeFileSync(file, JSON.stringify({ version: '2.0', class: 'collection', label: 'Test', link: { item: [{ ...data, label: 'Embedded one' }] } }));
  await page.setInputFiles('input[type=file]', file);
  await page.waitForFunction(() => document.querySelector('#explorer-title')?.textContent === 'Embedded one');
  assert.equal(Number(await page.locator('.explorer-table').getAttribute('data-cells')), 6);
  // not JSON-stat
  await page.getByLabel('Eller lim inn JSON-stat').fill('{"hello": 1}');
  await page.click('#explorer-paste-open');
  await page.locator('.explorer-status .error').waitFor();
  assert.match((await page.locator('.explorer-status').textContent()) ?? '', /ikke et JSON-stat-datasett/);
  assert.equal(await page.locator('.explorer-table').count(), 0);
  await done();
});

test('explorer: a query result links "Open in explorer"; a URL of another origin (CORS) opens when the CSP allows it', { skip, timeout: 120_000 }, async () => {
  // the table page's v2 query opens in the explorer with the same numbers
  const t = await open('/statbank/table/07221');
  await t.page.locator('#open-explorer').click();
  await t.page.locator('.explorer-table tbody td').first().waitFor();
  const url = decodeURI(t.page.url().split('#/')[1]);
  const api = (await (await fetch(url)).json()) as JsonStat2;
  assert.equal(Number(await t.page.locator('.explorer-table').getAttribute('data-cells')) <= api.value.length, true);
  assert.equal(await t.page.locator('#explorer-title').textContent(), (api as unknown as { label: string }).label);
  await t.done();

  // another origin on a second loopback port, serving JSON-stat with CORS
  const doc = { version: '2.0', class: 'dataset', label: 'Other origin', id: ['a', 'b'], size: [2, 2], dimension: { a: { label: 'A', category: { index: ['x', 'y'] } }, b: { label: 'B', category: { index: ['p', 'q'] } } }, value: [1, 2, 3, 4] };
  const other: Server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
    res.end(JSON.stringify(doc));
  });
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}/doc.json`;
  try {
    // the app's content security policy decides whether the page may fetch other origins
    const csp = (await fetch(`${web.base}/statbank/explorer`)).headers.get('content-security-policy') ?? '';
    const connect = /connect-src ([^;]*)/.exec(csp)?.[1].trim().split(/\s+/) ?? [];
    const othersAllowed = connect.some((s) => s === '*' || s === 'http:' || s.startsWith('http://127.0.0.1'));
    if (!othersAllowed) {
      // connect-src 'self': the fetch is refused, and the page says it could not fetch the address
      const blocked = await open(`/statbank/explorer#/${otherUrl}`);
      await blocked.page.locator('.explorer-status .error').waitFor();
      assert.match((await blocked.page.locator('.explorer-status').textContent()) ?? '', /Kunne ikke hente/);
      blocked.errors.length = 0; // the browser logs the CSP refusal
      await blocked.done();
    }
    // with other origins allowed (the policy itself, or bypassed here) the document opens through CORS
    const ok = await open(`/statbank/explorer#/${otherUrl}`, undefined, { bypassCSP: !othersAllowed });
    await ok.page.locator('.explorer-table tbody td').first().waitFor();
    assert.equal(await ok.page.locator('#explorer-title').textContent(), 'Other origin');
    assert.deepEqual((await explorerCells(ok.page)).map(Number), [1, 2, 3, 4]);
    await ok.done();
  } finally {
    await new Promise((r) => other.close(r));
  }
});

test('regional structures: the picker offers "Regional inndeling per …" as its own choice; x cells with the note', { skip, timeout: 120_000 }, async () => {
  const { page, done } = await open('/statbank/table/07459?select');
  await page.locator('fieldset[data-variable="Region"] select.codelist').waitFor();
  const groups = await page.$$eval('fieldset[data-variable="Region"] select.codelist optgroup', (gs) => gs.map((g) => ({ label: g.getAttribute('label'), options: [...g.querySelectorAll('option')].map((o) => o.value) })));
  assert.equal(groups[0].label, 'Regional inndeling per dato (kommunereformer)');
  assert.deepEqual(groups[0].options, ['agg_reform2024', 'agg_reform2020', 'agg_reform2019', 'agg_reform2018', 'agg_reform2017', 'agg_reform2015']);
  assert.ok(!groups[1].options.some((o) => o.startsWith('agg_reform')));
  await useCodelist(page, 'Region', 'agg_reform2019');
  assert.equal(await page.locator('fieldset[data-variable="Region"] .structure-help').isVisible(), true);
  // every region of the structure, all ages summed, every year from 2000
  await page.locator('fieldset[data-variable="Region"]').getByRole('button', { name: 'Velg alle' }).click();
  await setMode(page, 'Alder', 'total');
  await setMode(page, 'Kjonn', 'total');
  await pickValues(page, 'Tid', ['2000', '2001', '2002', '2003']);
  await page.click('#show-table');
  await page.locator('.data-table tbody tr').first().waitFor();
  const api = await getJson<JsonStat2>('/api/v2/tables/07459/data?lang=no&outputFormat=json-stat2&codelist[Region]=agg_reform2019&valueCodes[Region]=*&valueCodes[ContentsCode]=Personer1&valueCodes[Tid]=2000,2001,2002,2003');
  const status = api.status as Record<string, string>;
  const xs = Object.values(status).filter((s) => s === 'x').length;
  assert.ok(xs > 0, 'the API has x cells');
  const shownX = await page.$$eval('.data-table tbody td', (tds) => tds.filter((td) => td.textContent === 'x').length);
  assert.equal(shownX, xs);
  // the numbers: each row's cells as the API's, x where the API says x
  const regions = codesOf(api, 'Region');
  const years = codesOf(api, 'Tid');
  const rows = await page.$$eval('.data-table tbody tr', (trs) => trs.map((tr) => ({ code: (tr as HTMLElement).dataset.codes ?? '', cells: [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '') })));
  for (const r of rows) {
    const ri = regions.indexOf(r.code.split('|')[0]);
    assert.ok(ri >= 0, r.code);
    years.forEach((_, yi) => {
      const i = ri * years.length + yi;
      const want = status[String(i)] === 'x' ? 'x' : String(api.value[i]);
      assert.equal(r.cells[yi].replace(/[\s\u00a0]/g, ''), want, `${r.code} ${years[yi]}`);
    });
  }
  // the meaning of x, from the table's own notes
  const note = (api.dimension.Region.note ?? []).find((n) => /«x»/.test(n))!;
  assert.equal((await page.locator('.symbol-x').textContent())?.replace(/^x: /, ''), note);
  await done();
});

test('table facts: unit, reference time, source, contact, updated, next release, notes and symbol legend as the metadata', { skip, timeout: 120_000 }, async () => {
  const meta = (await getJson<Record<string, unknown>>('/api/v2/tables/FACT1/metadata?lang=no')) as unknown as JsonStat2 & { source: string; updated: string; extension: { contact: { raw?: string; name?: string }[] } };
  const { page, done } = await open('/statbank/table/FACT1');
  await page.locator('.about dd[data-fact="unit"]').waitFor();
  const fact = (k: string) => page.locator(`.about dd[data-fact="${k}"]`).textContent();
  const units = meta.dimension.ContentsCode.category.unit!;
  const labels = meta.dimension.ContentsCode.category.label;
  assert.equal(await fact('unit'), Object.entries(units).map(([c, u]) => `${labels[c]}: ${u.base}`).join('; '));
  assert.equal(await fact('source'), meta.source);
  assert.equal(await fact('contact'), 'Kari Nordmann, 21 09 00 00, kari@example.org');
  assert.equal(await fact('updated'), new Intl.DateTimeFormat('nb-NO', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(Date.parse(meta.updated)));
  assert.equal(await fact('next'), new Intl.DateTimeFormat('nb-NO', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(Date.parse(NEXT)));
  assert.deepEqual(await page.$$eval('.about .table-notes li', (lis) => lis.map((li) => li.textContent)), meta.note);
  await page.locator('.about details.symbols summary').click();
  assert.match((await page.locator('.symbol-legend-about').textContent()) ?? '', /\.\. ikke tilgjengelig/);
  // and 07459's reference time (1 January) from the contents' refperiod
  await page.goto(`${web.base}/statbank/table/07459`);
  await page.locator('.about dd[data-fact="reftime"]').waitFor();
  const m07459 = await getJson<{ dimension: { ContentsCode: { extension: { refperiod: Record<string, string> } } } }>('/api/v2/tables/07459/metadata?lang=no');
  assert.equal(await page.locator('.about dd[data-fact="reftime"]').textContent(), m07459.dimension.ContentsCode.extension.refperiod.Personer1);
  await done();
});

test('phone (390x844): the chart legend is a list under the chart, every name inside the screen, the list scrolls; maps note', { skip, timeout: 120_000 }, async () => {
  // every region and house type over the latest 8 quarters: 28 series, saved as a query
  const res = await fetch(`${web.base}/api/v2/savedqueries`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      tableId: '07221',
      language: 'no',
      outputFormat: 'json-stat2',
      outputFormatParams: [],
      selection: {
        selection: [
          { variableCode: 'Region', valueCodes: ['*'] },
          { variableCode: 'Boligtype', valueCodes: ['*'] },
          { variableCode: 'ContentsCode', valueCodes: ['Boligindeks'] },
          { variableCode: 'Tid', valueCodes: ['top(8)'] },
        ],
      },
    }),
  });
  assert.equal(res.status, 201);
  const { id } = (await res.json()) as { id: string };
  const { page, done } = await open(`/statbank/sq/${id}`, { width: 390, height: 844 });
  await page.locator('.data-table tbody tr').first().waitFor();
  await page.click('#tab-chart');
  await page.locator('.chart-legend li').first().waitFor();
  assert.equal(await page.locator('.chart-legend li').count(), 20);
  const box = await page.evaluate(() => {
    const ul = document.querySelector('.chart-legend') as HTMLElement;
    const cs = getComputedStyle(ul);
    const r = ul.getBoundingClientRect();
    const items = [...ul.querySelectorAll('li')].map((li) => li.getBoundingClientRect());
    return { left: r.left, right: r.right, vw: window.innerWidth, overflowY: cs.overflowY, scrollH: ul.scrollHeight, clientH: ul.clientHeight, scrollW: ul.scrollWidth, clientW: ul.clientWidth, maxRight: Math.max(...items.map((i) => i.right)), minLeft: Math.min(...items.map((i) => i.left)) };
  });
  assert.ok(box.left >= 0 && box.right <= box.vw, JSON.stringify(box));
  assert.ok(box.minLeft >= box.left && box.maxRight <= box.right, 'every legend item inside the list');
  assert.ok(box.scrollW <= box.clientW, 'no sideways cut');
  // a long legend scrolls instead of being cut
  assert.equal(box.overflowY, 'auto');
  assert.ok(box.scrollH > box.clientH, 'the long legend scrolls');
  // the legend names are the chart's series; a click hides one
  const first = page.locator('.chart-legend .legend-item').first();
  await first.click();
  assert.equal(await first.getAttribute('aria-pressed'), 'false');
  assert.match((await page.locator('.maps-note').textContent()) ?? '', /Kart er ikke med/);
  await done();
});
