// Dependencies point inward. The allowed imports between the folders of src/ are stated once, in the table of
// docs/ARCHITECTURE.md ("Allowed imports"); this test reads that table and every import in src/ and web/src/, and
// fails on any import the table does not allow (static, dynamic and re-exports alike).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

const ROOT = join(dirname(new URL(import.meta.url).pathname), '..', '..');

/** `layer: a, b, c` lines between the markers of the architecture document. */
export function allowedImports(doc: string): Map<string, Set<string>> {
  const start = doc.indexOf('<!-- allowed-imports -->');
  const end = doc.indexOf('<!-- /allowed-imports -->');
  assert.ok(start >= 0 && end > start, 'docs/ARCHITECTURE.md has an allowed-imports block');
  const rules = new Map<string, Set<string>>();
  for (const line of doc.slice(start, end).split('\n')) {
    const m = /^\s*([a-zA-Z/]+)\s*:\s*(.*)$/.exec(line);
    if (!m || line.includes('<!--')) continue;
    const to = m[2].trim() === '(nothing)' ? [] : m[2].split(',').map((s) => s.trim()).filter(Boolean);
    rules.set(m[1], new Set(to));
  }
  return rules;
}

function tsFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) tsFiles(p, out);
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Relative module specifiers a file imports: `import … from`, `export … from`, `import(…)`, `import '…'`. */
export function importsOf(source: string): string[] {
  const out: string[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;
  for (let m = re.exec(source); m; m = re.exec(source)) out.push(m[1]);
  return out;
}

/** The layer of a path below the repository: `src/<folder>` -> folder, `web/src/...` -> web. */
function layerOf(path: string): string | undefined {
  const parts = relative(ROOT, path).split(sep);
  if (parts[0] === 'src') return parts.length > 2 ? parts[1] : undefined;
  if (parts[0] === 'web') return 'web';
  return undefined;
}

function violations(rules: Map<string, Set<string>>): string[] {
  const bad: string[] = [];
  const files = [...tsFiles(join(ROOT, 'src')), ...tsFiles(join(ROOT, 'web', 'src'))];
  for (const file of files) {
    const from = layerOf(file);
    if (!from) continue;
    const allowed = rules.get(from);
    if (!allowed) {
      bad.push(`${relative(ROOT, file)}: folder "${from}" is not in the allowed-imports table`);
      continue;
    }
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      const target = normalize(join(dirname(file), spec));
      const to = layerOf(target);
      if (to === undefined) {
        if (relative(ROOT, target).startsWith('..') || !relative(ROOT, target).startsWith(from === 'web' ? 'web' : 'src')) {
          bad.push(`${relative(ROOT, file)} imports ${spec}, outside its tree`);
        }
        continue;
      }
      if (to !== from && !allowed.has(to) && !allowed.has('*')) bad.push(`${relative(ROOT, file)} (${from}) imports ${spec} (${to})`);
    }
  }
  return bad;
}

test('every import in src/ and web/src/ follows the allowed-imports table of docs/ARCHITECTURE.md', () => {
  const rules = allowedImports(readFileSync(join(ROOT, 'docs', 'ARCHITECTURE.md'), 'utf8'));
  assert.ok(rules.has('core') && rules.get('core')!.size === 0, 'the core imports nothing of ours');
  assert.deepEqual(violations(rules), []);
});

test('the check catches an import against the direction', () => {
  const rules = allowedImports(readFileSync(join(ROOT, 'docs', 'ARCHITECTURE.md'), 'utf8'));
  // the same rules with one inward edge removed must report the files that use it
  const strict = new Map([...rules].map(([k, v]) => [k, new Set(v)]));
  strict.get('api')!.delete('app');
  assert.ok(violations(strict).some((v) => v.includes('(api) imports') && v.endsWith('(app)')));
  assert.deepEqual(importsOf(`import a from '../x/y.js';\nexport { b } from './b.js';\nconst c = await import('../../z.js');\nimport './side.js';`), [
    '../x/y.js',
    './b.js',
    '../../z.js',
    './side.js',
  ]);
});
