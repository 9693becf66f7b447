// The processes of the push-at-release benchmark (bench/release.ts), one role per process, forked by it with IPC:
//
//   server       the server as `statbank serve` assembles it (src/server/main.ts): the SQLite store, the app, the
//                release scheduler, the release feed; listens on 127.0.0.1:0 and sends its port. It also notes, on
//                its own clock, when the feed announced each event and how late its event loop ran around the instant.
//   subscribers  N SSE clients on /api/events (one socket each), each noting when every release event arrived.
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

import { Agent, get, request } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';

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
  admin.feed.subscribe((ev) => {
    const a = { id: ev.id, at: wall(), written: undefined as number | undefined, subscribers: admin.feed.subscriberCount - 1 };
    announced.push(a);
    // the streams' writes come after this call, each queueing its socket's flush (uncork) on the tick queue; a
    // tick queued from a microtask lands behind all of them
    queueMicrotask(() => process.nextTick(() => (a.written = wall())));
  });
  // when each check of the feed started (the one at the instant is the last before the announcement)
  const checks: number[] = [];
  const check = admin.feed.check.bind(admin.feed);
  admin.feed.check = () => {
    checks.push(wall());
    return check();
  };
  const app = await buildApp(ctx, { logger: false });
  const ticks: { at: number; ms: number; released: number; warmed: number; searchIndexMs?: number; preparedIndexMs?: number }[] = [];
  const releases = new ReleaseScheduler(store, { languages: ctx.languages.list });
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
  // event-loop lateness around the instant: a histogram from 1 s before it to 1 s after
  // and the share of one core the server used then (near 1: saturated by the load; well below 1 with a late loop:
  // starved of CPU by other processes)
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const cpu: { at?: number; usage?: NodeJS.CpuUsage; share?: number } = {};
  setTimeout(() => {
    loop.enable();
    cpu.at = performance.now();
    cpu.usage = process.cpuUsage();
  }, Math.max(0, releaseMs - 1000 - Date.now())).unref();
  setTimeout(() => {
    loop.disable();
    const used = process.cpuUsage(cpu.usage);
    cpu.share = (used.user + used.system) / 1000 / (performance.now() - cpu.at!);
  }, Math.max(0, releaseMs + 1000 - Date.now())).unref();
  send({ ready: { port: (app.server.address() as { port: number }).port, skewMs: Date.now() - wall() } });
  onCommand(
    () => ({
      announced,
      checks,
      ticks,
      loopDelayMs: { max: loop.max / 1e6, p99: loop.percentile(99) / 1e6, mean: loop.count ? loop.mean / 1e6 : 0 },
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

async function subscribers(port: number, n: number): Promise<void> {
  const got: Received[][] = Array.from({ length: n }, () => []);
  let errors = 0;
  const reqs: ReturnType<typeof get>[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  await Promise.all(
    got.map(
      (mine) =>
        new Promise<void>((resolve) => {
          const req = get({ host: '127.0.0.1', port, path: '/api/events', agent }, (res) => {
            if (res.statusCode !== 200) {
              errors++;
              resolve();
              return;
            }
            let buf = '';
            let opened = false;
            res.setEncoding('utf8');
            res.on('data', (c: string) => {
              const at = wall();
              buf += c;
              let cut: number;
              while ((cut = buf.indexOf('\n\n')) >= 0) {
                const frame = buf.slice(0, cut);
                buf = buf.slice(cut + 2);
                if (!opened) {
                  opened = true; // the opening comment: subscribed
                  resolve();
                }
                if (!frame.includes('event: release')) continue;
                try {
                  const data = JSON.parse(/^data: (.*)$/m.exec(frame)![1]) as { id: string; released: string };
                  mine.push({ id: data.id, at, released: data.released });
                } catch {
                  errors++;
                }
              }
            });
            res.on('error', () => errors++);
          });
          req.on('error', () => {
            errors++;
            resolve();
          });
          reqs.push(req);
        }),
    ),
  );
  send({ ready: { subscribed: n - errors, skewMs: Date.now() - wall() } });
  onCommand(
    () => ({ received: got, errors }),
    () => {
      for (const r of reqs) r.destroy();
      agent.destroy();
    },
  );
}

// ---- pollers ----

export interface Answer {
  poller: number;
  sent: number;
  received: number;
  status: number;
  /** The stamps found in the answer's cells (one, unless versions were mixed); for a 304, the stamp of the body held. */
  stamps: number[];
  /** A 304 to the ETag of the body held. */
  notModified?: boolean;
  error?: string;
}

async function pollers(port: number, n: number, path: string, startMs: number, stopMs: number, everyMs: number, conditional: boolean): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const answers: Answer[] = [];
  // what each poller holds: the ETag and stamp of its last body (sent back as If-None-Match when `conditional`)
  const held: { etag?: string; stamp?: number }[] = Array.from({ length: n }, () => ({}));
  const ask = (poller: number): Promise<Answer> =>
    new Promise((resolve) => {
      const sent = wall();
      const mine = held[poller];
      const headers = conditional && mine.etag ? { 'if-none-match': mine.etag } : {};
      const req = request({ host: '127.0.0.1', port, path, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const received = wall();
          const a: Answer = { poller, sent, received, status: res.statusCode ?? 0, stamps: [] };
          try {
            if (a.status === 200) {
              a.stamps = [...new Set((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { value: number[] }).value)];
              mine.etag = typeof res.headers.etag === 'string' ? res.headers.etag : undefined;
              mine.stamp = a.stamps.length === 1 ? a.stamps[0] : undefined;
            } else if (a.status === 304 && mine.stamp !== undefined) {
              a.notModified = true;
              a.stamps = [mine.stamp];
            }
          } catch (e) {
            a.error = String(e);
          }
          resolve(a);
        });
        res.on('error', (e) => resolve({ poller, sent, received: wall(), status: 0, stamps: [], error: String(e) }));
      });
      req.on('error', (e) => resolve({ poller, sent, received: wall(), status: 0, stamps: [], error: String(e) }));
      req.end();
    });
  // open the keep-alive sockets before the measured window (as clients that have been polling for a while)
  await Promise.all(Array.from({ length: n }, (_, i) => ask(i)));
  send({ ready: { pollers: n, skewMs: Date.now() - wall() } });
  const delay = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
  const one = async (i: number) => {
    // each polls every `everyMs` at its own phase; it keeps polling until the window ended and it has seen a new answer
    let next = startMs + (i * everyMs) / n;
    let sawNew = false;
    for (;;) {
      await delay(next - wall());
      const a = await ask(i);
      answers.push(a);
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
      return { answers };
    },
    () => agent.destroy(),
  );
}

const [role, ...args] = process.argv.slice(2);
if (role === 'server') void server(args[0], Number(args[1]));
else if (role === 'subscribers') void subscribers(Number(args[0]), Number(args[1]));
else if (role === 'pollers') void pollers(Number(args[0]), Number(args[1]), args[2], Number(args[3]), Number(args[4]), Number(args[5]), args[6] === '1');
