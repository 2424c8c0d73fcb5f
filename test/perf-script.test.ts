/**
 * The perf script reader on hand-made lines, one table per line form: event
 * headers (default, -F, --sample-cpu, padded comms, comms with spaces and
 * digits, tracepoints, no call chain), frames (kernel, [unknown], offsets, Go
 * names, inlined, no module), and whole captures (headers, several events,
 * damage counted, chunk boundaries).
 */
import { describe, expect, test } from 'vitest';
import { BufferSource } from '../src/io/byte-source.js';
import { detectFormat } from '../src/parsers/detect.js';
import { parseEventLine, parseStackLine, readLines } from '../src/parsers/perf/index.js';
import { readText } from './helpers/perf.js';

describe('event lines', () => {
  const cases: [string, string, Record<string, unknown> | undefined][] = [
    ['default', 'perfload 19060  1363.396758:    1001001 cpu-clock: ', { comm: 'perfload', pid: undefined, tid: 19060, cpu: undefined, timeNs: 1363396758000, period: 1001001, event: 'cpu-clock', trace: '' }],
    ['default with cpu', 'perfload 19169 [000]  1385.373121:    1001001 cpu-clock:', { tid: 19169, cpu: 0, period: 1001001, event: 'cpu-clock' }],
    ['-F pid,tid,cpu', 'perfload 19169/19170 [001]  1385.373121: cpu-clock: ', { comm: 'perfload', pid: 19169, tid: 19170, cpu: 1, period: undefined, event: 'cpu-clock' }],
    ['-F padded comm', '      khugepaged    38/38    [000]  1398.366753: sched:sched_switch: ', { comm: 'khugepaged', pid: 38, tid: 38, event: 'sched:sched_switch', trace: '' }],
    ['comm with a space', 'V8 WorkerThread 24636/25607 [000] 94564.109216: 100 cycles:', { comm: 'V8 WorkerThread', pid: 24636, tid: 25607, period: 100, event: 'cycles' }],
    ['comm with digits', 'worker 2 of 8 4242 [001] 10.000001: cpu-clock:', { comm: 'worker 2 of 8', tid: 4242, cpu: 1, timeNs: 10000001000 }],
    ['kworker comm', 'kworker/0:1-events 38 [000] 1.5: cpu-clock:', { comm: 'kworker/0:1-events', tid: 38, timeNs: 1500000000 }],
    ['exited thread', ':-1    -1 [000]  3553.903863: sched:sched_switch: prev_comm=a prev_pid=1 prev_prio=120 prev_state=X ==> next_comm=b next_pid=2 next_prio=120', { comm: ':-1', tid: -1, event: 'sched:sched_switch' }],
    ['tracepoint args', 'perfload 8072 [000]  3553.818755: sched:sched_switch: prev_comm=perfload prev_pid=8072 prev_prio=120 prev_state=R ==> next_comm=perfload next_pid=8074 next_prio=120', { event: 'sched:sched_switch', trace: 'prev_comm=perfload prev_pid=8072 prev_prio=120 prev_state=R ==> next_comm=perfload next_pid=8074 next_prio=120', inlineFrame: undefined }],
    ['wakeup args', 'swapper     0 [000]  3553.902655: sched:sched_wakeup: comm=perfload pid=8076 prio=120 target_cpu=000', { comm: 'swapper', tid: 0, event: 'sched:sched_wakeup', trace: 'comm=perfload pid=8076 prio=120 target_cpu=000' }],
    ['modifiers, one frame inline', 'false 64414 20110.539270:      34467 cycles:u:  ffffffff9aa3c8de [unknown] ([unknown])', { comm: 'false', tid: 64414, period: 34467, event: 'cycles:u', trace: '', inlineFrame: 'ffffffff9aa3c8de [unknown] ([unknown])' }],
    ['modifiers only', 'vote   913    72.176760:     257597 cycles:uppp:', { comm: 'vote', tid: 913, period: 257597, event: 'cycles:uppp' }],
    ['nanosecond time (--ns)', 'perfload 7 1.123456789: cpu-clock:', { timeNs: 1123456789 }],
    ['no time field', 'perfload 7/7 [000] cpu-clock:', { tid: 7, timeNs: undefined, event: 'cpu-clock' }],
    ['not an event: frame', '\t  a0651 main.hashLoop+0x11 (/tmp/perfload)', undefined],
    ['not an event: text', 'hello world', undefined],
    ['not an event: no pid', 'perfload [000] 1.0: cpu-clock:', undefined],
  ];
  test.each(cases)('%s', (_, line, want) => {
    const got = parseEventLine(line);
    if (want === undefined) expect(got).toBeUndefined();
    else expect(got).toMatchObject(want);
  });
});

