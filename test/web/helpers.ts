// Shared setup of the web app tests: build the app with Vite into a temp folder, start the real server on the
// demo database (small) in a temp SQLite file, and launch Debian's chromium through playwright-core.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/app/config.js';
import { demoContent, generateDemo } from '../../src/demo/index.js';
import { openStore, type SqliteStore } from '../../src/store/index.js';

export const WEB_ROOT = fileURLToPath(new URL('../../web/', import.meta.url));
export const CHROMIUM = '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why the browser tests skip, or false when chromium is there. */
export const BROWSER_SKIP: string | false = HAVE_CHROMIUM ? false : `${CHROMIUM} is absent (apt-get install chromium); browser tests skipped`;

/** What a browser test file works with once its `before` has run. */
export interface BrowserSuite {
  browser: Browser;
  server: RunningServer;
  /** The server's base URL. */
  base: string;
  /** A temp folder for downloads, removed after the file. */
  tmp: string;
}

/**
 * One browser suite per test file: builds the web app, starts the real server on the demo database (`prepare` may
 * add tables first) and launches chromium before the file's tests; closes and removes everything after them.
 * Skips (does nothing) when chromium is absent.
 */
export function browserSuite(opts: { prepare?: (store: SqliteStore) => void } = {}): BrowserSuite {
  const suite = {} as BrowserSuite;
  let webDir: string | undefined;
  before(async () => {
    if (BROWSER_SKIP) return;
    suite.tmp = mkdtempSync(join(tmpdir(), 'statbank-browser-'));
    webDir = await buildWebApp();
    suite.server = await startServer(webDir, opts.prepare);
    suite.base = suite.server.base;
    const { chromium } = await import('playwright-core');
    suite.browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  after(async () => {
    if (BROWSER_SKIP) return;
    await suite.browser?.close();
    await suite.server?.close();
    if (webDir) rmSync(webDir, { recursive: true, force: true });
    if (suite.tmp) rmSync(suite.tmp, { recursive: true, force: true });
  });
  return suite;
}

/** Build the web app into a new temp folder (Vite's JS API, the app's own vite.config.ts). */
export async function buildWebApp(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'statbank-web-'));
  const { build } = await import('vite');
  await build({
    root: WEB_ROOT,
    configFile: join(WEB_ROOT, 'vite.config.ts'),
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}

export interface RunningServer {
  app: FastifyInstance;
  store: SqliteStore;
  base: string;
  close(): Promise<void>;
}

/**
 * The real server on port 0: demo database (small) generated into a temp SQLite file, the web app from
 * `webDir`. `prepare` may add tables before the server starts.
 */
export async function startServer(webDir: string, prepare?: (store: SqliteStore) => void): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'statbank-webdb-'));
  const dbPath = join(dataDir, 'demo.db');
  const store = openStore(dbPath);
  generateDemo(store, { small: true });
  prepare?.(store);
  // no rate limit: the browser tests make many calls from one address
  const config = loadConfig({ port: 0, host: '127.0.0.1', dbPath, maxCalls: 0, logLevel: 'warn' }, {});
  process.env.STATBANK_WEB_DIR = webDir;
  const app = await buildApp({ store, config, ...demoContent() }, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    app,
    store,
    base,
    async close() {
      await app.close();
      store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// ------------------------------------------------------------------------------------------------
// Driving the table page's pickers (a fieldset per variable, `data-variable`)

type PwPage = import('playwright-core').Page;

const picker = (page: PwPage, variable: string) => page.locator(`fieldset[data-variable="${variable}"]`);

/** Choose a selection mode (total, items, top, from, range, all, pattern) for a variable. */
export async function setMode(page: PwPage, variable: string, mode: string): Promise<void> {
  await picker(page, variable).locator('select.mode').selectOption(mode);
  await page.waitForFunction(([v, m]) => document.querySelector(`fieldset[data-variable="${v}"]`)?.getAttribute('data-mode') === m, [variable, mode]);
}

/** Use a code list ('' = the table's own values); waits until its values are listed. */
export async function useCodelist(page: PwPage, variable: string, codelist: string): Promise<void> {
  await setMode(page, variable, 'items');
  const select = picker(page, variable).locator('select.codelist');
  if ((await select.inputValue()) === codelist) return;
  await select.selectOption(codelist);
  await page.waitForFunction(([v, c]) => (document.querySelector(`fieldset[data-variable="${v}"] select.codelist`) as HTMLSelectElement | null)?.value === c && document.querySelector(`fieldset[data-variable="${v}"] .count`)?.getAttribute('data-n') === '0', [variable, codelist]);
}

/** Pick exactly these values of a variable (clicking the listbox options). */
export async function pickValues(page: PwPage, variable: string, codes: string[]): Promise<void> {
  await setMode(page, variable, 'items');
  const fs = picker(page, variable);
  await fs.getByRole('button', { name: /^(Fjern alle|Select none)$/ }).click();
  for (const code of codes) {
    await fs.locator('input[type=search]').fill(code);
    await fs.locator(`[role=option][data-code="${code}"]`).click();
  }
  await fs.locator('input[type=search]').fill('');
  await page.waitForFunction(([v, n]) => document.querySelector(`fieldset[data-variable="${v}"] .count`)?.getAttribute('data-n') === n, [variable, String(codes.length)]);
}

export interface OpenedPage {
  page: import('playwright-core').Page;
  context: import('playwright-core').BrowserContext;
  /** Script errors and console errors the page has shown so far. */
  errors: string[];
  /** Close the page and check it showed no errors. */
  done(): Promise<void>;
}

/**
 * A page of the app in a fresh browser context. Console errors count as failures, except the browser's own note on
 * an HTTP error status, which is expected where a test asks for an error.
 */
export async function openPage(
  browser: import('playwright-core').Browser,
  url: string,
  opts: { viewport?: { width: number; height: number }; clipboard?: boolean; bypassCSP?: boolean } = {},
): Promise<OpenedPage> {
  const context = await browser.newContext({ acceptDownloads: true, viewport: opts.viewport ?? { width: 1280, height: 900 }, bypassCSP: opts.bypassCSP });
  if (opts.clipboard) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
  });
  await page.goto(url);
  return {
    page,
    context,
    errors,
    done: async () => {
      await context.close();
      assert.deepEqual(errors, []);
    },
  };
}
