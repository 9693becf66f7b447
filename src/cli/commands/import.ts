// statbank import: PX files, or folder trees of them, into the database, with a summary of what failed.
//
// - A folder given on the command line is a subject tree: each sub-folder becomes a folder of the database (under
//   --folder when given), its label taken from a `folder.json` inside it ({"no": "Befolkning", "en": "Population"},
//   or {"label": {...}, "sort": "01"}), else from the PX SUBJECT-AREA of the first table stored there, else its name.
// - Resumable: a table whose current version has the same content (metadata and cells), folders and short name is
//   skipped, so running a whole-catalogue import again after an interruption stores only what is missing or changed.
// - Each file costs what the file costs: the store is opened with a lazy catalogue (the folders at open, a table's
//   record when a file names it), and a put touches that table alone (no catalogue-wide work per file), so one
//   table into a large database costs about what the table costs, and a whole-catalogue import is linear.

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative, sep } from 'node:path';
import { Status, STATUS_TOKENS, symbolText, type Cube, type TableMeta, type Texts } from '../../core/model.js';
import { readPxFile } from '../../formats/px/reader.js';
import { carryOverValueSets } from '../../publishing/carryOver.js';
import type { PutTableOptions, Store, TableRecord } from '../../store/store.js';
import { withStore } from '../db.js';
import { CliError, type Cli } from '../io.js';
import { ensureFolder } from '../util.js';
import { progressBar } from './progress.js';

export interface ImportOptions {
  db?: string;
  folder?: string;
  folderLabel?: string;
  id?: string;
  language: string;
  /** `Variable=classification id` pairs: the classification each named variable follows (Klass 131, 104 ...). */
  classification?: string[];
  /** `Variable=symbol` pairs: the symbol a variable's cells carry in periods its code did not exist. */
  absent?: string[];
}

/** `--classification Region=131` -> { Region: '131' }; a malformed pair is a clear error. */
export function classificationsOf(pairs: readonly string[] = [], flag = '--classification', example = 'Region=131'): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of pairs) {
    const m = /^([^=\s]+)=(\S+)$/.exec(p.trim());
    if (!m) throw new CliError(`${flag} takes VARIABLE=VALUE (e.g. ${example}), not ${JSON.stringify(p)}`);
    out.set(m[1], m[2]);
  }
  return out;
}

/**
 * The status whose symbol is `symbol` in the table (its DATASYMBOLn text in the default language, else the stored
 * dots): `--absent Region=.` names the symbol of cells whose code did not exist in that period.
 */
function absentStatusOf(meta: TableMeta, symbol: string): number | undefined {
  for (let s = Status.Dot1; s <= Status.Dot6; s++) if (symbolText(meta, s, meta.defaultLanguage) === symbol) return s;
  for (let s = Status.Dot1; s <= Status.Dot6; s++) if (STATUS_TOKENS[s] === symbol) return s;
  return undefined;
}

/** One file to import and the folder path (below --folder) its directory maps to. */
interface Source {
  file: string;
  /** Directory segments from the tree root to the file ([] for a file named directly or at the root). */
  segments: string[];
  /** The directories of those segments, for their folder files. */
  dirs: string[];
}

/** The PX files under `p` (a file or a folder tree), sorted, with their place in the tree. */
export function sourcesOf(p: string): Source[] {
  if (!existsSync(p) || !statSync(p).isDirectory()) return [{ file: p, segments: [], dirs: [] }];
  const out: Source[] = [];
  const walk = (dir: string) => {
    for (const n of readdirSync(dir).sort()) {
      const q = join(dir, n);
      if (statSync(q).isDirectory()) walk(q);
      else if (extname(n).toLowerCase() === '.px') {
        const rel = relative(p, dirname(q));
        const segments = rel === '' ? [] : rel.split(sep);
        out.push({ file: q, segments: segments.map(folderId), dirs: segments.map((_, i) => join(p, ...segments.slice(0, i + 1))) });
      }
    }
  };
  walk(p);
  return out;
}

