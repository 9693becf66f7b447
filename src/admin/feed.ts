// The release feed of one server process: notices each release the instant readers can see it, and announces it
// to this process's subscribers (the SSE streams), to the admin-registered webhooks (once across all processes) and
// to the change log.
//
// What is released is read from the store's own view (the tables its change log names, `tableChanges`; the whole
// listing only for the first snapshot), which applies the embargo with the store's clock, so no event can come
// before the release instant: the feed only reports versions that every reader already gets. It checks when a release is due (a timer armed for the soonest scheduled release, by the
// store's clock), after admin writes, and every poll interval (releases and imports made by other processes). The
// first check takes a snapshot and announces nothing.
//
// The instant is kept short: a little before a release (`prepareMs`, default 2 s) the timer wakes to read the
// headline templates, write each headline on the scheduled version (its cube warmed and pinned by the release
// scheduler) and compare the scheduled version's structure with the one readers have, so that at the instant only
// the changed tables are read. Nothing prepared is sent, listed or kept where a reader could see it before the
// instant. At the instant every event of the check is built first and then
// handed to the subscribers, all of an instant's events to each in one call (an SSE stream writes them to its socket
// in one write there and then), yielding after every millisecond of it (PUSH_SLICE_MS) so readers' requests are
// answered in between; the change records and webhook deliveries follow on a later turn of the event loop.
//
// Webhook deliveries and change records are claimed in the AdminStore (`insertNew`), so when several processes
// notice the same release, one of them delivers each webhook and records the changes.

import type { Texts } from '../core/model.js';
import { text } from '../core/model.js';
import type { Store, TableRecord } from '../store/store.js';
import { PREPARE_AHEAD_MS } from '../publishing/releaseTime.js';
import type { AdminStore } from './adminStore.js';
import { structuralChanges, type Change, type ChangeRecord } from './changes.js';
import { evaluateHeadline, type Headline, type HeadlineDef } from './headlines.js';
import { DEFAULT_DELIVERY, deliver, deliveryKey, type Delivery, type DeliverySettings, type WebhookDef } from './webhooks.js';

export interface ReleaseEvent {
  /** `<table>@<version>`: unique per release (the SSE event id, the webhook event id). */
  id: string;
  table: string;
  version: number;
  previousVersion?: number;
  /** The table's title in its default language, and per language. */
  title: string;
  titles: Texts;
  /** The release instant (ISO UTC). */
  released: string;
  folders: string[];
  subject?: string;
  links: {
    v1: { metadata: string; data: string };
    v2: { metadata: string; data: string };
  };
  headlines: Headline[];
}

export interface FeedLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ReleaseFeedOptions {
  /** Absolute base of the links in events (no trailing slash). */
  baseUrl: string;
  /** How often to look for releases made elsewhere (ms, default 5 s). */
  pollMs?: number;
  /** How long before a release the timer wakes to prepare it (ms, default PREPARE_AHEAD_MS: 2 s; 0: no preparation). */
  prepareMs?: number;
  delivery?: Partial<DeliverySettings>;
  log?: FeedLog;
}

/** Called once per release instant with all of its events (oldest table id first), so that a stream can send them in
 * one socket write made there and then. */
export type Subscriber = (events: readonly ReleaseEvent[]) => void;

/**
 * How long the push holds the event loop before it lets the requests that came meanwhile through (ms). A yield costs
 * the push the time of those requests, so the push yields by time, not every so many subscribers: where a socket
 * write is cheap the whole push runs at once; where it is dear (~100 us on a small VM) it yields every millisecond.
 * A slice times the writes themselves: each stream hands its bytes to the kernel in its call (src/api/events/routes.ts).
 * (bench: release on a 2-core VM, 200 subscribers, 200 pollers, 18 rounds each, writes in the call: first new
 * answer p99 ≤ 10 ms in 10 of 18 rounds with 1 ms slices and with 0.5 ms, 3 of 6 with 2 ms; before, when the writes
 * came after each slice: median ~10 ms with 1 ms, ~20 ms with 5 ms, 8-27 ms yielding after every stream.)
 */
const PUSH_SLICE_MS = 1;
const RECENT = 200;

