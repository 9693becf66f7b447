// What both PxWeb clients share: the server's limits, pacing, planning a query into batches, running them and
// merging the answers. The API-specific parts (URLs, bodies, metadata shapes) live in v1.ts and v2.ts.

import type { Cube, TableMeta } from '../core/model.js';
import { PxWebHttpError, Transport, type TransportEvent, type TransportOptions } from './http.js';
import { checkAnswer, mergeBatches, type BatchAnswer } from './merge.js';
import { SlidingWindowPacer } from './pacer.js';
import { cutList, planBatches, type BatchPlan, type PlanDim } from './planner.js';
import { resolveSelection, type ClientVariable, type ResolvedVariable, type Selection } from './selection.js';

export interface ServerLimits {
  /** Cells one data call may return. */
  maxCells: number;
  /** Calls per time window (0 = no limit). */
  maxCalls: number;
  /** Window length in seconds. */
  timeWindow: number;
  /** v1: values per variable listed in metadata. */
  maxValues?: number;
}

/** Used when a server does not tell its limits (SCB's published figures: the stricter of the two offices). */
export const FALLBACK_LIMITS: ServerLimits = { maxCells: 150_000, maxCalls: 30, timeWindow: 10 };

export interface ClientOptions extends TransportOptions {
  /** Language of texts (v1: the URL segment; v2: `lang`). Default v1 "en", v2 the server's default. */
  lang?: string;
  /** Override what the server reports (e.g. a smaller maxCells, a stricter rate). */
  limits?: Partial<ServerLimits>;
  /** Data calls run at the same time (default 1). */
  concurrency?: number;
  /** Extra wait past a rate window's edge in ms (default 50). */
  marginMs?: number;
}

export interface Codelist {
  id: string;
  label: string;
  type?: string;
}

export interface TableVariable extends ClientVariable {
  eliminationValue?: string;
  /** v2: the variable's value sets and groupings. */
  codelists?: Codelist[];
}

export interface TableMetadata {
  id: string;
  title: string;
  variables: TableVariable[];
  /** v2: the metadata document read into the model (no cells). */
  meta?: TableMeta;
}

export interface TableSummary {
  id: string;
  label: string;
  /** v1: path of the table from the database; v2: the table id. */
  path: string;
  updated?: string;
  firstPeriod?: string;
  lastPeriod?: string;
  score?: number;
}

export interface FetchProgress {
  phase: 'limits' | 'metadata' | 'plan' | 'batch' | 'wait' | 'retry' | 'merge' | 'done';
  batches: number;
  batchesDone: number;
  cells: number;
  cellsDone: number;
  /** HTTP calls so far (this client, retries included). */
  calls: number;
  /** wait: milliseconds about to be waited for the rate limit (NaN: until a call in flight ends); retry: backoff. */
  waitMs?: number;
  /** retry: the status that caused it (null: network error). */
  status?: number | null;
  message?: string;
}

export interface FetchOptions {
  onProgress?: (p: FetchProgress) => void;
  /** Variables the selection leaves out: eliminated when the table allows it (default, PxWeb's rule) or all values. */
  omitted?: 'eliminate' | 'all';
}

export interface PlanOptions {
  /** Cells per call (default the server's limit). */
  maxCells?: number;
  /** The table's metadata, when already read. */
  metadata?: TableMetadata;
  omitted?: 'eliminate' | 'all';
}

/** One data call: per table variable its codes in this batch (null = eliminated). */
export interface Batch {
  index: number;
  selection: ResolvedVariable[];
  cells: number;
}

export interface FetchPlan {
  tableId: string;
  limits: ServerLimits;
  metadata: TableMetadata;
  resolved: ResolvedVariable[];
  plan: BatchPlan;
  /** Per selected variable (table order), its pieces. */
  pieces: string[][][];
  batches: Batch[];
}

export abstract class PxWebClientBase {
  abstract readonly api: 'v1' | 'v2';
  readonly transport: Transport;
  protected readonly options: ClientOptions;
  private limitsPromise?: Promise<ServerLimits>;
  /** Set when the server's limits could not be read and FALLBACK_LIMITS are used. */
  limitsWarning?: string;
  /** Whether the server answers data in metadata order whatever order codes are asked in (v1). */
  protected abstract readonly answersInMetadataOrder: boolean;

