// The processes of the push-at-release benchmark (bench/release.ts), one role per process, forked by it with IPC:
//
//   server       the server as a `statbank serve` worker assembles it (src/server/main.ts; started in a worker's
//                environment): the SQLite store, the app, the release scheduler, the release feed; listens
//                on 127.0.0.1:0 and sends its port. It also notes, on its own clock, when the feed announced each event,
//                its CPU share and its GC pauses around the instant.
//   subscribers  N SSE clients on /api/events (one socket each), each noting when every release event arrived.
//                (The clients take a comma list of server ports and deal their connections out among them.)
//   pollers      M clients polling a v2 data URL over keep-alive sockets, each at its own phase, noting each answer;
//                conditional ones send back the ETag of the body they hold (If-None-Match) and count a 304 as that body.
//
// The clients run in processes of their own so that their work (parsing 200 streams, 800 answers a second) neither
// delays the server nor the other group's clocks. Times are wall-clock epoch ms with sub-ms resolution
// (performance.timeOrigin + performance.now(), same system clock in every process); the release instant is the
// scheduled release time on that clock (the store's clock is Date.now()).
//
// Parent -> child: { cmd: 'report' } (send what you noted) | { cmd: 'exit' }. Child -> parent: { ready: ... },
// then { report: ... }.

import { connect, type Socket } from 'node:net';
import { constants as perfConstants, PerformanceObserver } from 'node:perf_hooks';

export const wall = (): number => performance.timeOrigin + performance.now();

function send(msg: unknown): void {
  process.send!(msg);
}

function onCommand(report: () => unknown | Promise<unknown>, exit: () => Promise<void> | void): void {
  process.on('message', async (m: { cmd: string }) => {
    if (m.cmd === 'report') send({ report: await report() });
    if (m.cmd === 'exit') {
      await exit();
      process.exit(0);
    }
  });
  process.on('disconnect', () => process.exit(0)); // the parent died
}

/** p50 / p99 / max and count of a list of milliseconds. */
function pcts(xs: number[]): { n: number; p50: number; p99: number; max: number } {
  const s = [...xs].sort((x, y) => x - y);
  const at = (q: number) => Math.round((s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0) * 100) / 100;
  return { n: s.length, p50: at(0.5), p99: at(0.99), max: at(1) };
}


const TICKER = process.env.STATBANK_BENCH_RELEASE_TICKER === '1';

/**
 * This process's GC pauses from 1 s before the instant to 1 s after it, and with STATBANK_BENCH_RELEASE_TICKER=1 the
 * late turns of its event loop.
 */
export interface Watch {
  /** The longest late turns of the loop (when, from the instant; how late), a 1 ms ticker; empty without it. */
  stalls: { atMs: number; lateMs: number }[];
  /** Garbage collections (when, from the instant; how long; which kind). */
  gc: { atMs: number; ms: number; kind: string }[];
}