/**
 * One release (`id@version`) worked out ahead of its instant: the headlines on the scheduled version (its cells cannot
 * change before the release: new cells are a new version) and the change record's changes against the version
 * readers had then. Used at the instant only when that is still the version before it.
 */
interface Ahead {
  headlines: Headline[];
  previousVersion: number | undefined;
  discontinuedBefore: boolean;
  changes: Change[];
}

/** A table as the feed last saw it. */
interface Known {
  version: number;
  discontinued: boolean;
  record: TableRecord;
}
const MAX_DELAY = 2 ** 31 - 1;

function knownOf(r: TableRecord): Known {
  return { version: r.version, discontinued: !!r.discontinued, record: r };
}

/** Whether an event concerns a table or subject filter (`be` matches folders be, be/be01 and subject code be). */
export function eventMatches(ev: ReleaseEvent, f: { table?: string; subject?: string }): boolean {
  if (f.table && ev.table !== f.table) return false;
  if (f.subject) {
    const s = f.subject;
    if (ev.subject !== s && !ev.folders.some((p) => p === s || p.startsWith(`${s}/`))) return false;
  }
  return true;
}

export class ReleaseFeed {
  private known: Map<string, Known> | null = null;
  /** The store's change cursor at the last look (tableChanges). */
  private cursor: number | undefined;
  private readonly subscribers = new Set<Subscriber>();
  private readonly recentEvents: ReleaseEvent[] = [];
  private checking: Promise<ReleaseEvent[]> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private readonly pending = new Set<Promise<unknown>>();
  private readonly abort = new AbortController();
  /** event id -> the table as it was before the release (for the change record). */
  private readonly before = new Map<string, Known | undefined>();
  /** Read and worked out ahead of the release at `for` (epoch ms): the headline templates, and each release of that
   * instant by `id@version`; used by the check at that instant. */
  private prepared: { for: number; headlines: HeadlineDef[]; ahead: Map<string, Ahead> } | null = null;
  readonly delivery: DeliverySettings;
  readonly pollMs: number;
  readonly prepareMs: number;

  constructor(
    private readonly store: Store,
    private readonly admin: AdminStore,
    private readonly options: ReleaseFeedOptions,
  ) {
    this.delivery = { ...DEFAULT_DELIVERY, ...options.delivery };
    this.pollMs = Math.max(10, options.pollMs ?? 5000);
    this.prepareMs = Math.max(0, options.prepareMs ?? PREPARE_AHEAD_MS);
  }

  /** Listen to events of this process; returns the unsubscribe function. */
  subscribe(fn: Subscriber): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Events this process announced, oldest first (for SSE clients that reconnect with Last-Event-ID). */
  recent(): readonly ReleaseEvent[] {
    return this.recentEvents;
  }

  /** Take the first snapshot now (events start from here). */
  prime(): void {
    if (!this.known) this.known = this.snapshot();
  }

  /** Look for releases now; resolves to the events announced. Calls during a check run one more check after it. */
  check(): Promise<ReleaseEvent[]> {
    if (this.checking) {
      this.again = true;
      return this.checking;
    }
    this.checking = this.runCheck().finally(() => {
      this.checking = null;
      if (this.again) {
        this.again = false;
        void this.check();
      }
    });
    return this.checking;
  }

  /** Every table as readers see it now, with the store's change cursor. */
  private snapshot(): Map<string, Known> {
    this.cursor = this.store.tableChanges().seq;
    return new Map(this.store.listTables().map((r) => [r.id, knownOf(r)]));
  }

  /**
   * The tables with a newer version than the feed knew, with what it knew of them, and the known set brought up
   * to date. Only the tables the store says changed since the last look are read (a check costs the changes, not
   * the catalogue); the whole catalogue only when the store no longer knows (more changes than it remembers).
   */
  private look(): { fresh: TableRecord[]; previous: Map<string, Known | undefined> } {
    const known = this.known!;
    const changes = this.store.tableChanges(this.cursor);
    this.cursor = changes.seq;
    const fresh: TableRecord[] = [];
    const previous = new Map<string, Known | undefined>();
    const note = (id: string, rec: TableRecord | undefined) => {
      const was = known.get(id);
      if (rec && (was?.version ?? 0) < rec.version) {
        fresh.push(rec);
        previous.set(id, was);
      }
      if (rec) known.set(id, knownOf(rec));
      else known.delete(id);
    };
    if (changes.ids) {
      for (const id of changes.ids) note(id, this.store.getTable(id));
    } else {
      const tables = this.store.listTables();
      const seen = new Set<string>();
      for (const r of tables) {
        seen.add(r.id);
        note(r.id, r);
      }
      for (const id of [...known.keys()]) if (!seen.has(id)) known.delete(id);
    }
    fresh.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { fresh, previous };
  }

