// Region profiles (/statbank/kommunefakta/{code or name}): key figures of a municipality or county assembled in
// the browser from several tables through the public API only. Every query asks for the latest periods
// (top(n)), so the page follows new releases without code changes. Names and codes come from Klass
// (classification 131 municipalities, 104 counties); each figure shows its value, period, unit, a small chart,
// its table, and links to the query, the table and the explorer.

import { api, getJson } from '../api.js';
import { href, navigate, tableHref, type PageContext } from '../app.js';
import { miniChart, type MiniSeries } from '../components/miniChart.js';
import { announce, h, replace, uid } from '../dom.js';
import { htmlLang, locale } from '../i18n.js';
import { readDataset, type Dataset } from '../jsonstat.js';
import { breadcrumbs, errorBox, heading, loading } from '../ui.js';

export interface Region {
  code: string;
  name: string;
  kind: 'municipality' | 'county' | 'country';
}

interface KlassCodes {
  codes: { code: string; name: string }[];
}

let regionList: Promise<Region[]> | null = null;

/** Municipalities and counties valid today (Klass 131 and 104), and the whole country. */
export function regions(dataLang: string): Promise<Region[]> {
  regionList ??= (async () => {
    const date = new Date().toISOString().slice(0, 10);
    const klass = (id: number) => getJson<KlassCodes>(`/api/klass/v1/classifications/${id}/codesAt?date=${date}`);
    const [kommuner, fylker, meta] = await Promise.all([klass(131), klass(104), api.metadata(dataLang, '07459').catch(() => undefined)]);
    const country = meta ? readDataset(meta).dims.find((d) => d.role === 'geo')?.values.find((v) => v.code === '0') : undefined;
    return [
      ...(country ? [{ code: '0', name: country.label, kind: 'country' as const }] : []),
      ...fylker.codes.map((c) => ({ code: c.code, name: c.name, kind: 'county' as const })),
      ...kommuner.codes.map((c) => ({ code: c.code, name: c.name, kind: 'municipality' as const })),
    ];
  })();
  regionList.catch(() => (regionList = null));
  return regionList;
}

const fold = (s: string) => s.toLocaleLowerCase('nb').normalize('NFC').trim();

/** The regions a search text finds: a code, then names starting with it, then names containing it. */
export function findRegions(all: Region[], q: string): Region[] {
  const f = fold(q);
  if (!f) return [];
  const byCode = all.filter((r) => r.code === f);
  const starts = all.filter((r) => fold(r.name).startsWith(f) && !byCode.includes(r));
  const contains = all.filter((r) => fold(r.name).includes(f) && !byCode.includes(r) && !starts.includes(r));
  return [...byCode, ...starts, ...contains];
}

/** The one region a path segment names (code, or exact name; a municipality before a county), if any. */
export function resolveRegion(all: Region[], seg: string): Region | undefined {
  const f = fold(seg);
  return all.find((r) => r.code === seg) ?? all.find((r) => r.kind === 'municipality' && fold(r.name) === f) ?? all.find((r) => fold(r.name) === f);
}

/** A PxWebApi 2.0 GET data URL (json-stat2) for one selection per variable; variables left out are eliminated. */
export function dataUrl(tableId: string, lang: string, valueCodes: Record<string, string>, codelists: Record<string, string> = {}): string {
  const parts = [`lang=${encodeURIComponent(lang)}`, 'outputFormat=json-stat2'];
  for (const [k, v] of Object.entries(codelists)) parts.push(`codelist[${encodeURIComponent(k)}]=${encodeURIComponent(v)}`);
  for (const [k, v] of Object.entries(valueCodes)) parts.push(`valueCodes[${encodeURIComponent(k)}]=${encodeURIComponent(v).replace(/%2C/gi, ',').replace(/%28/g, '(').replace(/%29/g, ')').replace(/%2A/g, '*')}`);
  return `/api/v2/tables/${encodeURIComponent(tableId)}/data?${parts.join('&')}`;
}

