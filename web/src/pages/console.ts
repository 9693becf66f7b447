// The API console (/statbank/console): URL, method and body (pre-filled with a table's query), run it against
// this server, and see the status, headers, time and the answer (pretty JSON, text, or a file to save).

import { api } from '../api.js';
import { href, type PageContext } from '../app.js';
import { announce, h, replace, uid } from '../dom.js';
import { formatV1Body, v1BodyFromV2, v1TableUrl } from '../query.js';
import { breadcrumbs, errorBox, fileNameOf, formatInt, heading, saveBlob } from '../ui.js';

/** Largest body shown as text; the rest can be saved as a file. */
const MAX_TEXT = 300_000;

function charsetOf(contentType: string): string | undefined {
  const m = /charset=([^;]+)/i.exec(contentType);
  return m ? m[1].trim().replace(/^"|"$/g, '') : undefined;
}

/** Show as text? Declared text types, or a charset on a type that is not a known binary one, and no NUL bytes. */
function isTextual(contentType: string, bytes: ArrayBuffer): boolean {
  if (/spreadsheetml|ms-excel|zip|parquet|image\/|pdf/i.test(contentType)) return false;
  if (new Uint8Array(bytes, 0, Math.min(bytes.byteLength, 4096)).includes(0)) return false;
  return /^(text\/|application\/(json|xml|problem\+json|javascript))|\+json|\+xml/i.test(contentType) || !!charsetOf(contentType);
}

