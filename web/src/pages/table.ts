// The table page (/statbank/table/{id}): pick values per variable, see the cell count against the limit, show
// the table and a chart, download in every format, copy the API query (v1 POST and v2 GET), save the query.

import { api, ApiError, errorMessage, postJson, type V2Config, type V2SelectionAnswer, type V2Table } from '../api.js';
import { folderHref, href, type PageContext } from '../app.js';
import { renderChart } from '../components/chart.js';
import { dataTable, footnotes } from '../components/dataTable.js';
import { selectedInOrder, valuePicker, type PickerVariable } from '../components/valuePicker.js';
import { announce, h, replace, uid } from '../dom.js';
import { htmlLang, languageName, type Texts } from '../i18n.js';
import { defaultPlacement, readDataset, type Category, type Dataset } from '../jsonstat.js';
import { choiceExpr, choiceFromCodes } from '../selection.js';
import { pivotControls } from '../components/pivotControls.js';
import { aboutSection } from '../components/about.js';
import {
  cellCount,
  EXTENSIONS,
  formatV1Body,
  hasSelection,
  LABEL_PARAM_FORMATS,
  missingMandatory,
  savedQueryBody,
  v1Body,
  v1LosesRelative,
  v1TableUrl,
  v2Body,
  v2DataUrl,
  V1_FORMATS,
  V2_FORMATS,
  type Placement,
  type TableQuery,
} from '../query.js';
import { breadcrumbs, copyButton, errorBox, fileNameOf, formatInt, heading, loading, saveBlob, type Crumb } from '../ui.js';

/** What was picked and shown per table for the session, so switching language or coming back keeps it. */
interface Remembered {
  selection: V2SelectionAnswer['selection'];
  placement?: Placement;
  shown: boolean;
}
const remembered = new Map<string, Remembered>();

export interface TablePreset {
  selection: V2SelectionAnswer['selection'];
  placement?: Placement;
  /** Shown in the heading area (a saved query's id). */
  savedQueryId?: string;
  /** Show the table at once (a saved query opened without `?select`). */
  show?: boolean;
}

async function codelistValues(lang: string, id: string): Promise<Category[]> {
  const cl = await api.codelist(lang, id);
  return cl.values.map((v) => ({ code: v.code, label: v.label || v.code }));
}

/** Apply a stored selection (saved query, earlier visit) to the pickers. */
async function applySelection(vars: PickerVariable[], selection: TablePreset['selection'], lang: string): Promise<void> {
  for (const s of selection) {
    const v = vars.find((x) => x.code.toLowerCase() === s.variableCode.toLowerCase());
    if (!v) continue;
    if (s.codelist && v.codelists.some((c) => c.id === s.codelist)) {
      v.values = await codelistValues(lang, s.codelist);
      v.codelist = s.codelist;
    }
    const known = new Map(v.values.map((x) => [x.code.toLowerCase(), x.code]));
    v.choice = choiceFromCodes(s.valueCodes, v.elimination);
    v.selected = v.choice.kind === 'items' ? new Set(s.valueCodes.map((c) => known.get(c.toLowerCase())).filter((c): c is string => c !== undefined)) : new Set();
  }
  // variables the selection leaves out are shown as their total
  for (const v of vars) {
    if (v.elimination && !selection.some((s) => s.variableCode.toLowerCase() === v.code.toLowerCase())) {
      v.choice = { kind: 'total' };
      v.selected.clear();
    }
  }
}

/**
 * The language to show a table in: the UI language when the table has it, else the table's own default language
 * (its PX LANGUAGE, from the metadata), else the first language it answers in. The table's languages are the
 * language of a /tables/{id} answer and its `alternate` links.
 */
export async function tableLanguage(ctx: PageContext, id: string): Promise<{ lang: string; languages: string[]; info: V2Table }> {
  const order = [...new Set([ctx.lang, ctx.dataLang, ...ctx.dataLangs])].filter((l) => ctx.dataLangs.includes(l));
  let info: V2Table | undefined;
  let lastError: unknown;
  for (const l of order) {
    try {
      info = await api.table(l, id);
      break;
    } catch (e) {
      lastError = e;
      if (!(e instanceof ApiError && e.status === 404)) throw e;
    }
  }
  if (!info) throw lastError ?? new ApiError('not found', 404);
  const own = info.language ?? order[0];
  const languages = [own, ...(info.links ?? []).filter((k) => k.rel === 'alternate' && k.hreflang).map((k) => k.hreflang as string)];
  if (languages.includes(ctx.lang)) return { lang: ctx.lang, languages, info: own === ctx.lang ? info : await api.table(ctx.lang, id) };
  let lang = own;
  try {
    const m = (await api.metadata(own, id)) as { extension?: { px?: { language?: unknown } } };
    const def = m.extension?.px?.language;
    if (typeof def === 'string' && languages.includes(def)) lang = def;
  } catch {
    // keep the language that answered
  }
  return { lang, languages, info: lang === own ? info : await api.table(lang, id) };
}

