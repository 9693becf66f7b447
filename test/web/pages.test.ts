// The front page, the datasets page, search in the other language, charts (units on the axes, a pyramid for sex by
// age, PNG and SVG downloads), plural cell counts and error pages in a real browser; and the screenshots of
// docs/screenshots (front page, table page, result, chart, console, kommunefakta, explorer at 1366x900 and 390x844).
// Skips when /usr/bin/chromium is absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { browserSuite, BROWSER_SKIP, pickValues, setMode, useCodelist, openPage, type OpenedPage } from './helpers.js';

const skip = BROWSER_SKIP;
const SHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

const web = browserSuite();

async function open(path: string, viewport = { width: 1366, height: 900 }): Promise<OpenedPage> {
  return openPage(web.browser, web.base + path, { viewport });
}

const rssTableIds = async (kind: string) => {
  const xml = await (await fetch(`${web.base}/rss/${kind}?lang=no`)).text();
  return [...xml.matchAll(/<link>[^<]*\/statbank\/table\/([^<]+)<\/link>/g)].map((m) => m[1]);
};

test('front page: latest releases as /rss/updated, coming releases as /rss/coming, datasets as list.json', { skip, timeout: 120_000 }, async () => {
  const updated = await rssTableIds('updated');
  const coming = await rssTableIds('coming');
  const sets = (await (await fetch(`${web.base}/api/v0/dataset/list.json?lang=no`)).json()) as { datasets: { id: string; table: string }[] };
  assert.ok(updated.length > 0 && sets.datasets.length > 0);
  const { page, done } = await open('/statbank/');
  await page.locator('.feed-list.latest li').first().waitFor();
  assert.deepEqual(await page.locator('.feed-list.latest li').evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset.tableId)), updated.slice(0, 6));
  await page.locator('#coming-h + *').waitFor();
  assert.equal(await page.locator('.feed-list.coming li').count(), Math.min(coming.length, 6));
  await page.locator('#all-datasets').waitFor();
  assert.match((await page.locator('#all-datasets').textContent()) ?? '', new RegExp(`${sets.datasets.length}`));
  await page.click('#all-datasets');
  await page.locator('.dataset-list li').first().waitFor();
  assert.deepEqual(await page.locator('.dataset-list li').evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset.datasetId)), sets.datasets.map((d) => d.id));
  await done();
});

test('search: "population" in the Norwegian UI offers the English hits', { skip, timeout: 60_000 }, async () => {
  const en = (await (await fetch(`${web.base}/api/v2/tables?lang=en&query=population`)).json()) as { page: { totalElements: number } };
  assert.ok(en.page.totalElements > 0);
  const { page, done } = await open('/statbank/search?q=population');
  await page.locator('.other-lang a').waitFor();
  assert.match((await page.locator('.other-lang').textContent()) ?? '', new RegExp(`${en.page.totalElements} treff på engelsk`));
  await page.click('.other-lang a');
  await page.locator('.results li').first().waitFor();
  assert.equal(await page.locator('.results li').count(), Math.min(en.page.totalElements, 50));
  assert.ok(page.url().includes('lang=en'));
  await done();
});

test('cell counts are grammatical; an error says what happened and what to do, in Norwegian', { skip, timeout: 60_000 }, async () => {
  const { page, done } = await open('/statbank/table/07459?select');
  await page.locator('fieldset[data-variable="Region"]').waitFor();
  await useCodelist(page, 'Region', '');
  await pickValues(page, 'Region', ['0301']);
  await setMode(page, 'Alder', 'total');
  assert.match((await page.locator('.cell-count').textContent()) ?? '', /^1 celle valgt/);
  await done();
  const missing = await open('/statbank/sq/99999999');
  await missing.page.locator('.error').waitFor();
  const text = (await missing.page.locator('.error').textContent()) ?? '';
  assert.match(text, /Fant ikke/);
  assert.doesNotMatch(text, /not found|error/i);
  await missing.done();
});

