// What the benchmark scripts share: where they write (bench-out/), running a
// command, and measuring one under GNU time (wall seconds, peak RSS).
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const out = join(root, 'bench-out');
mkdirSync(out, { recursive: true });

/** Runs a command to completion and returns its stdout; throws with its stderr if it fails. */
export function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 28, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

/**
 * Wall seconds and peak RSS (MB) of a command, under /usr/bin/time. Its stdout
 * is returned (default), written to `stdoutFile`, or thrown away (`discard`):
 * large outputs should not be buffered by the benchmark itself.
 */
export function measure(cmd, argv, { env = process.env, stdoutFile, discard = false } = {}) {
  if (!existsSync('/usr/bin/time')) throw new Error('needs GNU time (apt-get install time)');
  const fd = stdoutFile ? openSync(stdoutFile, 'w') : undefined;
  const stdout = fd ?? (discard ? 'ignore' : 'pipe');
  try {
    const r = spawnSync('/usr/bin/time', ['-f', '__time %e %M', cmd, ...argv], { encoding: 'utf8', env, maxBuffer: 1 << 28, stdio: ['ignore', stdout, 'pipe'] });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
    const m = /__time ([\d.]+) (\d+)/.exec(r.stderr);
    return { stdout: r.stdout ?? '', wall: Number(m[1]), rssMB: Number(m[2]) / 1024 };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