/** A directory name as a folder id: no slashes, control characters or surrounding blanks. */
function folderId(name: string): string {
  const id = name.replace(/[/\\\u0000-\u001f\u007f]/g, '_').trim();
  return id || '_';
}

interface FolderFile {
  label?: Texts;
  sort?: string;
}

/** The folder file of a directory, if any: `folder.json` with texts per language, or {label, sort}. */
function readFolderFile(dir: string): FolderFile | undefined {
  const f = join(dir, 'folder.json');
  if (!existsSync(f)) return undefined;
  let j: unknown;
  try {
    j = JSON.parse(readFileSync(f, 'utf8'));
  } catch (e) {
    throw new CliError(`${f}: ${(e as Error).message}`);
  }
  if (j === null || typeof j !== 'object' || Array.isArray(j)) throw new CliError(`${f}: expected an object`);
  const o = j as Record<string, unknown>;
  const texts = (t: unknown): Texts | undefined =>
    t !== null && typeof t === 'object' && !Array.isArray(t) && Object.values(t).every((v) => typeof v === 'string') ? (t as Texts) : undefined;
  if ('label' in o || 'sort' in o) return { label: texts(o.label), sort: typeof o.sort === 'string' ? o.sort : undefined };
  return { label: texts(o) };
}

/** Creates the folders of the tree as tables arrive, each once. */
class TreeFolders {
  private readonly done = new Map<string, string>();

  constructor(private readonly store: Store) {}

  /** The folder path for a source under `base`, creating what is missing; `subject` labels a new leaf. */
  pathFor(base: string, src: Source, subject: Texts | undefined): string {
    let path = base;
    src.segments.forEach((seg, i) => {
      path = path ? `${path}/${seg}` : seg;
      if (this.done.has(path)) return;
      const file = readFolderFile(src.dirs[i]);
      const existing = this.store.getFolder(path);
      const leaf = i === src.segments.length - 1;
      const label = file?.label ?? existing?.label ?? (leaf && subject && Object.keys(subject).length ? subject : { no: seg, en: seg });
      if (!existing || file) this.store.putFolder(path, label, file?.sort);
      this.done.set(path, path);
    });
    return path;
  }
}

/** A batch of a bulk import: at most this many files, or this many bytes of cells held in memory. */
const BATCH_FILES = 64;
const BATCH_BYTES = 256 * 1024 * 1024;