  constructor(options: ClientOptions = {}) {
    this.options = options;
    this.transport = new Transport(options);
  }

  /** HTTP calls made so far. */
  get calls(): number {
    return this.transport.calls;
  }

  /** The server's limits (read once), with the client's overrides; sets up pacing. */
  limits(): Promise<ServerLimits> {
    this.limitsPromise ??= (async () => {
      let got: ServerLimits;
      try {
        got = await this.readLimits();
      } catch (e) {
        this.limitsWarning = `could not read the server's limits (${(e as Error).message}); assuming ${JSON.stringify(FALLBACK_LIMITS)}`;
        got = { ...FALLBACK_LIMITS };
      }
      const l: ServerLimits = { ...got, ...definedOnly(this.options.limits ?? {}) };
      this.transport.pacer = new SlidingWindowPacer({
        maxCalls: l.maxCalls,
        windowMs: l.timeWindow * 1000,
        marginMs: this.options.marginMs,
        now: this.options.now,
        sleep: this.options.sleep,
      });
      return l;
    })();
    return this.limitsPromise;
  }

  protected abstract readLimits(): Promise<ServerLimits>;
  abstract metadata(tableId: string): Promise<TableMetadata>;
  abstract search(query: string): Promise<TableSummary[]>;
  /** Values of a variable under a codelist, in the server's order (undefined when the API cannot tell). */
  protected abstract valuesUnder(tableId: string, variable: string, codelist: string): Promise<string[] | undefined>;
  /** Run one data call; the answer's variables are the batch's selected ones, in table order. */
  protected abstract fetchBatch(tableId: string, batch: Batch): Promise<Cube>;
  /** Whether an error means the batch had too many cells for the server. */
  protected abstract isTooManyCells(e: unknown): boolean;
  protected abstract readonly caseInsensitiveCodes: boolean;

