// A ZIP container written as a stream (for xlsx): small members compressed whole with their CRC and sizes in the
// local header; one large member deflated chunk by chunk (each piece ends in a sync flush, so the pieces concatenate
// into one DEFLATE stream) with its CRC and sizes in a data descriptor after the data. No ZIP64: members and the
// archive stay below 4 GB (checked).

import { constants, crc32, deflateRaw, deflateRawSync } from 'node:zlib';

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const DESCRIPTOR = 0x08074b50;
const DEFLATE = 8;
const FLAG_DESCRIPTOR = 0x0008;
const FLAG_UTF8 = 0x0800;
/** 1980-01-01 00:00 in DOS form: a fixed date keeps the bytes reproducible. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const MAX32 = 0xffffffff;

interface Entry {
  name: Buffer;
  flags: number;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

function deflatePiece(data: Buffer, level: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    deflateRaw(data, { level, finishFlush: constants.Z_SYNC_FLUSH }, (err, out) => (err ? reject(err) : resolve(out))),
  );
}

export class ZipWriter {
  private readonly entries: Entry[] = [];
  private offset = 0;

  constructor(private readonly level = 1) {}

  private header(sig: number, e: Entry, central: boolean): Buffer {
    const b = Buffer.alloc((central ? 46 : 30) + e.name.length);
    let p = 0;
    b.writeUInt32LE(sig, p);
    p += 4;
    if (central) {
      b.writeUInt16LE(20, p); // made by: version 2.0
      p += 2;
    }
    b.writeUInt16LE(20, p); // needed to extract
    b.writeUInt16LE(e.flags, p + 2);
    b.writeUInt16LE(DEFLATE, p + 4);
    b.writeUInt16LE(DOS_TIME, p + 6);
    b.writeUInt16LE(DOS_DATE, p + 8);
    // a local header before a data descriptor holds zeros
    const known = central || !(e.flags & FLAG_DESCRIPTOR);
    b.writeUInt32LE(known ? e.crc : 0, p + 10);
    b.writeUInt32LE(known ? e.compressed : 0, p + 14);
    b.writeUInt32LE(known ? e.size : 0, p + 18);
    b.writeUInt16LE(e.name.length, p + 22);
    b.writeUInt16LE(0, p + 24); // extra length
    p += 26;
    if (central) {
      b.writeUInt16LE(0, p); // comment length
      b.writeUInt16LE(0, p + 2); // disk
      b.writeUInt16LE(0, p + 4); // internal attributes
      b.writeUInt32LE(0, p + 6); // external attributes
      b.writeUInt32LE(e.offset, p + 10);
      p += 14;
    }
    e.name.copy(b, p);
    return b;
  }

  private count(b: Buffer): Buffer {
    this.offset += b.length;
    if (this.offset > MAX32) throw new Error('zip: archive larger than 4 GB');
    return b;
  }

  /** A member known in full: local header + compressed data. */
  file(name: string, data: Buffer): Buffer {
    const body = deflateRawSync(data, { level: 6 });
    const e: Entry = { name: Buffer.from(name, 'utf8'), flags: FLAG_UTF8, crc: crc32(data), compressed: body.length, size: data.length, offset: this.offset };
    this.entries.push(e);
    return this.count(Buffer.concat([this.header(LOCAL, e, false), body]));
  }

  /**
   * A member from chunks of uncompressed data: yields the local header, the compressed pieces (the next piece is
   * deflated on the thread pool while the source writes the following one) and the data descriptor.
   */
  async *stream(name: string, source: AsyncIterable<Buffer> | Iterable<Buffer>): AsyncGenerator<Buffer, void, undefined> {
    const e: Entry = { name: Buffer.from(name, 'utf8'), flags: FLAG_UTF8 | FLAG_DESCRIPTOR, crc: 0, compressed: 0, size: 0, offset: this.offset };
    this.entries.push(e);
    yield this.count(this.header(LOCAL, e, false));
    let pending: Promise<Buffer> | null = null;
    try {
      for await (const chunk of source) {
        if (!chunk.length) continue;
        e.crc = crc32(chunk, e.crc);
        e.size += chunk.length;
        if (e.size > MAX32) throw new Error('zip: member larger than 4 GB');
        const before = pending;
        pending = deflatePiece(chunk, this.level);
        // a consumer that stops early never takes it: keep its failure from becoming an unhandled rejection
        pending.catch(() => undefined);
        if (before) {
          const out = await before;
          e.compressed += out.length;
          yield this.count(out);
        }
      }
      if (pending) {
        const out = await pending;
        pending = null;
        e.compressed += out.length;
        yield this.count(out);
      }
    } finally {
      // a consumer that stops early: the piece still deflating on the thread pool ends before the stream does, so
      // nothing of a cancelled answer is still working (or holding memory) once the stream has closed
      if (pending) await pending.catch(() => undefined);
    }
    // a final empty block ends the DEFLATE stream
    const last = deflateRawSync(Buffer.alloc(0), { level: this.level });
    e.compressed += last.length;
    yield this.count(last);
    const d = Buffer.alloc(16);
    d.writeUInt32LE(DESCRIPTOR, 0);
    d.writeUInt32LE(e.crc, 4);
    d.writeUInt32LE(e.compressed, 8);
    d.writeUInt32LE(e.size, 12);
    yield this.count(d);
  }

  /** The central directory and its end record. */
  finish(): Buffer {
    const start = this.offset;
    const parts = this.entries.map((e) => this.header(CENTRAL, e, true));
    const dir = Buffer.concat(parts);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(END, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(dir.length, 12);
    end.writeUInt32LE(start, 16);
    return this.count(Buffer.concat([dir, end]));
  }
}