/** The values along one dimension of a dataset whose other dimensions have one value each. */
export function along(ds: Dataset, dim: string): { code: string; label: string; value: number | null }[] {
  const d = ds.dims.find((x) => x.code === dim);
  if (!d) return [];
  return d.values.map((v, i) => ({ code: v.code, label: v.label, value: ds.value[i] ?? null }));
}

function unitOf(ds: Dataset): string {
  const m = ds.dims.find((d) => d.role === 'metric');
  return m ? (m.units[m.values[0]?.code ?? ''] ?? '') : '';
}

interface Figure {
  key: string;
  title: string;
  tableId: string;
  url: string;
  /** The headline number, its period and unit. */
  value: number | null;
  valueText?: string;
  period: string;
  unit: string;
  /** Rows of the figure's table: label and number. */
  rows: { label: string; value: number | null; code: string }[];
  rowHeader: string;
  chart: MiniSeries;
  extra?: string;
}

/** A figure whose headline is the last point of a time series, shown as its table and a line chart. */
function seriesFigure(
  f: Pick<Figure, 'key' | 'title' | 'tableId' | 'url' | 'unit' | 'rowHeader' | 'extra'>,
  points: { code: string; label: string; value: number | null }[],
): Figure {
  const last = points[points.length - 1];
  return {
    ...f,
    value: last?.value ?? null,
    period: last?.label ?? '',
    rows: points.map((p) => ({ code: p.code, label: p.label, value: p.value })),
    chart: { kind: 'line', categories: points.map((p) => p.label), values: points.map((p) => p.value), unit: f.unit, label: `${f.title}, ${points[0]?.label}–${last?.label}` },
  };
}

function figureCard(f: Figure, ctx: PageContext, dataLang: string): HTMLElement {
  const { t, lang } = ctx;
  const nf = new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 1 });
  const num = (v: number | null) => (v === null ? '..' : nf.format(v));
  const abs = `${location.origin}${f.url}`;
  const hid = uid('fig');
  const tableCaption = `${f.title} (${f.unit})`;
  return h(
    'section',
    { class: 'figure-card', 'data-figure': f.key, 'data-table': f.tableId, 'aria-labelledby': hid },
    h('h2', { id: hid }, f.title),
    h('p', { class: 'figure-value', 'data-value': f.value ?? '' }, f.valueText ?? num(f.value), f.unit ? h('span', { class: 'figure-unit' }, ` ${f.unit}`) : null),
    h('p', { class: 'figure-meta' }, h('span', { class: 'figure-period', 'data-period': f.period }, `${t.figurePeriod}: ${f.period}`), f.extra ? h('span', { class: 'figure-extra' }, ` · ${f.extra}`) : null),
    miniChart(f.chart, lang),
    h(
      'details',
      { class: 'figure-table' },
      h('summary', null, t.tableTab),
      h(
        'table',
        { class: 'data-table small', lang: dataLang !== lang ? htmlLang(dataLang) : undefined },
        h('caption', { class: 'visually-hidden' }, tableCaption),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, f.rowHeader), h('th', { scope: 'col' }, f.unit || t.value))),
        h('tbody', null, f.rows.map((r) => h('tr', { 'data-code': r.code }, h('th', { scope: 'row' }, r.label), h('td', { class: 'num', 'data-value': r.value ?? '' }, num(r.value))))),
      ),
    ),
    h(
      'p',
      { class: 'figure-links' },
      h('a', { href: abs, class: 'query-link' }, t.openQuery),
      ' · ',
      h('a', { href: tableHref(f.tableId, lang) }, `${t.openTableLink} ${f.tableId}`),
      ' · ',
      h('a', { href: `${href('explorer', lang)}#/${abs}`, class: 'explorer-link' }, t.openInExplorer),
    ),
  );
}

const ageOf = (code: string) => Number.parseInt(code, 10);

