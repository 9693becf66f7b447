// Translated UI: the message catalogues (no, en, sv) have the same keys and plural forms through Intl.PluralRules;
// in a real browser the Swedish UI is complete, data texts come in a language the server has, and a table that
// lacks the UI language is shown in its own default language with a note in the UI language.
// The browser part skips when /usr/bin/chromium is absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Cube, TableMeta, Variable } from '../../src/core/model.js';
import { LANGS, texts } from '../../web/src/i18n.js';
import { browserSuite, BROWSER_SKIP } from './helpers.js';

const skip = BROWSER_SKIP;

/** A small table that exists only in Swedish. */
function swedishOnly(): Cube {
  const region: Variable = {
    code: 'Region',
    label: { sv: 'region' },
    role: 'geo',
    elimination: true,
    values: [
      { code: '0301', label: { sv: 'Oslo kommun' } },
      { code: '1103', label: { sv: 'Stavangers kommun' } },
    ],
  };
  const contents: Variable = { code: 'ContentsCode', label: { sv: 'tabellinnehåll' }, role: 'contents', elimination: false, values: [{ code: 'Besok', label: { sv: 'Besökare' } }] };
  const tid: Variable = { code: 'Tid', label: { sv: 'år' }, role: 'time', timeUnit: 'A', elimination: false, values: ['2022', '2023', '2024'].map((y) => ({ code: y, label: { sv: y } })) };
  const meta: TableMeta = {
    id: 'SV001',
    title: { sv: 'SV001: Besökare efter region och år' },
    contents: { sv: 'Besökare' },
    languages: ['sv'],
    defaultLanguage: 'sv',
    variables: [region, contents, tid],
    stub: ['Region'],
    heading: ['ContentsCode', 'Tid'],
    decimals: 0,
    contentInfo: { Besok: { unit: { sv: 'personer' }, decimals: 0 } },
    source: { sv: 'Statistikbyrån (demo)' },
    updated: '2025-03-01T07:00:00Z',
    subjectCode: 'be',
  } as TableMeta;
  return { meta, values: Float64Array.from([1201, 1302, 1403, 2104, 2205, 2306]), status: null };
}

test('every UI catalogue has every key of the Norwegian one, and no text is empty', () => {
  assert.deepEqual(LANGS.slice(0, 3), ['no', 'en', 'sv']);
  const keys = Object.keys(texts('no')).sort();
  for (const l of LANGS) {
    const t = texts(l) as unknown as Record<string, unknown>;
    assert.deepEqual(Object.keys(t).sort(), keys, l);
    for (const [k, v] of Object.entries(t)) {
      if (typeof v === 'string') assert.ok(v.length > 0, `${l}.${k}`);
      if (typeof v === 'function') {
        const out = String((v as (...a: unknown[]) => unknown)(2, '2', '3', '4'));
        assert.ok(out.length > 0 && !out.includes('undefined'), `${l}.${k}: ${out}`);
      }
    }
  }
});

test('counts take the plural form of the language (Intl.PluralRules), Norwegian too', () => {
  const no = texts('no');
  const en = texts('en');
  const sv = texts('sv');
  assert.equal(no.cellCount(1, '1', '800 000'), '1 celle valgt (grense 800 000)');
  assert.equal(no.cellCount(2, '2', '800 000'), '2 celler valgt (grense 800 000)');
  assert.equal(no.cellCount(0, '0', '800 000'), '0 celler valgt (grense 800 000)');
  assert.equal(en.cellCount(1, '1', '800,000'), '1 cell selected (limit 800,000)');
  assert.equal(en.hits(1), '1 hit');
  assert.equal(en.hits(3), '3 hits');
  assert.equal(sv.hits(1), '1 träff');
  assert.equal(sv.hits(21), '21 träffar');
  assert.equal(sv.selectedOf(1, 5), '1 av 5 vald');
  assert.equal(sv.selectedOf(2, 5), '2 av 5 valda');
  assert.equal(sv.rateLimited(1), 'För många frågor på kort tid. Försök igen om 1 sekund.');
  assert.equal(no.rateLimited(30), 'For mange spørringer på kort tid. Prøv igjen om 30 sekunder.');
  assert.equal(no.allDatasets(1), 'Det ene datasettet');
  assert.equal(no.allDatasets(12), 'Alle 12 datasett');
});

const web = browserSuite({ prepare: (store) => store.putTable(swedishOnly(), { folders: ['be'] }) });

