/** A closed stdout (`stallscope … | head`) ends the real bin quietly, as it ends other Unix tools: exit 0, or the code already decided. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FIXTURES, ROOT } from './helpers/go.js';

const stuck = join(FIXTURES, 'traces', 'stuckloop.go1.26.trace');

/** Runs the bin, reads its first output, then closes the pipe as `head` does. */
function readFirstThenClose(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'stallscope.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

describe('a closed stdout', () => {
  // 1ns: every P hold is a finding, megabytes of report, far more than a pipe holds.
  for (const args of [
    ['analyze', '--stuck-threshold', '1ns', stuck],
    ['analyze', '--json', '--stuck-threshold', '1ns', stuck],
    ['events', stuck],
  ]) {
    test(args.slice(0, -1).join(' '), async () => {
      const r = await readFirstThenClose(args);
      expect(r.stderr).toBe('');
      expect(r.signal).toBe(null);
      expect(r.code).toBe(0);
    });
  }
  test('the exit code already decided stands: --fail-on still says 1', async () => {
    const r = await readFirstThenClose(['analyze', '--stuck-threshold', '1ns', '--fail-on', 'stuck-p', stuck]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
  });
});