/** Every figure the demo's tables have for a region (tables without the region give none). */
async function figuresFor(r: Region, ctx: PageContext): Promise<Figure[]> {
  const { t } = ctx;
  const lang = ctx.dataLang;
  const has = async (tableId: string, dim: string, code: string) => {
    try {
      const ds = readDataset(await api.metadata(lang, tableId));
      return ds.dims.find((d) => d.code === dim)?.values.find((v) => v.code === code || v.label === code);
    } catch {
      return undefined;
    }
  };
  const get = async (tableId: string, sel: Record<string, string>, codelists: Record<string, string> = {}) => {
    const url = dataUrl(tableId, lang, sel, codelists);
    return { url, ds: readDataset(await getJson<unknown>(url)) };
  };
  const out: Promise<Figure[]>[] = [];

  // population, its change and the age profile (07459: every region of the demo). A municipality or county is
  // counted in the newest regional structure (the latest agg_reform… grouping that has it), so a merger is no jump.
  if (await has('07459', 'Region', r.code)) {
    let structure: { id: string; label: string } | undefined;
    if (r.kind !== 'country') {
      const region = readDataset(await api.metadata(lang, '07459')).dims.find((d) => d.code === 'Region');
      const reforms = (region?.codelists ?? []).filter((c) => /^agg_reform\d+/.test(c.id)).sort((a, b) => b.id.localeCompare(a.id));
      for (const c of reforms) {
        const cl = await api.codelist(lang, c.id).catch(() => undefined);
        if (cl?.values.some((v) => v.code === r.code)) {
          structure = { id: c.id, label: c.label };
          break;
        }
      }
    }
    const cls: Record<string, string> = structure ? { Region: structure.id } : {};
    out.push(
      get('07459', { Region: r.code, ContentsCode: 'Personer1', Tid: 'top(10)' }, cls).then(({ url, ds }) => {
        const years = along(ds, 'Tid').filter((x) => x.value !== null);
        const prev = years[years.length - 2];
        const unit = unitOf(ds);
        const pop = seriesFigure({ key: 'population', title: t.population, tableId: '07459', url, unit, rowHeader: t.period, extra: structure?.label }, years);
        const changes = years.slice(1).map((y, i) => ({ code: y.code, label: y.label, value: y.value !== null && years[i].value !== null ? (y.value as number) - (years[i].value as number) : null }));
        const lastChange = changes[changes.length - 1];
        const pct = lastChange && prev?.value ? (100 * (lastChange.value ?? 0)) / prev.value : null;
        const nf = new Intl.NumberFormat(locale(ctx.lang), { maximumFractionDigits: 1, signDisplay: 'exceptZero' });
        const change: Figure = {
          key: 'change',
          title: t.populationChange,
          tableId: '07459',
          url,
          value: lastChange?.value ?? null,
          valueText: lastChange?.value === null || !lastChange ? '..' : nf.format(lastChange.value),
          period: lastChange ? `${prev?.label}–${lastChange.label}` : '',
          unit,
          extra: pct === null ? undefined : `${nf.format(pct)} % ${t.changeFromPrevious(prev?.label ?? '')}`,
          rows: changes,
          rowHeader: t.period,
          chart: { kind: 'bar', categories: changes.map((c) => c.label), values: changes.map((c) => c.value), unit, label: `${t.populationChange}, ${changes[0]?.label}–${lastChange?.label}` },
        };
        return [pop, change];
      }),
    );
    out.push(
      get('07459', { Region: r.code, ContentsCode: 'Personer1', Alder: '*', Tid: 'top(1)' }, cls).then(({ url, ds }) => {
        const ages = along(ds, 'Alder');
        const sum = (lo: number, hi: number) => ages.filter((a) => ageOf(a.code) >= lo && ageOf(a.code) <= hi).reduce((s, a) => s + (a.value ?? 0), 0);
        const groups = [
          { code: 'young', label: t.ageGroups.young, value: sum(0, 17) },
          { code: 'adult', label: t.ageGroups.adult, value: sum(18, 66) },
          { code: 'old', label: t.ageGroups.old, value: sum(67, 200) },
        ];
        const total = groups.reduce((s, g) => s + g.value, 0);
        const period = ds.dims.find((d) => d.code === 'Tid')?.values[0]?.label ?? '';
        const unit = unitOf(ds);
        const nf = new Intl.NumberFormat(locale(ctx.lang), { maximumFractionDigits: 1 });
        return [
          {
            key: 'age',
            title: t.ageProfile,
            tableId: '07459',
            url,
            value: groups[2].value,
            valueText: total ? `${nf.format((100 * groups[2].value) / total)} %` : '..',
            period,
            unit: '',
            extra: `${t.ageGroups.old}: ${new Intl.NumberFormat(locale(ctx.lang)).format(groups[2].value)} ${unit}`,
            rows: groups,
            rowHeader: ds.dims.find((d) => d.code === 'Alder')?.label ?? '',
            chart: { kind: 'bar', categories: groups.map((g) => g.label), values: groups.map((g) => g.value), unit, label: `${t.ageProfile} ${period}` },
          } satisfies Figure,
        ];
      }),
    );
  }
  // births, deaths and moves in the latest quarter (01222: counties and the country)
  if (await has('01222', 'Region', r.code)) {
    out.push(
      get('01222', { Region: r.code, ContentsCode: 'Fodte2,Dode3,Innflytting4,Utflytting5', Tid: 'top(1)' }).then(({ url, ds }) => {
        const rows = along(ds, 'ContentsCode');
        const period = ds.dims.find((d) => d.code === 'Tid')?.values[0]?.label ?? '';
        const unit = unitOf(ds);
        const births = rows[0]?.value ?? null;
        return [
          {
            key: 'quarter',
            title: t.quarterlyChange,
            tableId: '01222',
            url,
            value: births,
            valueText: rows.map((x) => `${x.label}: ${x.value === null ? '..' : new Intl.NumberFormat(locale(ctx.lang)).format(x.value)}`).join(' · '),
            period,
            unit: '',
            rows,
            rowHeader: ds.dims.find((d) => d.code === 'ContentsCode')?.label ?? '',
            chart: { kind: 'bar', categories: rows.map((x) => x.label), values: rows.map((x) => x.value), unit, label: `${t.quarterlyChange} ${period}` },
          } satisfies Figure,
        ];
      }),
    );
  }
  // house prices (07221: some cities, by name)
  const city = r.kind === 'municipality' ? await has('07221', 'Region', r.name) : undefined;
  if (city) {
    out.push(
      get('07221', { Region: city.code, Boligtype: '00', ContentsCode: 'Boligindeks', Tid: 'top(8)' }).then(({ url, ds }) => {
        const q = along(ds, 'Tid');
        const unit = unitOf(ds);
        return [
          seriesFigure(
            { key: 'houseprices', title: t.housePrices, tableId: '07221', url, unit, rowHeader: t.period, extra: ds.dims.find((d) => d.code === 'ContentsCode')?.values[0]?.label },
            q,
          ),
        ];
      }),
    );
  }
  // operating expenses by function (12367: some municipalities)
  if (await has('12367', 'KOKkommuneregion0000', r.code)) {
    out.push(
      get('12367', { KOKkommuneregion0000: r.code, KOKfunksjon0000: '*', KOKart0000: 'AGD1', ContentsCode: 'Belop', Tid: 'top(1)' }).then(({ url, ds }) => {
        const rows = along(ds, 'KOKfunksjon0000');
        const period = ds.dims.find((d) => d.code === 'Tid')?.values[0]?.label ?? '';
        const unit = unitOf(ds);
        const total = rows.reduce((s, x) => s + (x.value ?? 0), 0);
        return [
          {
            key: 'accounts',
            title: t.municipalAccounts,
            tableId: '12367',
            url,
            value: total,
            period,
            unit,
            extra: ds.dims.find((d) => d.code === 'KOKart0000')?.values[0]?.label,
            rows,
            rowHeader: ds.dims.find((d) => d.code === 'KOKfunksjon0000')?.label ?? '',
            chart: { kind: 'bar', categories: rows.map((x) => x.label.replace(/^\d+\s+/, '')), values: rows.map((x) => x.value), unit, label: `${t.municipalAccounts} ${period}` },
          } satisfies Figure,
        ];
      }),
    );
  }
  return (await Promise.all(out)).flat();
}

