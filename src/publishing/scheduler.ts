// The release scheduler of a server process: warms scheduled versions a few minutes before their release, and at
// the release instant records the release and rebuilds what readers derive from the catalog (the search indexes).
//
// It is not what makes a version public: the store decides that from the release time and its clock on every
// read (catalog.ts), so nothing depends on timer accuracy, and several processes on one database flip together.
// The scheduler only makes the first read after the instant as fast as any cached read:
//  - warm-up (default 5 min before): the scheduled cube is read, decoded and checked into the cube cache under
//    its own version (pinned), so the first query after the release does not touch the database;
//  - warm-up also builds the search index of each language for the catalogue after the next release
//    (`catalogueAt`), kept aside by src/search in a prepared slot keyed by its exact (table id, version) set;
//  - at the instant: `releaseDue()` records the release (idempotent across processes) and the search index of
//    each language is brought up to date at once rather than inside the first search: src/search adopts the
//    prepared slot when the store's table list now has exactly its set (never earlier: the list applies the
//    embargo), else rebuilds (the catalogue changed in between, e.g. another table was put).
//    A cancelled or moved release leaves a slot that never matches; the next tick replaces or drops it.
//  - shortly before the instant (`answersLeadMs`, default 2 s) the queries readers asked last of the table are
//    answered on the scheduled version into the response cache (`answers`: the app's query runner), so the rush of
//    the same queries at the instant is answered from memory (src/app/queryRunner.ts, prepareAnswers);
// `tick()` does whatever is due at the clock's now; `start()` runs it from a timer armed for the next warm-up or
// release, and polls (default 30 s) for releases scheduled by other processes (the CLI). The timer of a release
// fires a little after its instant (`releaseSettleMs`, default 100 ms): readers already get the new version by the
// clock, and the instant belongs to them and to the release feed's push; the recording (a database write) and the
// index bring-up follow. A search in between adopts the prepared index itself.

import { discardPreparedIndex, indexFor, prepareIndex } from '../search/index.js';
import type { ScheduledRelease, Store, TableRecord } from '../store/store.js';
import { catalogueAt } from './comingCatalogue.js';
import { PREPARE_AHEAD_MS } from './releaseTime.js';

export const DEFAULT_WARMUP_MS = 5 * 60_000;
export const DEFAULT_POLL_MS = 30_000;
export const DEFAULT_RELEASE_SETTLE_MS = 100;
/** setTimeout's largest delay. */
const MAX_DELAY = 2 ** 31 - 1;

export interface SchedulerLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ReleaseSchedulerOptions {
  /** Clock (epoch ms); default the store's. */
  now?: () => number;
  /** How long before a release its cube is warmed (ms, default 5 min). */
  warmupMs?: number;
  /** How often to look for releases scheduled elsewhere (ms, default 30 s). */
  pollMs?: number;
  /** How long after a release instant its timer tick runs (ms, default 100). */
  releaseSettleMs?: number;
  /** Languages whose search index is prepared at warm-up and brought up to date at a release (default no, en). */
  languages?: string[];
  log?: SchedulerLog;
  /** Answers the queries last asked of a table on a scheduled version, ahead of its release (the query runner). */
  answers?: AnswerPreparer;
  /** How long before a release its answers are prepared (ms, default PREPARE_AHEAD_MS: 2 s, as the release feed). */
  answersLeadMs?: number;
}

export interface AnswerPreparer {
  /** Answer the queries last asked of the record's table on the record's version; how many answers were made. */
  prepareAnswers(rec: TableRecord): Promise<number>;
}

export interface WarmedRelease {
  id: string;
  version: number;
  releaseAt: string;
  cells: number;
  /** Whether the cube was read from the database now (false: it was in memory already). */
  loaded: boolean;
  /** Whether it is held in memory for the release (false: larger than the cache budget). */
  cached: boolean;
  ms: number;
}

export interface TickReport {
  at: string;
  warmed: WarmedRelease[];
  /** Releases this process recorded (another process may have recorded some first). */
  released: TableRecord[];
  /** Releases whose answers were prepared this tick, with how many. */
  answered: { id: string; version: number; answers: number; ms: number }[];
  /** Time spent bringing the search indexes up to date (ms), when the catalog changed. */
  searchIndexMs?: number;
  /** Time spent building the search indexes of the catalogue after the next release (ms), when built this tick. */
  preparedIndexMs?: number;
  errors: string[];
}

