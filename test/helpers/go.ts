/**
 * Finding the Go toolchains and the x/exp/trace oracle for tests. Tests that
 * need Go call these and skip, saying why, on a machine without it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const FIXTURES = join(ROOT, 'fixtures');
const ORACLE_DIR = join(ROOT, 'test', 'oracle');
const BUILD_DIR = join(ROOT, 'node_modules', '.cache', 'stallscope');

/** The go command of a toolchain: 'go' (default, 1.26) or a minor version like '1.23'. */
export function goBinary(minor?: string): string | undefined {
  const candidates = minor ? [`/usr/lib/go-${minor}/bin/go`] : ['/usr/local/go/bin/go', 'go'];
  for (const c of candidates) {
    const r = spawnSync(c, ['version'], { encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: 'local' } });
    if (r.status === 0) return c;
  }
  return undefined;
}

let oraclePath: string | null | undefined;
/** Builds (once per run) and returns the oracle binary, or undefined with the reason logged. */
export function oracle(): string | undefined {
  if (oraclePath !== undefined) return oraclePath ?? undefined;
  const go = goBinary();
  if (!go) {
    notice('Go is not installed: oracle comparisons are skipped');
    oraclePath = null;
    return undefined;
  }
  mkdirSync(BUILD_DIR, { recursive: true });
  const out = join(BUILD_DIR, 'oracle');
  const r = spawnSync(go, ['build', '-o', out, '.'], { cwd: ORACLE_DIR, encoding: 'utf8', env: { ...process.env, GOFLAGS: '-mod=mod' } });
  if (r.status !== 0) {
    notice(`could not build the oracle (test/oracle): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    oraclePath = null;
    return undefined;
  }
  oraclePath = out;
  return out;
}

/** Runs the oracle's `dump` on a trace: Go's Event.String() for every event. */
export function oracleDump(trace: string): string {
  const bin = oracle();
  if (!bin) throw new Error('no oracle');
  const r = spawnSync(bin, ['dump', trace], { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, TZ: 'UTC' } });
  return r.stdout;
}

/** The x/exp/trace test data folder in the module cache, or GOROOT's copy. */
export function goTraceTestdata(): string | undefined {
  const go = goBinary();
  if (!go) return undefined;
  const r = spawnSync(go, ['mod', 'download', '-json', 'golang.org/x/exp'], { cwd: ORACLE_DIR, encoding: 'utf8' });
  if (r.status === 0) {
    const dir = JSON.parse(r.stdout).Dir as string | undefined;
    if (dir && existsSync(join(dir, 'trace', 'testdata', 'tests'))) return join(dir, 'trace', 'testdata');
  }
  const goroot = execFileSync(go, ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
  const local = join(goroot, 'src', 'internal', 'trace', 'testdata');
  return existsSync(local) ? local : undefined;
}

export function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** A line on stderr that survives vitest's output, so a skip is never silent. */
export function notice(msg: string): void {
  process.stderr.write(`\n[stallscope tests] NOTICE: ${msg}\n`);
}
