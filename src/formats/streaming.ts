// Helpers shared by the streaming writers: a synchronous chunk generator is turned into the async iterable of the
// Serializer port, giving the event loop a turn every few milliseconds of work and stopping on abort or when the
// consumer stops; serialize() of the same writers concatenates the same chunks, so both paths give the same bytes.

import { setImmediate as turn } from 'node:timers/promises';

/** Work between two event-loop turns (the contract asks for <= ~20 ms). */
const SLICE_MS = 10;

/** Target chunk size of the streaming writers. */
export const CHUNK_BYTES = 256 * 1024;

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new Error('aborted');
}

/**
 * Pull chunks from `source` lazily. Between chunks: abort check, and a setImmediate turn once a time slice is
 * used up. When the consumer returns early (or an error is thrown) the source generator is closed too.
 */
export async function* paced(source: Iterator<Buffer> | AsyncIterator<Buffer>, signal?: AbortSignal): AsyncGenerator<Buffer, void, undefined> {
  let sliceStart = performance.now();
  let done = false;
  try {
    throwIfAborted(signal);
    for (;;) {
      const r = await source.next();
      if (r.done) {
        done = true;
        return;
      }
      if (r.value.length) yield r.value;
      throwIfAborted(signal);
      if (performance.now() - sliceStart >= SLICE_MS) {
        await turn();
        throwIfAborted(signal);
        sliceStart = performance.now();
      }
    }
  } finally {
    if (!done) await source.return?.();
  }
}

/** Every chunk of a synchronous writer in one Buffer (the serialize() path). */
export function collect(chunks: Iterable<Buffer>): Buffer {
  const parts: Buffer[] = [];
  for (const c of chunks) parts.push(c);
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

/** Every chunk of an async iterable in one Buffer. */
export async function collectAsync(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of chunks) parts.push(c);
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

/**
 * Strings gathered into UTF-8 chunks of about CHUNK_BYTES: writers push text pieces and yield what `take()`
 * returns when it is not null.
 */
export class TextChunker {
  private parts: string[] = [];
  private chars = 0;
  constructor(
    private readonly encode: (s: string) => Buffer = (s) => Buffer.from(s, 'utf8'),
    private readonly limit = CHUNK_BYTES / 2,
  ) {}
  push(s: string): void {
    this.parts.push(s);
    this.chars += s.length;
  }
  /** A chunk when enough text is waiting, else null. */
  take(): Buffer | null {
    return this.chars >= this.limit ? this.flush() : null;
  }
  /** Whatever is waiting (possibly empty). */
  flush(): Buffer {
    const b = this.encode(this.parts.join(''));
    this.parts = [];
    this.chars = 0;
    return b;
  }
}
