// statbank fetch: a table from any PxWeb server (API v1 or 2.0), split under its cell limit and paced under its
// rate limit; written to a file or stdout, and/or imported into the database.

import { readFileSync, writeFileSync } from 'node:fs';
import { PxWebClient, parseSelectArgs, selectionFromQuery, type FetchProgress, type Selection } from '../../client/index.js';
import { outputFormatOf, serializeCube } from '../../client/cubeFiles.js';
import type { OutputFormat } from '../../client/outputFormats.js';
import type { CodesOrTexts } from '../../formats/serializer.js';
import { withStore } from '../db.js';
import { CliError, type Cli } from '../io.js';
import { ensureFolder } from '../util.js';
import { progressBar } from './progress.js';

export interface FetchOptions {
  query?: string;
  select: string[];
  format?: OutputFormat;
  out?: string;
  lang?: string;
  labels?: string;
  all?: boolean;
  import?: boolean;
  db?: string;
  folder?: string;
  id?: string;
  maxCells?: number;
  maxCalls?: number;
  timeWindow?: number;
  concurrency: number;
  method?: string;
  plan?: boolean;
}

export async function fetchTable(cli: Cli, url: string, tableArg: string | undefined, o: FetchOptions): Promise<void> {
  const limits = { maxCells: o.maxCells, maxCalls: o.maxCalls, timeWindow: o.timeWindow };
  const { client, tableId, selection: urlSelection } = await PxWebClient.fromUrl(url, {
    lang: o.lang,
    limits,
    concurrency: o.concurrency,
    method: o.method ? (o.method.toUpperCase() as 'GET' | 'POST') : undefined,
    userAgent: 'statbank-cli',
  });
  const table = tableArg ?? tableId;
  if (!table) throw new CliError(`${url} names no table: add the table id`);
  let selection: Selection = { ...(urlSelection ?? {}) };
  if (o.query) selection = { ...selection, ...selectionFromQuery(JSON.parse(readFileSync(o.query, 'utf8'))) };
  if (o.select.length) selection = { ...selection, ...parseSelectArgs(o.select) };
  const omitted = o.all || !Object.keys(selection).length ? 'all' : 'eliminate';
  if (client.limitsWarning) cli.err(client.limitsWarning);
  const plan = await client.plan(table, selection, { omitted });
  const l = plan.limits;
  cli.err(
    `${client.api} ${table}: ${plan.plan.totalCells.toLocaleString('en')} cells in ${plan.batches.length} call(s) of at most ${plan.plan.maxBatchCells.toLocaleString('en')} cells` +
      ` (server: ${l.maxCells.toLocaleString('en')} cells per call${l.maxCalls > 0 && l.maxCalls < 2147483647 ? `, ${l.maxCalls} calls per ${l.timeWindow} s` : ''})`,
  );
  if (o.plan) {
    let d = 0;
    for (const r of plan.resolved) cli.out(`  ${r.code}: ${r.codes === null ? 'eliminated' : `${r.codes.length} values in ${plan.plan.pieces[d++]} piece(s)`}`);
    return;
  }
  const bar = progressBar(cli, 'fetch [{bar}] {value}/{total} calls | {cells} cells | {state}');
  bar.start(plan.batches.length, 0, { cells: 0, state: '' });
  const onProgress = (p: FetchProgress) => {
    if (p.phase === 'plan') bar.setTotal(p.batches);
    const state =
      p.phase === 'wait' ? (Number.isNaN(p.waitMs) ? 'waiting for a call to end' : `rate limit: waiting ${((p.waitMs ?? 0) / 1000).toFixed(1)} s`)
      : p.phase === 'retry' ? `retry${p.status ? ` after ${p.status}` : ''}: ${p.message ?? ''}`.slice(0, 60)
      : p.phase;
    bar.update(p.batchesDone, { cells: p.cellsDone.toLocaleString('en'), state });
  };
  let cube;
  try {
    cube = await client.fetchCube(table, selection, { onProgress, omitted });
  } finally {
    bar.stop();
  }
  if (o.id) cube.meta.id = o.id;
  cli.err(`fetched ${cube.values.length.toLocaleString('en')} cells in ${client.calls} HTTP calls`);
  if (o.import) {
    const fetched = cube;
    await withStore(o.db, {}, (store, dbPath) => {
      const folder = o.folder ? ensureFolder(store, o.folder) : undefined;
      const rec = store.putTable(fetched, { folders: folder !== undefined ? [folder] : undefined });
      cli.err(`imported ${rec.id} (version ${rec.version}) into ${dbPath}`);
    });
  }
  if (o.out || !o.import) {
    const format = o.format ?? (o.out ? outputFormatOf(o.out) : 'json-stat2');
    const body = await serializeCube(cube, format, { lang: o.lang, labels: o.labels as CodesOrTexts | undefined });
    if (o.out) writeFileSync(o.out, body);
    else cli.write(body);
  }
}
