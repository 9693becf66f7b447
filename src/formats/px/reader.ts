// Reading a PX file into a Cube: bytes are pushed in chunks; the metadata is collected until
// the DATA keyword, decoded and lexed as text, then the DATA values stream straight from bytes
// into typed arrays. A large file never becomes one JS string.

import { TextDecoder } from 'node:util';
import { open } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { Cube, TableMeta } from '../../core/model.js';
import { toUtcIso } from '../timeZone.js';
import { DataLocator, DataParser, type DataResult } from './data.js';
import { decodeMetadata, detectBom, type Bom, type ByteDecoder } from './decode.js';
import { PxError } from './errors.js';
import { interpret, type Interpreted } from './interpret.js';
import { lex } from './lexer.js';

export { PxError } from './errors.js';

export interface ReadPxOptions {
  /** Language of untagged entries when the file has no LANGUAGE keyword (default "no"). */
  defaultLanguage?: string;
  /** Table id; default MATRIX, then TABLEID. */
  id?: string;
  /** Refuse tables with more cells than this (default 2^28). */
  maxCells?: number;
  /** readPxFile: size of the read buffer (default 1 MB). */
  chunkSize?: number;
  /**
   * The office's IANA time zone. When given, LAST-UPDATED, CREATION-DATE and NEXT-UPDATE (local clock times in the
   * file) are stored as UTC instants (`...Z`); without it they stay local and writers read them in their own
   * `timeZone` option.
   */
  timeZone?: string;
}

export interface ReadPxResult {
  cube: Cube;
  warnings: string[];
}

interface InternalOptions extends ReadPxOptions {
  fallbackId?: string;
  /** Total input size in bytes, when known (sizes the arrays up front). */
  totalBytes?: number;
}

const DEFAULT_MAX_CELLS = 2 ** 28;

/** Push-based reader shared by the sync, async and file entry points. */
class PxStreamReader {
  readonly warnings: string[] = [];
  private head: Uint8Array[] = [];
  private headLen = 0;
  private bom: Bom | null | undefined = undefined;
  private locator = new DataLocator();
  /** Next chunk of `head` for the locator, and its byte offset. */
  private scanChunk = 0;
  private scanOffset = 0;
  private data: DataParser | null = null;
  private meta: Interpreted | null = null;

  constructor(private readonly o: InternalOptions) {}

  /** `reused`: the caller overwrites `chunk` afterwards, so metadata bytes must be copied. */
  push(chunk: Uint8Array, reused = false): void {
    if (chunk.length === 0) return;
    if (this.data) {
      this.data.push(chunk);
      return;
    }
    this.head.push(reused ? new Uint8Array(chunk) : chunk);
    this.headLen += chunk.length;
    if (this.bom === undefined) {
      if (this.headLen < 3) return;
      this.bom = detectBom(this.joinHead());
    }
    if (this.bom && this.bom.encoding !== 'utf-8') return; // UTF-16: decoded whole at the end
    // give the locator the chunks not scanned yet
    const skip = this.bom ? this.bom.length : 0;
    while (this.scanChunk < this.head.length) {
      const b = this.head[this.scanChunk];
      const offset = this.scanOffset;
      const from = Math.max(0, skip - offset);
      this.scanChunk++;
      this.scanOffset += b.length;
      if (from >= b.length) continue;
      const at = this.locator.push(b, from);
      if (at >= 0) {
        const all = this.joinHead();
        const dataStart = offset + at;
        this.startData(all.subarray(skip, dataStart), all.subarray(dataStart));
        return;
      }
    }
  }

  private joinHead(): Uint8Array {
    if (this.head.length === 1) return this.head[0];
    const all = Buffer.concat(this.head);
    this.head = [all];
    return all;
  }

  /** `metaBytes` ends just after `DATA=`; `rest` holds the first data bytes. */
  private startData(metaBytes: Uint8Array, rest: Uint8Array): void {
    const decoded = decodeMetadata(metaBytes, this.bom ?? null, this.warnings);
    const lexed = lex(decoded.text, this.warnings);
    if (!lexed.data) throw new PxError('the DATA keyword could not be read (unbalanced quotes before it?)');
    this.head = [];
    this.begin(lexed.entries, lexed.data.line, decoded.encoding, decoded.decoder, rest.length);
    this.data!.push(rest);
  }

