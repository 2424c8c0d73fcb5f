/** folded/flame --reason: classes and Go's wait reasons in any case; a typo is a usage error, a filter that matches nothing says so. */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { blockClass, GO_WAIT_REASONS } from '../src/analyzers/trace/blocking.js';
import { FileSource } from '../src/io/byte-source.js';
import { openGoTrace } from '../src/parsers/gotrace/index.js';
import { FIXTURES } from './helpers/go.js';
import { runCli } from './helpers/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'stallscope-reason-'));
const blockingTrace = join(FIXTURES, 'traces', 'blocking.go1.26.trace');

describe('--reason', () => {
  test('a name that is no class or Go wait reason is a usage error (exit 2, one line, the valid names)', async () => {
    for (const cmd of ['folded', 'flame']) {
      const out = join(tmp, `${cmd}-bogus.html`);
      const r = await runCli([cmd, '--reason', 'sync,bogus', blockingTrace, ...(cmd === 'flame' ? ['-o', out] : [])]);
      expect(r.code, cmd).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/--reason: "bogus" is not a class \(sync, net, syscall, sched, sleep, other\) or a Go wait reason \(chan receive, chan send, select, /);
      expect(existsSync(out)).toBe(false);
    }
  });
  test('any case: Sync is sync, CHAN RECEIVE is chan receive', async () => {
    const folded = async (reason: string): Promise<string> => {
      const r = await runCli(['folded', '--reason', reason, blockingTrace]);
      expect(r.code).toBe(0);
      return r.stdout;
    };
    const sync = await folded('sync');
    expect(sync).not.toBe('');
    expect(await folded('Sync')).toBe(sync);
    const recv = await folded('chan receive');
    expect(recv).toMatch(/^chan receive;/);
    expect(await folded('CHAN RECEIVE')).toBe(recv);
    expect(await folded(' Network , SLEEP ')).toBe(await folded('network,sleep'));
  });
  test('a valid filter that matches nothing: empty output, exit 0, a note on stderr', async () => {
    const r = await runCli(['folded', '--reason', 'synctest', blockingTrace]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('stallscope: note: --reason synctest matched nothing in the blocking view of this trace\n');
    const f = await runCli(['flame', '--reason', 'synctest', blockingTrace, '-o', join(tmp, 'none.html')]);
    expect(f.code).toBe(0);
    expect(f.stderr).toMatch(/wrote .*none\.html \(blocking, 0 stacks\)\nstallscope: note: --reason synctest matched nothing in the blocking view of this trace\n$/);
    // folded says what flame says of an empty view.
    // netread is recorded without CPU profiling (fixtures/record.sh): its cpu view is empty by construction.
    const cpu = await runCli(['folded', '--view', 'cpu', join(FIXTURES, 'traces', 'netread.go1.26.trace')]);
    expect(cpu.stdout).toBe('');
    expect(cpu.stderr).toBe('stallscope: note: the cpu view of this trace is empty (no CPU samples: record with CPU profiling on)\n');
  });
  test('where no filter can apply, --reason is a usage error: the cpu view, profiles, perf captures', async () => {
    const cases: [string[], RegExp][] = [
      [['--view', 'cpu', blockingTrace], /--reason applies to the blocking, sched and wall views, not to cpu/],
      [[join(FIXTURES, 'pprof', 'blocking.go1.26.block.pb.gz')], /--reason applies to traces, not to pprof profiles/],
      [[join(FIXTURES, 'perf', 'cpu.perf.txt')], /--reason applies to traces, not to perf captures/],
    ];
    for (const [args, msg] of cases) {
      const r = await runCli(['folded', '--reason', 'sync', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
  });
  test("every wait reason in every fixture trace is one --reason knows (the list is not stale)", () => {
    const seen = new Set<string>();
    for (const name of readdirSync(join(FIXTURES, 'traces')).filter((f) => f.endsWith('.trace'))) {
      const reader = openGoTrace(FileSource.open(join(FIXTURES, 'traces', name)));
      for (let rec = reader.next(); rec; rec = reader.next()) {
        const ev = rec.asEvent();
        if (ev.kind === 'StateTransition' && ev.resource === 'Goroutine' && ev.reason && blockClass(ev.to, ev.reason)) seen.add(ev.reason);
      }
    }
    expect(seen.size).toBeGreaterThan(5);
    expect([...seen].filter((r) => !(GO_WAIT_REASONS as readonly string[]).includes(r))).toEqual([]);
  });
});
