// Finding tables: the subject tree (API v1 navigation), table search and a statistic's table list
// (PxWebApi 2.0 /tables?query=).

import { api, datasets, feed, type FeedItem, type V1NavItem, type V2Table } from '../api.js';
import { folderHref, href, navigate, tableHref, type PageContext } from '../app.js';
import { h, replace, uid } from '../dom.js';
import { isLang, languageName, type Lang, type Texts } from '../i18n.js';
import { breadcrumbs, errorBox, formatDate, heading, loading, type Crumb } from '../ui.js';

/** A table's id from its v1 navigation text ("12535: Totalkostnadsindeks …"); the node id otherwise. */
export function tableIdOf(item: V1NavItem): string {
  const m = /^([^:\s]+):/.exec(item.text);
  return m ? m[1] : item.id;
}

/** The search form; `folder` scopes it to a folder of the subject tree. */
export function searchForm(ctx: PageContext, opts: { value?: string; folder?: string; label?: string } = {}): HTMLElement {
  const { t, lang } = ctx;
  const id = uid('search');
  const input = h('input', { id, type: 'search', name: 'q', placeholder: t.searchPlaceholder, value: opts.value ?? '', autocomplete: 'off', required: true });
  const form = h(
    'form',
    { class: 'search-form', role: 'search' },
    h('label', { for: id }, opts.label ?? t.searchTables),
    h('div', { class: 'search-row' }, input, h('button', { type: 'submit' }, t.search)),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = input.value.trim();
    if (q) navigate(href('search', lang, { q, folder: opts.folder }));
  });
  return form;
}

/** Labels of each folder on a path, read from the listings of its ancestors ('' = root). */
async function folderCrumbs(lang: Lang, dataLang: string, t: Texts, segs: string[]): Promise<Crumb[]> {
  const crumbs: Crumb[] = [{ label: t.subjects, href: href('', lang) }];
  const listings = await Promise.all(segs.map((_, i) => api.folder(dataLang, segs.slice(0, i).join('/'))));
  segs.forEach((seg, i) => {
    const item = listings[i].find((x) => x.type === 'l' && x.id === seg);
    crumbs.push({ label: item?.text ?? seg, href: folderHref(segs.slice(0, i + 1).join('/'), lang) });
  });
  return crumbs;
}

function navList(items: V1NavItem[], path: string, ctx: PageContext): HTMLElement {
  const { t, lang } = ctx;
  const folders = items.filter((x) => x.type === 'l');
  const tables = items.filter((x) => x.type === 't');
  return h(
    'div',
    { class: 'nav-lists' },
    folders.length
      ? h(
          'ul',
          { class: 'folder-list', 'aria-label': t.subjects },
          folders.map((f) => h('li', null, h('a', { href: folderHref(path ? `${path}/${f.id}` : f.id, lang), class: 'folder-link' }, h('span', { class: 'icon', 'aria-hidden': 'true' }, '▸ '), f.text))),
        )
      : null,
    tables.length
      ? h(
          'ul',
          { class: 'table-list', 'aria-label': t.tables },
          tables.map((x) => {
            const id = tableIdOf(x);
            return h(
              'li',
              null,
              h('a', { href: tableHref(id, lang), 'data-table-id': id }, x.text),
              x.updated ? h('span', { class: 'meta' }, `${t.updated} ${formatDate(x.updated, lang)}`) : null,
            );
          }),
        )
      : null,
  );
}

function feedList(items: FeedItem[], ctx: PageContext, cls: string, empty: string): HTMLElement {
  const { t, lang } = ctx;
  if (!items.length) return h('p', { class: 'help' }, empty);
  return h(
    'ul',
    { class: `feed-list ${cls}` },
    items.map((it) =>
      h(
        'li',
        { 'data-table-id': it.tableId },
        it.tableId ? h('a', { href: tableHref(it.tableId, lang) }, it.title) : h('span', null, it.title),
        Number.isFinite(it.date) ? h('span', { class: 'meta' }, ` ${formatDate(new Date(it.date).toISOString(), lang)}`) : null,
      ),
    ),
  );
  void t;
}

/** A note when the server has no data texts in the UI language (e.g. Swedish UI, Norwegian and English data). */
export function dataLangNote(ctx: PageContext): HTMLElement | null {
  if (ctx.dataLang === ctx.lang) return null;
  return h('p', { class: 'lang-note', role: 'note' }, ctx.t.dataLangFallback(languageName(ctx.lang, ctx.lang), languageName(ctx.dataLang, ctx.lang)));
}