function searchBox(ctx: PageContext, all: Region[], initial: string): HTMLElement {
  const { t, lang } = ctx;
  const id = uid('region');
  const input = h('input', { type: 'search', id, name: 'q', value: initial, placeholder: t.findRegionPlaceholder, autocomplete: 'off', 'aria-describedby': `${id}-count` });
  const count = h('p', { class: 'hit-count', id: `${id}-count`, 'aria-live': 'polite' });
  const list = h('ul', { class: 'region-matches' });
  const kindName = (r: Region) => (r.kind === 'county' ? t.county : r.kind === 'country' ? t.country : t.municipality);
  const update = () => {
    const found = findRegions(all, input.value).slice(0, 12);
    replace(
      list,
      found.map((r) => h('li', null, h('a', { href: href(`kommunefakta/${encodeURIComponent(r.code)}`, lang), 'data-code': r.code }, r.name), h('span', { class: 'meta' }, ` ${kindName(r)} ${r.code}`))),
    );
    count.textContent = input.value.trim() ? (found.length ? t.regionMatches(found.length) : t.regionNotFound(input.value.trim())) : '';
  };
  input.addEventListener('input', update);
  const form = h('form', { class: 'search-form region-search', role: 'search' }, h('label', { for: id }, t.findRegion), h('div', { class: 'search-row' }, input, h('button', { type: 'submit' }, t.findRegionButton)), count, list);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const one = resolveRegion(all, input.value.trim()) ?? findRegions(all, input.value)[0];
    if (one) navigate(href(`kommunefakta/${encodeURIComponent(one.code)}`, lang));
    else update();
  });
  update();
  return form;
}