async function open(path: string): Promise<{ page: Page; done: () => Promise<void> }> {
  const context = await web.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
  });
  await page.goto(web.server.base + path);
  return {
    page,
    done: async () => {
      await context.close();
      assert.deepEqual(errors, []);
    },
  };
}

test('a table only in Swedish opens in the Norwegian UI in Swedish, says so in Norwegian, numbers as the API', { skip, timeout: 120_000 }, async () => {
  const info = (await (await fetch(`${web.server.base}/api/v2/tables/SV001?lang=sv`)).json()) as { label: string; links: { rel: string; hreflang: string }[] };
  assert.deepEqual(info.links.filter((l) => l.rel === 'alternate'), []);
  assert.equal((await fetch(`${web.server.base}/api/v2/tables/SV001?lang=no`)).status, 404);
  const { page, done } = await open('/statbank/table/SV001');
  await page.locator('.table-lang-note').waitFor();
  assert.equal(await page.locator('h1').textContent(), info.label);
  assert.equal(await page.locator('h1').getAttribute('lang'), 'sv');
  assert.equal(await page.locator('html').getAttribute('lang'), 'nb');
  assert.match((await page.locator('.table-lang-note').textContent()) ?? '', /^Tabellen finnes ikke på norsk.*Tekstene fra tabellen vises på svensk\./);
  // the UI stays Norwegian
  assert.equal(await page.locator('#select-h').textContent(), 'Velg verdier');
  // the default selection is shown: every number is the API's (Swedish data)
  await page.locator('.data-table tbody tr').first().waitFor();
  const api = (await (
    await fetch(`${web.server.base}/api/v2/tables/SV001/data?lang=sv&outputFormat=json-stat2&valueCodes[Region]=*&valueCodes[ContentsCode]=*&valueCodes[Tid]=*`)
  ).json()) as { value: number[] };
  const shown = await page.$$eval('.data-table tbody td', (tds) => tds.map((td) => Number((td.textContent ?? '').replace(/[\s\u00a0\u202f]/g, ''))));
  assert.deepEqual([...shown].sort((a, b) => a - b), [...api.value].sort((a, b) => a - b));
  assert.match((await page.locator('.data-table').textContent()) ?? '', /Stavangers kommun/);
  await done();
});

test('the Swedish UI: every label Swedish, data in the table default language (Norwegian) with a note, counts in Swedish', { skip, timeout: 120_000 }, async () => {
  const no = (await (await fetch(`${web.server.base}/api/v2/tables/07459?lang=no`)).json()) as { label: string };
  const { page, done } = await open('/statbank/table/07459?lang=sv&select');
  await page.locator('fieldset[data-variable="Region"] [role=option]').first().waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'sv');
  assert.equal(await page.locator('h1').textContent(), no.label);
  assert.equal(await page.locator('h1').getAttribute('lang'), 'nb');
  assert.match((await page.locator('.table-lang-note').textContent()) ?? '', /^Tabellen finns inte på svenska\. Tabellens texter visas på norska/);
  assert.equal(await page.locator('#select-h').textContent(), 'Välj värden');
  assert.equal(await page.locator('.skip-link').textContent(), 'Hoppa till innehållet');
  assert.equal(await page.locator('#show-table').textContent(), 'Visa tabell');
  assert.equal(await page.locator('.lang-switch[aria-current="true"]').textContent(), 'Svenska');
  assert.deepEqual(await page.$$eval('.lang-switch', (as) => as.map((a) => a.textContent)), ['Norsk', 'English', 'Svenska']);
  assert.match((await page.locator('.cell-count').textContent()) ?? '', /celler valda \(gräns 800\s000\)$/);
  // no Norwegian or English UI word left in the page chrome
  const chrome = await page.evaluate(() => [...document.querySelectorAll('header, h2, button, label, legend .badge, summary')].map((e) => e.textContent ?? '').join(' | '));
  assert.doesNotMatch(chrome, /\b(Velg|Vis tabell|Select|Show table|Last ned|Download|Lagre|Save)\b/);
  // the server serves Swedish too (the Swedish table): the Swedish front page lists it, with no language note
  const cfg = (await (await fetch(`${web.server.base}/api/v2/config`)).json()) as { languages: { id: string }[] };
  assert.ok(cfg.languages.some((l) => l.id === 'sv'));
  await page.click('a.brand');
  await page.locator('.folder-list li').first().waitFor();
  assert.equal(await page.locator('h2#subjects-h').textContent(), 'Ämnen');
  assert.equal(await page.locator('.lang-note').count(), 0);
  await done();
});
