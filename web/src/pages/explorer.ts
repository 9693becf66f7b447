// The JSON-stat explorer (/statbank/explorer): open any JSON-stat 1.x or 2.0 document from an address (this
// server's datasets and queries, or another server that allows it with CORS), a file or pasted text; choose
// values per dimension, move dimensions between rows and columns, see a table and a chart, download CSV.
// `#/<url>` opens an address directly, so other pages can link "Open in the explorer".

import { datasets } from '../api.js';
import { href, type PageContext } from '../app.js';
import { renderChart } from '../components/chart.js';
import { dataTable } from '../components/dataTable.js';
import { pivotControls } from '../components/pivotControls.js';
import { announce, h, replace, uid } from '../dom.js';
import { datasetCsv, defaultPlacement, JsonStatError, readAnyJsonStat, subset, type Dataset, type FoundDataset } from '../jsonstat.js';
import type { Placement } from '../query.js';
import { breadcrumbs, errorBox, formatDate, formatInt, heading, loading, saveBlob } from '../ui.js';

/** Cells shown at first: larger datasets start with one value of their longest dimensions. */
const START_CELLS = 2000;

/** The address of `#/<url>`, if any. */
export function hashUrl(): string | undefined {
  return location.hash.startsWith('#/') && location.hash.length > 2 ? location.hash.slice(2) : undefined;
}

/** The values each dimension starts with: all, unless that makes too many cells (then the latest/first value). */
export function startSelection(ds: Dataset, max = START_CELLS): Map<string, Set<string>> {
  const keep = new Map(ds.dims.map((d) => [d.code, new Set(d.values.map((v) => v.code))]));
  const cells = () => [...keep.values()].reduce((a, s) => a * s.size, 1);
  while (cells() > max) {
    const [code] = [...keep.entries()].filter(([, s]) => s.size > 1).sort((a, b) => b[1].size - a[1].size)[0];
    const d = ds.dims.find((x) => x.code === code)!;
    // time keeps its latest value, anything else its first
    keep.set(code, new Set([d.role === 'time' ? d.values[d.values.length - 1].code : d.values[0].code]));
  }
  return keep;
}

function view(box: HTMLElement, found: FoundDataset[], source: string, ctx: PageContext, load: (url: string) => void): void {
  const { t, lang } = ctx;
  let index = found.findIndex((f) => f.ds);
  if (index < 0) index = 0;
  let keep = new Map<string, Set<string>>();
  let placement: Placement | undefined;
  let disposeChart: (() => void) | null = null;

  const chooser =
    found.length > 1
      ? (() => {
          const id = uid('ds');
          const sel = h('select', { id, class: 'dataset-choice' }, found.map((f, i) => h('option', { value: String(i) }, f.label || `#${i + 1}`)));
          sel.value = String(index);
          sel.addEventListener('change', () => {
            const f = found[Number(sel.value)];
            if (f.ds) {
              index = Number(sel.value);
              start();
            } else if (f.href) load(f.href);
          });
          return h('div', { class: 'field inline' }, h('label', { for: id }, t.explorerPickDataset), sel);
        })()
      : null;
  const head = h('div');
  const dimsBox = h('div', { class: 'explorer-dims' });
  const pivotBox = h('div', { class: 'pivot-box' });
  const tableBox = h('div', { class: 'explorer-table' });
  const chartBox = h('div', { class: 'explorer-chart' });
  const csvButton = h('button', { type: 'button', class: 'secondary', id: 'explorer-csv' }, t.downloadCsv);
  replace(box, chooser, head, h('h3', null, t.dimensions), dimsBox, pivotBox, h('div', { class: 'actions' }, csvButton), h('h3', null, t.tableTab), tableBox, h('h3', null, t.chartTab), chartBox);

  const current = () => found[index].ds as Dataset;
  const shown = () => subset(current(), keep);

  const draw = (message?: string) => {
    const sub = shown();
    const p = placement ?? defaultPlacement(sub);
    placement = p;
    const wasOpen = pivotBox.querySelector('details')?.open ?? false;
    replace(
      pivotBox,
      pivotControls(sub, p, t, (np, msg) => {
        placement = np;
        draw(msg);
      }, wasOpen),
    );
    replace(tableBox, dataTable(sub, lang, t, p));
    tableBox.dataset.cells = String(sub.value.length);
    disposeChart?.();
    disposeChart = null;
    void renderChart(chartBox, sub, lang, t).then((d) => (disposeChart = d));
    if (message) announce(message);
  };

  const start = () => {
    const ds = current();
    keep = startSelection(ds);
    placement = undefined;
    const cells = ds.value.length;
    replace(
      head,
      h('h2', { id: 'explorer-title' }, ds.label || source),
      h(
        'p',
        { class: 'meta explorer-facts' },
        [ds.source && `${t.source}: ${ds.source}`, ds.updated && `${t.updated} ${formatDate(ds.updated, lang)}`, t.datasetCells(cells, formatInt(cells, lang)), source].filter(Boolean).join(' · '),
      ),
    );
    replace(
      dimsBox,
      ds.dims.map((d) => {
        const id = uid('dim');
        const sel = h(
          'select',
          { id, multiple: true, size: Math.min(8, Math.max(2, d.values.length)), 'data-dimension': d.code },
          d.values.map((v) => h('option', { value: v.code, selected: keep.get(d.code)?.has(v.code) || undefined }, v.label)),
        );
        sel.addEventListener('change', () => {
          const chosen = new Set(Array.from(sel.selectedOptions).map((o) => o.value));
          // nothing chosen means every value (a dimension cannot be empty)
          keep.set(d.code, chosen.size ? chosen : new Set(d.values.map((v) => v.code)));
          draw();
        });
        return h('div', { class: 'field explorer-dim' }, h('label', { for: id }, `${d.label} (${d.values.length})`), sel);
      }),
    );
    draw();
  };
  csvButton.addEventListener('click', () => {
    const name = `${(current().label || 'dataset').replace(/[^\w-]+/g, '_').slice(0, 60)}.csv`;
    saveBlob(new Blob([datasetCsv(shown())], { type: 'text/csv;charset=utf-8' }), name);
  });
  if (found[index]?.ds) start();
}