test('charts: unit on the value axis, a pyramid for sex by age, PNG and SVG downloads', { skip, timeout: 120_000 }, async () => {
  const { page, done } = await open('/statbank/sq/10007797');
  await page.locator('.data-table tbody tr').first().waitFor();
  await page.click('#tab-chart');
  await page.locator('.chart canvas').first().waitFor();
  assert.equal(await page.locator('.chart').getAttribute('data-kind'), 'line');
  const [svg] = await Promise.all([page.waitForEvent('download'), page.click('#chart-svg')]);
  const svgPath = join(web.tmp, svg.suggestedFilename());
  await svg.saveAs(svgPath);
  const svgText = readFileSync(svgPath, 'utf8');
  assert.match(svgText, /^<svg/);
  assert.match(svgText, />personer</, 'the unit names the value axis');
  assert.match(svgText, />Oslo</);
  const [png] = await Promise.all([page.waitForEvent('download'), page.click('#chart-png')]);
  const pngPath = join(web.tmp, png.suggestedFilename());
  await png.saveAs(pngPath);
  assert.deepEqual([...readFileSync(pngPath).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  await done();

  const pyr = await open('/statbank/table/07459?select');
  await pyr.page.locator('fieldset[data-variable="Kjonn"]').waitFor();
  await setMode(pyr.page, 'Kjonn', 'all');
  await useCodelist(pyr.page, 'Alder', 'agg_FemAarigGruppering');
  await setMode(pyr.page, 'Alder', 'items');
  await pyr.page.locator('fieldset[data-variable="Alder"]').getByRole('button', { name: 'Velg alle' }).click();
  await pyr.page.click('#show-table');
  await pyr.page.locator('.data-table tbody tr').first().waitFor();
  await pyr.page.click('#tab-chart');
  await pyr.page.locator('.chart canvas').first().waitFor();
  assert.equal(await pyr.page.locator('.chart').getAttribute('data-kind'), 'pyramid');
  await pyr.done();
});

test('screenshots of the front page, table page, result, chart, console, kommunefakta and explorer at 1366x900 and 390x844', { skip, timeout: 300_000 }, async () => {
  mkdirSync(SHOTS, { recursive: true });
  for (const [w, hgt, tag] of [[1366, 900, 'desktop'], [390, 844, 'phone']] as const) {
    const shot = async (page: Page, name: string) => {
      const p = join(SHOTS, `${name}-${tag}.png`);
      await page.screenshot({ path: p });
      assert.ok(statSync(p).size > 5_000, p);
    };
    const front = await open('/statbank/', { width: w, height: hgt });
    await front.page.locator('.feed-list.latest li').first().waitFor();
    await front.page.locator('.folder-list li').first().waitFor();
    await shot(front.page, 'front');
    await front.done();

    const table = await open('/statbank/table/07459?select', { width: w, height: hgt });
    await table.page.locator('fieldset[data-variable="Region"] [role=option]').first().waitFor();
    await table.page.locator('fieldset[data-variable="Tid"]').scrollIntoViewIfNeeded();
    await table.page.evaluate(() => window.scrollTo(0, (document.querySelector('details.selection') as HTMLElement).offsetTop - 8));
    await shot(table.page, 'table');
    await table.done();

    const result = await open('/statbank/sq/10007797', { width: w, height: hgt });
    await result.page.locator('.data-table tbody tr').first().waitFor();
    await result.page.evaluate(() => window.scrollTo(0, (document.querySelector('#result') as HTMLElement).offsetTop - 8));
    await shot(result.page, 'result');
    await result.page.click('#tab-chart');
    await result.page.locator('.chart canvas').first().waitFor();
    await result.page.evaluate(() => window.scrollTo(0, (document.querySelector('#result') as HTMLElement).offsetTop - 8));
    await shot(result.page, 'chart');
    await result.done();

    const cons = await open('/statbank/console?table=07459', { width: w, height: hgt });
    await cons.page.waitForFunction(() => ((document.querySelector('textarea') as HTMLTextAreaElement | null)?.value ?? '').includes('"query"'));
    await cons.page.click('#run');
    await cons.page.locator('#response-status').waitFor();
    await shot(cons.page, 'console');
    await cons.done();

    const kf = await open('/statbank/kommunefakta/1103', { width: w, height: hgt });
    await kf.page.locator('.figure-card[data-figure="accounts"]').waitFor();
    await kf.page.waitForFunction(() => document.querySelectorAll('.mini-chart[data-drawn="true"]').length === document.querySelectorAll('.mini-chart').length);
    await shot(kf.page, 'kommunefakta');
    await kf.done();

    const ex = await open('/statbank/explorer#//api/v0/dataset/1052.json?lang=no', { width: w, height: hgt });
    await ex.page.locator('.explorer-chart canvas').first().waitFor();
    await ex.page.evaluate(() => window.scrollTo(0, (document.querySelector('#explorer-view') as HTMLElement).offsetTop - 8));
    await shot(ex.page, 'explorer');
    await ex.done();
  }
});
