// The small HTML pages of the ready-made datasets: `/api/v0/dataset/{id}?lang=` describes one dataset with its
// links and query; `/api/v0/dataset/` lists them. Every text is escaped; no scripts.

import { escapeHtml } from '../../formats/html.js';
import { formatV1Body, v1TableUrl } from '../statbankPages/queryText.js';
import { datasetLinks, datasetTags, datasetTitle, datasetUpdated, type AvailableDataset } from '../../datasets/catalog.js';

const T = {
  no: {
    heading: 'Ferdige datasett',
    table: 'Tabell',
    tags: 'Stikkord',
    updated: 'Oppdatert',
    formats: 'Last ned',
    query: 'Samme tall fra API v1',
    post: 'Send med POST til',
    list: 'Alle datasett',
    other: 'På norsk',
    notFound: 'Fant ikke datasettet',
    json: 'JSON-stat 1.2',
    csv: 'CSV (semikolon, desimalkomma, ISO-8859-1)',
  },
  en: {
    heading: 'Ready-made datasets',
    table: 'Table',
    tags: 'Tags',
    updated: 'Updated',
    formats: 'Download',
    query: 'The same numbers from API v1',
    post: 'POST it to',
    list: 'All datasets',
    other: 'In English',
    notFound: 'Dataset not found',
    json: 'JSON-stat 1.2',
    csv: 'CSV (comma separated, decimal point, ISO-8859-1)',
  },
};

function labels(lang: string) {
  return lang === 'en' ? T.en : T.no;
}

function page(lang: string, title: string, body: string): string {
  return `<!doctype html>
<html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45}
pre{background:#f4f4f4;padding:.8rem;overflow-x:auto}dt{font-weight:600}dd{margin:0 0 .6rem 0}</style></head>
<body>
${body}
</body></html>
`;
}

const a = (href: string, label: string) => `<a href="${escapeHtml(href)}">${escapeHtml(label)}</a>`;

/** The page of one dataset. `base` is the server's absolute base URL. */
export function datasetPage(ds: AvailableDataset, lang: string, base: string, otherLang: string | undefined): string {
  const L = labels(lang);
  const { dataset, rec } = ds;
  const title = datasetTitle(dataset, lang);
  const links = datasetLinks(base, dataset.id, lang);
  const tableTitle = rec.meta.title[lang] ?? rec.meta.title[rec.meta.defaultLanguage] ?? rec.id;
  const body = [
    `<p>${a(`${base}/api/v0/dataset/?lang=${lang}`, L.list)}${otherLang ? ` · ${a(`${base}/api/v0/dataset/${dataset.id}?lang=${otherLang}`, labels(otherLang).other)}` : ''}</p>`,
    `<h1>${escapeHtml(title)}</h1>`,
    '<dl>',
    `<dt>ID</dt><dd>${escapeHtml(dataset.id)}</dd>`,
    `<dt>${L.table}</dt><dd>${a(`${base}/statbank/table/${encodeURIComponent(rec.id)}`, tableTitle)}</dd>`,
    `<dt>${L.tags}</dt><dd>${datasetTags(dataset, lang).map(escapeHtml).join(', ')}</dd>`,
    `<dt>${L.updated}</dt><dd>${escapeHtml(datasetUpdated(rec))}</dd>`,
    `<dt>${L.formats}</dt><dd>${a(links.json, L.json)}<br>${a(links.csv, L.csv)}</dd>`,
    '</dl>',
    `<h2>${L.query}</h2>`,
    `<p>${L.post} <code>${escapeHtml(v1TableUrl(base, lang, rec.id))}</code></p>`,
    `<pre>${escapeHtml(formatV1Body(dataset.query, 'json-stat'))}</pre>`,
  ].join('\n');
  return page(lang, title, body);
}

/** The list page (`/api/v0/dataset/`). */
export function datasetListPage(all: AvailableDataset[], lang: string, base: string): string {
  const L = labels(lang);
  const q = `?lang=${lang}`;
  const rows = all.map((d) => `<li>${a(`${base}/api/v0/dataset/${d.dataset.id}${q}`, `${d.dataset.id}: ${datasetTitle(d.dataset, lang)}`)} <small>(${datasetTags(d.dataset, lang).map(escapeHtml).join(', ')})</small></li>`);
  const body = [
    `<h1>${L.heading}</h1>`,
    `<p>${a(`${base}/api/v0/dataset/list.json${q}`, 'list.json')} · ${a(`${base}/api/v0/dataset/list.csv${q}`, 'list.csv')}</p>`,
    `<ul>\n${rows.join('\n')}\n</ul>`,
  ].join('\n');
  return page(lang, L.heading, body);
}

/** 404 page for an id that names no available dataset. */
export function notFoundPage(lang: string, message: string, base: string): string {
  const L = labels(lang);
  return page(lang, L.notFound, `<h1>${L.notFound}</h1>\n<p>${escapeHtml(message)}</p>\n<p>${a(`${base}/api/v0/dataset/?lang=${lang}`, L.list)}</p>`);
}
