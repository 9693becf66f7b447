// PX parsing speed: writes a 10-million-cell PX file to the temp directory (streaming, never held
// in memory), reads it back with readPxFile (best of three) and reports MB/s. Target: >= 50 MB/s.

import { once } from 'node:events';
import { createWriteStream, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPxFile } from '../src/formats/px/reader.js';

const REGIONS = 500;
const AGES = 100;
const CONTENTS = 4;
const YEARS = 50;

/** Write the benchmark table to `path`; returns the number of cells. */
export async function generate(path: string): Promise<number> {
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  const q = (xs: string[]) => xs.map((x) => `"${x}"`).join(',');
  const regions = Array.from({ length: REGIONS }, (_, i) => `R${String(i).padStart(4, '0')}`);
  const ages = Array.from({ length: AGES }, (_, i) => `${i} years`);
  const contents = ['Population', 'Births', 'Deaths', 'Share (per cent)'];
  const years = Array.from({ length: YEARS }, (_, i) => String(1975 + i));
  const head = [
    'CHARSET="ANSI";',
    'AXIS-VERSION="2013";',
    'CODEPAGE="iso-8859-1";',
    'LANGUAGE="en";',
    'MATRIX="BENCH";',
    'DECIMALS=1;',
    'TITLE="Benchmark table";',
    'CONTENTS="Benchmark";',
    'UNITS="persons";',
    'STUB="region","age";',
    'HEADING="contents","year";',
    'CONTVARIABLE="contents";',
    `VALUES("region")=${q(regions)};`,
    `VALUES("age")=${q(ages)};`,
    `VALUES("contents")=${q(contents)};`,
    `VALUES("year")=${q(years)};`,
    'TIMEVAL("year")=TLIST(A1),"1975"-"2024";',
    'DATA=',
  ].join('\r\n');
  out.write(head + '\r\n');
  let seed = 12345;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed;
  };
  const rowCells = CONTENTS * YEARS;
  let cells = 0;
  for (let r = 0; r < REGIONS * AGES; r++) {
    const parts: string[] = new Array(rowCells);
    for (let c = 0; c < rowCells; c++) {
      const x = rand();
      const k = x % 20;
      // integers, one-decimal numbers, a few negatives and symbols, like real tables
      parts[c] = k === 0 ? '".."' : k === 1 ? '"-"' : k < 8 ? `${(x >> 5) % 100000}.${x % 10}` : k === 8 ? `-${(x >> 7) % 1000}` : String((x >> 4) % 1000000);
    }
    cells += rowCells;
    if (!out.write(parts.join(' ') + (r === REGIONS * AGES - 1 ? ';\r\n' : '\r\n'))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return cells;
}

export async function run(): Promise<Record<string, unknown>> {
  const path = join(tmpdir(), `statbank-pxparse-${process.pid}.px`);
  try {
    const written = await generate(path);
    const bytes = statSync(path).size;
    let peakRss = process.memoryUsage().rss;
    const timer = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 20);
    // best of three runs: the first one also pays for JIT warm-up, and the machine is shared
    let best = Infinity;
    let bestCpu = 0;
    let cells = 0;
    for (let run = 0; run < 3; run++) {
      const cpu0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      const { cube } = await readPxFile(path);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const cpu = process.cpuUsage(cpu0);
      cells = cube.values.length;
      if (cells !== written) throw new Error(`read ${cells} cells, wrote ${written}`);
      if (ms < best) {
        best = ms;
        bestCpu = (cpu.user + cpu.system) / 1000;
      }
    }
    clearInterval(timer);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const fileMB = bytes / 1e6;
    return {
      pxParseMBps: Math.round((fileMB / (best / 1000)) * 10) / 10,
      cells,
      fileMB: Math.round(fileMB * 10) / 10,
      ms: Math.round(best),
      // CPU time (user + system) of that run: wall time suffers when other processes share the cores
      cpuMs: Math.round(bestCpu),
      rssMB: Math.round(peakRss / 1048576),
    };
  } finally {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().then((r) => console.log(JSON.stringify(r)));
}
