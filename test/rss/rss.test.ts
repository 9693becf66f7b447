// RSS feeds over HTTP: valid RSS 2.0 (parsed by a strict XML parser), items newest first with title, link, RFC 822
// pubDate and a guid naming id and version; the embargo (a scheduled version or new table is absent from
// "updated" until its instant; "coming" shows title and time only); folder and language filters; garbage.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/app/config.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import type { Store } from '../../src/store/store.js';
import { cube, stamped } from '../store/cubes.js';
import { child, children, parseXml, type XmlElement } from './xml.js';

const T0 = Date.parse('2026-11-30T12:00:00.000Z');
const RELEASE = Date.parse('2026-12-01T07:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const RFC822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

async function setup(): Promise<{ app: FastifyInstance; store: Store; at: (ms: number) => void }> {
  let t = T0;
  const store = createMemoryStore({ now: () => t });
  store.putFolder('be', { no: 'Befolkning', en: 'Population' });
  store.putFolder('be/be01', { no: 'Folkemengde', en: 'Population count' });
  store.putFolder('pp', { no: 'Priser', en: 'Prices' });
  store.putFolder('pp/ny', { no: 'Ny statistikk', en: 'New statistics' });
  const folk = stamped('07459', [3, 7], 1);
  folk.meta.title = { no: 'Befolkning & <alder> "1986-2025"', en: 'Population & <age> "1986-2025"' };
  store.putTable(folk, { folders: ['be/be01'], published: '2025-02-20T07:00:00Z' });
  store.putTable(cube('03013', [4], (i) => i, 'Konsumprisindeks'), { folders: ['pp'], published: '2025-11-10T07:00:00Z' });
  store.putTable(cube('05810', [2], (i) => i, 'Folkemengde\u0007 kort'), { folders: ['be/be01'], published: '2024-02-20T07:00:00Z' });
  const next = stamped('07459', [3, 8], 2);
  next.meta.title = { no: 'Befolkning & <alder> "1986-2026"', en: 'Population & <age> "1986-2026"' };
  store.scheduleTable(next, { releaseAt: iso(RELEASE) });
  store.scheduleTable(cube('13000', [3], (i) => 4242 + i, 'Hemmelig nyhet'), { releaseAt: iso(RELEASE + 3_600_000), folders: ['pp/ny'] });
  const config = loadConfig({ maxCalls: 0, baseUrl: 'https://statbank.example' }, {});
  const app = await buildApp({ store, config }, { logger: false });
  return { app, store, at: (ms) => (t = ms) };
}

async function feed(app: FastifyInstance, url: string): Promise<{ channel: XmlElement; items: XmlElement[]; headers: Record<string, unknown>; body: string }> {
  const r = await app.inject({ method: 'GET', url });
  assert.equal(r.statusCode, 200, `${url}: ${r.body}`);
  assert.equal(r.headers['content-type'], 'application/rss+xml; charset=utf-8');
  const rss = parseXml(r.body);
  assert.equal(rss.name, 'rss');
  assert.equal(rss.attrs.version, '2.0');
  const channel = child(rss, 'channel');
  assert.ok(channel, 'one channel');
  for (const name of ['title', 'link', 'description']) assert.ok(child(channel, name)?.text, `channel has ${name}`);
  const self = child(channel, 'atom:link');
  assert.equal(self?.attrs.rel, 'self');
  assert.equal(self?.attrs.href, `https://statbank.example${url}`);
  return { channel, items: children(channel, 'item'), headers: r.headers, body: r.body };
}

const text = (el: XmlElement, name: string) => child(el, name)?.text;

test('updated: RSS 2.0 items newest first with title, link, RFC 822 pubDate, guid of id and version', async () => {
  const { app } = await setup();
  const { channel, items } = await feed(app, '/rss/updated?lang=no');
  assert.equal(text(channel, 'language'), 'no');
  assert.match(text(channel, 'lastBuildDate') ?? '', RFC822);
  assert.deepEqual(
    items.map((i) => text(i, 'guid')),
    ['statbank:table:03013:v1', 'statbank:table:07459:v1', 'statbank:table:05810:v1'],
  );
  const folk = items[1];
  assert.equal(text(folk, 'title'), 'Befolkning & <alder> "1986-2025"', 'escaped text reads back exactly');
  assert.equal(text(folk, 'link'), 'https://statbank.example/statbank/table/07459');
  assert.equal(child(folk, 'guid')?.attrs.isPermaLink, 'false');
  const pub = text(folk, 'pubDate') ?? '';
  assert.match(pub, RFC822);
  assert.equal(Date.parse(pub), Date.parse('2025-02-20T07:00:00Z'));
  assert.deepEqual(children(folk, 'category').map((c) => c.text), ['be/be01']);
  assert.equal(text(items[2], 'title'), 'Folkemengde kort', 'a control character is dropped, not written');

  const en = await feed(app, '/rss/updated?lang=en');
  assert.equal(text(en.items[1], 'title'), 'Population & <age> "1986-2025"');
  assert.equal(text(en.items[1], 'link'), 'https://statbank.example/statbank/table/07459?lang=en');
  assert.match(text(en.channel, 'title') ?? '', /^Statbank/);
  await app.close();
});

test('embargo: the scheduled version and the new table are absent from "updated" until their instants', async () => {
  const { app, at } = await setup();
  const guids = async () => (await feed(app, '/rss/updated')).items.map((i) => text(i, 'guid'));
  const body = (await feed(app, '/rss/updated')).body;
  assert.doesNotMatch(body, /1986-2026|13000|Hemmelig|v2/);
  at(RELEASE - 1);
  assert.deepEqual(await guids(), ['statbank:table:03013:v1', 'statbank:table:07459:v1', 'statbank:table:05810:v1']);
  at(RELEASE);
  const after = await feed(app, '/rss/updated');
  assert.deepEqual(after.items.map((i) => text(i, 'guid')), ['statbank:table:07459:v2', 'statbank:table:03013:v1', 'statbank:table:05810:v1']);
  assert.equal(Date.parse(text(after.items[0], 'pubDate') ?? ''), RELEASE, 'the release time is the publication time');
  assert.equal(text(after.items[0], 'title'), 'Befolkning & <alder> "1986-2026"');
  at(RELEASE + 3_600_000);
  assert.equal((await guids())[0], 'statbank:table:13000:v1');
  await app.close();
});

test('coming: title and time only, soonest first; gone once released', async () => {
  const { app, at } = await setup();
  const { items, body, headers } = await feed(app, '/rss/coming?lang=no');
  assert.equal(items.length, 2);
  for (const it of items) {
    assert.deepEqual(it.children.map((c) => c.name).sort(), ['description', 'guid', 'pubDate', 'title'], 'no link, no categories');
  }
  assert.equal(text(items[0], 'title'), 'Befolkning & <alder> "1986-2026"');
  assert.equal(Date.parse(text(items[0], 'pubDate') ?? ''), RELEASE);
  assert.match(text(items[0], 'description') ?? '', /^Publiseres 1\. desember 2026.*08:00$/);
  assert.equal(text(items[1], 'title'), 'Hemmelig nyhet');
  assert.match(text(items[1], 'description') ?? '', /09:00$/);
  // no numbers of the coming versions, no variables
  assert.doesNotMatch(body, /4242|2\.25|variabel|verdi/);
  const maxAge = Number(/max-age=(\d+)/.exec(String(headers['cache-control']))?.[1]);
  assert.ok(maxAge <= 60);

  at(RELEASE - 30_000);
  const close = await app.inject({ method: 'GET', url: '/rss/coming' });
  assert.match(String(close.headers['cache-control']), /max-age=(30|29)\b/, 'never cached past the next release');
  at(RELEASE);
  const left = await feed(app, '/rss/coming?lang=en');
  assert.deepEqual(left.items.map((i) => text(i, 'title')), ['Hemmelig nyhet']);
  assert.match(text(left.items[0], 'description') ?? '', /^Release 1 December 2026.*09:00$/);
  await app.close();
});

test('folder filters; a folder under embargo is not found; garbage parameters give 400 with a message', async () => {
  const { app, at } = await setup();
  const be = await feed(app, '/rss/updated?folder=be');
  assert.deepEqual(be.items.map((i) => text(i, 'guid')), ['statbank:table:07459:v1', 'statbank:table:05810:v1']);
  assert.match(text(be.channel, 'title') ?? '', /Befolkning$/);
  const pp = await feed(app, '/rss/coming?folder=pp');
  assert.deepEqual(pp.items.map((i) => text(i, 'title')), ['Hemmelig nyhet']);
  assert.equal((await feed(app, '/rss/updated?folder=/be/be01/&limit=1')).items.length, 1);
  const hidden = await app.inject({ method: 'GET', url: '/rss/coming?folder=pp/ny' });
  assert.equal(hidden.statusCode, 404, 'the new folder does not exist before its table is released');
  for (const url of ['/rss/updated?lang=xx', '/rss/updated?limit=0', '/rss/updated?limit=abc', '/rss/updated?limit=501', '/rss/coming?lang=']) {
    const r = await app.inject({ method: 'GET', url });
    assert.equal(r.statusCode, 400, url);
    assert.match(r.headers['content-type'] as string, /^text\/plain/);
    assert.ok(r.body.length > 5, 'a message');
  }
  assert.equal((await app.inject({ method: 'GET', url: '/rss/updated?folder=nope' })).statusCode, 404);
  const head = await app.inject({ method: 'HEAD', url: '/rss/updated' });
  assert.equal(head.statusCode, 200);
  assert.equal(head.body, '');
  at(RELEASE + 3_600_000);
  assert.equal((await feed(app, '/rss/updated?folder=pp/ny')).items.length, 1);
  await app.close();
});
