import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { ROOT } from './go.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process with captured output. */
export async function runCli(args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (s: string) => ((stdout += s), true) },
    stderr: { write: (s: string) => ((stderr += s), true) },
    env: {},
  });
  return { code, stdout, stderr };
}

/** Runs the real bin (built dist) as a user would. */
export function spawnCli(args: string[], input?: Uint8Array): CliResult {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'stallscope.js'), ...args], {
    encoding: 'utf8',
    input,
    maxBuffer: 1 << 28,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
