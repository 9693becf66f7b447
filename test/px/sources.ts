// Test helper: the fixture figures, parsed from ../shared/fixtures/px/SOURCES.md (not retyped), and
// small cube statistics to compare them with.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Cube } from '../../src/core/model.js';

export const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/px/', import.meta.url));
export const HAVE_FIXTURES = existsSync(FIXTURES + 'SOURCES.md');

/** Stored token of each status code, as SOURCES.md writes them. */
export const TOKENS = ['', '.', '..', '...', '....', '.....', '......', '.......', '-'];

export type Cell = { value: number } | { token: string };

export interface SourceRow {
  file: string;
  bytes: string;
  /** LANGUAGE then LANGUAGES; empty when the file has no LANGUAGE. */
  langs: string[];
  /** [name, size] per STUB / HEADING variable; undefined when the row does not list them. */
  stub?: [string, number][];
  heading?: [string, number][];
  cells?: number;
  numeric?: number;
  /** token -> count; only given tokens (others are 0 when `symbolsComplete`). */
  symbols: Record<string, number>;
  sum?: number;
  first?: Cell;
  last?: Cell;
  keysRows?: [number, number];
}

function cell(s: string): Cell {
  const t = s.trim();
  const m = /^`([^`]*)`$/.exec(t);
  return m ? { token: m[1] } : { value: Number(t) };
}

function dims(s: string): [string, number][] {
  const t = s.trim();
  if (t === '–' || t === '') return [];
  return t.split(', ').map((part) => {
    const m = /^(.*) (\d+)$/.exec(part.replace(/␠/g, ' '));
    if (!m) throw new Error(`cannot read dimension "${part}"`);
    return [m[1], Number(m[2])];
  });
}

export function sourceRows(): SourceRow[] {
  const md = readFileSync(FIXTURES + 'SOURCES.md', 'utf8');
  const rows: SourceRow[] = [];
  for (const line of md.split('\n')) {
    if (!/^\| \S+\.px /i.test(line)) continue;
    const cols = line
      .replace(/\\\|/g, '\u0001')
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim().replace(/\u0001/g, '|'));
    if (cols.length !== 8) continue;
    const [file, , bytes, , langs, dimCol, cellsCol, check] = cols;
    const row: SourceRow = {
      file,
      bytes,
      langs: langs === '–' ? [] : langs.split(',').map((l) => l.trim()),
      symbols: {},
    };
    if (dimCol.includes('|')) {
      const [s, h] = dimCol.split('|');
      row.stub = dims(s);
      row.heading = dims(h);
    }
    if (/^\d+$/.test(cellsCol)) row.cells = Number(cellsCol);
    if (/^-?[\d.]+$/.test(check)) {
      // a one-cell table: the check is the value itself
      row.numeric = 1;
      row.sum = Number(check);
      row.first = row.last = { value: Number(check) };
    }
    for (const part of check.split(';').map((p) => p.trim())) {
      let m: RegExpExecArray | null;
      if ((m = /^(\d+) num$/.exec(part))) row.numeric = Number(m[1]);
      else if ((m = /^sum (-?[\d.]+)$/.exec(part))) row.sum = Number(m[1]);
      else if ((m = /^first (.+)$/.exec(part))) row.first = cell(m[1]);
      else if ((m = /^last (.+)$/.exec(part))) row.last = cell(m[1]);
      else if ((m = /^KEYS (\d+)\/(\d+) rows$/.exec(part))) row.keysRows = [Number(m[1]), Number(m[2])];
      else if ((m = /\(sum (-?[\d.]+)\)/.exec(part))) row.sum = Number(m[1]);
      else if (part === 'one each of the six dot codes') {
        for (const t of TOKENS.slice(1, 7)) row.symbols[t] = 1;
      } else if (part.startsWith('one each of ')) {
        for (const m2 of part.matchAll(/`([^`]+)`/g)) row.symbols[m2[1]] = 1;
      } else {
        for (const m2 of part.matchAll(/`([^`]+)`×(\d+)/g)) row.symbols[m2[1]] = Number(m2[2]);
      }
    }
    rows.push(row);
  }
  return rows;
}

export interface CubeStats {
  cells: number;
  numeric: number;
  symbols: Record<string, number>;
  sum: number;
  first: Cell;
  last: Cell;
}

function cellOf(cube: Cube, i: number): Cell {
  const st = cube.status?.[i] ?? 0;
  return st ? { token: TOKENS[st] } : { value: cube.values[i] };
}

export function cubeStats(cube: Cube): CubeStats {
  const n = cube.values.length;
  let numeric = 0;
  let sum = 0;
  const symbols: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const st = cube.status?.[i] ?? 0;
    if (st) symbols[TOKENS[st]] = (symbols[TOKENS[st]] ?? 0) + 1;
    else {
      numeric++;
      sum += cube.values[i];
    }
  }
  return { cells: n, numeric, symbols, sum, first: cellOf(cube, 0), last: cellOf(cube, n - 1) };
}
