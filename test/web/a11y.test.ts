// Accessibility of every page of the app in a real browser: axe-core (WCAG 2.0/2.1 A and AA rules) on the front
// page, a table page, a shown result (table and chart tabs), the console, a saved query, kommunefakta and the
// JSON-stat explorer, in Norwegian and English, at desktop and phone widths. No serious or critical violation may
// remain. Skips when /usr/bin/chromium is absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { browserSuite, BROWSER_SKIP } from './helpers.js';

const skip = BROWSER_SKIP;
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const web = browserSuite();

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Run axe-core in the page (injected through the DevTools protocol, so the app's CSP does not stop it). */
async function axe(page: Page): Promise<Violation[]> {
  await page.evaluate(AXE);
  const result = (await page.evaluate(() =>
    (window as unknown as { axe: { run(ctx: Document, o: object): Promise<unknown> } }).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    }),
  )) as { violations: Violation[]; passes: unknown[] };
  // axe really looked at the page
  assert.ok(result.passes.length > 10, 'axe ran its rules');
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

const describe = (vs: Violation[]) => vs.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`).join('\n  ')}`).join('\n');

interface Check {
  name: string;
  path: string;
  ready: (page: Page) => Promise<unknown>;
}

const CHECKS: Check[] = [
  { name: 'front page', path: '/statbank/', ready: (p) => p.locator('.feed-list.latest li').first().waitFor() },
  { name: 'table page', path: '/statbank/table/07459?select', ready: (p) => p.locator('fieldset[data-variable="Region"] [role=option]').first().waitFor() },
  {
    name: 'result and chart',
    path: '/statbank/table/07221',
    ready: async (p) => {
      await p.locator('.data-table tbody tr').first().waitFor();
      // open every disclosure, so their contents are checked too
      await p.evaluate(() => document.querySelectorAll('details').forEach((d) => ((d as HTMLDetailsElement).open = true)));
    },
  },
  {
    name: 'chart tab',
    path: '/statbank/table/07221',
    ready: async (p) => {
      await p.locator('#tab-chart').click();
      await p.locator('.chart canvas').first().waitFor();
    },
  },
  {
    name: 'console',
    path: '/statbank/console?table=07459',
    ready: async (p) => {
      await p.waitForFunction(() => ((document.querySelector('textarea') as HTMLTextAreaElement | null)?.value ?? '').includes('"query"'));
      await p.click('#run');
      await p.locator('#response-status').waitFor();
    },
  },
  { name: 'saved query', path: '/statbank/sq/10007797', ready: (p) => p.locator('.data-table tbody tr').first().waitFor() },
  { name: 'datasets', path: '/statbank/datasets', ready: (p) => p.locator('main li a').first().waitFor() },
  { name: 'browse', path: '/statbank/browse/be', ready: (p) => p.locator('.folder-list li').first().waitFor() },
  {
    name: 'kommunefakta',
    path: '/statbank/kommunefakta/1103',
    ready: async (p) => {
      await p.locator('.figure-card[data-figure="population"]').waitFor();
      await p.evaluate(() => document.querySelectorAll('details').forEach((d) => ((d as HTMLDetailsElement).open = true)));
    },
  },
  { name: 'kommunefakta search', path: '/statbank/kommunefakta/Sand', ready: (p) => p.locator('.region-matches a').first().waitFor() },
  {
    name: 'explorer',
    path: '/statbank/explorer#//api/v0/dataset/1052.json',
    ready: async (p) => {
      await p.locator('.explorer-table tbody td').first().waitFor();
      await p.locator('.explorer-chart canvas').first().waitFor();
      await p.locator('.explorer-examples li').first().waitFor();
    },
  },
  { name: 'search', path: '/statbank/search?q=07459', ready: (p) => p.locator('main li a[href*="/table/"]').first().waitFor() },
];

const RUNS = [
  ['no', '', 1366, 900],
  ['no', '', 390, 844],
  ['en', 'lang=en', 1366, 900],
  ['en', 'lang=en', 390, 844],
  ['sv', 'lang=sv', 1366, 900],
] as const;
{
  for (const [lang, suffix, w, hgt] of RUNS) {
    test(`axe: no serious or critical WCAG 2.1 AA violations (${lang}, ${w}x${hgt})`, { skip, timeout: 240_000 }, async () => {
      const context = await web.browser.newContext({ viewport: { width: w, height: hgt } });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const found: string[] = [];
      let checked = 0;
      for (const c of CHECKS) {
        const [path, hash] = c.path.split('#');
        const sep = path.includes('?') ? '&' : '?';
        await page.goto(web.server.base + path + (suffix ? sep + suffix : '') + (hash !== undefined ? `#${hash}` : ''));
        await c.ready(page);
        // the demo server has no Swedish data: the Swedish front page says it shows Norwegian
        if (lang === 'sv' && c.name === 'front page') assert.match((await page.locator('.lang-note').textContent()) ?? '', /inga tabelltexter på svenska\. Tabellerna visas på norska/);
        const vs = await axe(page);
        checked += 1;
        if (vs.length) found.push(`${c.name}:\n${describe(vs)}`);
      }
      await context.close();
      assert.equal(checked, CHECKS.length);
      assert.deepEqual(errors, []);
      assert.equal(found.join('\n\n'), '');
    });
  }
}

test('axe in this setup finds a violation when there is one (an image without alt, a button without a name)', { skip, timeout: 60_000 }, async () => {
  const context = await web.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${web.server.base}/statbank/`);
  await page.locator('.folder-list li').first().waitFor();
  await page.evaluate(() => {
    const main = document.getElementById('main')!;
    const img = document.createElement('img');
    img.src = '/statbank/favicon.svg';
    main.appendChild(img);
    main.appendChild(document.createElement('button'));
  });
  const ids = (await axe(page)).map((v) => v.id).sort();
  await context.close();
  assert.deepEqual(ids, ['button-name', 'image-alt']);
});