  private async runCheck(): Promise<ReleaseEvent[]> {
    if (!this.known) {
      this.known = this.snapshot();
      return [];
    }
    const { fresh, previous } = this.look();
    if (!fresh.length) return [];
    const headlines = await this.headlinesFor(fresh);
    // every event first, then the pushes in one synchronous loop: a stream's frames leave in one socket write
    const events: ReleaseEvent[] = [];
    const aheads = new Map<string, Ahead | undefined>();
    for (const rec of fresh) {
      const ahead = this.aheadOf(rec);
      const ev = await this.eventOf(rec, previous.get(rec.id)?.version, headlines, ahead);
      aheads.set(ev.id, ahead);
      this.before.set(ev.id, previous.get(rec.id));
      events.push(ev);
    }
    for (const ev of events) {
      this.recentEvents.push(ev);
      if (this.recentEvents.length > RECENT) this.recentEvents.shift();
    }
    // subscriber by subscriber, all of the instant's events each (a stream writes them to its socket in the call, so
    // the time a slice measures is the time its writes took); after PUSH_SLICE_MS of it the loop yields, so the
    // readers' requests that arrive meanwhile are answered between the slices instead of after the last one
    let sliceStart = performance.now();
    for (const s of [...this.subscribers]) {
      try {
        s(events);
      } catch (e) {
        this.options.log?.error({ err: e }, 'a release subscriber failed');
      }
      if (performance.now() - sliceStart >= PUSH_SLICE_MS) {
        await new Promise<void>((r) => setImmediate(r));
        sliceStart = performance.now();
      }
    }
    // after the pushes have left (the sockets are flushed when this turn ends): logs, webhooks, the change log
    this.track(
      new Promise<void>((resolve) =>
        setImmediate(() => {
          for (const ev of events) {
            this.options.log?.info({ table: ev.table, version: ev.version, subscribers: this.subscribers.size }, `announced ${ev.id}`);
            this.track(this.afterRelease(ev, aheads.get(ev.id)));
          }
          resolve();
        }),
      ),
    );
    return events;
  }

  /** The headline templates for a check: those read ahead of this release when they were, else read now. */
  private async headlinesFor(fresh: TableRecord[]): Promise<HeadlineDef[]> {
    const p = this.prepared;
    if (p && fresh.every((r) => Date.parse(r.published) === p.for)) return p.headlines;
    try {
      return await this.admin.list<HeadlineDef>('headline');
    } catch (e) {
      this.options.log?.error({ err: e }, 'cannot read the headline templates');
      return [];
    }
  }

  /**
   * Ahead of the release at `at` (epoch ms): read the headline templates, write each headline on its scheduled
   * version and compare each scheduled version's structure with the version readers have, so the instant does none
   * of it (the headlines held the push back ~1 ms, the comparison the first answers after it ~2 ms). Nothing about
   * the release is sent, listed or stored before the instant; a template changed here afterwards drops what was
   * worked out.
   */
  async prepare(at: number): Promise<void> {
    try {
      const headlines = await this.admin.list<HeadlineDef>('headline');
      const ahead = new Map<string, Ahead>();
      for (const s of this.store.listScheduled()) {
        if (Date.parse(s.releaseAt) !== at) continue;
        const rec = s.record;
        const cur = this.store.getTable(rec.id);
        const discontinuedBefore = !!cur?.discontinued;
        ahead.set(`${rec.id}@${rec.version}`, {
          headlines: await this.headlinesOf(rec, headlines, true),
          previousVersion: cur?.version,
          discontinuedBefore,
          changes: structuralChanges(cur?.meta, rec.meta, { before: discontinuedBefore, after: !!rec.discontinued }),
        });
      }
      this.prepared = { for: at, headlines, ahead };
    } catch (e) {
      this.prepared = null;
      this.options.log?.error({ err: e }, 'cannot prepare a release ahead of its instant');
    }
  }