export async function tablePage(main: HTMLElement, ctx: PageContext, preset?: TablePreset): Promise<void> {
  const { t } = ctx;
  const id = ctx.segments[1] ?? '';
  replace(main, loading(t));
  let meta: Dataset;
  let info: V2Table | undefined;
  let config: V2Config | undefined;
  let rawMeta: unknown;
  // the language of the table's texts (and of every API call for it)
  let lang: string = ctx.dataLang;
  let tableLangs: string[] = [];
  try {
    const found = await tableLanguage(ctx, id);
    lang = found.lang;
    tableLangs = found.languages;
    const [m, c] = await Promise.all([api.metadata(lang, id), api.config().catch(() => undefined)]);
    const i = found.info;
    rawMeta = m;
    meta = readDataset(m);
    info = i;
    config = c;
  } catch (e) {
    if (!ctx.alive()) return;
    const notFound = e instanceof ApiError && (e.status === 404 || e.status === 400);
    replace(main, breadcrumbs([{ label: t.subjects, href: href('', ctx.lang) }, { label: id }], t), heading(`${t.table} ${id}`), notFound ? h('p', { class: 'error', role: 'alert' }, t.tableNotFound(id)) : errorBox(e, t, () => tablePage(main, ctx, preset)));
    return;
  }
  if (!ctx.alive()) return;
  const tableId = info?.id ?? id;
  const maxCells = config?.maxDataCells ?? 800_000;

  const vars: PickerVariable[] = meta.dims.map((d) => ({
    code: d.code,
    label: d.label,
    elimination: d.elimination,
    eliminationValueCode: d.eliminationValueCode,
    isTime: d.role === 'time',
    tableValues: d.values,
    codelists: d.codelists,
    values: d.values,
    // a required variable with one value has nothing to choose
    selected: new Set(!d.elimination && d.values.length === 1 ? [d.values[0].code] : []),
    choice: d.elimination ? { kind: 'total' } : { kind: 'items' },
  }));
  const before = remembered.get(tableId);
  // what to start from: the saved query, this session's earlier visit, else the table's default selection
  let start = preset?.selection ?? before?.selection;
  let placement: Placement | undefined = preset?.placement ?? before?.placement;
  let showAtOnce = preset ? preset.show === true : before ? before.shown : !ctx.params.has('select');
  if (!start) {
    try {
      const def = await api.defaultSelection(lang, tableId);
      // (its placement is not taken: the table's own stub and heading read better once the selection changes)
      start = def.selection;
    } catch {
      showAtOnce = false;
    }
    if (!ctx.alive()) return;
  }
  if (start) {
    try {
      await applySelection(vars, start, lang);
    } catch {
      // a code list that no longer exists: start from the table's values
    }
    if (!ctx.alive()) return;
  }
  let shown = false;

  const query = (): TableQuery => ({
    tableId,
    lang,
    vars: vars.map((v) => ({ code: v.code, codelist: v.codelist, selected: selectedInOrder(v), total: v.values.length, elimination: v.elimination, expr: choiceExpr(v.choice) })),
  });
  const getPlacement = () => placement;
  const setPlacement = (p: Placement) => {
    placement = p;
    remember();
    renderExport(exportBox, query(), !showButton.disabled, ctx, getPlacement);
  };
  const remember = () => remembered.set(tableId, { selection: v2Body(query().vars).selection, placement, shown });

  // ---------------------------------------------------------------------------------------------
  // heading area

  const crumbs: Crumb[] = [{ label: t.subjects, href: href('', ctx.lang) }];
  const path = info?.paths?.[0] ?? [];
  path.forEach((p, i) => crumbs.push({ label: p.label, href: folderHref(path.slice(0, i + 1).map((x) => x.id).join('/'), ctx.lang) }));
  crumbs.push({ label: `${t.table} ${tableId}` });
  const title = meta.label || info?.label || tableId;
  document.title = `${title} – ${t.appName}`;

  const about = aboutSection(rawMeta, meta, info, tableId, ctx, preset?.savedQueryId);
  // a table without the UI language is shown in its own default language, and the page says so
  const langNote =
    lang !== ctx.lang
      ? h('p', { class: 'lang-note table-lang-note', role: 'note', 'data-table-lang': lang }, t.tableLangFallback(languageName(ctx.lang, ctx.lang), languageName(lang, ctx.lang)), ' ', h('span', { class: 'meta' }, `${t.tableLanguages}: ${tableLangs.map((l) => languageName(l, ctx.lang)).join(', ')}`))
      : null;

  // ---------------------------------------------------------------------------------------------
  // pickers and the cell count

  const summaryText = h('p', { class: 'cell-count', 'aria-live': 'polite', 'aria-atomic': 'true' });
  const problem = h('p', { class: 'problem', 'aria-live': 'polite' });
  const showButton = h('button', { type: 'button', class: 'primary', id: 'show-table' }, t.showTable);
  const pickerError = h('div');
  const exportBox = h('section', { class: 'export', 'aria-labelledby': 'export-h' });
  const result = h('section', { class: 'result', id: 'result', 'aria-labelledby': 'result-h', hidden: true });

  const selectionLine = h('span', { class: 'selection-line' });
  const onChange = () => {
    const q = query();
    selectionLine.textContent = vars
      .filter((v) => v.values.length > 1 || v.elimination)
      .map((v) => `${v.label}: ${v.choice.kind === 'items' ? t.selectedOf(selectedInOrder(v).length, v.values.length) : v.choice.kind === 'top' ? `${t.modeNames.top.toLowerCase()} ${v.choice.n}` : t.modeNames[v.choice.kind].toLowerCase()}`)
      .join(' · ');
    const n = cellCount(q.vars);
    const missing = missingMandatory(q.vars);
    summaryText.textContent = t.cellCount(n, formatInt(n, ctx.lang), formatInt(maxCells, ctx.lang));
    summaryText.dataset.cells = String(n);
    let msg = '';
    if (missing.length) msg = t.missingMandatory(missing.map((c) => vars.find((v) => v.code === c)?.label ?? c).join(', '));
    else if (n > maxCells) msg = t.tooManyCells;
    problem.textContent = msg;
    const ok = !msg && hasSelection(q.vars);
    showButton.disabled = !ok;
    remember();
    renderExport(exportBox, q, ok, ctx, getPlacement);
  };

  const pickers = vars.map((v) =>
    valuePicker(v, {
      t,
      onChange,
      loadCodelist: (cid) => codelistValues(lang, cid),
      onError: (e) => replace(pickerError, errorBox(e, t)),
    }),
  );

  const show = (scroll: boolean) => {
    shown = true;
    remember();
    return showResult(result, query(), ctx, { get: getPlacement, set: setPlacement }, scroll);
  };
  showButton.addEventListener('click', () => void show(true));

  replace(
    main,
    breadcrumbs(crumbs, t),
    withLang(heading(title), lang, ctx.lang),
    langNote,
    withLang(about, lang, ctx.lang),
    // with the table shown at once the pickers fold away under one line, so the numbers come first
    h('details', { class: 'selection', open: !showAtOnce || undefined }, h('summary', null, h('h2', { id: 'select-h' }, t.selectValues), ' ', selectionLine), pickerError, h('div', { class: 'pickers' }, pickers)),
    h('div', { class: 'summary', role: 'region', 'aria-label': t.cells }, summaryText, problem, showButton),
    result,
    exportBox,
  );
  onChange();
  if (showAtOnce && !showButton.disabled) await show(false);
}

