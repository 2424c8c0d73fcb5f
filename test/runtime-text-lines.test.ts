/**
 * The line forms of every Go version, 1.11 to 1.27, from the runtime's print
 * statements (proc.go schedtrace, mgc.go gcMarkTermination); the forms the
 * recorded fixtures do not show (Go 1.11–1.17) are written here from those
 * statements. Damage, unrelated input and detection.
 */
import { describe, expect, test } from 'vitest';
import { ParseError } from '../src/errors.js';
import { looksLikeRuntimeText, newStats, parseDetailLine, parseGcLine, parseSchedLine, readRuntimeText } from '../src/parsers/runtime-text/index.js';

describe('gctrace', () => {
  test('Go 1.11–1.17: no stacks or globals', () => {
    const gc = parseGcLine('gc 1 @0.004s 2%: 0.005+0.41+0.003 ms clock, 0.010+0.10/0.20/0.36+0.007 ms cpu, 4->4->0 MB, 5 MB goal, 4 P');
    expect(gc).toMatchObject({ n: 1, atNs: 4e6, cpuPercent: 2, sweepTermNs: 5e3, markNs: 410e3, markTermNs: 3e3, pauseNs: 8e3, heapStartBytes: 4 << 20, heapLiveBytes: 0, heapGoalBytes: 5 << 20, procs: 4, forced: false });
    expect(gc?.stacksBytes).toBeUndefined();
    expect(gc?.cpuNs).toEqual([10e3, 100e3, 200e3, 360e3, 7e3]);
  });
  test('Go 1.18+: stacks, globals, forced; whole milliseconds past 10 ms', () => {
    const gc = parseGcLine('gc 10 @0.529s 24%: 364+17+0.005 ms clock, 728+0/33/0+0.010 ms cpu, 39->39->39 MB, 79 MB goal, 0 MB stacks, 1 MB globals, 2 P (forced)');
    expect(gc).toMatchObject({ n: 10, atNs: 529e6, sweepTermNs: 364e6, markTermNs: 5e3, pauseNs: 364e6 + 5e3, stacksBytes: 0, globalsBytes: 1 << 20, forced: true });
  });
  test('Go 1.26+: the goroutine leak check note', () => {
    expect(parseGcLine('gc 3 @1.200s 1% (checking for goroutine leaks): 0.1+2.0+0.05 ms clock, 0.2+0/1.0/2.0+0.1 ms cpu, 8->8->4 MB, 9 MB goal, 0 MB stacks, 0 MB globals, 8 P')?.n).toBe(3);
  });
  test('a cut line is damage, other text is not a gc line', () => {
    expect(parseGcLine('gc 4 @0.061s 5%: 0.75+157+0.047 ms clock, 1.5+0.28/16/80+0.0')).toBeNull();
    expect(parseGcLine('gc is fine today')).toBeUndefined();
  });
});

describe('schedtrace', () => {
  test('Go 1.11–1.20: no needspinning, "[1 0 0 0]", integer flags, -1 for none', () => {
    const h = parseSchedLine('SCHED 1001ms: gomaxprocs=4 idleprocs=0 threads=9 spinningthreads=0 idlethreads=3 runqueue=2 [8 14 5 2]');
    expect(h).toMatchObject({ timeNs: 1001e6, gomaxprocs: 4, idleprocs: 0, threads: 9, idlethreads: 3, runqueue: 2, runqsizes: [8, 14, 5, 2] });
    expect(h?.needspinning).toBeUndefined();
    expect(parseSchedLine('SCHED 0ms: gomaxprocs=4 idleprocs=2 threads=4 spinningthreads=1 idlethreads=0 runqueue=0 gcwaiting=0 nmidlelocked=0 stopwait=0 sysmonwait=1')).toMatchObject({ gcwaiting: false, sysmonwait: true });
    expect(parseDetailLine('  P2: status=0 schedtick=0 syscalltick=0 m=-1 runqsize=0 gfreecnt=0')).toEqual({ kind: 'P', p: { id: 2, status: 0, schedtick: 0, syscalltick: 0, runqsize: 0, gfreecnt: 0 } });
    expect(parseDetailLine('  M1: p=-1 curg=17 mallocing=0 throwing=0 preemptoff= locks=0 dying=0 spinning=false blocked=false lockedg=17')).toMatchObject({ kind: 'M', m: { id: 1, curg: 17, lockedg: 17 } });
    expect(parseDetailLine('  G17: status=6() m=1 lockedm=1')).toEqual({ kind: 'G', g: { id: 17, status: 6, waitReason: '', m: 1, lockedm: 1 } });
  });
  test('Go 1.26+: "[ 0 0 ]" and schedticks', () => {
    expect(parseSchedLine('SCHED 726ms: gomaxprocs=2 idleprocs=0 threads=4 spinningthreads=0 needspinning=1 idlethreads=2 runqueue=0 [ 2 0 ] schedticks=[ 163 9 ]')).toMatchObject({ needspinning: 1, runqsizes: [2, 0], schedticks: [163, 9] });
  });
  test('values with spaces: a stop-the-world reason, a wait reason in parentheses', () => {
    expect(parseDetailLine('  M0: p=0 curg=1 mallocing=0 throwing=0 preemptoff=GC sweep termination locks=1 dying=0 spinning=false blocked=false lockedg=nil')).toMatchObject({ m: { preemptoff: 'GC sweep termination', locks: 1 } });
    expect(parseDetailLine('  G2: status=4(force gc (idle)) m=nil lockedm=nil')).toEqual({ kind: 'G', g: { id: 2, status: 4, waitReason: 'force gc (idle)' } });
  });
  test('not ours, or damaged', () => {
    expect(parseDetailLine('P1: priority ticket')).toBeUndefined();
    expect(parseDetailLine('  P0: status=1 schedtick=x syscalltick=0 m=0 runqsize=2 gfreecnt=0')).toBeNull();
    expect(parseSchedLine('SCHED 5ms: gomaxprocs=4 idleprocs=')).toBeNull();
  });
});

