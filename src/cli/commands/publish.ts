// statbank publish: PX files as scheduled versions, public at their release time and invisible until then.

import { carryOverValueSets } from '../../publishing/carryOver.js';
import { readPxFile } from '../../formats/px/reader.js';
import { formatReleaseTime, releaseInstant } from '../../publishing/releaseTime.js';
import { withStore } from '../db.js';
import { CliError, type Cli } from '../io.js';
import { ensureFolder, pxFiles } from '../util.js';

export interface PublishOptions {
  db?: string;
  date: string;
  time: string;
  timeZone: string;
  folder: string[];
  folderLabel?: string;
  id?: string;
  shortName?: string;
  language: string;
}

/** Exit code 0 when every file was scheduled, 2 when some failed, 1 when all did. */
export async function publish(cli: Cli, paths: string[], o: PublishOptions): Promise<number> {
  let releaseAt: string;
  try {
    releaseAt = releaseInstant(o.date, o.time, o.timeZone);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  const when = `${formatReleaseTime(releaseAt, 'en', o.timeZone)} ${o.timeZone} (${releaseAt})`;
  if (Date.parse(releaseAt) <= Date.now()) throw new CliError(`The release time ${when} has passed; publish now with: statbank import`);
  const files = paths.flatMap((p) => pxFiles(p));
  if (!files.length) throw new CliError('No PX files found');
  const ok: string[] = [];
  const failed: { file: string; reason: string }[] = [];
  const dbPath = await withStore(o.db, {}, async (store, dbPath) => {
    // a new folder stays hidden while it holds only tables under embargo
    const folders = o.folder.map((f) => ensureFolder(store, f, o.folderLabel));
    for (const file of files) {
      try {
        const read = await readPxFile(file, { id: files.length === 1 ? o.id : undefined, defaultLanguage: o.language });
        // a republished table keeps its value sets and groupings unless the new file has its own (with a warning)
        const { cube, warnings: kept } = carryOverValueSets(store.getTable(read.cube.meta.id)?.meta, read.cube);
        const warnings = [...read.warnings, ...kept];
        for (const w of kept) cli.out(`  warn  ${file}: ${w}`);
        const rec = store.scheduleTable(cube, { releaseAt, folders: folders.length ? folders : undefined, shortName: o.shortName }).record;
        ok.push(`${rec.id} version ${rec.version} (${rec.cells.toLocaleString('en')} cells)${warnings.length ? `, ${warnings.length} warnings` : ''} <- ${file}`);
      } catch (e) {
        failed.push({ file, reason: (e as Error).message });
      }
    }
    return dbPath;
  });
  cli.out(`Scheduled ${ok.length} of ${files.length} files in ${dbPath} for release at ${when}`);
  for (const line of ok) cli.out(`  ok    ${line}`);
  for (const f of failed) cli.out(`  FAIL  ${f.file}: ${f.reason}`);
  return failed.length ? (ok.length ? 2 : 1) : 0;
}
