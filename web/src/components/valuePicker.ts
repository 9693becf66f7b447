// One variable's picker. A mode menu says what to take: the total (the variable left out, where it may be),
// picked values, the latest N periods, from a period onwards, a range of periods, every value, or a wildcard
// pattern. Picked values come from a listbox (one Tab stop; arrows move, space selects, shift+arrows select a
// range, typing jumps to a label), narrowed by a search box; a code list (value set or grouping) may replace the
// table's own values.

import { announce, h, replace, uid } from '../dom.js';
import type { Texts } from '../i18n.js';
import type { Category } from '../jsonstat.js';
import { kindsFor, resolveChoice, type Choice, type ChoiceKind } from '../selection.js';

export interface PickerVariable {
  code: string;
  label: string;
  elimination: boolean;
  eliminationValueCode?: string;
  isTime: boolean;
  /** The table's own values. */
  tableValues: Category[];
  codelists: { id: string; label: string; type: string }[];
  /** The chosen code list, if any, and the values it offers. */
  codelist?: string;
  values: Category[];
  /** Picked codes (the `items` choice). */
  selected: Set<string>;
  choice: Choice;
}

/** The codes the variable's choice gives today, in the order the variable lists them. */
export function selectedInOrder(v: PickerVariable): string[] {
  return resolveChoice(v.choice, v.values, v.selected);
}

const MAX_SHOWN = 300;
const TYPEAHEAD_RESET_MS = 700;

export interface PickerOptions {
  t: Texts;
  onChange: () => void;
  /** Values of a code list (fetched from /codeLists/{id}). */
  loadCodelist: (id: string) => Promise<Category[]>;
  onError: (e: unknown) => void;
}

/** A multi-select listbox over `items()`; `selected` is changed in place. */
function listbox(label: string, describedBy: string, items: () => Category[], selected: Set<string>, showCode: boolean, changed: () => void): { el: HTMLElement; render: () => void } {
  const el = h('ul', { class: 'value-list', role: 'listbox', 'aria-multiselectable': 'true', 'aria-label': label, 'aria-describedby': describedBy, tabindex: 0 });
  let shown: Category[] = [];
  let active = 0;
  let anchor = 0;
  let typed = '';
  let typedAt = 0;
  const idBase = uid('opt');
  const optionId = (i: number) => `${idBase}-${i}`;

  const paint = () => {
    el.querySelectorAll('[role=option]').forEach((o, i) => {
      const on = selected.has(shown[i].code);
      o.setAttribute('aria-selected', String(on));
      o.classList.toggle('active', i === active);
    });
    if (shown.length) el.setAttribute('aria-activedescendant', optionId(active));
    else el.removeAttribute('aria-activedescendant');
  };
  const moveTo = (i: number) => {
    active = Math.max(0, Math.min(shown.length - 1, i));
    paint();
    (el.querySelector(`#${optionId(active)}`) as HTMLElement | null)?.scrollIntoView({ block: 'nearest' });
  };
  const toggle = (i: number) => {
    const c = shown[i]?.code;
    if (c === undefined) return;
    if (selected.has(c)) selected.delete(c);
    else selected.add(c);
    anchor = i;
    paint();
    changed();
  };
  const selectRange = (a: number, b: number) => {
    for (let i = Math.min(a, b); i <= Math.max(a, b); i++) selected.add(shown[i].code);
    paint();
    changed();
  };
  el.addEventListener('keydown', (e) => {
    if (!shown.length) return;
    // any key but a letter ends the type-ahead word (so "oslo", space, "stav" finds Stavanger)
    if (e.key.length !== 1 || e.key === ' ') typed = '';
    const step: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10 };
    if (e.key in step) {
      e.preventDefault();
      const next = Math.max(0, Math.min(shown.length - 1, active + step[e.key]));
      if (e.shiftKey) {
        moveTo(next);
        selectRange(anchor, next);
      } else {
        moveTo(next);
      }
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      const next = e.key === 'Home' ? 0 : shown.length - 1;
      if (e.shiftKey && e.ctrlKey) {
        moveTo(next);
        selectRange(anchor, next);
      } else moveTo(next);
    } else if (e.key === ' ' || e.key === 'Enter') {
      e.preventDefault();
      if (e.shiftKey) selectRange(anchor, active);
      else toggle(active);
    } else if ((e.key === 'a' || e.key === 'A') && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      const all = shown.every((x) => selected.has(x.code));
      for (const x of shown) {
        if (all) selected.delete(x.code);
        else selected.add(x.code);
      }
      paint();
      changed();
    } else if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) {
      // type-ahead: jump to the first label that starts with what was typed
      e.preventDefault();
      const now = Date.now();
      typed = now - typedAt > TYPEAHEAD_RESET_MS ? e.key.toLowerCase() : typed + e.key.toLowerCase();
      typedAt = now;
      const start = typed.length === 1 ? active + 1 : active;
      // a label that is exactly what was typed wins ("oslo": Oslo before "Oslo (fylke)"), else the next that starts so
      const exact = typed.length > 1 ? shown.findIndex((x) => x.label.toLowerCase() === typed) : -1;
      if (exact >= 0) moveTo(exact);
      else
        for (let k = 0; k < shown.length; k++) {
          const i = (start + k) % shown.length;
          const x = shown[i];
          if (x.label.toLowerCase().startsWith(typed) || x.code.toLowerCase().startsWith(typed)) {
            moveTo(i);
            break;
          }
        }
    }
  });
  const render = () => {
    shown = items().slice(0, MAX_SHOWN);
    active = Math.min(active, Math.max(0, shown.length - 1));
    replace(
      el,
      shown.map((x, i) => {
        const li = h('li', { role: 'option', id: optionId(i), 'data-code': x.code, 'aria-selected': 'false' }, h('span', { class: 'tick', 'aria-hidden': 'true' }), x.label, showCode && x.label !== x.code ? h('span', { class: 'code' }, ` ${x.code}`) : null);
        li.addEventListener('click', (e) => {
          active = i;
          if (e.shiftKey) selectRange(anchor, i);
          else toggle(i);
          el.focus({ preventScroll: true });
        });
        return li;
      }),
    );
    paint();
  };
  return { el, render };
}