/** Exit code 0 when every file was imported (or was unchanged), 2 when some failed, 1 when all did. */
export async function importFiles(cli: Cli, paths: string[], o: ImportOptions): Promise<number> {
  const sources = paths.flatMap((p) => sourcesOf(p));
  if (!sources.length) throw new CliError('No PX files found');
  const classifications = classificationsOf(o.classification);
  const absent = classificationsOf(o.absent, '--absent', 'Region=.');
  const ok: string[] = [];
  let unchanged = 0;
  let bytes = 0;
  const failed: { file: string; reason: string }[] = [];
  const warned: { file: string; text: string }[] = [];
  const started = Date.now();
  const dbPath = await withStore(o.db, { lazyCatalog: true }, async (store, dbPath) => {
    const base = o.folder ? ensureFolder(store, o.folder, o.folderLabel) : '';
    const tree = new TreeFolders(store);
    const put = (cube: Parameters<Store['putTable']>[0], opts: PutTableOptions): { record: TableRecord; stored: boolean } => {
      const s = store as Store & { putTableIfChanged?: (c: typeof cube, o: PutTableOptions) => { record: TableRecord; stored: boolean } };
      return typeof s.putTableIfChanged === 'function' ? s.putTableIfChanged(cube, opts) : { record: store.putTable(cube, opts), stored: true };
    };
    const bar = progressBar(cli, 'import [{bar}] {value}/{total} {file}');
    bar.start(sources.length, 0, { file: '' });
    // A store that can (SQLite) commits files in batches: one commit per BATCH_FILES files or BATCH_BYTES of PX,
    // so a whole-catalogue import writes shared pages once per batch. An interrupted run keeps every batch committed
    // before, and the next run skips those tables as unchanged.
    const batching = store as Store & { batch?: <T>(f: () => T) => T };
    let waiting: { src: Source; cube: Cube; warnings: string[]; size: number }[] = [];
    let waitingBytes = 0;
    const flush = () => {
      const list = waiting;
      waiting = [];
      waitingBytes = 0;
      const putAll = () => {
        for (const { src, cube, warnings, size } of list) {
          try {
            const folder = src.segments.length ? tree.pathFor(base, src, cube.meta.subjectArea) : base;
            const { record: rec, stored } = put(cube, { folders: folder ? [folder] : undefined });
            bytes += size;
            if (!stored) unchanged++;
            const what = stored ? `version ${rec.version}` : `unchanged, version ${rec.version}`;
            ok.push(`${rec.id} (${rec.cells.toLocaleString('en')} cells, ${what})${folder ? ` in ${folder}` : ''}${warnings.length ? `, ${warnings.length} warnings` : ''} <- ${src.file}`);
            for (const w of warnings) warned.push({ file: src.file, text: w });
          } catch (e) {
            if (e instanceof CliError) throw e;
            failed.push({ file: src.file, reason: (e as Error).message });
          }
          bar.increment();
        }
      };
      if (typeof batching.batch === 'function') batching.batch(putAll);
      else putAll();
    };
    try {
      for (const src of sources) {
        const { file } = src;
        bar.update({ file: basename(file) });
        try {
          const read = await readPxFile(file, { id: sources.length === 1 ? o.id : undefined, defaultLanguage: o.language });
          // a republished table keeps its value sets and groupings unless the new file has its own (with a warning)
          const { cube, warnings: kept } = carryOverValueSets(store.getTable(read.cube.meta.id)?.meta, read.cube);
          const warnings = [...read.warnings, ...kept];
          // PX has no keyword for it: the office names the classification a variable follows
          for (const v of cube.meta.variables) {
            const id = classifications.get(v.code);
            if (id) v.classification = { id };
            // nor for the symbol of a code in a period it did not exist: sums then skip those cells (core/engine.ts)
            const symbol = absent.get(v.code);
            if (symbol !== undefined) {
              const status = absentStatusOf(cube.meta, symbol);
              if (status === undefined) throw new Error(`--absent ${v.code}=${symbol}: the table has no data symbol ${JSON.stringify(symbol)}`);
              v.absentStatus = status;
            }
          }
          waiting.push({ src, cube, warnings, size: statSync(file).size });
          waitingBytes += cube.values.length * 9;
        } catch (e) {
          failed.push({ file, reason: (e as Error).message });
          bar.increment();
        }
        if (waiting.length >= BATCH_FILES || waitingBytes >= BATCH_BYTES) flush();
      }
      flush();
    } finally {
      bar.stop();
    }
    return dbPath;
  });
  const secs = Math.max(0.001, (Date.now() - started) / 1000);
  cli.out(
    `Imported ${ok.length} of ${sources.length} files into ${dbPath}` +
      (unchanged ? ` (${unchanged} unchanged, skipped)` : '') +
      ` in ${secs.toFixed(1)} s, ${(bytes / 1e6 / secs).toFixed(1)} MB/s`,
  );
  for (const line of ok) cli.out(`  ok    ${line}`);
  // what the reader noticed, one line per file and warning (as `convert` prints them), then a count
  for (const w of warned) cli.out(`  warn  ${w.file}: ${w.text}`);
  for (const f of failed) cli.out(`  FAIL  ${f.file}: ${f.reason}`);
  if (warned.length) cli.out(`${warned.length} warning${warned.length === 1 ? '' : 's'} in ${new Set(warned.map((w) => w.file)).size} file(s)`);
  return failed.length ? (ok.length ? 2 : 1) : 0;
}