  /** What was worked out ahead for this record's release, if it was for this version at this instant. */
  private aheadOf(rec: TableRecord): Ahead | undefined {
    const p = this.prepared;
    return p && Date.parse(rec.published) === p.for ? p.ahead.get(`${rec.id}@${rec.version}`) : undefined;
  }

  /** Headline templates changed (in this process): read them again at the next release. */
  forgetPrepared(): void {
    this.prepared = null;
  }

  /** The headlines of a table's templates written on one of its versions (errors are logged and skipped). */
  private async headlinesOf(rec: TableRecord, defs: HeadlineDef[], includePending = false): Promise<Headline[]> {
    const headlines: Headline[] = [];
    const mine = defs.filter((d) => d.tableId === rec.id);
    if (mine.length) {
      try {
        const cube = await this.store.getCube(rec.id, { version: rec.version, includePending });
        for (const d of mine) {
          try {
            headlines.push(evaluateHeadline(d, cube, rec.version));
          } catch (e) {
            this.options.log?.error({ err: e, headline: d.id }, `headline ${d.id} does not fit ${rec.id}@${rec.version}`);
          }
        }
      } catch (e) {
        this.options.log?.error({ err: e }, `cannot read ${rec.id}@${rec.version} for its headlines`);
      }
    }
    return headlines;
  }

  private async eventOf(rec: TableRecord, previousVersion: number | undefined, defs: HeadlineDef[], ahead: Ahead | undefined): Promise<ReleaseEvent> {
    const meta = rec.meta;
    const lang = meta.defaultLanguage;
    const base = this.options.baseUrl;
    const v1 = `${base}/api/v0/${lang}/table/${encodeURIComponent(rec.id)}`;
    const v2 = `${base}/api/v2/tables/${encodeURIComponent(rec.id)}`;
    const headlines = ahead ? ahead.headlines : await this.headlinesOf(rec, defs);
    return {
      id: `${rec.id}@${rec.version}`,
      table: rec.id,
      version: rec.version,
      previousVersion,
      title: text(meta.title, lang, rec.id),
      titles: { ...meta.title },
      released: rec.published,
      folders: [...rec.folders],
      subject: meta.subjectCode,
      links: { v1: { metadata: v1, data: v1 }, v2: { metadata: `${v2}/metadata`, data: `${v2}/data` } },
      headlines,
    };
  }

  private async afterRelease(ev: ReleaseEvent, ahead: Ahead | undefined): Promise<void> {
    try {
      await this.recordChanges(ev, ahead);
    } catch (e) {
      this.options.log?.error({ err: e }, `cannot record the changes of ${ev.id}`);
    }
    let hooks: WebhookDef[] = [];
    try {
      hooks = await this.admin.list<WebhookDef>('webhook');
    } catch (e) {
      this.options.log?.error({ err: e }, 'cannot read the webhooks');
    }
    const body = JSON.stringify(ev);
    for (const hook of hooks) {
      if (!eventMatches(ev, hook)) continue;
      const first: Delivery = { hookId: hook.id, eventId: ev.id, url: hook.url, status: 'pending', attempts: 0, updated: new Date(this.store.now()).toISOString() };
      try {
        if (!(await this.admin.insertNew('delivery', deliveryKey(hook.id, ev.id), first))) continue; // another process has it
      } catch (e) {
        this.options.log?.error({ err: e }, `cannot claim the delivery of ${ev.id} to ${hook.id}`);
        continue;
      }
      this.track(
        deliver(this.admin, hook, ev.id, body, this.delivery, () => this.store.now(), this.abort.signal).then((d) =>
          this.options.log?.info({ delivery: d }, `webhook ${hook.id} ${d.status} for ${ev.id}`),
        ),
      );
    }
  }