describe('stack lines', () => {
  const cases: [string, string, Record<string, unknown> | undefined][] = [
    ['user frame with offset', '\t           81c9a main.hashLoop+0x1a (/srv/perfload)', { ip: '81c9a', sym: 'main.hashLoop', dso: '/srv/perfload', inlined: false }],
    ['kernel frame', '\tffffffff82265ec8 __schedule+0x628 ([kernel.kallsyms])', { ip: 'ffffffff82265ec8', sym: '__schedule', dso: '[kernel.kallsyms]' }],
    ['-F ip,sym', '\tffffffff822601e7 exc_page_fault', { sym: 'exc_page_fault', dso: undefined }],
    ['unknown', '\t               0 [unknown] ([unknown])', { ip: '0', sym: '[unknown]', dso: '[unknown]' }],
    ['unknown in a module', '\t    7f53389994d0 [unknown] (/usr/lib/libc.so.6)', { sym: '[unknown]', dso: '/usr/lib/libc.so.6' }],
    ['Go method', '\t           6806c sync.(*Pool).Get+0x2c (/srv/perfload)', { sym: 'sync.(*Pool).Get', dso: '/srv/perfload' }],
    ['Go method, -F ip,sym', '\t           6806c sync.(*Pool).Get', { sym: 'sync.(*Pool).Get', dso: undefined }],
    ['Go closure', '\t           82379 main.main.func2+0x59 (/srv/perfload)', { sym: 'main.main.func2' }],
    ['Go generic', '\t           4a1b2 main.Map[go.shape.int,go.shape.string]+0x3f (/srv/p)', { sym: 'main.Map[go.shape.int,go.shape.string]' }],
    ['Go generic [...]', '\t           4a1b2 main.(*List[...]).Push+0x3f (/srv/p)', { sym: 'main.(*List[...]).Push' }],
    ['C++ arguments', '\t    4005d5 foo(int, char const*)+0x15 (/tmp/a.out)', { sym: 'foo(int, char const*)', dso: '/tmp/a.out' }],
    ['inlined', '\t          4005d5 inner (/tmp/a.out) (inlined)', { sym: 'inner', dso: '/tmp/a.out', inlined: true }],
    ['no symbol', '\t    7f1e2215d058  (/lib/x86_64-linux-gnu/libc-2.15.so)', { sym: '', dso: '/lib/x86_64-linux-gnu/libc-2.15.so' }],
    ['symbol+0x in the middle', '\t  1000 a+0xzz (/x)', { sym: 'a+0xzz' }],
    ['not a frame: words', '\tprev_comm=perfload prev_pid=1', undefined],
    ['not a frame: empty', '\t', undefined],
  ];
  test.each(cases)('%s', (_, line, want) => {
    const got = parseStackLine(line);
    if (want === undefined) expect(got).toBeUndefined();
    else expect(got).toMatchObject(want);
  });
});

describe('lines', () => {
  const cases: [string, string, number, string[]][] = [
    ['plain', 'a\nb\n', 4, ['a', 'b']],
    ['no final newline', 'a\nbc', 1, ['a', 'bc']],
    ['CRLF', 'a\r\nb\r\n', 2, ['a', 'b']],
    ['empty lines kept', 'a\n\nb\n', 3, ['a', '', 'b']],
    ['multibyte across chunks', 'µ€\nü\n', 1, ['µ€', 'ü']],
    ['empty input', '', 8, []],
  ];
  test.each(cases)('%s (chunk %i)', (_, text, chunk, want) => {
    expect([...readLines(new BufferSource(new TextEncoder().encode(text)), chunk)]).toEqual(want);
  });
});