// -------------------------------------------------------------------------------------------------
// result: table and chart

interface PlacementState {
  get(): Placement | undefined;
  set(p: Placement): void;
}

/** The remembered placement for this result: its dimensions in the remembered order, new ones by the table's default. */
function placementFor(ds: Dataset, wanted: Placement | undefined): Placement {
  const def = defaultPlacement(ds);
  if (!wanted) return def;
  const have = new Set(ds.dims.map((d) => d.code));
  const stub = wanted.stub.filter((c) => have.has(c));
  const heading = wanted.heading.filter((c) => have.has(c) && !stub.includes(c));
  for (const c of def.stub) if (!stub.includes(c) && !heading.includes(c)) stub.push(c);
  for (const c of def.heading) if (!stub.includes(c) && !heading.includes(c)) heading.push(c);
  return { stub, heading };
}

async function showResult(section: HTMLElement, q: TableQuery, ctx: PageContext, layout: PlacementState, scroll: boolean): Promise<void> {
  const { t, lang } = ctx;
  section.hidden = false;
  replace(section, h('h2', { id: 'result-h' }, t.result), loading(t));
  let ds: Dataset;
  try {
    const res = await postJson(`/api/v2/tables/${encodeURIComponent(q.tableId)}/data?lang=${encodeURIComponent(q.lang)}&outputFormat=json-stat2`, v2Body(q.vars));
    ds = readDataset(await res.json());
  } catch (e) {
    if (!ctx.alive()) return;
    replace(section, h('h2', { id: 'result-h' }, t.result), errorBox(e, t, () => showResult(section, q, ctx, layout, scroll)));
    return;
  }
  if (!ctx.alive()) return;
  const tablePanelId = uid('panel');
  const chartPanelId = uid('panel');
  // rows and columns: swapped with one button, or each variable moved and reordered
  let placement = placementFor(ds, layout.get());
  const tableBox = h('div', null, dataTable(ds, lang, t, placement));
  const controls = h('div', { class: 'pivot-box' });
  const apply = (p: Placement, message?: string) => {
    placement = p;
    layout.set(p);
    replace(tableBox, dataTable(ds, lang, t, placement));
    const wasOpen = controls.querySelector('details')?.open ?? false;
    replace(controls, pivotControls(ds, placement, t, apply, wasOpen));
    if (message) announce(message);
  };
  const pivotButton = h('button', { type: 'button', class: 'secondary small', id: 'pivot' }, t.pivot);
  pivotButton.addEventListener('click', () => {
    let p: Placement = placement.heading.length ? { stub: placement.heading, heading: placement.stub } : defaultPlacement(ds);
    if (!p.stub.length && p.heading.length > 1) p = { stub: [p.heading[0]], heading: p.heading.slice(1) };
    apply(p, t.pivoted);
  });
  replace(controls, pivotControls(ds, placement, t, apply));
  layout.set(placement);
  const tablePanel = h('div', { id: tablePanelId, role: 'tabpanel', class: 'panel' }, h('div', { class: 'actions' }, pivotButton), controls, tableBox);
  const chartPanel = h('div', { id: chartPanelId, role: 'tabpanel', class: 'panel', hidden: true });
  const tabTable = h('button', { type: 'button', role: 'tab', id: 'tab-table', 'aria-controls': tablePanelId, 'aria-selected': 'true' }, t.tableTab);
  const tabChart = h('button', { type: 'button', role: 'tab', id: 'tab-chart', 'aria-controls': chartPanelId, 'aria-selected': 'false', tabindex: -1 }, t.chartTab);
  tablePanel.setAttribute('aria-labelledby', 'tab-table');
  chartPanel.setAttribute('aria-labelledby', 'tab-chart');
  let disposeChart: (() => void) | null = null;
  const select = async (which: 'table' | 'chart') => {
    const chart = which === 'chart';
    tabTable.setAttribute('aria-selected', String(!chart));
    tabChart.setAttribute('aria-selected', String(chart));
    tabTable.tabIndex = chart ? -1 : 0;
    tabChart.tabIndex = chart ? 0 : -1;
    tablePanel.hidden = chart;
    chartPanel.hidden = !chart;
    if (chart && !disposeChart) {
      try {
        disposeChart = await renderChart(chartPanel, ds, lang, t);
      } catch (e) {
        replace(chartPanel, errorBox(e, t));
      }
    }
  };
  tabTable.addEventListener('click', () => select('table'));
  tabChart.addEventListener('click', () => select('chart'));
  // arrow keys move between tabs (WAI-ARIA tabs pattern)
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    const next = e.currentTarget === tabTable ? tabChart : tabTable;
    next.focus();
    void select(next === tabChart ? 'chart' : 'table');
  };
  tabTable.addEventListener('keydown', onKey);
  tabChart.addEventListener('keydown', onKey);
  replace(
    section,
    h('h2', { id: 'result-h' }, t.result),
    h('div', { role: 'tablist', class: 'tabs', 'aria-label': t.result }, tabTable, tabChart),
    tablePanel,
    chartPanel,
    footnotes(ds, t),
  );
  announce(`${t.result}: ${ds.label}`);
  if (scroll) section.scrollIntoView({ block: 'start', behavior: 'smooth' });
}

