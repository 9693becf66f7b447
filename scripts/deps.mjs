// System packages the test suite uses. Installed with apt-get when missing and running as root;
// otherwise the tests that need them skip with a message.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** [binary that proves the package is there, Debian package] */
export const SYSTEM_DEPS = [
  ['/usr/bin/chromium', 'chromium'],
  ['/usr/lib/postgresql/15/bin/initdb', 'postgresql'],
  ['/usr/bin/redis-server', 'redis-server'],
];

export function ensureSystemDeps() {
  const missing = SYSTEM_DEPS.filter(([bin]) => !existsSync(bin)).map(([, pkg]) => pkg);
  if (!missing.length) return;
  if (process.getuid?.() !== 0) {
    console.warn(`[deps] missing system packages (tests needing them will skip): ${missing.join(' ')}`);
    return;
  }
  console.log(`[deps] installing ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const r = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
  if (r.status !== 0) console.warn('[deps] apt-get install failed; dependent tests will skip');
}