/** Home: search, latest and coming releases, ready-made datasets and the top of the subject tree. */
export async function homePage(main: HTMLElement, ctx: PageContext): Promise<void> {
  const { t, lang } = ctx;
  document.title = t.appName;
  const body = h('section', { 'aria-labelledby': 'subjects-h' }, loading(t));
  const latest = h('section', { class: 'home-box', 'aria-labelledby': 'latest-h' }, h('h2', { id: 'latest-h' }, t.latestReleases), loading(t));
  const coming = h('section', { class: 'home-box', 'aria-labelledby': 'coming-h' }, h('h2', { id: 'coming-h' }, t.comingReleases), loading(t));
  const sets = h('section', { class: 'home-box', 'aria-labelledby': 'sets-h' }, h('h2', { id: 'sets-h' }, t.datasets), loading(t));
  const tools = h(
    'ul',
    { class: 'home-tools' },
    h('li', null, h('a', { href: href('kommunefakta', lang), id: 'kommunefakta-link' }, t.kommunefaktaLink)),
    h('li', null, h('a', { href: href('explorer', lang), id: 'explorer-link' }, t.explorer)),
  );
  replace(main, heading(t.appName), h('p', { class: 'lead' }, t.tagline), dataLangNote(ctx), searchForm(ctx), tools, h('div', { class: 'home-grid' }, latest, coming, sets), body);
  const fill = (box: HTMLElement, id: string, title: string, p: Promise<Node>) =>
    p.then(
      (n) => ctx.alive() && replace(box, h('h2', { id }, title), n),
      (e) => ctx.alive() && replace(box, h('h2', { id }, title), errorBox(e, t)),
    );
  void fill(latest, 'latest-h', t.latestReleases, feed('updated', ctx.dataLang).then((items) => feedList(items.slice(0, 6), ctx, 'latest', t.noReleases)));
  void fill(coming, 'coming-h', t.comingReleases, feed('coming', ctx.dataLang).then((items) => feedList(items.slice(0, 6), ctx, 'coming', t.noComing)));
  void fill(
    sets,
    'sets-h',
    t.datasets,
    datasets(ctx.dataLang).then((d) =>
      h('div', null, h('ul', { class: 'feed-list datasets' }, d.datasets.slice(0, 5).map((x) => h('li', null, h('a', { href: tableHref(x.table, lang) }, x.title), h('span', { class: 'meta' }, ` ${x.table}`)))), h('p', null, h('a', { href: href('datasets', lang), id: 'all-datasets' }, t.allDatasets(d.datasets.length)))),
    ),
  );
  try {
    const items = await api.folder(ctx.dataLang, '');
    if (!ctx.alive()) return;
    replace(body, h('h2', { id: 'subjects-h' }, t.subjects), navList(items, '', ctx));
  } catch (e) {
    if (ctx.alive()) replace(body, errorBox(e, t, () => homePage(main, ctx)));
  }
}

/** `/statbank/datasets`: every ready-made dataset, with its files. */
export async function datasetsPage(main: HTMLElement, ctx: PageContext): Promise<void> {
  const { t, lang } = ctx;
  document.title = `${t.datasets} – ${t.appName}`;
  replace(main, breadcrumbs([{ label: t.subjects, href: href('', lang) }, { label: t.datasets }], t), heading(t.datasets), h('p', { class: 'lead' }, t.datasetsHelp), loading(t));
  try {
    const d = await datasets(ctx.dataLang);
    if (!ctx.alive()) return;
    main.lastElementChild?.remove();
    main.appendChild(
      h(
        'ul',
        { class: 'results dataset-list' },
        d.datasets.map((x) =>
          h(
            'li',
            { 'data-dataset-id': x.id },
            h('a', { href: tableHref(x.table, lang), class: 'result-title' }, x.title),
            h(
              'div',
              { class: 'meta' },
              `${t.table} ${x.table}`,
              x.updated ? ` · ${t.updated} ${formatDate(x.updated, lang)}` : '',
              ' · ',
              h('a', { href: x.csv }, 'CSV'),
              ' · ',
              h('a', { href: x.json }, 'JSON-stat'),
              ' · ',
              h('a', { href: `${href('explorer', lang)}#/${x.json}`, class: 'explorer-link', 'data-dataset': x.id }, t.openInExplorer),
            ),
          ),
        ),
      ),
    );
  } catch (e) {
    if (ctx.alive()) replace(main, heading(t.datasets), errorBox(e, t, () => datasetsPage(main, ctx)));
  }
}

/** A folder of the subject tree: breadcrumbs, sub-folders, tables, and search within it. */
export async function folderPage(main: HTMLElement, ctx: PageContext): Promise<void> {
  const { t, lang } = ctx;
  const segs = ctx.segments.slice(1);
  const path = segs.join('/');
  replace(main, loading(t));
  try {
    const [items, crumbs] = await Promise.all([api.folder(ctx.dataLang, path), folderCrumbs(lang, ctx.dataLang, t, segs)]);
    if (!ctx.alive()) return;
    const title = crumbs[crumbs.length - 1].label;
    document.title = `${title} – ${t.appName}`;
    replace(main, breadcrumbs(crumbs, t), heading(title), navList(items, path, ctx), searchForm(ctx, { folder: path, label: t.searchInFolder }));
  } catch (e) {
    if (ctx.alive()) replace(main, heading(t.subjects), errorBox(e, t, () => folderPage(main, ctx)));
  }
}

