// Worker threads of the store (the cube loader, the PostgreSQL metadata reader): started from their module beside
// this one, JavaScript when built; under tsx (tests, benchmarks) the TypeScript source, through a bootstrap that
// registers tsx in the thread (Node 20 does not pass `--import` hooks on to workers).

import { Worker, type TransferListItem } from 'node:worker_threads';

const UNDER_TSX = import.meta.url.endsWith('.ts');
// resolved once, when this module loads (under tsx a resolve is a round trip to its hooks thread: not on a request)
const TSX_API = UNDER_TSX ? import.meta.resolve('tsx/esm/api') : '';

/** Start the worker module `name` (e.g. 'cubeLoadWorker') of this folder. */
export function spawnStoreWorker(name: string, workerData: unknown, transferList?: TransferListItem[]): Worker {
  if (!UNDER_TSX) return new Worker(new URL(`./${name}.js`, import.meta.url), { workerData, transferList });
  const source = new URL(`./${name}.ts`, import.meta.url).href;
  const boot = `import(${JSON.stringify(TSX_API)}).then((m) => { m.register(); return import(${JSON.stringify(source)}); });`;
  return new Worker(boot, { eval: true, workerData, transferList });
}