describe('a whole log', () => {
  const log = [
    'service starting on :8080',
    'SCHED 0ms: gomaxprocs=2 idleprocs=1 threads=4 spinningthreads=0 needspinning=0 idlethreads=2 runqueue=0 gcwaiting=false nmidlelocked=0 stopwait=0 sysmonwait=false',
    '  P0: status=1 schedtick=3 syscalltick=0 m=0 runqsize=0 gfreecnt=0 timerslen=0',
    'gc 1 @0.002s 5%: 0.31+12+0.20 ms clock, 0.62+0.81/0.43/0+0.40 ms cpu, 3->7->6 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P',
    '  P1: status=0 schedtick=0 syscalltick=0 m=nil runqsize=0 gfreecnt=0 timerslen=0',
    'SCHED 100ms: gomaxprocs=2 idleprocs=2 threads=4 spinning',
    'request served',
  ];
  test('detail lines belong to the SCHED line before them, across a gc line; damage and other lines are counted', () => {
    const stats = newStats();
    const recs = [...readRuntimeText(log, stats)];
    expect(recs.map((r) => r.kind)).toEqual(['gc', 'sched']);
    const s = recs[1]!.kind === 'sched' ? recs[1]!.sample : undefined;
    expect(s?.procs.map((p) => p.id)).toEqual([0, 1]);
    expect(stats).toEqual({ lines: 7, schedLines: 1, detailLines: 2, gcLines: 1, otherLines: 2, damagedLines: 1, firstDamagedLine: 6 });
  });
  test('an unrelated or empty log is a one-line ParseError', () => {
    expect(() => [...readRuntimeText(['hello', 'world'])]).toThrow(ParseError);
    expect(() => [...readRuntimeText(['hello', 'world'])]).toThrow(/^runtime-text: none of its 2 lines is a GODEBUG schedtrace/);
    expect(() => [...readRuntimeText([])]).toThrow(/^runtime-text: the log is empty$/);
  });
  test('told by content, after other lines, never by a cut last line', () => {
    const enc = (l: string[]): Uint8Array => new TextEncoder().encode(l.join('\n'));
    expect(looksLikeRuntimeText(enc(log), true)).toBe(true);
    expect(looksLikeRuntimeText(enc(['hello', log[3]!]), true)).toBe(true);
    expect(looksLikeRuntimeText(enc(['hello', log[3]!]), false)).toBe(false);
    expect(looksLikeRuntimeText(enc(['hello', 'world']), true)).toBe(false);
  });
});

describe('a log of two runs of a program', () => {
  test('a P seen with the same tick before and after a restart is not stuck', async () => {
    const { analyzeRuntimeText } = await import('../src/analyzers/runtime-text/index.js');
    const run = (t0: number): string[] => [0, 400, 800].map((t) =>
      `SCHED ${t0 + t}ms: gomaxprocs=1 idleprocs=0 threads=4 spinningthreads=0 needspinning=0 idlethreads=2 runqueue=0 [ 0 ] schedticks=[ 7 ]`);
    const stats = newStats();
    // 800 ms frozen in each run, but the second run starts again at 0 ms: two stalls, not one across the restart.
    const a = analyzeRuntimeText(readRuntimeText([...run(0), ...run(0)], stats), stats);
    expect(a.findings.filter((f) => f.kind === 'stuck-p').map((f) => f.durationNs)).toEqual([800e6, 800e6]);
  });
});

describe('work queued while Ps sit idle', () => {
  const sample = (t: number, idle: number, runq: number): string =>
    `SCHED ${t}ms: gomaxprocs=4 idleprocs=${idle} threads=8 spinningthreads=0 needspinning=0 idlethreads=3 runqueue=${runq} [ 0 0 0 0 ] schedticks=[ ${t} ${t} ${t} ${t} ]`;
  const findings = async (lines: string[]) => {
    const { analyzeRuntimeText } = await import('../src/analyzers/runtime-text/index.js');
    const stats = newStats();
    return analyzeRuntimeText(readRuntimeText(lines, stats), stats).findings;
  };
  test('three samples in a row are a finding, with the longest stretch', async () => {
    const f = await findings([sample(0, 2, 5), sample(100, 3, 9), sample(200, 1, 2), sample(300, 0, 0)]);
    expect(f.map((x) => x.kind)).toEqual(['idle-backlog']);
    expect(f[0]!.evidence).toEqual({ samples: 3, first_ns: 0, last_ns: 200e6, max_queued: 9, max_idle_procs: 3 });
  });
  test('two, or queues with no idle P, are not', async () => {
    expect(await findings([sample(0, 2, 5), sample(100, 3, 9), sample(200, 0, 2), sample(300, 2, 1)])).toEqual([]);
  });
});
