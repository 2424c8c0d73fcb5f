/**
 * The header line of one `perf script` event. Forms it accepts (real lines):
 *
 *   perfload 19060  1363.396758:    1001001 cpu-clock:                    (default)
 *   perfload 19169 [000]  1385.373121:    1001001 cpu-clock:              (default, --sample-cpu or -a)
 *   perfload 19169/19169 [000]  1385.373121: cpu-clock:                   (-F comm,pid,tid,cpu,time,event)
 *         khugepaged    38/38    [000]  1398.366753: sched:sched_switch:  (-F: comm left-padded)
 *   perfload 19256 [000]  1398.366811: sched:sched_switch: prev_comm=perfload … ==> next_comm=…
 *   V8 WorkerThread 24636/25607 [000] 94564.109216: 100 cycles:          (comm with a space)
 *   false 64414 20110.539270:      34467 cycles:u:  ffffffff9aa3c8de [unknown] ([unknown])   (no -g: one frame inline)
 *   :-1    -1 [000]  3553.903863: sched:sched_switch: …                   (a thread that has exited)
 */
import type { PerfEvent } from './types.js';

export type PerfEventHead = Omit<PerfEvent, 'frames' | 'line'> & {
  /** Text after a sampling event's name: the one frame of a capture without call chains. */
  readonly inlineFrame: string | undefined;
};

// comm (lazy, may hold spaces and digits) pid[/tid] [cpu] time: period event: rest
const EVENT_LINE = /^\s*(.+?)\s+(-?\d+)(?:\/(-?\d+))?\s+(?:\[(\d+)\]\s+)?(?:(\d+)\.(\d+):\s+)?(?:(\d+)\s+)?(\S+?):(?:\s+(.*))?$/;

/** Event modifiers (cycles:u, cpu-clock:uhH): a colon followed only by these is not a tracepoint. */
const MODIFIERS = /^[ukhGHpPSDIWe]+$/;

/** Lines longer than this are not event lines (and the regex is never run on megabytes of junk). */
const MAX_EVENT_LINE = 16 * 1024;

export function isTracepoint(event: string): boolean {
  const colon = event.indexOf(':');
  return colon > 0 && !MODIFIERS.test(event.slice(colon + 1));
}

const SCALE = [1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 100, 10, 1];

/** "1385.373121" → ns, summed as integers (seconds × 1e9 as one float would round the nanoseconds). */
function timeNs(sec: string, frac: string): number {
  const f = frac.length > 9 ? frac.slice(0, 9) : frac;
  return Number(sec) * 1e9 + Number(f) * SCALE[f.length]!;
}

const last = { comm: '', event: '', tracepoint: false };

export function parseEventLine(line: string): PerfEventHead | undefined {
  if (line.length > MAX_EVENT_LINE) return undefined;
  const m = EVENT_LINE.exec(line.trimEnd());
  if (!m) return undefined;
  const [, commText, first, second, cpu, sec, frac, period, eventText, rest] = m;
  // Headers repeat the previous comm and event: keep one string of each (hashed once by the Maps
  // that count and fold events, compared by identity) and the event's tracepoint test.
  const comm = commText === last.comm ? last.comm : (last.comm = commText!);
  if (eventText !== last.event) {
    last.event = eventText!;
    last.tracepoint = isTracepoint(eventText!);
  }
  const { event, tracepoint } = last;
  const trace = rest ?? '';
  return {
    comm,
    // One number is the tid (perf's default form); "pid/tid" has both.
    pid: second === undefined ? undefined : Number(first),
    tid: Number(second ?? first),
    cpu: cpu === undefined ? undefined : Number(cpu),
    timeNs: sec === undefined ? undefined : timeNs(sec, frac!),
    period: period === undefined ? undefined : Number(period),
    event,
    trace: tracepoint ? trace : '',
    inlineFrame: !tracepoint && trace !== '' ? trace : undefined,
  };
}
