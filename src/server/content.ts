// Content beside the tables that an office configures as files: ready-made datasets (a JSON list of fixed v1
// queries) and Klass classifications (a JSON document). `statbank demo` writes the demo's next to its database,
// where a server on that database finds them without settings.

import { existsSync, readFileSync } from 'node:fs';
import type { AppConfig } from '../app/config.js';
import type { ReadyMadeDataset } from '../datasets/catalog.js';
import type { KlassData } from '../klass/model.js';
import type { SavedQuerySeed } from '../app/savedQuerySeeds.js';

export interface Content {
  datasets: ReadyMadeDataset[];
  klass: KlassData | undefined;
  savedQuerySeeds: SavedQuerySeed[];
}

/** Where the content files of a database are by default: beside a SQLite file. */
export function contentFiles(dbPath: string): { datasets: string; klass: string } | undefined {
  if (!dbPath || dbPath === ':memory:' || /^[a-z][a-z0-9+.-]*:\/\//i.test(dbPath)) return undefined;
  return { datasets: `${dbPath}.datasets.json`, klass: `${dbPath}.klass.json` };
}

export function loadContent(config: AppConfig): Content {
  const beside = contentFiles(config.dbPath);
  const datasetsFile = config.datasetsFile || (beside && existsSync(beside.datasets) ? beside.datasets : '');
  const klassFile = config.klassFile || (beside && existsSync(beside.klass) ? beside.klass : '');
  return {
    datasets: datasetsFile ? readJson<ReadyMadeDataset[]>(datasetsFile, 'datasets') : [],
    klass: klassFile ? readJson<KlassData>(klassFile, 'Klass data') : undefined,
    // seeds are code (they check the table they fit); `statbank demo` stores the demo's query itself
    savedQuerySeeds: [],
  };
}

function readJson<T>(path: string, what: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (e) {
    throw new Error(`cannot read the ${what} file ${path}: ${(e as Error).message}`);
  }
}