  private async recordChanges(ev: ReleaseEvent, ahead: Ahead | undefined): Promise<void> {
    const before = this.before.get(ev.id);
    this.before.delete(ev.id);
    const rec = this.store.getTable(ev.table);
    if (!rec) return;
    const versions = this.store.listVersions(ev.table);
    const prevInfo = [...versions].reverse().find((v) => v.version < ev.version);
    const record: ChangeRecord = {
      tableId: ev.table,
      version: ev.version,
      previousVersion: prevInfo?.version,
      released: ev.released,
      title: ev.title,
      changes: await this.changesOf(ev, rec, prevInfo?.version, before, ahead),
    };
    await this.admin.insertNew('change', ev.id, record);
  }

  /**
   * A release's structural changes against the version before it: as worked out ahead when that was against the same
   * version and state, else compared now. The version before is read from its record when the feed held it (a SQLite
   * record reads only the metadata), else from its cube (cells are read and decoded too).
   */
  private async changesOf(ev: ReleaseEvent, rec: TableRecord, previousVersion: number | undefined, before: Known | undefined, ahead: Ahead | undefined): Promise<Change[]> {
    const discontinued = { before: before?.discontinued ?? false, after: !!rec.discontinued };
    const current = rec.version === ev.version;
    if (ahead && current && ahead.previousVersion === previousVersion && ahead.discontinuedBefore === discontinued.before) return ahead.changes;
    const previous =
      previousVersion === undefined
        ? undefined
        : before?.record.version === previousVersion
          ? before.record.meta
          : (await this.store.getCube(ev.table, { version: previousVersion })).meta;
    const meta = current ? rec.meta : (await this.store.getCube(ev.table, { version: ev.version })).meta;
    return structuralChanges(previous, meta, discontinued);
  }

  private track(p: Promise<unknown>): void {
    const q = p.catch((e) => this.options.log?.error({ err: e }, 'release follow-up failed')).finally(() => this.pending.delete(q));
    this.pending.add(q);
  }

  /** Wait for the running check and every delivery and change record it started (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.checking || this.pending.size) {
      await this.checking;
      await Promise.all([...this.pending]);
    }
  }

  /** When the next release is due by the store's clock (epoch ms), or Infinity. */
  nextRelease(): number {
    const now = this.store.now();
    let next = Infinity;
    for (const s of this.store.listScheduled()) {
      const at = Date.parse(s.releaseAt);
      // a release whose time has passed is visible already (the check found it); only coming ones arm the timer
      if (at > now && at < next) next = at;
    }
    return next;
  }

  /** Run from a timer: shortly before each release (to prepare it), at its instant, and every poll interval. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.prime();
    this.arm();
  }

  private arm(): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    const now = this.store.now();
    let due = now + this.pollMs;
    try {
      const next = this.nextRelease();
      if (next !== Infinity) {
        const prepareAt = next - this.prepareMs;
        due = Math.min(due, this.prepareMs > 0 && this.prepared?.for !== next && prepareAt > now ? prepareAt : next);
      }
    } catch (e) {
      this.options.log?.error({ err: e }, 'cannot list scheduled releases');
    }
    this.timer = setTimeout(() => void this.wake(), Math.min(MAX_DELAY, Math.max(0, due - now)));
    this.timer.unref();
  }

  private async wake(): Promise<void> {
    this.timer = null;
    try {
      const next = this.nextRelease();
      const ahead = next - this.store.now();
      if (this.prepareMs > 0 && ahead <= this.prepareMs && this.prepared?.for !== next) await this.prepare(next);
      // a timer fires on whole milliseconds of another clock: a wake just short of the instant waits for it,
      // giving way to other work in between, rather than sleeping a whole timer turn more (for 5 ms of real time at
      // most: a store clock that does not move, as in tests, is left to the timer)
      if (ahead > 0 && ahead <= 2) {
        const until = performance.now() + 5;
        while (this.store.now() < next && performance.now() < until) await new Promise((r) => setImmediate(r));
      }
    } catch (e) {
      this.options.log?.error({ err: e }, 'cannot list scheduled releases');
    }
    try {
      await this.check();
    } catch (e) {
      this.options.log?.error({ err: e }, 'release check failed');
    }
    this.arm();
  }

  /** A release was scheduled, moved or cancelled here: re-arm the timer for the new soonest release. */
  rearm(): void {
    if (this.running) this.arm();
  }

  /** Stop the timer, give up pending retries, and wait for what is in flight. */
  async close(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.abort.abort();
    await this.idle();
  }
}
