// The Statbank web app: a header with the language switch, and a small router over /statbank/… paths
// (history API; the server answers every such path with this app).

import './styles.css';
import { BASE, currentLang, href, rememberLang, setNavigator, type Page, type PageContext } from './app.js';
import { h, replace } from './dom.js';
import { api } from './api.js';
import { LANGS, texts, type Lang } from './i18n.js';
import { consolePage } from './pages/console.js';
import { datasetsPage, folderPage, homePage, listPage, searchPage } from './pages/browse.js';
import { savedQueryPage, tablePage } from './pages/table.js';
import { heading } from './ui.js';
import { kommunefaktaPage } from './pages/kommunefakta.js';
import { explorerPage } from './pages/explorer.js';

const main = document.getElementById('main') as HTMLElement;
const header = document.getElementById('site-header') as HTMLElement;
let generation = 0;

function segmentsOf(pathname: string): string[] {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  return rest
    .split('/')
    .filter(Boolean)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

const notFound: Page = (el, ctx) => {
  document.title = ctx.t.appName;
  replace(el, heading(ctx.t.notFound), h('p', null, h('a', { href: href('', ctx.lang) }, ctx.t.home)));
};

function pageFor(segments: string[]): Page {
  switch (segments[0]) {
    case undefined:
      return homePage;
    case 'browse':
      return folderPage;
    case 'search':
      return searchPage;
    case 'table':
      return segments[1] ? tablePage : notFound;
    case 'list':
      return segments[1] ? listPage : notFound;
    case 'sq':
      return segments[1] ? savedQueryPage : notFound;
    case 'console':
      return consolePage;
    case 'datasets':
      return datasetsPage;
    case 'kommunefakta':
      return kommunefaktaPage;
    case 'explorer':
      return explorerPage;
    default:
      return notFound;
  }
}

function renderHeader(lang: Lang): void {
  const t = texts(lang);
  // one link per UI language (from the catalogues), each named in its own language
  const switchTo = (other: Lang) => {
    const url = new URL(location.href);
    if (other === 'no') url.searchParams.delete('lang');
    else url.searchParams.set('lang', other);
    return url.pathname + url.search + url.hash;
  };
  const switchLang = h(
    'ul',
    { class: 'lang-list', 'aria-label': t.language },
    LANGS.map((other) => {
      const a = h('a', { href: switchTo(other), class: 'lang-switch', lang: texts(other).htmlLang, hreflang: texts(other).htmlLang, 'data-lang': other, 'aria-current': other === lang ? 'true' : undefined }, texts(other).langName);
      a.addEventListener('click', (e) => {
        e.preventDefault();
        rememberLang(other);
        go(switchTo(other), true);
      });
      return h('li', null, a);
    }),
  );
  replace(
    header,
    h(
      'div',
      { class: 'header-inner' },
      h('a', { href: href('', lang), class: 'brand' }, h('img', { src: `${BASE}/favicon.svg`, alt: '', width: 28, height: 28 }), h('span', null, t.appName)),
      h(
        'nav',
        { class: 'main-nav', 'aria-label': t.appName },
        h('a', { href: href('', lang) }, t.subjects),
        h('a', { href: href('datasets', lang) }, t.datasets),
        h('a', { href: href('console', lang) }, t.console),
        switchLang,
      ),
    ),
  );
}

async function render(focus: boolean): Promise<void> {
  generation += 1;
  const mine = generation;
  const lang = currentLang();
  const t = texts(lang);
  document.documentElement.lang = t.htmlLang;
  const skip = document.querySelector('.skip-link');
  if (skip) skip.textContent = t.skipToContent;
  renderHeader(lang);
  const segments = segmentsOf(location.pathname);
  // the data languages come from the server; a UI language it lacks shows the data in its default language
  const config = await api.config().catch(() => undefined);
  if (mine !== generation) return;
  const dataLangs = config?.languages.map((l) => l.id) ?? ['no', 'en'];
  const dataLang = dataLangs.includes(lang) ? lang : (config?.defaultLanguage ?? dataLangs[0] ?? 'no');
  const ctx: PageContext = { lang, t, segments, params: new URLSearchParams(location.search), dataLang, dataLangs, alive: () => mine === generation };
  try {
    await pageFor(segments)(main, ctx);
  } finally {
    // move focus to the new page's heading, as a full page load would put the reader at the top
    if (focus && mine === generation) {
      const h1 = main.querySelector('h1') as HTMLElement | null;
      (h1 ?? main).focus({ preventScroll: true });
      window.scrollTo(0, 0);
    }
  }
}

function go(url: string, replaceState = false): void {
  if (replaceState) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  void render(true);
}

setNavigator(go);

// links inside the app navigate without a reload
document.addEventListener('click', (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = (e.target as Element | null)?.closest('a');
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || !(url.pathname === BASE || url.pathname.startsWith(`${BASE}/`))) return;
  e.preventDefault();
  go(url.pathname + url.search + url.hash);
});

window.addEventListener('popstate', () => void render(true));

void render(false);
