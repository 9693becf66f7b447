// The one query pipeline every API and the CLI use:
//   response cache -> admission -> time limit -> load the cube -> resolve again if the table changed meanwhile
//   -> evaluate -> place (pivot) -> serialize (streamed for heavy answers).
// The APIs only say how a selection becomes a Plan (`resolve`) and how their answers look; limits, caching and
// cancellation live here once. A request that times out or whose client goes away stops its work: the abort
// signal reaches the cube load, the serializer's chunks and the admission queue.
// The runner also remembers, per table, the cached queries asked most recently. Before a release
// (`prepareAnswers`, called by the release scheduler) it answers them on the scheduled version into the response
// cache, under that version's key: nobody can look them up before the instant, and the rush of the same queries
// that comes at the instant is answered from memory instead of each first one evaluating and serializing while the
// others wait behind it on the one thread.

import { evaluate, resultSize, type Plan } from '../core/engine.js';
import type { Cube, TableMeta } from '../core/model.js';
import { formatInfo, getSerializer, type Api } from '../formats/registry.js';
import type { SerializeOptions, Serializer } from '../formats/serializer.js';
import { pivotCube } from '../query/pivot.js';
import type { Store, TableRecord } from '../store/store.js';
import { Admission, AdmissionRefused } from './admission.js';
import { ResponseCache, type CachedResponse } from './responseCache.js';

/** A selection resolved on one version of a table's metadata. */
export interface Resolved {
  plan: Plan;
  /** Requested layout (v2 placement): stub then heading variable codes. */
  placement?: { stub: string[]; heading: string[] } | null;
}

export interface RunRequest {
  record: TableRecord;
  /** Selection -> Plan on the given metadata; throws the API's own errors (they pass through untouched). */
  resolve(meta: TableMeta): Resolved;
  format: string;
  api: Api;
  options: Omit<SerializeOptions, 'api' | 'signal'>;
  /** A last change to the result before it is written (e.g. the codepage a dialect demands). */
  adjust?: (result: Cube) => Cube;
  /** The request's identity for the response cache (the runner adds the table version); absent = not cached. */
  cacheKey?: string;
  /** Who asks, for fair admission of heavy answers. */
  client?: string;
  /** Aborts when the client goes away. */
  signal?: AbortSignal;
}

export interface RunAnswer {
  contentType: string;
  extension: string;
  /** The table version answered. */
  version: number;
  /** The whole body (small answers and cache hits) ... */
  body?: Buffer;
  /** ... or the body as chunks (heavy answers); the admission slot is held until it ends. */
  stream?: AsyncIterable<Buffer>;
  fromCache: boolean;
}

export type QueryFailure = 'timeout' | 'unknown-format' | 'busy' | 'client-busy' | 'cancelled';

