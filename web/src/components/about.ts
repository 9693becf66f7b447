// What the numbers are: unit and reference time per contents value, source, contact, last updated, next release
// (the table's own NEXT-UPDATE, else the release calendar /rss/coming), the table's notes and the symbol legend.

import { feed, type V2Table } from '../api.js';
import type { PageContext } from '../app.js';
import { h } from '../dom.js';
import type { Dataset } from '../jsonstat.js';
import { formatDate } from '../ui.js';

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const str = (x: unknown): string => (typeof x === 'string' ? x : '');

/** The extension fields of a v2 metadata answer the page shows. */
export function metadataFacts(raw: unknown, ds: Dataset): { units: string[]; refperiods: string[]; contacts: string[]; nextUpdate?: string; official: boolean } {
  const root = isObj(raw) ? raw : {};
  const ext = isObj(root.extension) ? root.extension : {};
  const px = isObj(ext.px) ? ext.px : {};
  const contacts = Array.isArray(ext.contact) ? ext.contact.filter(isObj).map((c) => str(c.raw) || [str(c.name), str(c.phone), str(c.mail)].filter(Boolean).join(', ')).filter(Boolean) : [];
  const metric = ds.dims.find((d) => d.role === 'metric');
  const units: string[] = [];
  const refperiods: string[] = [];
  if (metric) {
    const dim = isObj(root.dimension) ? (root.dimension as Obj)[metric.code] : undefined;
    const dext = isObj(dim) && isObj((dim as Obj).extension) ? ((dim as Obj).extension as Obj) : {};
    const ref = isObj(dext.refperiod) ? dext.refperiod : {};
    const many = metric.values.length > 1;
    for (const v of metric.values) {
      const u = metric.units[v.code];
      if (u) units.push(many ? `${v.label}: ${u}` : u);
      const r = str(ref[v.code]);
      if (r) refperiods.push(many ? `${v.label}: ${r}` : r);
    }
  }
  const next = str(px.nextUpdate);
  return { units: [...new Set(units)], refperiods: [...new Set(refperiods)], contacts, nextUpdate: next || undefined, official: px['official-statistics'] === true };
}

export function aboutSection(raw: unknown, ds: Dataset, info: V2Table | undefined, tableId: string, ctx: PageContext, savedQueryId?: string): HTMLElement {
  const { t, lang } = ctx;
  const facts = metadataFacts(raw, ds);
  const row = (term: string, value: string | Node | null, key: string) => (value ? [h('dt', null, term), h('dd', { 'data-fact': key }, value)] : null);
  const next = h('dd', { 'data-fact': 'next' }, facts.nextUpdate ? formatDate(facts.nextUpdate, lang) : t.noNextRelease);
  const dl = h(
    'dl',
    { class: 'facts' },
    row(t.id, tableId, 'id'),
    row(t.unit, facts.units.join('; '), 'unit'),
    row(t.refTime, facts.refperiods.join('; '), 'reftime'),
    row(t.period, info?.firstPeriod && info.lastPeriod ? `${info.firstPeriod} – ${info.lastPeriod}` : '', 'period'),
    row(t.updated, formatDate(ds.updated || info?.updated, lang), 'updated'),
    h('dt', null, t.nextRelease),
    next,
    row(t.source, ds.source, 'source'),
    row(t.contact, facts.contacts.join('; '), 'contact'),
    row(t.savedAt, savedQueryId ?? '', 'saved'),
  );
  if (!facts.nextUpdate) {
    // the release calendar may know a coming version of the table
    feed('coming', ctx.dataLang)
      .then((items) => {
        const it = items.filter((x) => x.tableId === tableId && Number.isFinite(x.date)).sort((a, b) => a.date - b.date)[0];
        if (it) next.textContent = formatDate(new Date(it.date).toISOString(), lang);
      })
      .catch(() => undefined);
  }
  return h(
    'section',
    { class: 'about', 'aria-label': t.aboutTable },
    dl,
    ds.notes.length ? h('ul', { class: 'table-notes' }, ds.notes.map((n) => h('li', { class: 'note' }, n))) : null,
    h('details', { class: 'symbols' }, h('summary', null, t.symbols), h('p', { class: 'symbol-legend-about' }, t.symbolLegend)),
  );
}