describe('whole captures', () => {
  test('call chains, blank lines, --header comments', () => {
    const { events, diag, comments } = readText(
      '# ========\n# perf version : 6.1.187\n# ========\n#\n' +
        'perfload 19060  1363.396758:    1001001 cpu-clock: \n\t  81c9a main.hashLoop+0x1a (/srv/p)\n\t  82379 main.main.func2+0x59 (/srv/p)\n\n' +
        'perfload 19061  1363.397759:    1001001 cpu-clock: \n\tffffffff822601e7 exc_page_fault+0xd7 ([kernel.kallsyms])\n\t 5d161 runtime.goexit.abi0+0x1 (/srv/p)\n\n',
    );
    expect(diag.total).toBe(0);
    expect(comments).toEqual(['========', 'perf version : 6.1.187', '========', '']);
    expect(events.map((e) => [e.tid, e.frames.map((f) => f.sym)])).toEqual([
      [19060, ['main.hashLoop', 'main.main.func2']],
      [19061, ['exc_page_fault', 'runtime.goexit.abi0']],
    ]);
    expect(events[1]!.line).toBe(9);
  });

  test('several event types are kept apart', () => {
    const { events } = readText(
      'a 1 [000] 1.000001: sched:sched_switch: prev_comm=a prev_pid=1 prev_prio=120 prev_state=S ==> next_comm=b next_pid=2 next_prio=120\n\t 10 f (/x)\n\n' +
        'b 2 [000] 1.000002: sched:sched_wakeup: comm=a pid=1 prio=120 target_cpu=000\n\n' +
        'b 2 [000] 1.000003: 1001001 cpu-clock:\n\t 11 g (/x)\n\n',
    );
    expect(events.map((e) => e.event)).toEqual(['sched:sched_switch', 'sched:sched_wakeup', 'cpu-clock']);
    expect(events[1]!.frames).toEqual([]);
  });

  test('without call chains: one line per event, no blank lines', () => {
    const { events, diag } = readText(
      'false 64414 20110.539270:      34467 cycles:u:  ffffffff9aa3c8de [unknown] ([unknown])\nfalse 64414 20110.539280:      34467 cycles:u:  4005d5 main+0x15 (/bin/false)\n',
    );
    expect(diag.total).toBe(0);
    expect(events.map((e) => e.frames.map((f) => f.sym))).toEqual([['[unknown]'], ['main']]);
  });

  test('padded -F comms after an event are headers, not frames', () => {
    const { events } = readText('perfload 1/1 [000] 1.0: cpu-clock:\n\t 10 f\n      khugepaged    38/38    [000]  1.1: cpu-clock:\n\t 11 g\n');
    expect(events.map((e) => [e.comm, e.frames.length])).toEqual([['perfload', 1], ['khugepaged', 1]]);
  });

  test('damage is counted, not thrown', () => {
    const { events, diag } = readText('garbage here\nperfload 1 1.0: cpu-clock:\n\t 10 f (/x)\n\tnot a frame\n\n\tstray frame\n');
    expect(events).toHaveLength(1);
    expect(Object.fromEntries(diag.counts)).toEqual({ EVENT_LINE: 2, STACK_LINE: 1 });
    expect(diag.warnings()[0]).toContain('line 1');
  });

  test('chunk boundaries do not change the events', () => {
    const text = 'perfload 19060  1363.396758:    1001001 cpu-clock: \n\t  81c9a main.hashLoop+0x1a (/srv/p)\n\n'.repeat(20);
    expect(readText(text, 7).events).toEqual(readText(text).events);
  });
});

describe('detect', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  const cases: [string, Uint8Array, string][] = [
    ['--header', enc('# ========\n# captured on    : Wed'), 'perf-script'],
    ['default event line', enc('perfload 19060  1363.396758:    1001001 cpu-clock: \n\t  81c9a f (/x)\n'), 'perf-script'],
    ['go trace', enc('go 1.26 trace\x00\x00\x00'), 'go-trace'],
    ['gzip', new Uint8Array([0x1f, 0x8b, 8, 0]), 'pprof'],
    ['text that is not perf (nor a protobuf tag)', enc('~ hello world\n'), 'unknown'],
  ];
  test.each(cases)('%s', (_, head, want) => expect(detectFormat(head)).toBe(want));
});
