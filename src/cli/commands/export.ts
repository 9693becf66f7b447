// statbank export: a whole table in one format, to a file or stdout.

import { writeFileSync } from 'node:fs';
import { getSerializer } from '../../formats/registry.js';
import { withStore } from '../db.js';
import { CliError, type Cli } from '../io.js';


export async function exportTable(cli: Cli, id: string, o: { db?: string; format: string; lang?: string; out?: string }): Promise<void> {
  await withStore(o.db, { mustExist: true }, async (store) => {
    const rec = store.getTable(id);
    if (!rec) throw new CliError(`No table ${id}`);
    const cube = await store.getCube(id);
    const api = o.format === 'json-stat' ? 'v1' : 'v2';
    const ser = getSerializer(o.format, api);
    if (!ser) throw new CliError(`unknown format ${o.format}`);
    const lang = o.lang ?? (o.format === 'px' ? undefined : rec.meta.defaultLanguage);
    const out = await ser.serialize(cube, { lang: lang as string, api });
    if (o.out) writeFileSync(o.out, out.body);
    else cli.write(out.body);
  });
}
