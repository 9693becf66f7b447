// statbank import: PX files (or folders of them) into the database, with a summary of what failed.

import { readPxFile } from '../../formats/px/reader.js';
import { withStore } from '../db.js';
import { CliError, type Cli } from '../io.js';
import { ensureFolder, pxFiles } from '../util.js';
import { progressBar } from './progress.js';

export interface ImportOptions {
  db?: string;
  folder?: string;
  folderLabel?: string;
  id?: string;
  language: string;
}

/** Exit code 0 when every file was imported, 2 when some failed, 1 when all did. */
export async function importFiles(cli: Cli, paths: string[], o: ImportOptions): Promise<number> {
  const files = paths.flatMap((p) => pxFiles(p));
  if (!files.length) throw new CliError('No PX files found');
  const ok: string[] = [];
  const failed: { file: string; reason: string }[] = [];
  const dbPath = await withStore(o.db, {}, async (store, dbPath) => {
    const folder = o.folder ? ensureFolder(store, o.folder, o.folderLabel) : undefined;
    const bar = progressBar(cli, 'import [{bar}] {value}/{total} {file}');
    bar.start(files.length, 0, { file: '' });
    try {
      for (const file of files) {
        bar.update({ file });
        try {
          const { cube, warnings } = await readPxFile(file, { id: files.length === 1 ? o.id : undefined, defaultLanguage: o.language });
          const rec = store.putTable(cube, { folders: folder !== undefined ? [folder] : undefined });
          ok.push(`${rec.id} (${rec.cells.toLocaleString('en')} cells, version ${rec.version})${warnings.length ? `, ${warnings.length} warnings` : ''} <- ${file}`);
        } catch (e) {
          failed.push({ file, reason: (e as Error).message });
        }
        bar.increment();
      }
    } finally {
      bar.stop();
    }
    return dbPath;
  });
  cli.out(`Imported ${ok.length} of ${files.length} files into ${dbPath}`);
  for (const line of ok) cli.out(`  ok    ${line}`);
  for (const f of failed) cli.out(`  FAIL  ${f.file}: ${f.reason}`);
  return failed.length ? (ok.length ? 2 : 1) : 0;
}