function decode(bytes: ArrayBuffer, contentType: string): string {
  const cs = charsetOf(contentType) ?? 'utf-8';
  try {
    return new TextDecoder(cs).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

export async function consolePage(main: HTMLElement, ctx: PageContext): Promise<void> {
  const { t, lang } = ctx;
  const origin = location.origin;
  const tableId = ctx.params.get('table') ?? '';
  document.title = `${t.consoleTitle} – ${t.appName}`;

  const urlId = uid('url');
  const methodId = uid('method');
  const bodyId = uid('body');
  const urlInput = h('input', { id: urlId, type: 'text', class: 'url-input', spellcheck: 'false', autocomplete: 'off', inputmode: 'url' });
  const method = h('select', { id: methodId }, h('option', { value: 'GET' }, 'GET'), h('option', { value: 'POST' }, 'POST'));
  const body = h('textarea', { id: bodyId, rows: 14, spellcheck: 'false', class: 'body-input' });
  const runButton = h('button', { type: 'submit', class: 'primary', id: 'run' }, t.run);
  const output = h('section', { class: 'console-output', 'aria-live': 'polite', 'aria-labelledby': 'response-h' });

  const set = (m: 'GET' | 'POST', url: string, text = '') => {
    method.value = m;
    urlInput.value = url;
    body.value = text;
    bodyRow.hidden = m !== 'POST';
  };
  const bodyRow = h('div', { class: 'field' }, h('label', { for: bodyId }, t.body), body);
  method.addEventListener('change', () => (bodyRow.hidden = method.value !== 'POST'));

  // examples: the table's default query (course exercise 1), its v2 default selection, navigation, search, config
  const examples: { label: string; apply: () => Promise<void> | void }[] = [];
  const tableDefault = async (id: string) => {
    const sel = await api.defaultSelection(ctx.dataLang, id);
    set('POST', v1TableUrl(origin, ctx.dataLang, id), formatV1Body(v1BodyFromV2(sel.selection)));
  };
  if (tableId) {
    examples.push({ label: t.exampleDefault(tableId), apply: () => tableDefault(tableId) });
    examples.push({ label: t.exampleV2(tableId), apply: () => set('GET', `${origin}/api/v2/tables/${encodeURIComponent(tableId)}/data?lang=${ctx.dataLang}`) });
  }
  examples.push({ label: t.exampleNav, apply: () => set('GET', `${origin}/api/v0/${ctx.dataLang}/table/`) });
  examples.push({ label: t.exampleSearch, apply: () => set('GET', `${origin}/api/v2/tables?lang=${ctx.dataLang}&query=befolkning`) });
  examples.push({ label: t.exampleConfig, apply: () => set('GET', `${origin}/api/v2/config`) });
  const exampleError = h('div');
  const exampleButtons = examples.map((ex) =>
    h('button', { type: 'button', class: 'secondary small', onclick: async () => {
      try {
        await ex.apply();
        urlInput.focus();
      } catch (e) {
        replace(exampleError, errorBox(e, t));
      }
    } }, ex.label),
  );

  const form = h(
    'form',
    { class: 'console-form' },
    h(
      'div',
      { class: 'console-line' },
      h('div', { class: 'field method' }, h('label', { for: methodId }, t.method), method),
      h('div', { class: 'field grow' }, h('label', { for: urlId }, t.url), urlInput),
    ),
    bodyRow,
    h('div', { class: 'actions' }, runButton),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void run();
  });

  const run = async () => {
    let target: URL;
    try {
      target = new URL(urlInput.value.trim(), origin);
    } catch {
      replace(output, errorBox(`${t.url}: ${urlInput.value}`, t));
      return;
    }
    // the console talks to this server only (its APIs are same-origin; the page's policy blocks others)
    if (target.origin !== origin) {
      replace(output, errorBox(`${t.url}: ${target.origin} ≠ ${origin}`, t));
      return;
    }
    runButton.disabled = true;
    runButton.textContent = t.running;
    const started = performance.now();
    try {
      const init: RequestInit = { method: method.value };
      if (method.value === 'POST') {
        init.body = body.value;
        init.headers = { 'content-type': 'application/json' };
      }
      const res = await fetch(target.toString(), init);
      const bytes = await res.arrayBuffer();
      const ms = performance.now() - started;
      showResponse(res, bytes, ms, target);
    } catch (e) {
      replace(output, errorBox(e, t));
    } finally {
      runButton.disabled = false;
      runButton.textContent = t.run;
    }
  };

  const showResponse = (res: Response, bytes: ArrayBuffer, ms: number, target: URL) => {
    const type = res.headers.get('content-type') ?? '';
    const headers: [string, string][] = [];
    res.headers.forEach((v, k) => headers.push([k, v]));
    let bodyView: HTMLElement;
    if (isTextual(type, bytes)) {
      let text = decode(bytes, type);
      if (/json/i.test(type)) {
        try {
          text = JSON.stringify(JSON.parse(text), null, 2);
        } catch {
          // not valid JSON after all: show as sent
        }
      }
      const cut = text.length > MAX_TEXT;
      bodyView = h('div', null, h('pre', { class: 'code response-body', id: 'response-body', tabindex: 0 }, cut ? text.slice(0, MAX_TEXT) : text), cut ? h('p', { class: 'more' }, `${formatInt(MAX_TEXT, lang)} / ${formatInt(text.length, lang)}`) : null);
    } else {
      bodyView = h('p', { id: 'response-body', class: 'binary' }, t.binaryBody(bytes.byteLength, formatInt(bytes.byteLength, lang), type || '?'));
    }
    const fallbackName = target.pathname.split('/').filter(Boolean).pop() || 'response';
    const save = h('button', { type: 'button', class: 'secondary', onclick: () => saveBlob(new Blob([bytes], { type }), fileNameOf(res, fallbackName)) }, t.saveResponse);
    replace(
      output,
      h('h2', { id: 'response-h' }, t.response),
      h(
        'dl',
        { class: 'response-facts' },
        h('dt', null, t.status),
        h('dd', { id: 'response-status', class: res.ok ? 'ok' : 'bad' }, `${res.status} ${res.statusText}`),
        h('dt', null, t.time),
        h('dd', { id: 'response-time' }, `${formatInt(Math.round(ms), lang)} ms`),
        h('dt', null, t.size),
        h('dd', null, `${formatInt(bytes.byteLength, lang)} B`),
      ),
      h('details', { class: 'headers' }, h('summary', null, t.headers), h('table', { class: 'header-table' }, h('tbody', null, headers.map(([k, v]) => h('tr', null, h('th', { scope: 'row' }, k), h('td', null, v)))))),
      bodyView,
      save,
    );
    announce(`${t.status} ${res.status}`);
  };

  replace(
    main,
    breadcrumbs([{ label: t.subjects, href: href('', lang) }, { label: t.consoleTitle }], t),
    heading(t.consoleTitle),
    h('p', { class: 'help' }, t.consoleHelp),
    h('div', { class: 'examples', role: 'group', 'aria-label': t.examples }, h('span', { class: 'group-label' }, `${t.examples}: `), exampleButtons),
    exampleError,
    form,
    output,
  );

  // pre-fill: an explicit query from the table page, else the table's default query, else the subject tree
  const pMethod = ctx.params.get('method');
  const pUrl = ctx.params.get('url');
  if (pUrl) {
    set(pMethod === 'POST' ? 'POST' : 'GET', pUrl, ctx.params.get('body') ?? '');
  } else if (tableId) {
    set('POST', v1TableUrl(origin, ctx.dataLang, tableId), '');
    try {
      await tableDefault(tableId);
    } catch (e) {
      if (ctx.alive()) replace(exampleError, errorBox(e, t));
    }
  } else {
    set('GET', `${origin}/api/v0/${ctx.dataLang}/table/`);
  }
}
