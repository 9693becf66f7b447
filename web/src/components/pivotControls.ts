// The layout of a result: which variables go down the side (rows) and which across (columns), in which order.
// Each variable can be dragged to the other list or to a new place, or moved with its buttons (keyboard).

import { h } from '../dom.js';
import type { Texts } from '../i18n.js';
import type { Dataset } from '../jsonstat.js';
import type { Placement } from '../query.js';

type Side = 'stub' | 'heading';

/** Move `code` to `side` at `index` (the placement is not changed in place). */
export function movePlacement(p: Placement, code: string, side: Side, index: number): Placement {
  const stub = p.stub.filter((c) => c !== code);
  const heading = p.heading.filter((c) => c !== code);
  const target = side === 'stub' ? stub : heading;
  target.splice(Math.max(0, Math.min(index, target.length)), 0, code);
  return { stub, heading };
}

export function pivotControls(ds: Dataset, placement: Placement, t: Texts, apply: (p: Placement, message: string) => void, open = false): HTMLElement {
  const label = (code: string) => ds.dims.find((d) => d.code === code)?.label ?? code;
  const list = (side: Side) => {
    const codes = placement[side];
    const other: Side = side === 'stub' ? 'heading' : 'stub';
    const ul = h('ul', { class: 'pivot-list', 'data-side': side, 'aria-labelledby': `pivot-${side}-h` });
    codes.forEach((code, i) => {
      const name = label(code);
      const move = (s: Side, at: number, message: string) => {
        apply(movePlacement(placement, code, s, at), message);
        // keep the keyboard where it was: on the moved variable's matching button
        const sel = `.pivot-list[data-side="${s}"] li[data-code="${CSS.escape(code)}"] button`;
        (document.querySelector(sel) as HTMLElement | null)?.focus();
      };
      const li = h(
        'li',
        { 'data-code': code, draggable: 'true' },
        h('span', { class: 'grip', 'aria-hidden': 'true' }, '⠿ '),
        h('span', { class: 'pivot-name' }, name),
        h(
          'span',
          { class: 'pivot-buttons' },
          h('button', { type: 'button', class: 'secondary small', 'aria-label': t.moveUp(name), disabled: i === 0, onclick: () => move(side, i - 1, t.movedUp(name)) }, '↑'),
          h('button', { type: 'button', class: 'secondary small', 'aria-label': t.moveDown(name), disabled: i === codes.length - 1, onclick: () => move(side, i + 1, t.movedDown(name)) }, '↓'),
          h('button', { type: 'button', class: 'secondary small move-side', 'aria-label': other === 'heading' ? t.toColumns(name) : t.toRows(name), onclick: () => move(other, placement[other].length, other === 'heading' ? t.movedToColumns(name) : t.movedToRows(name)) }, other === 'heading' ? '→' : '←'),
        ),
      );
      li.addEventListener('dragstart', (e) => {
        e.dataTransfer?.setData('text/plain', code);
        if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move';
      });
      ul.appendChild(li);
    });
    ul.addEventListener('dragover', (e) => {
      e.preventDefault();
      ul.classList.add('drop');
    });
    ul.addEventListener('dragleave', () => ul.classList.remove('drop'));
    ul.addEventListener('drop', (e) => {
      e.preventDefault();
      ul.classList.remove('drop');
      const code = e.dataTransfer?.getData('text/plain');
      if (!code || !ds.dims.some((d) => d.code === code)) return;
      // dropped before the item under the pointer, else at the end
      const over = (e.target as Element | null)?.closest('li');
      const overCode = over?.getAttribute('data-code');
      let at = placement[side].length;
      if (overCode && overCode !== code) {
        const rect = over!.getBoundingClientRect();
        const idx = placement[side].filter((c) => c !== code).indexOf(overCode);
        at = e.clientY > rect.top + rect.height / 2 ? idx + 1 : idx;
      }
      apply(movePlacement(placement, code, side, at), side === 'heading' ? t.movedToColumns(label(code)) : t.movedToRows(label(code)));
    });
    return ul;
  };
  return h(
    'details',
    { class: 'pivot-controls', open: open || undefined },
    h('summary', null, t.layout),
    h(
      'div',
      { class: 'pivot-lists' },
      h('div', null, h('h3', { id: 'pivot-stub-h' }, t.rowsLabel), list('stub')),
      h('div', null, h('h3', { id: 'pivot-heading-h' }, t.columnsLabel), list('heading')),
    ),
    h('p', { class: 'help' }, t.layoutHelp),
  );
}
