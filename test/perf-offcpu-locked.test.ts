/**
 * The LockOSThread incident seen by perf: threads parked in runtime.stoplockedm
 * for goroutines locked to them. The program (the zoo's lockedhandler, recorded
 * under perf sched with and without the lock) wrote its own count of the
 * goroutines it locked beside each capture: the finding must follow that count.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FIXTURES } from './helpers/go.js';
import { runCli } from './helpers/run-cli.js';

const capture = (name: string): string => join(FIXTURES, 'perf', `${name}.perf.txt`);
const truth = (name: string): { locked: number } => JSON.parse(readFileSync(join(FIXTURES, 'perf', `${name}.truth.json`), 'utf8'));

describe('perf sched: goroutines locked to their threads', () => {
  for (const name of ['lockedhandler-sched', 'lockedhandler-nolock-sched']) {
    test(`${name}: a locked-threads finding exactly when the program locked goroutines`, async () => {
      const r = await runCli(['analyze', '--json', capture(name)]);
      expect(r.code, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout);
      const locked = j.findings.filter((f: { kind: string }) => f.kind === 'locked-threads');
      if (truth(name).locked > 0) {
        expect(locked).toHaveLength(1);
        expect(locked[0].comm).toBe('lh');
        expect(locked[0].share).toBeGreaterThanOrEqual(0.5);
        expect(locked[0].stack.map((f: { func: string }) => f.func)).toContain('runtime.stoplockedm');
        expect(locked[0].title).toContain('runtime.LockOSThread');
      } else {
        expect(locked).toEqual([]);
      }
    });
  }
  test('the text report leads with the finding', async () => {
    const r = await runCli(['analyze', capture('lockedhandler-sched')]);
    expect(r.stdout).toMatch(/Findings: 1\n {2}1\. WARNING lh: threads slept .* parked for goroutines locked to them: runtime\.LockOSThread/);
  });
});