  /** Expand a selection and split it into batches under `maxCells` (default the server's limit). */
  async plan(tableId: string, selection: Selection = {}, opts: PlanOptions = {}): Promise<FetchPlan> {
    const limits = await this.limits();
    const md = opts.metadata ?? (await this.metadata(tableId));
    if (opts.omitted === 'all') {
      const named = new Set(Object.keys(selection).map((k) => k.toLowerCase()));
      selection = { ...selection };
      for (const v of md.variables) if (!named.has(v.code.toLowerCase()) && v.values) selection[v.code] = v.values.map((x) => x.code);
    }
    const under = new Map<string, string[] | undefined>();
    for (const [code, s] of Object.entries(selection)) {
      if (s && typeof s === 'object' && !Array.isArray(s) && s.codelist) {
        const v = md.variables.find((x) => x.code.toLowerCase() === code.toLowerCase());
        if (v) under.set(`${v.code}\u0000${s.codelist}`, await this.valuesUnder(tableId, v.code, s.codelist));
      }
    }
    const resolved = resolveSelection(md.variables, selection, {
      caseInsensitive: this.caseInsensitiveCodes,
      valuesUnder: (code, codelist) => under.get(`${code}\u0000${codelist}`),
    });
    if (this.answersInMetadataOrder) {
      for (const r of resolved) {
        const order = r.order;
        if (r.codes && order) r.codes.sort((a, b) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity));
      }
    }
    const selected = resolved.filter((r) => r.codes !== null);
    const dims: PlanDim[] = selected.map((r) => ({ code: r.code, size: r.codes!.length, splittable: true }));
    const plan = planBatches(dims, opts.maxCells ?? limits.maxCells);
    const pieces = selected.map((r, d) => cutList(r.codes!, plan.pieces[d]));
    const batches: Batch[] = [];
    const pos = new Array<number>(selected.length).fill(0);
    for (let b = 0; b < plan.batches; b++) {
      let cells = 1;
      const chunkOf = new Map<string, string[]>();
      selected.forEach((r, d) => {
        chunkOf.set(r.code, pieces[d][pos[d]]);
        cells *= pieces[d][pos[d]].length;
      });
      batches.push({ index: b, cells, selection: resolved.map((r) => ({ ...r, codes: r.codes === null ? null : chunkOf.get(r.code)! })) });
      for (let d = selected.length - 1; d >= 0; d--) {
        if (++pos[d] < plan.pieces[d]) break;
        pos[d] = 0;
      }
    }
    return { tableId, limits, metadata: md, resolved, plan, pieces, batches };
  }

  /**
   * Fetch a selection of a table as one cube: split under the server's cell limit into the fewest calls, paced
   * under its rate limit, retried on 429/5xx, merged. If the server still refuses a batch as too large, the
   * query is planned again with half the cells per call (at most three times).
   */
  async fetchCube(tableId: string, selection: Selection = {}, opts: FetchOptions = {}): Promise<Cube> {
    const progress = { batches: 0, batchesDone: 0, cells: 0, cellsDone: 0 };
    const emit = (phase: FetchProgress['phase'], extra: Partial<FetchProgress> = {}) =>
      opts.onProgress?.({ phase, ...progress, calls: this.transport.calls, ...extra });
    const listener = (e: TransportEvent) => {
      if (e.kind === 'wait') emit('wait', { waitMs: e.ms });
      else if (e.kind === 'retry') emit('retry', { waitMs: e.waitMs, status: e.status, message: e.reason });
    };
    const previous = this.transport.listener;
    this.transport.listener = listener;
    try {
      emit('limits');
      const limits = await this.limits();
      emit('metadata');
      const md = await this.metadata(tableId);
      let maxCells = limits.maxCells;
      for (let attempt = 0; ; attempt++) {
        const p = await this.plan(tableId, selection, { maxCells, metadata: md, omitted: opts.omitted });
        progress.batches = p.batches.length;
        progress.cells = p.plan.totalCells;
        progress.batchesDone = 0;
        progress.cellsDone = 0;
        emit('plan', { message: `${p.plan.totalCells} cells in ${p.batches.length} call(s) of at most ${p.plan.maxBatchCells} cells` });
        try {
          const answers = await this.runBatches(p, (b) => {
            progress.batchesDone++;
            progress.cellsDone += b.cells;
            emit('batch');
          });
          emit('merge');
          const cube = this.mergeAnswers(p, answers);
          emit('done');
          return cube;
        } catch (e) {
          if (attempt < 3 && this.isTooManyCells(e) && p.plan.maxBatchCells > 1) {
            maxCells = Math.max(1, Math.floor(p.plan.maxBatchCells / 2));
            emit('retry', { message: `the server refused ${p.plan.maxBatchCells} cells; planning with ${maxCells}`, status: e instanceof PxWebHttpError ? e.status : null });
            continue;
          }
          throw e;
        }
      }
    } finally {
      this.transport.listener = previous;
    }
  }

  private async runBatches(p: FetchPlan, done: (b: Batch) => void): Promise<BatchAnswer[]> {
    const answers = new Array<BatchAnswer>(p.batches.length);
    let next = 0;
    let failed: unknown = null;
    const worker = async () => {
      while (failed === null && next < p.batches.length) {
        const b = p.batches[next++];
        try {
          const cube = await this.fetchBatch(p.tableId, b);
          answers[b.index] = { cube, requested: b.selection.filter((r) => r.codes !== null).map((r) => r.codes!) };
          done(b);
        } catch (e) {
          failed ??= e;
        }
      }
    };
    const n = Math.max(1, Math.min(this.options.concurrency ?? 1, p.batches.length));
    await Promise.all(Array.from({ length: n }, worker));
    if (failed !== null) throw failed;
    return answers;
  }

  private mergeAnswers(p: FetchPlan, answers: BatchAnswer[]): Cube {
    const selected = p.resolved.filter((r) => r.codes !== null);
    if (answers.length === 1) {
      checkAnswer(answers[0], selected.map((r) => r.code));
      return answers[0].cube;
    }
    return mergeBatches(
      answers,
      selected.map((r) => r.code),
      p.pieces,
      selected.map((r) => r.order),
    );
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