// -------------------------------------------------------------------------------------------------
// downloads, API query, saved query

function formatName(f: string): string {
  const names: Record<string, string> = {
    'json-stat2': 'JSON-stat 2',
    csv: 'CSV',
    xlsx: 'Excel (xlsx)',
    html: 'HTML',
    px: 'PX',
    'json-px': 'JSON (PX)',
    parquet: 'Parquet',
    csv2: 'CSV2',
    csv3: 'CSV3',
    'json-stat': 'JSON-stat 1',
  };
  return names[f] ?? f;
}

/** Formats whose files have rows and columns: the download takes the page's layout. */
const LAYOUT_FORMATS = new Set(['csv', 'xlsx', 'html']);

async function download(q: TableQuery, api: 'v1' | 'v2', format: string, labelParam: string, status: HTMLElement, t: Texts, placement?: Placement): Promise<void> {
  status.textContent = t.downloading;
  try {
    let res: Response;
    if (api === 'v2') {
      const params = labelParam && LABEL_PARAM_FORMATS.has(format) ? [labelParam] : [];
      res = await fetch(v2DataUrl('', q, format, params, LAYOUT_FORMATS.has(format) ? placement : undefined));
    } else {
      res = await fetch(v1TableUrl('', q.lang, q.tableId), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(v1Body(q.vars, format)) });
    }
    if (!res.ok) {
      throw new ApiError(errorMessage(res.status, await res.text()), res.status, Number(res.headers.get('retry-after')) || undefined);
    }
    const blob = await res.blob();
    const name = fileNameOf(res, `${q.tableId}.${EXTENSIONS[format] ?? 'dat'}`);
    // v1 files are named after the format, so csv2 and csv3 do not overwrite each other
    const fileName = api === 'v1' ? name.replace(/(\.[^.]+)?$/, `_${format}$1`) : name;
    saveBlob(blob, fileName);
    status.textContent = t.downloaded(fileName);
  } catch (e) {
    replace(status, errorBox(e, t));
  }
}