export class ReleaseScheduler {
  readonly warmupMs: number;
  readonly pollMs: number;
  readonly releaseSettleMs: number;
  private readonly now: () => number;
  private readonly languages: string[];
  private readonly log?: SchedulerLog;
  /** "id@version" -> the release time it was warmed for. */
  private readonly warmed = new Map<string, number>();
  /** "id@version" -> the release time its answers were prepared for. */
  private readonly answered = new Map<string, number>();
  private readonly answers?: AnswerPreparer;
  readonly answersLeadMs: number;
  /** The store's change cursor when the search indexes were last brought up to date (undefined: never). */
  private indexedAt: number | undefined;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private ticking: Promise<TickReport> | null = null;

  constructor(
    private readonly store: Store,
    opts: ReleaseSchedulerOptions = {},
  ) {
    this.now = typeof opts.now === 'function' ? opts.now : () => store.now();
    this.warmupMs = nonNegative(opts.warmupMs, DEFAULT_WARMUP_MS);
    this.pollMs = Math.max(10, nonNegative(opts.pollMs, DEFAULT_POLL_MS));
    this.releaseSettleMs = nonNegative(opts.releaseSettleMs, DEFAULT_RELEASE_SETTLE_MS);
    this.languages = opts.languages?.length ? [...opts.languages] : ['no', 'en'];
    this.log = opts.log;
    this.answers = opts.answers;
    this.answersLeadMs = nonNegative(opts.answersLeadMs, PREPARE_AHEAD_MS);
  }

  /** Do what is due now: warm releases inside the warm-up window, record releases whose time came. */
  tick(): Promise<TickReport> {
    // one tick at a time: a timer firing during a long warm-up waits for it
    if (!this.ticking) this.ticking = this.runTick().finally(() => (this.ticking = null));
    return this.ticking;
  }

  private async runTick(): Promise<TickReport> {
    const report: TickReport = { at: new Date(this.now()).toISOString(), warmed: [], answered: [], released: [], errors: [] };
    let coming: ScheduledRelease[] = [];
    try {
      coming = this.store.listScheduled();
    } catch (e) {
      report.errors.push(this.fail(e, 'cannot list scheduled releases'));
    }
    const live = new Set<string>();
    for (const r of coming) {
      const key = `${r.record.id}@${r.record.version}`;
      const at = Date.parse(r.releaseAt);
      live.add(key);
      if (at - this.warmupMs > this.now() || this.warmed.get(key) === at) continue;
      const t0 = performance.now();
      try {
        const p = await this.store.prepareRelease(r.record.id, r.record.version);
        const w: WarmedRelease = { ...p, releaseAt: r.releaseAt, ms: round(performance.now() - t0) };
        this.warmed.set(key, at);
        report.warmed.push(w);
        this.log?.info({ release: w }, `warmed ${key} for its release at ${r.releaseAt}`);
      } catch (e) {
        report.errors.push(this.fail(e, `cannot warm ${key}`));
      }
    }
    for (const r of this.answers ? coming : []) {
      const key = `${r.record.id}@${r.record.version}`;
      const at = Date.parse(r.releaseAt);
      if (at - this.answersLeadMs > this.now() || this.answered.get(key) === at) continue;
      // once per release time, whatever the outcome (a failure is logged, not retried in a loop)
      this.answered.set(key, at);
      const t0 = performance.now();
      try {
        const answers = await this.answers!.prepareAnswers(r.record);
        report.answered.push({ id: r.record.id, version: r.record.version, answers, ms: round(performance.now() - t0) });
      } catch (e) {
        report.errors.push(this.fail(e, `cannot prepare answers for ${key}`));
      }
    }
    for (const key of [...this.warmed.keys()]) if (!live.has(key)) this.warmed.delete(key);
    for (const key of [...this.answered.keys()]) if (!live.has(key)) this.answered.delete(key);

    try {
      report.released = this.store.releaseDue();
      for (const r of report.released) this.log?.info({ table: r.id, version: r.version }, `released ${r.id}@${r.version}`);
    } catch (e) {
      report.errors.push(this.fail(e, 'cannot record due releases'));
    }
    // Rebuild the search indexes when the catalog changed (a release here or in another process). Each language
    // waits for a turn of the event loop first, so queries queued at the release instant are answered before it.
    // (what changed is read from the store's change log: the check costs the changes, not the catalogue)
    try {
      const changes = this.store.tableChanges(this.indexedAt);
      if (changes.ids === null || changes.ids.length) {
        let ms = 0;
        for (const lang of this.languages) {
          await new Promise((r) => setImmediate(r));
          const t0 = performance.now();
          indexFor(this.store, lang);
          ms += performance.now() - t0;
        }
        report.searchIndexMs = round(ms);
      }
      this.indexedAt = changes.seq;
    } catch (e) {
      report.errors.push(this.fail(e, 'cannot build the search index'));
    }
    // Once the next release is inside the warm-up window, build the search indexes of the catalogue after it.
    try {
      const scheduled = this.store.listScheduled();
      const next = scheduled.reduce((m, r) => Math.min(m, Date.parse(r.releaseAt)), Infinity);
      if (next !== Infinity && next - this.warmupMs <= this.now()) {
        // made once for every language, and only if an index is to be prepared (not for a persistent one)
        let records: TableRecord[] | undefined;
        const future = () => (records ??= catalogueAt(this.store, next, scheduled));
        let ms = 0;
        let built = false;
        for (const lang of this.languages) {
          await new Promise((r) => setImmediate(r));
          const t0 = performance.now();
          if (prepareIndex(this.store, future, lang)) built = true;
          ms += performance.now() - t0;
        }
        if (built) {
          report.preparedIndexMs = round(ms);
          this.log?.info({ releaseAt: new Date(next).toISOString(), ms: report.preparedIndexMs }, 'search index prepared for the next release');
        }
      } else {
        discardPreparedIndex(this.store);
      }
    } catch (e) {
      report.errors.push(this.fail(e, 'cannot prepare the search index'));
    }
    return report;
  }

