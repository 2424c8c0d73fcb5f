/** The trace commands as a user meets them: output, errors, exit codes. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FIXTURES } from './helpers/go.js';
import { runCli, spawnCli } from './helpers/run-cli.js';

const trace = join(FIXTURES, 'traces', 'blocking.go1.26.trace');
const tmp = mkdtempSync(join(tmpdir(), 'stallscope-cli-'));

describe('summary', () => {
  test('text', async () => {
    const r = await runCli(['summary', trace]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/format\s+go 1\.26 \(v2\)/);
    expect(r.stdout).toMatch(/goroutines\s+\d+/);
    expect(r.stdout).toMatch(/StateTransition\s+[\d,]+/);
  });
  test('json agrees with the events command', async () => {
    const s = JSON.parse((await runCli(['summary', '--json', trace])).stdout);
    const lines = (await runCli(['events', '--json', trace])).stdout.trim().split('\n');
    expect(s.events).toBe(lines.length);
    const kinds: Record<string, number> = {};
    for (const l of lines) {
      const k = JSON.parse(l).kind as string;
      kinds[k] = (kinds[k] ?? 0) + 1;
    }
    expect(s.eventsByKind).toEqual(kinds);
    expect(s.generations).toBe(kinds['Sync']! - 1);
  });
});

describe('events', () => {
  test('one line per event, in time order', async () => {
    const r = await runCli(['events', trace]);
    expect(r.code).toBe(0);
    const times = r.stdout.trim().split('\n').map((l) => Number(l.split(' ')[0]));
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1]!);
    expect(r.stdout).toContain('reason="chan receive"');
  });
  test('reads stdin', () => {
    const r = spawnCli(['summary', '--json', '-'], readFileSync(trace));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).file).toBe('<stdin>');
  });
  test('--format go prints Go’s Event.String() form', async () => {
    const r = await runCli(['events', '--format', 'go', trace]);
    expect(r.stdout).toMatch(/^M=-1 P=-1 G=-1 Sync Time=\d+ N=1/);
    expect(r.stdout).toContain('\nTransitionStack=\n\t');
  });
  test('an unknown --format is a usage error (exit 2, one line)', async () => {
    const r = await runCli(['events', '--format', 'xml', trace]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('stallscope: --format: "xml" must be "line" or "go"\n');
  });
});

describe('bad input: one line, the file, the offset, exit 2', () => {
  const cases: [string, Uint8Array | null, RegExp][] = [
    ['missing.trace', null, /missing\.trace: cannot open: no such file/],
    ['empty.trace', new Uint8Array(0), /empty\.trace: go-trace at byte 0: not a Go execution trace \(the file is empty\)/],
    ['text.trace', new TextEncoder().encode('hello world, this is text\n'), /text\.trace: go-trace at byte 0: not a Go execution trace \(it is text\)/],
    ['gzip.trace', Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6, 7]), /gzip-compressed/],
    ['old.trace', new TextEncoder().encode('go 1.10 trace\0\0\0\x01\x02'), /go 1\.10 .*too old; supported: Go 1\.11 and newer/],
    ['future.trace', new TextEncoder().encode('go 1.99 trace\0\0\0\x01\x02'), /unknown trace format version go 1\.99 \(newer Go\?\)/],
    ['badbatch.trace', new TextEncoder().encode('go 1.26 trace\0\0\0\x07\x02'), /badbatch\.trace: go-trace at byte 16: expected batch event, got event 7/],
  ];
  for (const [name, bytes, message] of cases) {
    test(name, async () => {
      const path = join(tmp, name);
      if (bytes) writeFileSync(path, bytes);
      for (const cmd of ['summary', 'events']) {
        const r = await runCli([cmd, path]);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(message);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stderr).not.toMatch(/\n\s+at /);
      }
    });
  }
  test('a truncated trace: everything before the damage, and a warning with the offset', async () => {
    const bytes = readFileSync(join(FIXTURES, 'traces', 'tasks.go1.26.trace')); // several generations
    const path = join(tmp, 'cut.trace');
    writeFileSync(path, bytes.subarray(0, bytes.length - 100));
    const r = await runCli(['summary', '--json', path]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^stallscope: warning: .*cut\.trace: go-trace: trace is truncated \(it ends at byte \d+; the damage shows at byte \d+\)/);
    expect(JSON.parse(r.stdout).events).toBeGreaterThan(0);
  });
  test('a trace cut inside its first generation is an error, never an all-clear', async () => {
    const bytes = readFileSync(join(FIXTURES, 'traces', 'stuckloop.go1.26.trace'));
    const path = join(tmp, 'first-gen-cut.trace');
    writeFileSync(path, bytes.subarray(0, 5000));
    for (const args of [['analyze', '--fail-on', 'stuck-p'], ['summary'], ['events'], ['folded']]) {
      const r = await runCli([...args, path]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr).toMatch(/^stallscope: .*first-gen-cut\.trace: go-trace at byte \d+: trace is truncated inside its first generation \(it ends at byte 5000; .*no complete generation/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
  test('a trace with no events (its header, or a generation without events) has nothing to analyze', async () => {
    const bytes = readFileSync(join(FIXTURES, 'traces', 'tasks.go1.26.trace'));
    const path = join(tmp, 'header-only.trace');
    writeFileSync(path, bytes.subarray(0, 16));
    for (const cmd of ['analyze', 'flame', 'report']) {
      const r = await runCli([cmd, path, '-o', join(tmp, `header-only-${cmd}`)]);
      expect(r.code, cmd).toBe(2);
      expect(r.stderr).toMatch(/^stallscope: .*header-only\.trace: go-trace at byte 16: the trace holds no events \(0 generation\(s\), 16 bytes\): nothing to analyze/);
      expect(existsSync(join(tmp, `header-only-${cmd}`)), cmd).toBe(false);
    }
  });
  test("Go 1.11–1.21 traces: the v1 parser's stand-in Ps (timers, syscalls, GC) are not counted as Ps", async () => {
    const v1 = readdirSync(join(FIXTURES, 'traces')).filter((f) => /\.go1\.(19|21)\.trace$/.test(f));
    expect(v1.length).toBeGreaterThan(5);
    let checked = 0;
    for (const f of v1) {
      const j = JSON.parse((await runCli(['summary', '--json', join(FIXTURES, 'traces', f)])).stdout);
      expect(j.procs, f).toBeGreaterThan(0);
      if (j.maxGomaxprocs === 0) continue; // no GOMAXPROCS event in this trace
      expect(j.procs, f).toBeLessThanOrEqual(j.maxGomaxprocs);
      checked++;
    }
    expect(checked).toBeGreaterThan(3);
  });
  test('the real bin prints no stack trace either', () => {
    const r = spawnCli(['summary', join(tmp, 'text.trace')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
  test('a directory is bad input for every command, not a crash', async () => {
    for (const cmd of ['analyze', 'summary', 'events', 'folded', 'flame']) {
      const r = await runCli([cmd, tmp]);
      expect(r.code, cmd).toBe(2);
      expect(r.stderr).toMatch(/cannot read: is a directory/);
    }
  });
  test('unknown command is a usage error', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command/);
  });
});

describe('v1 traces (Go 1.11–1.21)', () => {
  const v119 = join(FIXTURES, 'traces', 'blocking.go1.19.trace');
  const v121 = join(FIXTURES, 'traces', 'stuckloop.go1.21.trace');
  test('summary names the format, one generation, and agrees with events', async () => {
    const r = await runCli(['summary', v119]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/format\s+go 1\.19 \(v1\)/);
    expect(r.stdout).toMatch(/generations\s+1\n/);
    const s = JSON.parse((await runCli(['summary', '--json', v119])).stdout);
    const lines = (await runCli(['events', '--json', v119])).stdout.trim().split('\n');
    expect(s.events).toBe(lines.length);
    expect(s.eventsByKind['Sync']).toBe(2);
  });
  test('events --format go starts with the Sync Go puts before the first event', async () => {
    const r = await runCli(['events', '--format', 'go', v119]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^M=-1 P=-1 G=-1 Sync Time=-1 N=1\n/);
    expect(r.stdout).toContain('Reason="chan receive"');
  });
  test('analyze finds the stuck P of a Go 1.21 recording', async () => {
    const r = await runCli(['analyze', '--json', v121]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    const run = j.stuck_ps.find((f: { cause: string }) => f.cause === 'non-preemptible-run');
    expect(run?.goroutine.name).toBe('main.spinner');
  });
  test('a cut-short v1 trace: one line, what broke, and why nothing is kept; exit 2', async () => {
    const path = join(tmp, 'cut-v1.trace');
    writeFileSync(path, readFileSync(join(FIXTURES, 'traces', 'tasks.go1.21.trace')).subarray(0, 3000));
    for (const cmd of ['summary', 'events', 'analyze']) {
      const r = await runCli([cmd, path]);
      expect(r.code).toBe(2);
      // What breaks depends on where the cut falls in this recording (an event's varint, the ordering, the stack table).
      expect(r.stderr).toMatch(/cut-v1\.trace: go-trace(?: at byte \d+)?: [^\n]+ \(a Go 1\.11–1\.21 trace is ordered and timed as a whole, so nothing of a damaged one can be salvaged; Go rejects it too\)/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
  test('formats 1.5–1.10 are named and refused', async () => {
    for (const v of [5, 7, 8, 9, 10]) {
      const path = join(tmp, `old-1.${v}.trace`);
      writeFileSync(path, new TextEncoder().encode(`go 1.${v} trace`.padEnd(16, '\0') + '\x01\x02'));
      const r = await runCli(['summary', path]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`trace format go 1\\.${v} \\(written by Go 1\\.${v}\\) is too old; supported: Go 1\\.11 and newer \\(formats 1\\.11, 1\\.19, 1\\.21, 1\\.22, 1\\.23, 1\\.25, 1\\.26\\)`));
    }
  });
});
