// `npm run bench`: runs every benchmark module in bench/ (each exports `run()`), prints one JSON document.
// Pass names to run a subset: `npm run bench -- pxParse serializers`.
// `scale` (bench/scale.ts) runs a quick catalogue by default; `npm run bench -- scale --full` runs 20,000 tables / 10^9 cells.
// `--thp` runs the modules with glibc's malloc using transparent huge pages (GLIBC_TUNABLES=glibc.malloc.hugetlb=1),
// the setting recommended for the server on VMs where first-touch page faults are slow; the output says which.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

const THP = 'glibc.malloc.hugetlb=1';
const args = process.argv.slice(2);
if (args.includes('--thp') && !(process.env.GLIBC_TUNABLES ?? '').includes(THP)) {
  // glibc reads its tunables at start-up only: run again with them set
  const env = { ...process.env, GLIBC_TUNABLES: [process.env.GLIBC_TUNABLES, THP].filter(Boolean).join(':') };
  const r = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env });
  process.exit(r.status ?? 1);
}

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = args.filter((a) => !a.startsWith('--'));
const modules = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''))
  .filter((name) => !only.length || only.includes(name))
  .sort();

const results: Record<string, unknown> = {
  node: process.version,
  date: new Date().toISOString(),
  // other work on the machine skews every figure: the 1/5/15-minute load averages at the start
  loadavg: loadavg().map((x) => Math.round(x * 100) / 100),
  glibcTunables: process.env.GLIBC_TUNABLES ?? null,
};
for (const name of modules) {
  const started = Date.now();
  try {
    const mod = await import(pathToFileURL(join(dir, `${name}.ts`)).href);
    if (typeof mod.run !== 'function') continue;
    results[name] = await mod.run();
  } catch (e) {
    results[name] = { error: (e as Error).message };
  }
  process.stderr.write(`[bench] ${name} ${Date.now() - started} ms\n`);
  if (global.gc) global.gc();
}
console.log(JSON.stringify(results, null, 2));
