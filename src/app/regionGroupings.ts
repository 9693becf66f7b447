// Regions through reforms, answered by the server: a Store decorator that adds, to every variable naming its Klass
// classification (`variable.classification`), one grouping per structure of that classification ("Regional
// structure per 2024-01-01"): each group sums the table's codes of any year into a code valid at that date,
// following merges, renames and number changes through chains of changes (src/klass/reform.ts). A code that was
// split is a `partial` input, so the engine answers those groups with Status.Split instead of a guess.
//
// The groupings live on the metadata, so every route that reads groupings offers them as they are: v2 codelists
// (`agg_reform2024`), v1 `agg:reform2024`, saved queries. Metadata is decorated once per stored meta object and
// cached, so getTable(id).meta and getCube(id).meta of one version stay the same object (the query runner compares
// them to notice a replaced table).

import { SPLIT_SYMBOL, type Grouping, type Note, type TableMeta, type Texts, type Variable } from '../core/model.js';
import type { KlassData, Text } from '../klass/model.js';
import { reformDates, reformStructure } from '../klass/reform.js';
import type { Store, TableRecord } from '../store/store.js';

/** Grouping id of the structure at `date` (v2 shows it as `agg_reform2024`). */
export function reformGroupingId(date: string): string {
  return date.endsWith('-01-01') ? `reform${date.slice(0, 4)}` : `reform${date.replaceAll('-', '')}`;
}

const NORWEGIAN = new Set(['no', 'nb', 'nn']);

function groupingLabel(date: string, langs: readonly string[]): Texts {
  const out: Texts = {};
  for (const l of langs) out[l] = NORWEGIAN.has(l) ? `Regional inndeling per ${date}` : `Regional structure per ${date}`;
  return out;
}

function splitNote(classification: string, langs: readonly string[]): Note {
  const text: Texts = {};
  for (const l of langs) {
    text[l] = NORWEGIAN.has(l)
      ? `Grupperingene «Regional inndeling per <dato>» summerer koder fra alle år til inndelingen på datoen, etter endringene i Klass (${classification.includes(',') ? 'klassifikasjonene' : 'klassifikasjon'} ${classification}). Der en kode ble delt mellom flere nye, kan summen ikke lages fra tabellen: verdien vises som «${SPLIT_SYMBOL}».`
      : `The groupings "Regional structure per <date>" sum the codes of every year into the structure at that date, following the changes in Klass (${classification.includes(',') ? 'classifications' : 'classification'} ${classification}). Where a code was split between several new ones the sum cannot be made from the table: the value is shown as "${SPLIT_SYMBOL}".`;
  }
  return { text, mandatory: false };
}

/** A Klass text in a table language: Norwegian (nb, nn) for no/nb/nn, else English, else any. */
function klassText(t: Text, lang: string): string {
  const pick = lang === 'nn' ? (t.nn ?? t.nb) : NORWEGIAN.has(lang) ? t.nb : t.en;
  return pick ?? t.nb ?? t.en ?? t.nn ?? '';
}

