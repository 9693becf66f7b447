// One variable's value picker: search box, select all / none, count selected of total, optional or required,
// and a code list (value set or grouping) choice when the table has them.

import { h, replace, uid } from '../dom.js';
import type { Texts } from '../i18n.js';
import type { Category } from '../jsonstat.js';

export interface PickerVariable {
  code: string;
  label: string;
  elimination: boolean;
  isTime: boolean;
  /** The table's own values. */
  tableValues: Category[];
  codelists: { id: string; label: string; type: string }[];
  /** The chosen code list, if any, and the values it offers. */
  codelist?: string;
  values: Category[];
  selected: Set<string>;
}

/** Selected codes in the order the variable lists them (the order the APIs answer in). */
export function selectedInOrder(v: PickerVariable): string[] {
  return v.values.filter((x) => v.selected.has(x.code)).map((x) => x.code);
}

const MAX_SHOWN = 300;

export interface PickerOptions {
  t: Texts;
  onChange: () => void;
  /** Values of a code list (fetched from /codeLists/{id}). */
  loadCodelist: (id: string) => Promise<Category[]>;
  onError: (e: unknown) => void;
}

export function valuePicker(v: PickerVariable, opts: PickerOptions): HTMLElement {
  const { t } = opts;
  const countId = uid('count');
  const filterId = uid('filter');
  const listId = uid('values');
  const count = h('span', { class: 'count', id: countId, 'aria-live': 'polite' });
  const filter = h('input', { id: filterId, type: 'search', class: 'value-filter', autocomplete: 'off', 'aria-controls': listId });
  const list = h('div', { class: 'value-list', id: listId, role: 'group', 'aria-label': v.label, 'aria-describedby': countId });
  const more = h('p', { class: 'more', 'aria-live': 'polite' });

  const matches = (): Category[] => {
    const q = filter.value.trim().toLowerCase();
    // the newest period first, as people mostly want the latest figures
    const ordered = v.isTime ? [...v.values].reverse() : v.values;
    if (!q) return ordered;
    return ordered.filter((x) => x.label.toLowerCase().includes(q) || x.code.toLowerCase().includes(q));
  };

  const updateCount = () => {
    count.textContent = t.selectedOf(v.selected.size, v.values.length);
    fieldset.classList.toggle('incomplete', !v.elimination && v.selected.size === 0);
  };

  const renderList = () => {
    const found = matches();
    const shown = found.slice(0, MAX_SHOWN);
    replace(
      list,
      shown.map((x) => {
        const id = uid('v');
        const box = h('input', { type: 'checkbox', id, 'data-code': x.code, checked: v.selected.has(x.code) });
        box.addEventListener('change', () => {
          if (box.checked) v.selected.add(x.code);
          else v.selected.delete(x.code);
          updateCount();
          opts.onChange();
        });
        return h('div', { class: 'value' }, box, h('label', { for: id }, x.label, x.label !== x.code && !v.isTime ? h('span', { class: 'code' }, ` ${x.code}`) : null));
      }),
    );
    more.textContent = found.length > shown.length ? t.shownOf(shown.length, found.length) : '';
  };

  const setAll = (on: boolean) => {
    const scope = filter.value.trim() ? matches() : v.values;
    for (const x of scope) {
      if (on) v.selected.add(x.code);
      else v.selected.delete(x.code);
    }
    renderList();
    updateCount();
    opts.onChange();
  };

  filter.addEventListener('input', renderList);

  let codelistControl: HTMLElement | null = null;
  if (v.codelists.length) {
    const selId = uid('codelist');
    const select = h(
      'select',
      { id: selId, class: 'codelist' },
      h('option', { value: '' }, t.noCodelist),
      v.codelists.map((c) => h('option', { value: c.id, selected: c.id === v.codelist }, c.label)),
    );
    select.addEventListener('change', async () => {
      const id = select.value;
      select.disabled = true;
      try {
        v.values = id ? await opts.loadCodelist(id) : v.tableValues;
        v.codelist = id || undefined;
        v.selected.clear();
        renderList();
        updateCount();
        opts.onChange();
      } catch (e) {
        select.value = v.codelist ?? '';
        opts.onError(e);
      } finally {
        select.disabled = false;
      }
    });
    codelistControl = h('div', { class: 'field' }, h('label', { for: selId }, t.codelist), select);
  }

  const latest = v.isTime
    ? h('button', { type: 'button', class: 'secondary small', onclick: () => {
        v.selected.clear();
        const last = v.values[v.values.length - 1];
        if (last) v.selected.add(last.code);
        renderList();
        updateCount();
        opts.onChange();
      } }, t.latest)
    : null;

  const fieldset = h(
    'fieldset',
    { class: 'picker', 'data-variable': v.code },
    h(
      'legend',
      null,
      h('span', { class: 'var-label' }, v.label),
      ' ',
      h('span', { class: v.elimination ? 'badge optional' : 'badge required', title: v.elimination ? t.optionalHelp : undefined }, v.elimination ? t.optional : t.mandatory),
    ),
    codelistControl,
    h('div', { class: 'field' }, h('label', { for: filterId, class: 'visually-hidden' }, t.filterValues(v.label)), filter),
    h(
      'div',
      { class: 'picker-tools' },
      h('button', { type: 'button', class: 'secondary small', onclick: () => setAll(true) }, t.selectAll),
      h('button', { type: 'button', class: 'secondary small', onclick: () => setAll(false) }, t.selectNone),
      latest,
      count,
    ),
    list,
    more,
  );
  filter.placeholder = t.filterValues(v.label);
  renderList();
  updateCount();
  return fieldset;
}
