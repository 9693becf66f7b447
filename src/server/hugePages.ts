// Large answers (an 800,000-cell csv2 is ~65 MB) spend most of their time first-touching fresh
// memory on VMs; glibc's malloc with transparent huge pages makes that ~10x cheaper
// (bench: v1 csv2 p50 ~430 ms -> ~120 ms). glibc reads GLIBC_TUNABLES only at process start,
// so `statbank serve` relaunches itself once with it set. STATBANK_HUGE_PAGES=0 turns this off.
import { spawn } from 'node:child_process';

export const HUGE_PAGES_TUNABLE = 'glibc.malloc.hugetlb=1';

/** Relaunch this process with huge pages for malloc; true when the caller should do nothing more. */
export function relaunchWithHugePages(): boolean {
  const current = process.env.GLIBC_TUNABLES ?? '';
  if (process.platform !== 'linux' || current.includes('glibc.malloc.hugetlb') || process.env.STATBANK_HUGE_PAGES === '0') {
    return false;
  }
  const env = { ...process.env, GLIBC_TUNABLES: [current, HUGE_PAGES_TUNABLE].filter(Boolean).join(':') };
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  return true;
}
