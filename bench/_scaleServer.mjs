// The server side of bench/scaleHttp.ts: the real server (startServer, as `statbank serve` runs it) on a generated
// catalogue, in its own process so its start-up time and resident memory are its own. Prints one JSON line when
// it listens: the port, and the time from process start to importing the code and to listening. Plain JavaScript, so
// that with a build (dist/) it runs as `statbank serve` does, without the TypeScript loader; else through tsx.

import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const dbPath = process.argv[2];
const t0 = performance.now();
// the compiled server when it is built (as `npm start` runs it), else the sources through tsx
const built = existsSync(new URL('../dist/server/main.js', import.meta.url));
const root = built ? '../dist/' : '../src/';
const { startServer } = await import(root + 'server/main.js');
const { loadConfig } = await import(root + 'app/config.js');
const loaded = performance.now();
const server = await startServer(loadConfig({ dbPath, port: 0, host: '127.0.0.1', maxCalls: 0, logLevel: 'warn' }, {}));
const listening = performance.now();
const addr = server.app.server.address();
const port = typeof addr === 'object' && addr ? addr.port : 0;
process.stdout.write(
  JSON.stringify({
    port,
    compiled: built,
    // from the process's own start (node and the TypeScript loader included) to listening
    processStartToListenMs: Math.round(listening), // performance.now() counts from the process's start
    codeLoadMs: Math.round(loaded - t0),
    startServerMs: Math.round(listening - loaded),
  }) + '\n',
);
process.stdin.resume();
process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