  /** When the next warm-up or release is due (epoch ms; Infinity when nothing is scheduled). */
  nextWake(): number {
    return this.nextTimer(0);
  }

  /** When the timer is due: the next warm-up, answers to prepare, or release instant plus `settle`. */
  private nextTimer(settle: number): number {
    let next = Infinity;
    for (const r of this.store.listScheduled()) {
      const at = Date.parse(r.releaseAt);
      const warmAt = at - this.warmupMs;
      const key = `${r.record.id}@${r.record.version}`;
      if (this.warmed.get(key) !== at && warmAt < next) next = warmAt;
      if (this.answers && this.answered.get(key) !== at && at - this.answersLeadMs < next) next = at - this.answersLeadMs;
      if (at + settle < next) next = at + settle;
    }
    return next;
  }

  /** Run from timers until stopped: a tick now, then at each warm-up and release time (and every poll interval). */
  start(): void {
    if (this.running) return;
    this.running = true;
    void this.wake();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Wait for a tick in progress (for shutdown). */
  async idle(): Promise<void> {
    await this.ticking;
  }

  private async wake(): Promise<void> {
    this.timer = null;
    try {
      await this.tick();
    } catch (e) {
      this.fail(e, 'release tick failed');
    }
    if (!this.running) return;
    const now = this.now();
    let next = now + this.pollMs;
    try {
      next = Math.min(next, this.nextTimer(this.releaseSettleMs));
    } catch (e) {
      this.fail(e, 'cannot list scheduled releases');
    }
    // A timer may fire a little early against the clock: the tick then finds nothing and the delay is ~0.
    const delay = Math.min(MAX_DELAY, Math.max(0, next - now));
    this.timer = setTimeout(() => void this.wake(), delay);
    this.timer.unref();
  }

  private fail(e: unknown, what: string): string {
    const message = `${what}: ${e instanceof Error ? e.message : String(e)}`;
    this.log?.error({ err: e }, message);
    return message;
  }
}

/**
 * Scheduler settings from the environment: STATBANK_RELEASE_WARMUP_MS, STATBANK_RELEASE_POLL_MS,
 * STATBANK_RELEASE_SETTLE_MS, STATBANK_RELEASE_ANSWERS_LEAD_MS.
 */
export function schedulerSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): Pick<ReleaseSchedulerOptions, 'warmupMs' | 'pollMs' | 'releaseSettleMs' | 'answersLeadMs'> {
  const num = (name: string): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name}: not a non-negative number: ${raw}`);
    return n;
  };
  return {
    warmupMs: num('STATBANK_RELEASE_WARMUP_MS'),
    pollMs: num('STATBANK_RELEASE_POLL_MS'),
    releaseSettleMs: num('STATBANK_RELEASE_SETTLE_MS'),
    answersLeadMs: num('STATBANK_RELEASE_ANSWERS_LEAD_MS'),
  };
}

function nonNegative(v: number | undefined, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fallback;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