export async function explorerPage(main: HTMLElement, ctx: PageContext): Promise<void> {
  const { t, lang } = ctx;
  document.title = `${t.explorer} – ${t.appName}`;
  const urlId = uid('url');
  const fileId = uid('file');
  const pasteId = uid('paste');
  const urlInput = h('input', { type: 'url', id: urlId, name: 'url', placeholder: 'https://…/dataset.json', value: hashUrl() ?? '', autocomplete: 'url' });
  const fileInput = h('input', { type: 'file', id: fileId, accept: '.json,application/json' });
  const paste = h('textarea', { id: pasteId, rows: 4, spellcheck: 'false' });
  const status = h('div', { class: 'explorer-status', 'aria-live': 'polite' });
  const out = h('section', { class: 'explorer-view', id: 'explorer-view', 'aria-label': t.explorer });
  const examples = h('section', { class: 'explorer-examples', 'aria-labelledby': 'examples-h' }, h('h2', { id: 'examples-h' }, t.explorerExamples), loading(t));

  const show = (json: unknown, source: string, focus = true) => {
    try {
      const found = readAnyJsonStat(json);
      replace(status);
      view(out, found, source, ctx, (u) => {
        location.hash = `#/${u}`;
      });
      out.querySelector('h2')?.setAttribute('tabindex', '-1');
      // after a choice of the reader's the dataset's heading takes the focus (not on opening a link)
      if (focus) (out.querySelector('h2') as HTMLElement | null)?.focus();
    } catch (e) {
      replace(out);
      replace(status, errorBox(e instanceof JsonStatError ? t.explorerBadJson : e, t));
    }
  };
  const load = async (raw: string, focus = true) => {
    let url: URL;
    try {
      url = new URL(raw, location.href);
    } catch {
      replace(status, errorBox(t.explorerBadJson, t));
      return;
    }
    replace(status, loading(t));
    let json: unknown;
    try {
      const res = await fetch(url.href, { headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(String(res.status));
      json = await res.json();
    } catch {
      if (ctx.alive()) replace(status, errorBox(t.explorerFetchFailed(url.href), t));
      return;
    }
    if (ctx.alive()) show(json, url.href, focus);
  };

  const form = h('form', { class: 'explorer-form' }, h('label', { for: urlId }, t.explorerUrl), h('div', { class: 'search-row' }, urlInput, h('button', { type: 'submit', id: 'explorer-open' }, t.explorerOpen)));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const u = urlInput.value.trim();
    if (!u) return;
    if (hashUrl() === u) void load(u);
    else location.hash = `#/${u}`;
  });
  fileInput.addEventListener('change', async () => {
    const f = fileInput.files?.[0];
    if (!f) return;
    try {
      show(JSON.parse(await f.text()), f.name);
    } catch {
      replace(out);
      replace(status, errorBox(t.explorerBadJson, t));
    }
  });
  const pasteButton = h('button', { type: 'button', class: 'secondary', id: 'explorer-paste-open' }, t.explorerPasteOpen);
  pasteButton.addEventListener('click', () => {
    try {
      show(JSON.parse(paste.value), t.explorerPaste);
    } catch {
      replace(out);
      replace(status, errorBox(t.explorerBadJson, t));
    }
  });

  replace(
    main,
    breadcrumbs([{ label: t.subjects, href: href('', lang) }, { label: t.explorer }], t),
    heading(t.explorer),
    h('p', { class: 'lead' }, t.explorerIntro),
    form,
    h('div', { class: 'field' }, h('label', { for: fileId }, t.explorerFile), fileInput),
    h('div', { class: 'field' }, h('label', { for: pasteId }, t.explorerPaste), paste, h('div', { class: 'actions' }, pasteButton)),
    status,
    out,
    examples,
  );
  datasets(ctx.dataLang)
    .then((d) => {
      if (!ctx.alive()) return;
      replace(
        examples,
        h('h2', { id: 'examples-h' }, t.explorerExamples),
        h('ul', { class: 'feed-list' }, d.datasets.map((x) => h('li', null, h('a', { href: `${href('explorer', lang)}#/${x.json}`, 'data-dataset': x.id }, x.title), h('span', { class: 'meta' }, ` ${x.table}`)))),
      );
    })
    .catch((e) => ctx.alive() && replace(examples, errorBox(e, t)));
  const u = hashUrl();
  if (u) await load(u, false);
}