export function valuePicker(v: PickerVariable, opts: PickerOptions): HTMLElement {
  const { t } = opts;
  const countId = uid('count');
  const filterId = uid('filter');
  const modeId = uid('mode');
  const count = h('span', { class: 'count', id: countId });
  const filter = h('input', { id: filterId, type: 'search', class: 'value-filter', autocomplete: 'off' });
  const more = h('p', { class: 'more', 'aria-live': 'polite' });
  const body = h('div', { class: 'picker-body' });

  const ordered = (): Category[] => (v.isTime ? [...v.values].reverse() : v.values); // newest period first
  const matches = (): Category[] => {
    const q = filter.value.trim().toLowerCase();
    return q ? ordered().filter((x) => x.label.toLowerCase().includes(q) || x.code.toLowerCase().includes(q)) : ordered();
  };

  const changed = () => {
    updateCount();
    opts.onChange();
  };
  const box = listbox(v.label, countId, matches, v.selected, !v.isTime, changed);

  const updateCount = () => {
    const codes = selectedInOrder(v);
    const n = codes.length;
    let text = t.selectedOf(n, v.values.length);
    if (v.choice.kind === 'total') text = t.totalChosen;
    else if (v.choice.kind !== 'items' && n) {
      const first = v.values.find((x) => x.code === codes[0])?.label ?? codes[0];
      const last = v.values.find((x) => x.code === codes[n - 1])?.label ?? codes[n - 1];
      text += n > 1 ? ` (${first} – ${last})` : ` (${first})`;
    }
    count.textContent = text;
    count.dataset.n = String(n);
    fieldset.classList.toggle('incomplete', !v.elimination && n === 0);
    const f = matches().length;
    more.textContent = v.choice.kind === 'items' && f > MAX_SHOWN ? t.shownOf(MAX_SHOWN, f) : '';
  };

  filter.addEventListener('input', () => {
    box.render();
    updateCount();
  });

  const periodSelect = (id: string, value: string, onPick: (c: string) => void) => {
    const s = h('select', { id, class: 'period' }, ordered().map((x) => h('option', { value: x.code, selected: x.code === value }, x.label)));
    s.addEventListener('change', () => onPick(s.value));
    return s;
  };

  let codelistControl: HTMLElement | null = null;
  let codelistSelect: HTMLSelectElement | null = null;
  if (v.codelists.length) {
    const selId = uid('codelist');
    const isStructure = (id: string | undefined) => !!id && /^agg_reform/i.test(id);
    const structures = v.codelists.filter((c) => isStructure(c.id)).sort((a, b) => b.id.localeCompare(a.id));
    const others = v.codelists.filter((c) => !isStructure(c.id));
    const select = h(
      'select',
      { id: selId, class: 'codelist' },
      h('option', { value: '' }, t.noCodelist),
      // the regional structures per date (municipal reforms) as a choice of their own, newest first
      structures.length
        ? [
            h('optgroup', { label: t.regionalStructures, class: 'structures' }, structures.map((c) => h('option', { value: c.id, selected: c.id === v.codelist }, c.label))),
            others.length ? h('optgroup', { label: t.otherCodelists }, others.map((c) => h('option', { value: c.id, selected: c.id === v.codelist }, c.label))) : null,
          ]
        : v.codelists.map((c) => h('option', { value: c.id, selected: c.id === v.codelist }, c.label)),
    );
    const structureHelp = h('p', { class: 'help structure-help', hidden: !isStructure(v.codelist) }, t.regionalStructureHelp);
    select.addEventListener('change', async () => {
      const id = select.value;
      try {
        v.values = id ? await opts.loadCodelist(id) : v.tableValues;
        v.codelist = id || undefined;
        structureHelp.hidden = !isStructure(v.codelist);
        v.selected.clear();
        filter.value = '';
        box.render();
        changed();
      } catch (e) {
        select.value = v.codelist ?? '';
        opts.onError(e);
      }
    });
    codelistControl = h('div', { class: 'field' }, h('label', { for: selId }, t.codelist), select, structureHelp);
    codelistSelect = select;
  }

  const renderBody = () => {
    const c = v.choice;
    switch (c.kind) {
      case 'total': {
        const elim = v.eliminationValueCode ? v.tableValues.find((x) => x.code === v.eliminationValueCode)?.label : undefined;
        replace(body, h('p', { class: 'help total-help' }, elim ? t.totalHelpValue(elim) : t.totalHelp));
        break;
      }
      case 'items':
        replace(
          body,
          codelistControl,
          h('div', { class: 'field' }, h('label', { for: filterId, class: 'visually-hidden' }, t.filterValues(v.label)), filter),
          box.el,
          more,
          h('div', { class: 'picker-tools' }, h('button', { type: 'button', class: 'secondary small', onclick: () => setAll(true) }, t.selectAll), h('button', { type: 'button', class: 'secondary small', onclick: () => setAll(false) }, t.selectNone)),
          h('p', { class: 'help keys-help' }, t.listboxHelp),
        );
        box.render();
        break;
      case 'top': {
        const id = uid('n');
        const input = h('input', { id, type: 'number', min: 1, max: v.values.length, value: c.n, class: 'top-n', inputmode: 'numeric' });
        input.addEventListener('focus', () => input.select());
        input.addEventListener('input', () => {
          const n = Math.floor(Number(input.value));
          if (Number.isFinite(n) && n > 0) {
            v.choice = { kind: 'top', n: Math.min(n, v.values.length) };
            changed();
          }
        });
        replace(body, h('div', { class: 'field inline' }, h('label', { for: id }, t.latestCount), input));
        break;
      }
      case 'from': {
        const id = uid('from');
        replace(body, h('div', { class: 'field inline' }, h('label', { for: id }, t.fromPeriod), periodSelect(id, c.code, (code) => ((v.choice = { kind: 'from', code }), changed()))));
        break;
      }
      case 'range': {
        const a = uid('rfrom');
        const b = uid('rto');
        replace(
          body,
          h('div', { class: 'field inline' }, h('label', { for: a }, t.rangeFrom), periodSelect(a, c.from, (code) => ((v.choice = { kind: 'range', from: code, to: (v.choice as { to: string }).to }), changed()))),
          h('div', { class: 'field inline' }, h('label', { for: b }, t.rangeTo), periodSelect(b, c.to, (code) => ((v.choice = { kind: 'range', from: (v.choice as { from: string }).from, to: code }), changed()))),
        );
        break;
      }
      case 'pattern': {
        const id = uid('pattern');
        const input = h('input', { id, type: 'text', class: 'pattern', value: c.pattern, autocomplete: 'off', spellcheck: 'false', 'aria-describedby': `${id}-help` });
        input.addEventListener('input', () => {
          v.choice = { kind: 'pattern', pattern: input.value };
          changed();
        });
        replace(body, h('div', { class: 'field' }, h('label', { for: id }, t.patternLabel), input, h('p', { class: 'help', id: `${id}-help` }, t.patternHelp)));
        break;
      }
      case 'all':
        replace(body, h('p', { class: 'help' }, t.allHelp));
        break;
    }
  };

  const setAll = (on: boolean) => {
    const scope = filter.value.trim() ? matches() : v.values;
    for (const x of scope) {
      if (on) v.selected.add(x.code);
      else v.selected.delete(x.code);
    }
    box.render();
    changed();
  };

  // a variable that must be chosen and has one value has nothing to choose
  const fixed = !v.elimination && v.values.length === 1 && !v.codelists.length;
  const kinds = kindsFor(v.isTime, v.elimination);
  const mode = h('select', { id: modeId, class: 'mode' }, kinds.map((k) => h('option', { value: k, selected: k === v.choice.kind }, t.modeNames[k])));
  mode.addEventListener('change', () => {
    const k = mode.value as ChoiceKind;
    const codes = selectedInOrder(v);
    // periods, patterns and "every value" are about the table's own values, not a code list's
    if (k !== 'items' && v.codelist) {
      v.codelist = undefined;
      v.values = v.tableValues;
      v.selected.clear();
      codelistSelect && (codelistSelect.value = '');
    }
    const newest = v.values[v.values.length - 1]?.code ?? '';
    const oldest = codes[0] ?? v.values[0]?.code ?? '';
    switch (k) {
      case 'items':
        // keep what the previous mode gave, as picked values
        v.selected.clear();
        for (const c of codes) v.selected.add(c);
        v.choice = { kind: 'items' };
        break;
      case 'top':
        v.choice = { kind: 'top', n: Math.max(1, Math.min(codes.length || 1, v.values.length)) };
        break;
      case 'from':
        v.choice = { kind: 'from', code: oldest };
        break;
      case 'range':
        v.choice = { kind: 'range', from: oldest, to: codes[codes.length - 1] ?? newest };
        break;
      case 'pattern':
        v.choice = { kind: 'pattern', pattern: '' };
        break;
      default:
        v.choice = { kind: k } as Choice;
    }
    renderBody();
    changed();
    announce(t.modeNames[k]);
  });

  const fieldset = h(
    'fieldset',
    { class: 'picker', 'data-variable': v.code, 'data-mode': v.choice.kind },
    h(
      'legend',
      null,
      h('span', { class: 'var-label' }, v.label),
      ' ',
      h('span', { class: v.elimination ? 'badge optional' : 'badge required' }, v.elimination ? t.optional : t.mandatory),
    ),
    fixed ? h('p', { class: 'fixed-value' }, v.values[0].label) : [h('div', { class: 'field' }, h('label', { for: modeId }, t.modeLabel), mode), body, h('p', { class: 'count-line' }, count)],
  );
  mode.addEventListener('change', () => (fieldset.dataset.mode = v.choice.kind));
  filter.placeholder = t.filterValues(v.label);
  if (!fixed) renderBody();
  updateCount();
  return fieldset;
}