/** The Klass classification ids a variable names: one ("131"), or several for a variable that mixes levels ("131,104"). */
export function classificationIds(v: Variable): string[] {
  return (v.classification?.id ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
}

/**
 * The reform groupings of one variable (empty when no classification is known or no code matches). A variable that
 * names several classifications (municipalities and counties in one region variable) gets one grouping per date
 * that is a structure date of any of them, with the target codes of each classification valid at that date.
 */
export function reformGroupings(v: Variable, klass: KlassData, langs: readonly string[]): Grouping[] {
  const classifications = classificationIds(v)
    .map((id) => klass.classifications.find((c) => String(c.id) === id && !c.deleted))
    .filter((c): c is NonNullable<typeof c> => c !== undefined);
  if (!classifications.length) return [];
  const position = new Map<string, number>();
  v.values.forEach((x, i) => {
    if (!position.has(x.code)) position.set(x.code, i);
  });
  const dates = [...new Set(classifications.flatMap((c) => reformDates(klass, c.id)))].sort();
  const out: Grouping[] = [];
  for (const date of dates) {
    const structures = classifications.map((c) => reformStructure(klass, c.id, date)).filter((s) => s !== undefined);
    const seen = new Set<string>();
    const groups = structures
      .flatMap((s) => s.targets)
      .filter((target) => !seen.has(target.code) && seen.add(target.code))
      .map((target) => {
        const whole = target.whole.filter((c) => position.has(c));
        const partial = target.partial.filter((c) => position.has(c));
        const inputs = [...whole, ...partial].sort((a, b) => position.get(a)! - position.get(b)!);
        const own = position.get(target.code);
        const label: Texts = own !== undefined ? v.values[own].label : Object.fromEntries(langs.map((l) => [l, klassText(target.name, l)]));
        const during = target.during ? Object.fromEntries(Object.entries(target.during).filter(([c]) => position.has(c))) : undefined;
        return { code: target.code, label, inputs, partial, during, first: inputs.length ? position.get(inputs[0])! : -1 };
      })
      .filter((g) => g.inputs.length > 0)
      .sort((a, b) => a.first - b.first);
    if (!groups.length) continue;
    out.push({
      id: reformGroupingId(date),
      label: groupingLabel(date, langs),
      groups: groups.map(({ code, label, inputs, partial, during }) => ({
        code,
        label,
        inputs,
        ...(partial.length ? { partial } : {}),
        // a code split in one structure and whole in another is marked only in the periods of the first
        ...(during && Object.keys(during).length ? { during } : {}),
      })),
    });
  }
  return out;
}

/** The metadata with reform groupings added (the same object when no variable names a classification). */
export function withReformGroupings(meta: TableMeta, klass: KlassData): TableMeta {
  if (!meta.variables.some((v) => v.classification)) return meta;
  let changed = false;
  const variables = meta.variables.map((v) => {
    const extra = reformGroupings(v, klass, meta.languages).filter((g) => !v.groupings?.some((x) => x.id === g.id));
    if (!extra.length) return v;
    changed = true;
    const notes = extra.some((g) => g.groups.some((x) => x.partial)) ? [...(v.notes ?? []), splitNote(classificationIds(v).join(', '), meta.languages)] : v.notes;
    return { ...v, groupings: [...(v.groupings ?? []), ...extra], ...(notes ? { notes } : {}) };
  });
  return changed ? { ...meta, variables } : meta;
}

/**
 * A Store whose records and cubes carry the reform groupings. Everything else passes through to `store` (also
 * properties such as a SQLite path), so the decorated store can stand in for it anywhere.
 */
export function withRegionGroupings(store: Store, klass: KlassData): Store {
  const cache = new WeakMap<TableMeta, TableMeta>();
  const decorate = (meta: TableMeta): TableMeta => {
    let m = cache.get(meta);
    if (!m) {
      m = withReformGroupings(meta, klass);
      cache.set(meta, m);
    }
    return m;
  };
  // the record's own fields as they are, its metadata decorated only when read (listings read the summary and must
  // not load every table's metadata; see store.ts)
  const rec = <R extends TableRecord | undefined>(r: R): R => {
    if (!r) return r;
    const out = Object.create(Object.getPrototypeOf(r)) as TableRecord;
    for (const k of Object.keys(r) as (keyof TableRecord)[]) if (k !== 'meta') Object.defineProperty(out, k, { value: r[k], enumerable: true, writable: true });
    let decorated: TableRecord['meta'] | undefined;
    Object.defineProperty(out, 'meta', { enumerable: true, get: () => (decorated ??= decorate(r.meta)) });
    return out as R;
  };
  // records are copied per call: cache them by record so repeated lookups give the same object too
  const records = new WeakMap<TableRecord, TableRecord>();
  const record = (r: TableRecord | undefined): TableRecord | undefined => {
    if (!r) return r;
    let out = records.get(r);
    if (!out) {
      out = rec(r);
      records.set(r, out);
    }
    return out;
  };
  const overrides: Partial<Store> = {
    getTable: (id) => record(store.getTable(id)),
    listTables: () => store.listTables().map((r) => record(r)!),
    listChildren: (path) => store.listChildren(path).map((c) => (c.kind === 'table' ? { kind: 'table', table: record(c.table)! } : c)),
    getCube: async (id, options) => {
      const cube = await store.getCube(id, options);
      return { ...cube, meta: decorate(cube.meta) };
    },
  };
  return new Proxy(store, {
    get(target, prop) {
      if (typeof prop === 'string' && prop in overrides) return overrides[prop as keyof Store];
      const v = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  }) as Store;
}
