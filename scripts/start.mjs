#!/usr/bin/env node
// `npm start`: build (server and web app), create the demo database when missing, serve on http://localhost:8080.
import { spawnSync } from 'node:child_process';

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json']);
run(process.execPath, ['node_modules/vite/bin/vite.js', 'build', 'web', '--logLevel', 'warn']);
run(process.execPath, ['dist/cli/main.js', 'demo', '--if-missing']);
// (`serve` runs itself with malloc huge pages: see src/server/hugePages.ts)
const r = spawnSync(process.execPath, ['dist/cli/main.js', 'serve', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 0);
