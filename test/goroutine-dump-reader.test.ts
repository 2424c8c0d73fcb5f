/** The goroutine-dump reader, line forms and damage: headers of every Go version, logs around dumps, cut dumps. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeGoroutineDumps } from '../src/analyzers/goroutine-dump/index.js';
import { BufferSource } from '../src/io/byte-source.js';
import { DumpDiagnostics, looksLikeGoroutineDump, parseCallLine, parseHeader, parseWhereLine, readGoroutineDump, type DumpEvent } from '../src/parsers/goroutine-dump/index.js';
import { FIXTURES } from './helpers/go.js';

const events = (text: string | Uint8Array, diag = new DumpDiagnostics()): DumpEvent[] => [...readGoroutineDump(new BufferSource(typeof text === 'string' ? new TextEncoder().encode(text) : text), diag)];
const goroutines = (evs: DumpEvent[]) => evs.flatMap((e) => (e.kind === 'goroutine' ? [e.goroutine] : []));

describe('headers', () => {
  it.each([
    ['goroutine 1 [running]:', { id: 1, state: 'running', waitMinutes: 0, lockedToThread: false, marks: [], labels: {} }],
    ['goroutine 18 [sleep, 12 minutes, locked to thread]:', { id: 18, state: 'sleep', waitMinutes: 12, lockedToThread: true }],
    ['goroutine 0 gp=0x677920 m=0 mp=0x6786e0 [idle]:', { id: 0, state: 'idle', m: 0 }],
    ['goroutine 7 gp=0xc0000061c0 m=nil [chan receive (scan)]:', { id: 7, state: 'chan receive', marks: ['scan'], m: -1 }],
    ['goroutine 9 [chan receive (nil chan), 3 minutes]:', { state: 'chan receive (nil chan)', waitMinutes: 3 }],
    ['goroutine 12 [select (leaked)]:', { state: 'select', marks: ['leaked'] }],
    ['goroutine 26 [chan receive] {"worker pool": "leaky one"}:', { labels: { 'worker pool': 'leaky one' } }],
    ['goroutine 19 [sleep, locked to thread] {handler: locked, a.b/c_d: "x y"}:', { lockedToThread: true, labels: { handler: 'locked', 'a.b/c_d': 'x y' } }],
    ['goroutine 5 [chan receive, synctest bubble 3]:', { marks: ['synctest bubble 3'] }],
  ])('%s', (line, want) => {
    expect(parseHeader(line)).toMatchObject(want);
  });

  it.each(['goroutine profile: total 3', 'goroutine 1 [running]', 'the goroutine 1 [running]:', 'goroutine x [running]:'])('not a header: %s', (line) => {
    expect(parseHeader(line)).toBeUndefined();
  });
});

describe('frame lines', () => {
  it('reads calls with receivers, generics and no package', () => {
    expect(parseCallLine('sync.(*Mutex).Lock(...)')).toEqual({ func: 'sync.(*Mutex).Lock', args: '...' });
    expect(parseCallLine('main.Map[...](0xc000012345, {0x1, 0x2})')).toEqual({ func: 'main.Map[...]', args: '0xc000012345, {0x1, 0x2}' });
    expect(parseCallLine('panic({0x52ad40?, 0x564890?})')).toEqual({ func: 'panic', args: '{0x52ad40?, 0x564890?}' });
    expect(parseCallLine('\tmain.f()')).toBeUndefined();
  });
  it('reads locations with offsets, fp/sp/pc, and none', () => {
    expect(parseWhereLine('\t/src/runtime/sys_linux_amd64.s:569 +0x21 fp=0x7ffc sp=0x7ffb pc=0x489ce1')).toEqual({ file: '/src/runtime/sys_linux_amd64.s', line: 569, pc: 0x489ce1, hasOffset: true });
    expect(parseWhereLine('\tC:/work/main.go:46')).toEqual({ file: 'C:/work/main.go', line: 46, pc: 0, hasOffset: false });
  });
});

const GO111 = `panic: runtime error: index out of range

goroutine 1 [running]:
main.main()
\t/tmp/x.go:5 +0x11
exit status 2
`;

describe('dumps in logs', () => {
  it('reads a Go 1.11 panic (no "in goroutine", no argument marks) and skips the rest of the log', () => {
    const diag = new DumpDiagnostics();
    const evs = events(`2024/01/02 starting\nlistening on :8080\n${GO111}`, diag);
    expect(evs[0]).toMatchObject({ kind: 'dump', dump: { form: 'panic', preamble: ['panic: runtime error: index out of range', ''] } });
    expect(goroutines(evs)).toMatchObject([{ id: 1, state: 'running', frames: [{ func: 'main.main', file: '/tmp/x.go', line: 5 }] }]);
    expect(diag.skippedLines).toBe(3); // two log lines and "exit status 2"
    expect(diag.warnings).toEqual([]);
  });

  it('splits several dumps in one log: by preamble, and by a goroutine id seen again', () => {
    const block = 'goroutine 1 [chan receive]:\nmain.main()\n\t/x.go:3 +0x1\n\ngoroutine 2 [select]:\nmain.f()\n\t/x.go:9 +0x1\ncreated by main.main in goroutine 1\n\t/x.go:2 +0x1\n\n';
    const evs = events(`${block}${block}SIGQUIT: quit\nPC=0x1 m=0 sigcode=0\n\n${block}`);
    expect(evs.filter((e) => e.kind === 'dump').map((e) => e.kind === 'dump' && e.dump.form)).toEqual(['goroutines', 'goroutines', 'signal']);
    expect(goroutines(evs)).toHaveLength(6);
    expect(goroutines(evs)[1]!.createdBy).toEqual({ func: 'main.main', goroutine: 1, file: '/x.go', line: 2 });
  });

  it('reads "...additional frames elided..." and "stack unavailable"', () => {
    const gs = goroutines(events('goroutine 5 [running]:\n\tgoroutine running on other thread; stack unavailable\n\ngoroutine 6 [chan send]:\nmain.r(...)\n\t/x.go:1\n...additional frames elided...\ncreated by main.main\n\t/x.go:2 +0x5\n'));
    expect(gs[0]).toMatchObject({ id: 5, stackUnavailable: true, frames: [] });
    expect(gs[1]).toMatchObject({ id: 6, elided: true, frames: [{ func: 'main.r', inlined: true }], createdBy: { func: 'main.main' } });
  });

  it('tells a dump from other text by its first bytes', () => {
    const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
    expect(looksLikeGoroutineDump(enc(`some log\n${GO111}`))).toBe(true);
    expect(looksLikeGoroutineDump(enc('goroutine profile: total 4\n4 @ 0x1\n'))).toBe(true);
    expect(looksLikeGoroutineDump(enc('the goroutine 1 [x]: is not at a line start\nhello\n'))).toBe(false);
  });
});

describe('a cut dump', () => {
  const whole = readFileSync(join(FIXTURES, 'dumps', 'trouble.go1.26.debug2.txt'));
  const text = whole.toString('latin1');
  const headers = [...text.matchAll(/^goroutine \d+ /gm)].map((m) => m.index!);

  it('at every byte: the goroutines before the cut, a warning when the cut is inside one, never an exception', () => {
    for (let cut = 1; cut < whole.length; cut += 7) {
      const diag = new DumpDiagnostics();
      const gs = goroutines(events(whole.subarray(0, cut), diag));
      const before = headers.filter((h) => text.indexOf('\n', h) < cut).length;
      expect(gs.length === before || gs.length === before - 1, `cut at ${cut}`).toBe(true);
      if (gs.length === before - 1) expect(diag.warnings.length, `cut at ${cut}`).toBe(1);
    }
  });

  it('mid-line inside the fifth goroutine: the four before it, and a warning naming it', () => {
    const fifth = Number(/^goroutine (\d+)/.exec(text.slice(headers[4]!))![1]);
    const cut = text.indexOf('\n', headers[4]!) + 5;
    const diag = new DumpDiagnostics();
    const gs = goroutines(events(whole.subarray(0, cut), diag));
    expect(gs.map((g) => g.id)).toEqual(headers.slice(0, 4).map((h) => Number(/^goroutine (\d+)/.exec(text.slice(h))![1])));
    expect(diag.warnings).toEqual([expect.stringContaining(`ends mid-line, inside goroutine ${fifth};`)]);
    expect(analyzeGoroutineDumps(new BufferSource(whole.subarray(0, cut))).dumps[0]!.goroutines).toBe(4);
  });
});

describe('damage never throws', () => {
  it('random byte flips and splices of real dumps read to the end, with goroutines and warnings only', () => {
    const files = ['debug2.txt', 'sigquit.txt', 'debug1.txt', 'crash.txt'].map((f) => readFileSync(join(FIXTURES, 'dumps', `trouble.go1.27.${f}`)));
    let seed = 17;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
    for (let i = 0; i < 300; i++) {
      const a = files[rand(files.length)]!;
      const b = files[rand(files.length)]!;
      const data = Buffer.concat([a.subarray(0, rand(a.length)), b.subarray(rand(b.length))]);
      for (let k = 0; k < 8; k++) data[rand(data.length)] = rand(256);
      expect(() => analyzeGoroutineDumps(new BufferSource(data))).not.toThrow();
    }
  });
});