function renderExport(box: HTMLElement, q: TableQuery, ok: boolean, ctx: PageContext, placement: () => Placement | undefined): void {
  const { t, lang } = ctx;
  const origin = location.origin;
  // keep the label choice and the save format across re-renders
  const prevLabels = (box.querySelector('select.labels') as HTMLSelectElement | null)?.value ?? '';
  const prevSaveFormat = (box.querySelector('select.save-format') as HTMLSelectElement | null)?.value ?? 'csv';
  const savedResult = box.querySelector('.saved-result');

  const labelsId = uid('labels');
  const labels = h(
    'select',
    { id: labelsId, class: 'labels' },
    h('option', { value: '' }, t.labelsDefault),
    h('option', { value: 'UseCodes' }, t.labelsCodes),
    h('option', { value: 'UseTexts' }, t.labelsTexts),
    h('option', { value: 'UseCodesAndTexts' }, t.labelsBoth),
  );
  labels.value = prevLabels;
  const status = h('div', { class: 'download-status', 'aria-live': 'polite' });
  const button = (apiName: 'v1' | 'v2', f: string) =>
    h('button', { type: 'button', class: 'secondary', disabled: !ok, 'data-format': f, 'data-api': apiName, onclick: () => download(q, apiName, f, labels.value, status, t, placement()) }, formatName(f));

  const v1Url = v1TableUrl(origin, q.lang, q.tableId);
  const v1Text = formatV1Body(v1Body(q.vars));
  const v2Url = v2DataUrl(origin, q);
  const consoleLink = href('console', lang, { table: q.tableId, method: 'POST', url: v1Url, body: v1Text });

  const saveId = uid('savefmt');
  const saveFormat = h('select', { id: saveId, class: 'save-format' }, V2_FORMATS.map((f) => h('option', { value: f }, formatName(f))));
  saveFormat.value = prevSaveFormat;
  const saveStatus = h('div', { class: 'saved-result', 'aria-live': 'polite' });
  if (savedResult) saveStatus.replaceChildren(...Array.from(savedResult.childNodes));
  const saveButton = h('button', { type: 'button', class: 'secondary', id: 'save-query', disabled: !ok }, t.saveQuery);
  saveButton.addEventListener('click', async () => {
    saveStatus.textContent = t.saving;
    try {
      const res = await postJson('/api/v2/savedqueries', savedQueryBody(q, saveFormat.value, [], placement()));
      const answer = (await res.json()) as { id: string };
      const dataUrl = `${origin}/api/v2/savedqueries/${encodeURIComponent(answer.id)}/data`;
      replace(
        saveStatus,
        h('p', null, `${t.savedAt}: `, h('a', { href: dataUrl, class: 'saved-link' }, dataUrl), ' ', copyButton(t.copyUrl, () => dataUrl, t)),
        h('p', null, h('a', { href: href(`sq/${encodeURIComponent(answer.id)}`, lang) }, t.openSaved)),
      );
      announce(`${t.savedAt}: ${answer.id}`);
    } catch (e) {
      replace(saveStatus, errorBox(e, t));
    }
  });

  replace(
    box,
    h('h2', { id: 'export-h' }, t.download),
    h(
      'div',
      { class: 'downloads' },
      h('div', { class: 'field inline' }, h('label', { for: labelsId }, t.labels), labels),
      h('p', { class: 'format-group', role: 'group', 'aria-label': `${t.downloadAs} (PxWebApi 2.0)` }, h('span', { class: 'group-label' }, 'PxWebApi 2.0: '), V2_FORMATS.map((f) => button('v2', f))),
      h('p', { class: 'format-group', role: 'group', 'aria-label': `${t.downloadAs} (API v1)` }, h('span', { class: 'group-label' }, 'API v1: '), V1_FORMATS.map((f) => button('v1', f))),
      status,
    ),
    h('h2', null, t.apiQuery),
    h('p', { class: 'help' }, t.apiQueryHelp),
    h('h3', null, t.v1Post),
    h('div', { class: 'code-row' }, h('code', { class: 'api-url', id: 'v1-url' }, `POST ${v1Url}`), copyButton(t.copyUrl, () => v1Url, t, { id: 'copy-v1-url' })),
    h('pre', { class: 'code', id: 'v1-body', tabindex: 0 }, v1Text),
    v1LosesRelative(q.vars) ? h('p', { class: 'help', id: 'v1-note' }, t.v1ListsCodes) : null,
    h('div', { class: 'actions' }, copyButton(t.copyQuery, () => v1Text, t, { id: 'copy-v1-body' }), h('a', { href: consoleLink, class: 'button-link', id: 'open-console' }, t.openInConsole)),
    h('h3', null, t.v2Get),
    h('pre', { class: 'code', id: 'v2-url', tabindex: 0 }, v2Url),
    h('div', { class: 'actions' }, copyButton(t.copyUrl, () => v2Url, t, { id: 'copy-v2-url' }), ok ? h('a', { href: `${href('explorer', lang)}#/${v2Url}`, class: 'button-link', id: 'open-explorer' }, t.openInExplorer) : null),
    h('h2', null, t.saveQuery),
    h('p', { class: 'help' }, t.saveQueryHelp),
    h('div', { class: 'field inline' }, h('label', { for: saveId }, t.saveFormat), saveFormat, saveButton),
    saveStatus,
  );
}

/** Mark an element's texts as being in the data language when that is not the page's. */
function withLang(el: HTMLElement, lang: string, uiLang: string): HTMLElement {
  if (lang !== uiLang) el.setAttribute('lang', htmlLang(lang));
  return el;
}

/** `/statbank/sq/{id}`: a saved query opened on its table page. */
export async function savedQueryPage(main: HTMLElement, ctx: PageContext): Promise<void> {
  const { t } = ctx;
  const sqId = ctx.segments[1] ?? '';
  replace(main, loading(t));
  try {
    const sq = await api.savedQuery(sqId);
    if (!ctx.alive()) return;
    const sel = sq.savedQuery.selection;
    await tablePage(main, { ...ctx, segments: ['table', sq.savedQuery.tableId] }, { selection: sel.selection ?? [], placement: sel.placement ?? undefined, savedQueryId: sq.id, show: !ctx.params.has('select') });
  } catch (e) {
    if (ctx.alive()) replace(main, heading(t.savedQueryTitle(sqId)), errorBox(e, t));
  }
}

