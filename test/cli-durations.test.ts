/** Duration options (--stuck-threshold, --every, --settle): Go's units, a unit required, more than zero. */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseDuration } from '../src/cli/options.js';
import { FIXTURES } from './helpers/go.js';
import { runCli } from './helpers/run-cli.js';

const stuck = join(FIXTURES, 'traces', 'stuckloop.go1.26.trace');

describe('parseDuration', () => {
  test("Go's units, alone or combined", () => {
    expect(parseDuration('500ms', '--x')).toBe(500e6);
    expect(parseDuration('1.5s', '--x')).toBe(1.5e9);
    expect(parseDuration('250us', '--x')).toBe(250e3);
    expect(parseDuration('250µs', '--x')).toBe(250e3);
    expect(parseDuration('7ns', '--x')).toBe(7);
    expect(parseDuration('2m', '--x')).toBe(120e9);
    expect(parseDuration('1h', '--x')).toBe(3600e9);
    expect(parseDuration('1m30s', '--x')).toBe(90e9);
  });
  test('a bare number is refused, with the unit to add', () => {
    expect(() => parseDuration('500', '--stuck-threshold')).toThrow('--stuck-threshold: "500" needs a unit: ns, us, ms, s, m or h (e.g. 500ms)');
  });
  test('zero is refused unless allowed', () => {
    expect(() => parseDuration('0ms', '--stuck-threshold')).toThrow(/must be more than zero/);
    expect(() => parseDuration('0.1ns', '--stuck-threshold')).toThrow(/must be more than zero/);
    expect(parseDuration('0s', '--settle', true)).toBe(0);
  });
  test('not a duration', () => {
    for (const t of ['soon', '-1s', '1d', 'ms', '1 s']) expect(() => parseDuration(t, '--x'), t).toThrow(/is not a duration/);
  });
});

describe('on the command line', () => {
  test('--stuck-threshold 0 and a bare number are usage errors (exit 2, one line)', async () => {
    for (const [value, msg] of [
      ['0', /needs a unit/],
      ['500', /"500" needs a unit.*500ms/],
      ['0ms', /must be more than zero/],
    ] as const) {
      for (const cmd of ['analyze', 'report']) {
        const r = await runCli([cmd, '--stuck-threshold', value, stuck, ...(cmd === 'report' ? ['-o', '/nonexistent/never-written'] : [])]);
        expect(r.code, `${cmd} ${value}`).toBe(2);
        expect(r.stderr).toMatch(msg);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
      }
    }
  });
  test('--stuck-threshold 1h is taken: nothing in a 0.7 s trace is stuck that long', async () => {
    const r = await runCli(['analyze', '--json', '--stuck-threshold', '1h', stuck]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.thresholds.stuck_ns).toBe(3600e9);
    expect(j.stuck_ps).toEqual([]);
  });
  test('watch --every 0s is refused; --settle 0s is allowed', async () => {
    const r = await runCli(['watch', '--once', '--every', '0s', '--settle', '0s', '/nonexistent-folder']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--every: "0s" must be more than zero/);
  });
});
