// Small helpers the commands share (no heavy imports: run.ts loads this for every command line).

import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Store } from '../store/store.js';

export function int(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`not an integer: ${v}`);
  return n;
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Every .px file under a path (case-insensitive extension), sorted. */
export function pxFiles(p: string): string[] {
  if (!existsSync(p)) return [p]; // reported as a failure with the reader's message
  if (statSync(p).isDirectory()) {
    return readdirSync(p)
      .sort()
      .flatMap((n) => {
        const q = join(p, n);
        return statSync(q).isDirectory() ? pxFiles(q) : extname(n).toLowerCase() === '.px' ? [q] : [];
      });
  }
  return [p];
}

/** Create each segment of a folder path that does not exist yet (the last one labelled `label` when given). */
export function ensureFolder(store: Store, path: string, label?: string): string {
  const parts = path.split('/').filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    const p = parts.slice(0, i).join('/');
    if (!store.getFolder(p)) {
      const text = i === parts.length && label ? label : parts[i - 1];
      store.putFolder(p, { no: text, en: text });
    }
  }
  return parts.join('/');
}