export async function kommunefaktaPage(main: HTMLElement, ctx: PageContext): Promise<void> {
  const { t, lang } = ctx;
  const seg = ctx.segments[1] ?? '';
  const crumbs = [{ label: t.subjects, href: href('', lang) }, { label: t.kommunefakta, href: href('kommunefakta', lang) }];
  replace(main, breadcrumbs(crumbs, t), heading(t.kommunefakta), loading(t));
  let all: Region[];
  try {
    all = await regions(ctx.dataLang);
  } catch (e) {
    if (ctx.alive()) replace(main, breadcrumbs(crumbs, t), heading(t.kommunefakta), errorBox(e, t, () => kommunefaktaPage(main, ctx)));
    return;
  }
  if (!ctx.alive()) return;
  const region = seg ? resolveRegion(all, seg) : undefined;
  const intro = h('p', { class: 'lead' }, t.kommunefaktaIntro);
  if (!region) {
    document.title = `${t.kommunefakta} – ${t.appName}`;
    replace(main, breadcrumbs([crumbs[0], { label: t.kommunefakta }], t), heading(t.kommunefakta), intro, searchBox(ctx, all, seg), h('p', { class: 'help maps-note' }, t.mapsLeftOut));
    return;
  }
  const kind = region.kind === 'county' ? t.county : region.kind === 'country' ? t.country : t.municipality;
  const title = `${region.name}`;
  document.title = `${title} – ${t.kommunefakta} – ${t.appName}`;
  const grid = h('div', { class: 'figure-grid', 'aria-busy': 'true' }, loading(t));
  replace(
    main,
    breadcrumbs([...crumbs, { label: region.name }], t),
    heading(title),
    h('p', { class: 'lead region-kind' }, `${kind} ${region.code}. ${t.kommunefaktaIntro}`),
    grid,
    h('p', { class: 'help maps-note' }, t.mapsLeftOut),
    searchBox(ctx, all, ''),
  );
  try {
    const figures = await figuresFor(region, ctx);
    if (!ctx.alive()) return;
    grid.removeAttribute('aria-busy');
    replace(grid, figures.length ? figures.map((f) => figureCard(f, ctx, ctx.dataLang)) : h('p', null, t.noFigure));
    announce(`${title}: ${figures.map((f) => f.title).join(', ')}`);
  } catch (e) {
    if (ctx.alive()) replace(grid, errorBox(e, t, () => kommunefaktaPage(main, ctx)));
  }
}