/** Search results (or a statistic's tables): id, title, last updated, where the table sits. */
export function tableResults(tables: V2Table[], ctx: PageContext): HTMLElement {
  const { t, lang } = ctx;
  if (!tables.length) return h('p', { class: 'no-hits' }, t.noHits);
  return h(
    'ol',
    { class: 'results' },
    tables.map((x) =>
      h(
        'li',
        { 'data-table-id': x.id },
        h('a', { href: tableHref(x.id, lang), class: 'result-title' }, x.label.startsWith(`${x.id}:`) ? x.label : `${x.id}: ${x.label}`),
        h(
          'div',
          { class: 'meta' },
          h('span', null, `${t.id} ${x.id}`),
          x.updated ? h('span', null, ` · ${t.updated} ${formatDate(x.updated, lang)}`) : null,
          x.paths?.length ? h('span', null, ` · ${x.paths[0].map((p) => p.label).join(' › ')}`) : null,
        ),
      ),
    ),
  );
}

function inFolder(x: V2Table, folder: string): boolean {
  const want = folder.split('/').filter(Boolean);
  return (x.paths ?? []).some((p) => want.every((seg, i) => p[i]?.id === seg));
}

export async function searchPage(main: HTMLElement, ctx: PageContext): Promise<void> {
  const { t, lang } = ctx;
  const q = (ctx.params.get('q') ?? '').trim();
  const folder = (ctx.params.get('folder') ?? '').trim();
  const pageNumber = Math.max(1, Number(ctx.params.get('page')) || 1);
  document.title = `${t.searchResults}: ${q} – ${t.appName}`;
  const results = h('section', { class: 'search-results', 'aria-live': 'polite' }, q ? loading(t) : null);
  const crumbs: Crumb[] = [{ label: t.subjects, href: href('', lang) }];
  if (folder) crumbs.push({ label: folder, href: folderHref(folder, lang) });
  crumbs.push({ label: t.searchResults });
  replace(main, breadcrumbs(crumbs, t), heading(folder ? `${t.searchResults} (${folder})` : t.searchResults), searchForm(ctx, { value: q, folder: folder || undefined }), results);
  if (!q) return;
  try {
    // a folder-scoped search reads one large page and keeps the tables under the folder
    const page = await api.tables(ctx.dataLang, q, folder ? 1 : pageNumber, folder ? 1000 : 50);
    if (!ctx.alive()) return;
    const tables = folder ? page.tables.filter((x) => inFolder(x, folder)) : page.tables;
    const total = folder ? tables.length : page.page.totalElements;
    const pager = !folder && page.page.totalPages > 1
      ? h(
          'nav',
          { class: 'pager', 'aria-label': t.pageOf(pageNumber, page.page.totalPages) },
          pageNumber > 1 ? h('a', { href: href('search', lang, { q, page: String(pageNumber - 1) }) }, t.previousPage) : null,
          h('span', null, ` ${t.pageOf(pageNumber, page.page.totalPages)} `),
          pageNumber < page.page.totalPages ? h('a', { href: href('search', lang, { q, page: String(pageNumber + 1) }) }, t.nextPage) : null,
        )
      : null;
    let other: HTMLElement | null = null;
    if (!total && !folder) {
      // nothing here: the words may be another language's ("population" in the Norwegian UI)
      for (const otherLang of ctx.dataLangs.filter((l) => l !== ctx.dataLang)) {
        const alt = await api.tables(otherLang, q, 1, 50).catch(() => undefined);
        if (!ctx.alive()) return;
        if (alt && alt.page.totalElements > 0) {
          const uiOther = isLang(otherLang) ? otherLang : lang;
          other = h('p', { class: 'other-lang' }, h('a', { href: href('search', uiOther, { q }) }, t.searchOtherLang(q, alt.page.totalElements, languageName(otherLang, lang))));
          break;
        }
      }
    }
    replace(results, h('p', { class: 'hit-count' }, t.hits(total)), other, tableResults(tables, ctx), pager);
  } catch (e) {
    if (ctx.alive()) replace(results, errorBox(e, t, () => searchPage(main, ctx)));
  }
}

/** `/statbank/list/{shortName}`: the tables of a statistic, found by searching its short name. */
export async function listPage(main: HTMLElement, ctx: PageContext): Promise<void> {
  const { t, lang } = ctx;
  const name = ctx.segments[1] ?? '';
  const title = t.statisticTables(name);
  document.title = `${title} – ${t.appName}`;
  const results = h('section', { class: 'search-results' }, loading(t));
  replace(main, breadcrumbs([{ label: t.subjects, href: href('', lang) }, { label: name }], t), heading(title), results);
  try {
    const page = await api.tables(ctx.dataLang, name, 1, 200);
    if (!ctx.alive()) return;
    replace(results, h('p', { class: 'hit-count' }, t.hits(page.page.totalElements)), tableResults(page.tables, ctx));
  } catch (e) {
    if (ctx.alive()) replace(results, errorBox(e, t, () => listPage(main, ctx)));
  }
}