  private begin(
    entries: ReturnType<typeof lex>['entries'],
    line: number,
    encoding: string,
    decoder: ByteDecoder,
    restBytes: number,
  ): void {
    const o = this.o;
    const meta = interpret(entries, { ...o, codepage: encoding }, this.warnings);
    this.meta = meta;
    let cells = 1;
    for (const s of meta.sizes) cells *= s;
    const max = o.maxCells ?? DEFAULT_MAX_CELLS;
    if (cells > max) throw new PxError(`the table has ${cells} cells, more than the limit of ${max}`);
    const remaining = o.totalBytes !== undefined ? o.totalBytes - this.headLen + restBytes : undefined;
    try {
      this.data = new DataParser({
        cells,
        sizesText: meta.sizes.join(' × '),
        line,
        keys: meta.keys,
        decoder,
        warnings: this.warnings,
        // a cell takes at least one byte plus a separator
        capacityHint: remaining !== undefined ? Math.floor(remaining / 2) + 1 : undefined,
      });
    } catch (e) {
      if (e instanceof RangeError) throw new PxError(`not enough memory for ${cells} cells`);
      throw e;
    }
  }

  finish(): ReadPxResult {
    if (!this.data) {
      const all = this.joinHead();
      if (this.bom === undefined) this.bom = detectBom(all);
      const body = all.subarray(this.bom ? this.bom.length : 0);
      const decoded = decodeMetadata(body, this.bom, this.warnings);
      const lexed = lex(decoded.text, this.warnings);
      if (!lexed.data) throw new PxError('the file has no DATA keyword');
      // DATA found only now: UTF-16 input (decoded whole), or a DATA keyword the byte scanner
      // could not see (e.g. after a non-ASCII blank). The values are re-encoded as UTF-8 bytes.
      const dataBytes = Buffer.from(decoded.text.slice(lexed.data.offset), 'utf8');
      this.head = [];
      this.begin(lexed.entries, lexed.data.line, decoded.encoding, new TextDecoder('utf-8'), dataBytes.length);
      this.data!.push(dataBytes);
    }
    const res: DataResult = this.data!.end();
    const m = this.meta!;
    if (this.o.timeZone) datesToUtc(m.meta, this.o.timeZone);
    return { cube: { meta: m.meta, values: res.values, status: res.status }, warnings: this.warnings };
  }
}

/** The file's local dates as UTC instants in `timeZone`. */
function datesToUtc(meta: TableMeta, timeZone: string): void {
  const utc = (s: string | undefined) => (s === undefined ? undefined : toUtcIso(s, timeZone));
  if (meta.updated !== undefined) meta.updated = utc(meta.updated);
  if (meta.created !== undefined) meta.created = utc(meta.created);
  if (meta.nextUpdate !== undefined) meta.nextUpdate = utc(meta.nextUpdate);
  for (const ci of Object.values(meta.contentInfo ?? {})) if (ci.lastUpdated !== undefined) ci.lastUpdated = utc(ci.lastUpdated);
}

function wrap(e: unknown): never {
  if (e instanceof PxError) throw e;
  if (e instanceof RangeError) throw new PxError(`the input is too large to read (${e.message})`);
  throw e;
}

/** Read a PX file held in memory (tests, small files). */
export function readPxSync(buf: Uint8Array, opts: ReadPxOptions = {}): ReadPxResult {
  try {
    const r = new PxStreamReader({ ...opts, totalBytes: buf.length });
    r.push(buf);
    return r.finish();
  } catch (e) {
    wrap(e);
  }
}

/** Read a PX file from a buffer or a stream of byte chunks. */
export async function readPx(
  input: Uint8Array | AsyncIterable<Uint8Array>,
  opts: ReadPxOptions = {},
): Promise<ReadPxResult> {
  if (input instanceof Uint8Array) return readPxSync(input, opts);
  return readChunks(input, opts);
}

async function readChunks(input: AsyncIterable<Uint8Array>, opts: InternalOptions): Promise<ReadPxResult> {
  try {
    const r = new PxStreamReader(opts);
    for await (const chunk of input) {
      const c: unknown = chunk;
      r.push(typeof c === 'string' ? Buffer.from(c, 'latin1') : (c as Uint8Array));
    }
    return r.finish();
  } catch (e) {
    wrap(e);
  }
}

/**
 * Read a PX file from disk, streaming through one reused 1 MB buffer (the table id defaults to
 * MATRIX, then the file name).
 */
export async function readPxFile(path: string, opts: ReadPxOptions = {}): Promise<ReadPxResult> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const r = new PxStreamReader({ ...opts, totalBytes: size, fallbackId: basename(path, extname(path)) });
    const buf = Buffer.allocUnsafe(Math.max(16, opts.chunkSize ?? 1 << 20));
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      r.push(buf.subarray(0, bytesRead), true);
    }
    return r.finish();
  } catch (e) {
    wrap(e);
  } finally {
    await fh.close();
  }
}