function watchInstant(releaseMs: number): () => Watch {
  const stalls: Watch['stalls'] = [];
  const gc: Watch['gc'] = [];
  const r1 = (x: number) => Math.round(x * 10) / 10;
  const kinds: Record<number, string> = {
    [perfConstants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
    [perfConstants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
    [perfConstants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
    [perfConstants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
  };
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const at = performance.timeOrigin + e.startTime;
      if (Math.abs(at - releaseMs) <= 1000) gc.push({ atMs: r1(at - releaseMs), ms: r1(e.duration), kind: kinds[((e as unknown as { detail?: { kind?: number } }).detail)?.kind ?? 0] ?? 'other' });
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  // the ticker wakes the process 1000 times a second, itself a load on a small machine: only when asked for
  if (TICKER) setTimeout(() => {
    let last = wall();
    const ticker = setInterval(() => {
      const now = wall();
      if (now - last > 4) stalls.push({ atMs: r1(last - releaseMs), lateMs: r1(now - last - 1) });
      last = now;
      if (now > releaseMs + 1000) clearInterval(ticker);
    }, 1);
  }, Math.max(0, releaseMs - 1000 - Date.now())).unref();
  return () => {
    observer.disconnect();
    return { stalls: [...stalls].sort((x, y) => y.lateMs - x.lateMs).slice(0, 8), gc: gc.filter((g) => g.ms >= 1) };
  };
}

/** One buffer every client socket of this process reads into (`onread`): the callbacks copy what they keep. */
const SHARED_READ = Buffer.allocUnsafe(64 * 1024);

/**
 * A client socket read through `onread` (no stream machinery): each read is stamped with the time before anything
 * else is done with it, and handed on as a copy.
 */
function stampedSocket(port: number, onData: (data: Buffer, at: number) => void, onConnect?: () => void): Socket {
  return connect(
    {
      host: '127.0.0.1',
      port,
      onread: {
        buffer: SHARED_READ,
        callback: (nread: number, buf: Buffer) => {
          const at = wall();
          onData(Buffer.from(buf.subarray(0, nread)), at);
          return true;
        },
      },
    },
    onConnect,
  );
}

// ---- server ----

async function server(dbPath: string, releaseMs: number): Promise<void> {
  const { loadConfig } = await import('../src/app/config.js');
  const { createAppContext } = await import('../src/app/context.js');
  const { buildApp } = await import('../src/server/app.js');
  const { openStoreUrl, closeStore } = await import('../src/store/index.js');
  const { ReleaseScheduler } = await import('../src/publishing/scheduler.js');
  const { Admin } = await import('../src/admin/admin.js');
  const { attachAdmin } = await import('../src/api/admin/adminContext.js');

  const config = loadConfig({ dbPath, port: 0, host: '127.0.0.1', maxCalls: 0, logLevel: 'silent', baseUrl: 'http://bench.example' }, {});
  const store = await openStoreUrl(config.dbPath, { cacheBytes: config.cacheBytes });
  const ctx = createAppContext({ store, config });
  // the Admin the plugins would make on first use (src/api/admin/adminContext.ts), made here to watch its feed
  const admin = new Admin(store, { baseUrl: config.baseUrl! });
  attachAdmin(ctx, admin);
  admin.feed.start();
  // when the feed handed each event to the subscribers (this one is first in line), and when every stream's frames
  // had been written to its socket (the bytes are with the kernel)
  const announced: { id: string; at: number; written?: number; subscribers: number }[] = [];
  admin.feed.subscribe((events) => {
    for (const ev of events) announced.push({ id: ev.id, at: wall(), written: undefined, subscribers: admin.feed.subscriberCount - 1 });
  });
  // when each check of the feed started (the one at the instant is the last before the announcement); a check
  // returns once every stream has written the instant's frames to its socket (each writes in its subscriber call)
  const checks: number[] = [];
  const check = admin.feed.check.bind(admin.feed);
  admin.feed.check = async () => {
    checks.push(wall());
    const events = await check();
    if (events.length) {
      const written = wall();
      for (const a of announced) if (events.some((e) => e.id === a.id)) a.written ??= written;
    }
    return events;
  };
  const app = await buildApp(ctx, { logger: false });
  // the server's own time per request (arrival of the request to the last byte handed to the socket), in the
  // pollers' window, by whether the request arrived before or after the instant: what the server adds, apart from
  // the clients' processes that share this machine
  const served: { before: number[]; after: number[] } = { before: [], after: [] };
  // per poller request in that window (X-Bench-Id), when the server began it and when it had written the answer, so
  // a slow answer can be split into the way in, the server's part and the way out
  const spans: Record<string, [number, number]> = {};
  const watch = watchInstant(releaseMs);
  app.addHook('onResponse', async (req, reply) => {
    if (!req.url.includes('/data?')) return;
    const arrived = wall() - reply.elapsedTime;
    if (Math.abs(arrived - releaseMs) > 5_000) return;
    (arrived < releaseMs ? served.before : served.after).push(reply.elapsedTime);
    const id = req.headers['x-bench-id'];
    if (typeof id === 'string') spans[id] = [arrived, wall()];
  });
  const ticks: { at: number; ms: number; released: number; warmed: number; searchIndexMs?: number; preparedIndexMs?: number }[] = [];
  const releases = new ReleaseScheduler(store, { languages: ctx.languages.list, answers: ctx.runner });
  const tick = releases.tick.bind(releases);
  releases.tick = async () => {
    const at = wall();
    const r = await tick();
    ticks.push({ at, ms: wall() - at, released: r.released.length, warmed: r.warmed.length, searchIndexMs: r.searchIndexMs, preparedIndexMs: r.preparedIndexMs });
    return r;
  };
  await app.listen({ port: 0, host: '127.0.0.1' });
  releases.start();
  await releases.idle();
  // the share of one core the server used from 1 s before the instant to 1 s after (near 1: saturated by the load;
  // well below 1 with late answers: starved of CPU by other processes)
  const cpu: { at?: number; usage?: NodeJS.CpuUsage; share?: number } = {};
  setTimeout(() => {
    cpu.at = performance.now();
    cpu.usage = process.cpuUsage();
  }, Math.max(0, releaseMs - 1000 - Date.now())).unref();
  setTimeout(() => {
    const used = process.cpuUsage(cpu.usage);
    cpu.share = (used.user + used.system) / 1000 / (performance.now() - cpu.at!);
  }, Math.max(0, releaseMs + 1000 - Date.now())).unref();
  send({ ready: { port: (app.server.address() as { port: number }).port, skewMs: Date.now() - wall() } });
  onCommand(
    () => ({
      announced,
      checks,
      ticks,
      servedMs: { before: pcts(served.before), after: pcts(served.after) },
      spans,
      ...watch(),
      cpuShareAroundInstant: cpu.share,
    }),
    async () => {
      releases.stop();
      await app.close();
      await releases.idle();
      await admin.close();
      await ctx.close();
      await closeStore(store);
    },
  );
}

// ---- SSE subscribers ----

interface Received {
  id: string;
  at: number;
  /** The event's `released` field (ISO). */
  released: string;
}

/**
 * Each subscriber is a raw socket: a 'data' callback only stamps the time and keeps the bytes, and the HTTP framing
 * and the events are parsed after the run. With 200 streams in one client process, parsing on arrival would put
 * the client's own work for the first 199 streams into the time measured for the last one.
 */
async function subscribers(ports: number[], n: number, releaseMs: number): Promise<void> {
  const watch = watchInstant(releaseMs);
  const chunks: { at: number; data: Buffer }[][] = Array.from({ length: n }, () => []);
  let errors = 0;
  const sockets: Socket[] = [];
  await Promise.all(
    chunks.map(
      (mine, k) =>
        new Promise<void>((resolve) => {
          const port = ports[k % ports.length];
          let opened = false;
          let head = '';
          const onData = (data: Buffer, at: number) => {
            mine.push({ at, data });
            if (!opened) {
              // subscribed once the opening comment has come (the status line says whether the stream opened)
              head += data.toString('latin1');
              if (!head.startsWith('HTTP/1.1 200')) {
                if (head.length >= 12) {
                  errors++;
                  opened = true;
                  resolve();
                }
              } else if (head.includes(': statbank release events')) {
                opened = true;
                head = '';
                resolve();
              }
            }
          };
          const socket = stampedSocket(port, onData, () => {
            socket.setNoDelay(true);
            socket.write('GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n');
          });
          socket.on('error', () => {
            errors++;
            if (!opened) {
              opened = true;
              resolve();
            }
          });
          sockets.push(socket);
        }),
    ),
  );
  send({ ready: { subscribed: n - errors, skewMs: Date.now() - wall() } });
  onCommand(
    () => {
      const got: Received[][] = chunks.map((mine) => {
        const out: Received[] = [];
        try {
          for (const f of sseFrames(mine)) {
            if (!f.text.includes('event: release')) continue;
            const data = JSON.parse(/^data: (.*)$/m.exec(f.text)![1]) as { id: string; released: string };
            out.push({ id: data.id, at: f.at, released: data.released });
          }
        } catch {
          errors++;
        }
        return out;
      });
      return { received: got, errors, ...watch() };
    },
    () => {
      for (const s2 of sockets) s2.destroy();
    },
  );
}

/** The SSE frames of one raw HTTP/1.1 chunked response, each with the arrival time of the chunk that completed it. */
function sseFrames(chunks: { at: number; data: Buffer }[]): { text: string; at: number }[] {
  const all = Buffer.concat(chunks.map((c) => c.data));
  // arrival time of each byte offset: the time of the chunk holding it
  const ends: number[] = [];
  let off = 0;
  for (const c of chunks) ends.push((off += c.data.length));
  const timeAt = (offset: number) => chunks[ends.findIndex((e) => offset < e)]?.at ?? chunks[chunks.length - 1].at;
  const headEnd = all.indexOf('\r\n\r\n');
  if (headEnd < 0) throw new Error('no HTTP head');
  if (!/transfer-encoding: chunked/i.test(all.subarray(0, headEnd).toString('latin1'))) throw new Error('not chunked');
  // de-chunk, keeping for each body byte its offset in the raw stream
  const body: Buffer[] = [];
  const rawOffsets: number[] = [];
  let at = headEnd + 4;
  for (;;) {
    const lineEnd = all.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = parseInt(all.subarray(at, lineEnd).toString('latin1'), 16);
    if (!(size > 0) || lineEnd + 2 + size > all.length) break;
    body.push(all.subarray(lineEnd + 2, lineEnd + 2 + size));
    rawOffsets.push(lineEnd + 2 + size - 1);
    at = lineEnd + 2 + size + 2;
  }
  const frames: { text: string; at: number }[] = [];
  let pending = '';
  body.forEach((b, i) => {
    pending += b.toString('utf8');
    let cut: number;
    while ((cut = pending.indexOf('\n\n')) >= 0) {
      frames.push({ text: pending.slice(0, cut), at: timeAt(rawOffsets[i]) });
      pending = pending.slice(cut + 2);
    }
  });
  return frames;
}

// ---- pollers ----

export interface Answer {
  poller: number;
  /** `<poller>.<request>`, sent as X-Bench-Id (the server notes its own times under it) */
  id: string;
  sent: number;
  received: number;
  status: number;
  /** The stamps found in the answer's cells (one, unless versions were mixed); for a 304, the stamp of the body held. */
  stamps: number[];
  /** A 304 to the ETag of the body held. */
  notModified?: boolean;
  error?: string;
}

async function pollers(ports: number[], n: number, path: string, startMs: number, stopMs: number, everyMs: number, conditional: boolean): Promise<void> {
  const answers: Answer[] = [];
  const watch = watchInstant((startMs + stopMs) / 2);
  // what each poller holds: the ETag and stamp of its last body (sent back as If-None-Match when `conditional`)
  const held: { etag?: string; stamp?: number }[] = Array.from({ length: n }, () => ({}));
  const asked = new Array<number>(n).fill(0);
  // one keep-alive socket per poller (stampedSocket): each answer's receipt is stamped when its last byte is read,
  // before anything in it is parsed
  const conns = Array.from({ length: n }, () => ({ socket: undefined as Socket | undefined, pending: undefined as ((raw: Buffer | Error, at: number) => void) | undefined, got: [] as Buffer[] }));
  const open = (poller: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const c = conns[poller];
      const socket = stampedSocket(ports[poller % ports.length], (data, at) => {
        c.got.push(data);
        const raw = c.got.length === 1 ? c.got[0] : Buffer.concat(c.got);
        if (rawResponseComplete(raw) && c.pending) {
          c.got = [];
          const p = c.pending;
          c.pending = undefined;
          p(raw, at);
        } else if (c.got.length > 1) c.got = [raw];
      });
      socket.setNoDelay(true);
      socket.once('connect', () => resolve());
      socket.once('error', (e) => {
        reject(e);
        c.pending?.(e, wall());
      });
      socket.once('close', () => c.pending?.(new Error('closed'), wall()));
      c.socket = socket;
    });
  const ask = (poller: number): Promise<Answer> =>
    new Promise((resolve) => {
      const c = conns[poller];
      const mine = held[poller];
      const id = `${poller}.${++asked[poller]}`;
      const sent = wall();
      c.pending = (raw, received) => {
        if (raw instanceof Error) return resolve({ poller, id, sent, received, status: 0, stamps: [], error: String(raw) });
        const res = parseRawResponse(raw);
        const a: Answer = { poller, id, sent, received, status: res.status, stamps: [] };
        try {
          if (a.status === 200) {
            a.stamps = [...new Set((JSON.parse(res.body.toString('utf8')) as { value: number[] }).value)];
            mine.etag = res.headers.etag;
            mine.stamp = a.stamps.length === 1 ? a.stamps[0] : undefined;
          } else if (a.status === 304 && mine.stamp !== undefined) {
            a.notModified = true;
            a.stamps = [mine.stamp];
          }
        } catch (e) {
          a.error = String(e);
        }
        resolve(a);
      };
      const ifNoneMatch = conditional && mine.etag ? `If-None-Match: ${mine.etag}\r\n` : '';
      c.socket!.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Bench-Id: ${id}\r\n${ifNoneMatch}\r\n`);
    });
  await Promise.all(conns.map((_, i) => open(i)));
  // open the keep-alive sockets before the measured window (as clients that have been polling for a while)
  await Promise.all(Array.from({ length: n }, (_, i) => ask(i)));
  send({ ready: { pollers: n, skewMs: Date.now() - wall() } });
  const delay = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
  const one = async (i: number) => {
    // each polls every `everyMs` at its own phase, from now on: readers have been polling for a while when a release
    // comes, so the server has long been warm (a fresh process runs its first thousands of requests unoptimised: p99
    // ~5 ms instead of ~1.3 ms for a warm one in the same hour). Only answers sent from `startMs` on are reported. It
    // keeps polling until the window ended and it has seen a new answer.
    let next = wall() + (i * everyMs) / n;
    let sawNew = false;
    for (;;) {
      await delay(next - wall());
      const a = await ask(i);
      if (a.sent >= startMs) answers.push(a);
      if (a.stamps.length === 1 && a.stamps[0] === 2) sawNew = true;
      next += everyMs;
      if (wall() >= stopMs && sawNew) return;
      if (wall() >= stopMs + 10_000) return; // never saw it: reported as such
      while (next < wall()) next += everyMs; // a late answer skips the turns it missed, as a timer-driven client does
    }
  };
  const done = Promise.all(Array.from({ length: n }, (_, i) => one(i)));
  onCommand(
    async () => {
      await done;
      return { answers, ...watch() };
    },
    () => {
      for (const c of conns) c.socket?.destroy();
    },
  );
}

/** Whether a raw HTTP/1.1 response is whole: its head, then Content-Length bytes or the last chunk. */
function rawResponseComplete(raw: Buffer): boolean {
  const headEnd = raw.indexOf('\r\n\r\n');
  if (headEnd < 0) return false;
  const head = raw.subarray(0, headEnd).toString('latin1');
  const status = Number(head.slice(9, 12));
  if (status === 304 || status === 204) return true;
  const length = /\r\ncontent-length: *(\d+)/i.exec(head);
  if (length) return raw.length >= headEnd + 4 + Number(length[1]);
  return /\r\ntransfer-encoding: *chunked/i.test(head) && raw.subarray(raw.length - 5).toString('latin1') === '0\r\n\r\n';
}

/** Status, lower-cased headers and body of a whole raw HTTP/1.1 response (de-chunked). */
function parseRawResponse(raw: Buffer): { status: number; headers: Record<string, string>; body: Buffer } {
  const headEnd = raw.indexOf('\r\n\r\n');
  const lines = raw.subarray(0, headEnd).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = raw.subarray(headEnd + 4);
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
    const parts: Buffer[] = [];
    let at = 0;
    for (;;) {
      const lineEnd = body.indexOf('\r\n', at);
      const size = parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
      if (!(size > 0)) break;
      parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
    body = Buffer.concat(parts);
  }
  return { status: Number(lines[0].slice(9, 12)), headers, body };
}

const [role, ...args] = process.argv.slice(2);
if (role === 'server') void server(args[0], Number(args[1]));
else if (role === 'subscribers') void subscribers(args[0].split(',').map(Number), Number(args[1]), Number(args[2]));
else if (role === 'pollers') void pollers(args[0].split(',').map(Number), Number(args[1]), args[2], Number(args[3]), Number(args[4]), Number(args[5]), args[6] === '1');
