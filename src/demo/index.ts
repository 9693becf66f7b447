// The demo database: a subject tree shaped like Statistics Norway's with 23 tables of generated numbers
// (every table says so in a mandatory note). Deterministic: the same options give the same bytes.
// The course exercises (shared spec course-exercises.md) run against it as written.

import type { Cube, Texts } from '../core/model.js';
import type { Store, TableRecord } from '../store/store.js';
import { t, type DemoContext, type DemoTableDef } from './build.js';
import { CRIME_TABLES, PUBLIC_SECTOR_TABLES } from './crime.js';
import { LABOUR_TABLES } from './labour.js';
import { POPULATION_TABLES } from './population.js';
import { PRICE_TABLES } from './prices.js';
import { TRADE_TABLES, TRANSPORT_TABLES } from './tradeTransport.js';

import type { SavedQuerySeed } from '../app/savedQuerySeeds.js';
import type { ReadyMadeDataset } from '../datasets/catalog.js';
import type { KlassData } from '../klass/model.js';
import { DEMO_DATASETS } from './datasets.js';
import { demoKlassData } from './klass.js';
import { DEMO_SAVED_QUERIES } from './savedQueries.js';
export { DEMO_NOTE, DEMO_SOURCE, SSB_SYMBOLS } from './build.js';

export interface DemoOptions {
  /** Newest year of the data (default 2025). A later year publishes new versions with one more year. */
  lastYear?: number;
  /** Leave out the large table (05196, about 5.8 million cells) for fast tests. */
  small?: boolean;
}

export const DEFAULT_LAST_YEAR = 2025;

/** Subject folders, parents before children. */
export const DEMO_FOLDERS: { path: string; label: Texts }[] = [
  { path: 'al', label: t('Arbeid og lønn', 'Labour market and earnings') },
  { path: 'al/al01', label: t('Arbeidskraftundersøkelsen', 'Labour force survey') },
  { path: 'al/al04', label: t('Lønn', 'Earnings') },
  { path: 'be', label: t('Befolkning', 'Population') },
  { path: 'be/be01', label: t('Folkemengde', 'Population count') },
  { path: 'be/be02', label: t('Fødte og døde', 'Births and deaths') },
  { path: 'be/be03', label: t('Befolkningsframskrivinger', 'Population projections') },
  { path: 'be/be04', label: t('Innvandring og statsborgerskap', 'Immigration and citizenship') },
  { path: 'os', label: t('Offentlig sektor', 'Public sector') },
  { path: 'os/os01', label: t('Kommuneregnskap (KOSTRA)', 'Municipal accounts (KOSTRA)') },
  { path: 'pp', label: t('Priser og prisindekser', 'Prices and price indices') },
  { path: 'pp/pp01', label: t('Boligpriser og boligprisindekser', 'House prices and house price indices') },
  { path: 'pp/pp04', label: t('Konsumpriser', 'Consumer prices') },
  { path: 'sk', label: t('Sosiale forhold og kriminalitet', 'Social conditions, welfare and crime') },
  { path: 'sk/sk02', label: t('Kriminalitet', 'Crime') },
  { path: 'tr', label: t('Transport og reiseliv', 'Transport and tourism') },
  { path: 'tr/tr01', label: t('Veitransport', 'Road transport') },
  { path: 'tr/tr01/kilt', label: t('Kostnadsindeks for lastebiltransport', 'Cost index for road goods transport') },
  { path: 'tr/tr02', label: t('Bilparken', 'Motor vehicles') },
  { path: 'uh', label: t('Utenrikshandel', 'External trade') },
  { path: 'uh/uh01', label: t('Utenrikshandel med varer', 'External trade in goods') },
];

const TABLES: DemoTableDef[] = [
  ...LABOUR_TABLES,
  ...POPULATION_TABLES,
  ...PUBLIC_SECTOR_TABLES,
  ...PRICE_TABLES,
  ...CRIME_TABLES,
  ...TRANSPORT_TABLES,
  ...TRADE_TABLES,
];

export interface DemoTableInfo {
  id: string;
  folders: string[];
  shortName?: string;
  discontinued?: boolean;
  /** Left out when `small` is set. */
  large: boolean;
  published: string;
}

function context(opts: DemoOptions = {}): DemoContext {
  const lastYear = opts.lastYear ?? DEFAULT_LAST_YEAR;
  // The CPI is based on 2015 and exercise 1 needs a newest year after 2021.
  if (!Number.isInteger(lastYear) || lastYear < 2022 || lastYear > 2099) {
    throw new RangeError(`lastYear must be an integer from 2022 to 2099, got ${String(opts.lastYear)}`);
  }
  return { lastYear };
}

/** The demo tables that `generateDemo` writes with these options, in writing order. */
export function listDemoTables(opts: DemoOptions = {}): DemoTableInfo[] {
  const ctx = context(opts);
  return TABLES.filter((d) => !(opts.small && d.large)).map((d) => {
    const info: DemoTableInfo = { id: d.id, folders: d.folders, large: !!d.large, published: d.published(ctx) };
    if (d.shortName) info.shortName = d.shortName;
    if (d.discontinued) info.discontinued = true;
    return info;
  });
}

/** Build one demo table's cube without storing it; undefined for an unknown id. */
export function buildDemoTable(id: string, opts: DemoOptions = {}): Cube | undefined {
  const d = TABLES.find((x) => x.id === id);
  return d?.build(context(opts));
}

/** Write the demo folders and tables into `store` (replacing earlier versions of the same tables). */
export function generateDemo(store: Store, opts: DemoOptions = {}): TableRecord[] {
  const ctx = context(opts);
  for (const f of DEMO_FOLDERS) store.putFolder(f.path, f.label);
  const out: TableRecord[] = [];
  for (const d of TABLES) {
    if (opts.small && d.large) continue;
    const options = { folders: d.folders, shortName: d.shortName, published: d.published(ctx), discontinued: d.discontinued ?? false };
    out.push(store.putTable(d.build(ctx), options));
  }
  return out;
}

/**
 * The demo's content beside its tables: ready-made datasets, Klass classifications and the course's saved query.
 * The server never loads these by itself: `statbank demo` writes them beside the database, tests pass them in.
 */
export function demoContent(): { datasets: ReadyMadeDataset[]; klass: KlassData; savedQuerySeeds: SavedQuerySeed[] } {
  return { datasets: DEMO_DATASETS, klass: demoKlassData(), savedQuerySeeds: DEMO_SAVED_QUERIES };
}
