// `npm run bench`: runs every benchmark module in bench/ (each exports `run()`), prints one JSON document.
// Pass names to run a subset: `npm run bench -- pxParse serializers`.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const modules = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''))
  .filter((name) => !only.length || only.includes(name))
  .sort();

const results: Record<string, unknown> = {
  node: process.version,
  date: new Date().toISOString(),
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
