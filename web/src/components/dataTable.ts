// The result as a pivot table: stub variables down the side, heading variables across, symbols for missing
// cells, and the footnotes of the table, its variables and values underneath.

import { h } from '../dom.js';
import { locale, type Lang, type Texts } from '../i18n.js';
import { cellDecimals, formatCell, pivot, type Dataset } from '../jsonstat.js';

/** Rows drawn at most; larger results are for downloading. */
const MAX_ROWS = 2000;

export function dataTable(ds: Dataset, lang: Lang, t: Texts, placement?: { stub: string[]; heading: string[] }): HTMLElement {
  const p = pivot(ds, placement);
  const loc = locale(lang);
  const thead = h('thead');
  p.headerRows.forEach((row, level) => {
    const tr = h('tr');
    // corner cell over the stub columns
    if (level === 0 && p.stubDims.length) {
      tr.appendChild(h('td', { class: 'corner', rowspan: p.headerRows.length, colspan: p.stubDims.length }, p.stubDims.map((d) => d.label).join(' / ')));
    }
    for (const c of row) tr.appendChild(h('th', { scope: c.span > 1 ? 'colgroup' : 'col', colspan: c.span > 1 ? c.span : undefined, 'data-code': c.code }, c.label));
    thead.appendChild(tr);
  });
  if (!p.headerRows.length) {
    thead.appendChild(h('tr', null, p.stubDims.map((d) => h('th', { scope: 'col' }, d.label)), h('th', { scope: 'col' }, ds.label)));
  }
  const tbody = h('tbody');
  for (const row of p.rows.slice(0, MAX_ROWS)) {
    const tr = h('tr', { 'data-codes': row.codes.join('|') });
    for (const s of row.stub) {
      tr.appendChild(h('th', { scope: 'row', rowspan: s.rowspan > 1 ? s.rowspan : undefined, class: `stub level-${s.level}`, 'data-code': s.code }, s.label));
    }
    for (const i of row.cells) {
      const symbol = ds.status.get(i);
      const v = ds.value[i];
      const text = formatCell(v, symbol, cellDecimals(ds, i), loc);
      // a value with a symbol shows both (e.g. a provisional figure)
      tr.appendChild(h('td', { class: v === null ? 'num symbol' : 'num', 'data-index': i }, symbol && v !== null ? `${text} ${symbol}` : text));
    }
    tbody.appendChild(tr);
  }
  // the caption names the table for screen readers; the same title shows above the scrolling area, where a long
  // title is not squeezed to the width of a narrow table
  const table = h('table', { class: 'data-table' }, h('caption', { class: 'visually-hidden' }, ds.label), thead, tbody);
  const truncated = p.rows.length > MAX_ROWS ? h('p', { class: 'more' }, `${MAX_ROWS} / ${p.rows.length} ${t.rows}`) : null;
  return h(
    'div',
    null,
    h('p', { class: 'table-title', 'aria-hidden': 'true' }, ds.label),
    h('div', { class: 'data-table-wrap', tabindex: 0, role: 'region', 'aria-label': ds.label }, table),
    truncated,
  );
}

/**
 * When cells show `x` (a regional structure whose sum cannot be made from the table), what it means: the
 * table's own note that names «x», else the app's words.
 */
export function symbolXNote(ds: Dataset, t: Texts): HTMLElement | null {
  if (![...ds.status.values()].includes('x')) return null;
  const notes = [...ds.notes, ...ds.dims.flatMap((d) => d.notes)];
  const own = notes.find((n) => /[«"“”']x[»"“”']/.test(n));
  return h('p', { class: 'symbol-x' }, h('strong', null, 'x: '), own ?? t.symbolX);
}

/** Every footnote of a result: the table's, each variable's, each value's; plus the symbol legend when symbols show. */
export function footnotes(ds: Dataset, t: Texts): HTMLElement | null {
  const items: HTMLElement[] = [];
  for (const n of ds.notes) items.push(h('li', null, n));
  for (const d of ds.dims) {
    for (const n of d.notes) items.push(h('li', null, h('strong', null, `${d.label}: `), n));
    for (const v of d.values) for (const n of d.valueNotes[v.code] ?? []) items.push(h('li', null, h('strong', null, `${v.label}: `), n));
  }
  const hasSymbols = ds.status.size > 0 || ds.value.some((v) => v === null);
  if (!items.length && !hasSymbols) return null;
  return h(
    'section',
    { class: 'footnotes', 'aria-labelledby': 'footnotes-h' },
    h('h3', { id: 'footnotes-h' }, t.notes),
    items.length ? h('ul', null, items) : null,
    hasSymbols ? h('p', { class: 'symbol-legend' }, t.symbolLegend) : null,
    symbolXNote(ds, t),
    ds.source ? h('p', { class: 'source' }, `${t.source}: ${ds.source}`) : null,
  );
}