/** A failure of the pipeline itself (selection errors are the API's and pass through). */
export class QueryError extends Error {
  constructor(
    readonly kind: QueryFailure,
    message: string,
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

export interface QueryRunnerSettings {
  /** Time limit of one query in ms (0 = none). */
  timeoutMs: number;
  /** The office's time zone for local times in the tables. */
  timeZone?: string;
}

/** Output bytes per cell when the registry gives no figure (labelled long formats are the widest). */
const DEFAULT_BYTES_PER_CELL = 64;
/**
 * Cached queries remembered per table, tables remembered, and the characters of their keys in all (the most recent
 * of each). What is remembered holds the request's parsed selection and the record it was asked of (so the metadata
 * of that version too): the bounds keep that small. A query with a longer key is not remembered (a POST body that
 * large is not one of the few queries a release's readers all ask).
 */
const ASKED_PER_TABLE = 16;
const ASKED_TABLES = 128;
const ASKED_KEY_CHARS = 8_192;
const ASKED_CHARS = 1_000_000;

/** A cached query as it can be asked again of another version of its table: no client, no signal. */
type Asked = Pick<RunRequest, 'resolve' | 'format' | 'api' | 'options' | 'adjust'> & { cacheKey: string };

export class QueryRunner {
  /** Table id -> its cached queries by cache key, least recently asked first (both maps in that order). */
  private readonly asked = new Map<string, Map<string, Asked>>();
  private askedChars = 0;

  constructor(
    private readonly store: Store,
    private readonly cache: ResponseCache,
    readonly admission: Admission,
    private readonly settings: QueryRunnerSettings,
  ) {}

  /** Where the answer to a request (its API's cache key) on one table version is kept in the response cache. */
  private static answerKey(rec: TableRecord, cacheKey: string): string {
    return ResponseCache.key('RUN', cacheKey, undefined, `${rec.id}@${rec.version}`);
  }

  /**
   * Whether an answer to this request on this version is cached. An answer is only cached once its selection was
   * resolved and checked on that very version, so an API may skip checking the selection again before `run` (which
   * then answers from the cache): at a release every poller's first request is such a hit.
   */
  hasAnswer(rec: TableRecord, cacheKey: string): boolean {
    return this.cache.has(QueryRunner.answerKey(rec, cacheKey));
  }

  async run(req: RunRequest): Promise<RunAnswer> {
    const rec = req.record;
    const ser = getSerializer(req.format, req.api) as Serializer | undefined;
    if (!ser) throw new QueryError('unknown-format', `Unknown output format ${JSON.stringify(req.format)}`);

    const key = req.cacheKey === undefined ? undefined : QueryRunner.answerKey(rec, req.cacheKey);
    if (key !== undefined) {
      const hit = this.cache.get(key);
      if (hit) {
        this.remember(rec.id, req);
        return { contentType: hit.headers['content-type'], extension: hit.headers['x-extension'] ?? '', version: rec.version, body: hit.body, fromCache: true };
      }
    }

    let resolved = req.resolve(rec.meta);
    const estimate = estimatedBytes(req.format, resolved.plan);
    const streamed = typeof ser.stream === 'function' && this.admission.isHeavy(estimate);

    // one signal for the time limit and the client going away. The time limit is a timer that holds its controller:
    // AbortSignal.timeout() is held only weakly by its timer and AbortSignal.any() holds its sources weakly, so once
    // run() returned a stream, a garbage collection could take the deadline away and the limit never fired.
    const limit = this.settings.timeoutMs > 0 ? new AbortController() : undefined;
    const timer = limit ? setTimeout(() => limit.abort(new DOMException('The query took longer than the time limit', 'TimeoutError')), this.settings.timeoutMs) : undefined;
    timer?.unref();
    const stopTimer = () => clearTimeout(timer);
    const deadline = limit?.signal;
    const signals = [req.signal, deadline].filter((s): s is AbortSignal => !!s);
    const signal = signals.length ? AbortSignal.any(signals) : undefined;

    let release: () => void;
    try {
      release = await this.admission.acquire(req.client ?? 'anonymous', estimate, !streamed, signal);
    } catch (e) {
      stopTimer();
      throw this.failure(e, deadline);
    }
    let done = stopTimer;
    try {
      // an earlier version (asOf / version) is read by number; otherwise the newest, which may be newer than rec
      const pinned = this.store.getTable(rec.id)?.version !== rec.version;
      const cube = await this.store.getCube(rec.id, pinned ? { version: rec.version } : undefined);
      signal?.throwIfAborted();
      // the table may have been replaced since the catalogue lookup: resolve again on the cube's own metadata
      const sameVersion = cube.meta === rec.meta;
      if (!sameVersion) resolved = req.resolve(cube.meta);
      const result = answerCube(cube, resolved, req.adjust);
      signal?.throwIfAborted();
      const options = this.serializeOptions(req, signal);
      if (streamed) {
        const out = ser.stream!(result, options);
        const slot = release;
        const chunks = guarded(
          out.chunks,
          () => {
            slot();
            stopTimer();
          },
          signal,
        );
        // the stream releases its slot and ends the time limit when it ends
        release = () => {};
        done = () => {};
        return { contentType: out.contentType, extension: out.extension, version: rec.version, stream: chunks, fromCache: false };
      }
      const out = await ser.serialize(result, options);
      signal?.throwIfAborted();
      if (key !== undefined && sameVersion) {
        if (this.cache.set(key, cached(out))) this.remember(rec.id, req);
      }
      return { contentType: out.contentType, extension: out.extension, version: rec.version, body: out.body, fromCache: false };
    } catch (e) {
      throw this.failure(e, deadline);
    } finally {
      release();
      done();
    }
  }

  /**
   * Answer the queries last asked of this table, whose answers are cached, on the given version (a scheduled one:
   * the release tooling reads it under embargo) into the response cache, most recent first, a query per turn of the
   * event loop. A query that no longer fits the version (a value gone) is left to answer for itself when asked. Heavy
   * answers are streamed and never cached, so none is made here. Returns how many answers were made.
   */
  async prepareAnswers(rec: TableRecord): Promise<number> {
    const asked = this.asked.get(rec.id);
    if (!asked) return 0;
    let cube: Cube | undefined;
    let made = 0;
    for (const a of [...asked.values()].reverse()) {
      const key = QueryRunner.answerKey(rec, a.cacheKey);
      if (this.cache.has(key)) continue;
      const ser = getSerializer(a.format, a.api) as Serializer | undefined;
      if (!ser) continue;
      await new Promise((r) => setImmediate(r));
      try {
        cube ??= await this.store.getCube(rec.id, { version: rec.version, includePending: true });
        const resolved = a.resolve(cube.meta);
        if (this.admission.isHeavy(estimatedBytes(a.format, resolved.plan))) continue;
        const out = await ser.serialize(answerCube(cube, resolved, a.adjust), this.serializeOptions(a));
        if (this.cache.set(key, cached(out))) made++;
      } catch {
        // not answerable on this version (or the version is gone): asked after the release, it answers for itself
      }
    }
    return made;
  }

  /** What a serializer is told: the office's time zone, the API's options, the API and the request's signal. */
  private serializeOptions(req: Pick<RunRequest, 'options' | 'api'>, signal?: AbortSignal): SerializeOptions {
    return { timeZone: this.settings.timeZone, ...req.options, api: req.api, signal } as SerializeOptions;
  }

  /** Note a cached query of a table as its most recent (bounded per table, in tables and in key characters). */
  private remember(id: string, req: RunRequest): void {
    const key = req.cacheKey;
    if (key === undefined || key.length > ASKED_KEY_CHARS) return;
    let asked = this.asked.get(id);
    if (asked) this.asked.delete(id);
    else asked = new Map();
    this.asked.set(id, asked);
    if (asked.delete(key)) this.askedChars -= key.length;
    asked.set(key, { resolve: req.resolve, format: req.format, api: req.api, options: req.options, adjust: req.adjust, cacheKey: key });
    this.askedChars += key.length;
    if (asked.size > ASKED_PER_TABLE) {
      const oldest = asked.keys().next().value!;
      asked.delete(oldest);
      this.askedChars -= oldest.length;
    }
    while (this.asked.size > ASKED_TABLES || this.askedChars > ASKED_CHARS) {
      const [oldestId, keys] = this.asked.entries().next().value!;
      this.asked.delete(oldestId);
      for (const k of keys.keys()) this.askedChars -= k.length;
    }
  }

  private failure(e: unknown, deadline: AbortSignal | undefined): unknown {
    if (e instanceof AdmissionRefused) {
      return new QueryError(e.reason === 'client' ? 'client-busy' : 'busy', e.message, e.retryAfter);
    }
    if (deadline?.aborted) return new QueryError('timeout', 'The query took longer than the time limit');
    if (e instanceof Error && (e.name === 'AbortError' || e.name === 'TimeoutError')) return new QueryError('cancelled', 'The request was cancelled');
    return e;
  }
}

/** The bytes an answer in `format` is reckoned at, for admission and for whether it is streamed. */
function estimatedBytes(format: string, plan: Plan): number {
  return (formatInfo(format)?.bytesPerCell ?? DEFAULT_BYTES_PER_CELL) * resultSize(plan) + 4096;
}

/** The answer's cube: evaluated, placed as asked, then the API's last change. */
function answerCube(cube: Cube, resolved: Resolved, adjust: RunRequest['adjust']): Cube {
  let result = evaluate(cube, resolved.plan);
  if (resolved.placement) result = pivotCube(result, resolved.placement.stub, resolved.placement.heading);
  return adjust ? adjust(result) : result;
}

function cached(out: { contentType: string; extension: string; body: Buffer }): CachedResponse {
  return { status: 200, headers: { 'content-type': out.contentType, 'x-extension': out.extension }, body: out.body };
}

/** Chunks that release the admission slot once, however the stream ends, and stop when the signal aborts. */
async function* guarded(chunks: AsyncIterable<Buffer>, release: () => void, signal: AbortSignal | undefined): AsyncIterable<Buffer> {
  try {
    for await (const c of chunks) {
      signal?.throwIfAborted();
      yield c;
    }
  } finally {
    release();
  }
}
