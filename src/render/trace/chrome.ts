/**
 * The Trace Event Format (the JSON that Perfetto's UI and chrome://tracing
 * open), shaped like go tool trace's proc view so that it reads as Go
 * engineers know it: pid 0 holds one track per P (tid = P id) with an "X"
 * slice per goroutine run named "G<id> <start function>", syscalls inside
 * them; pid 1 holds the counters (goroutines, threads, heap). GC cycles, stops
 * of the world and stallscope's findings get tracks of their own. Written as
 * the trace is read: each slice goes out when it ends; stacks are numbered
 * nodes in "stackFrames" at the end, as go tool trace writes them.
 */
import type { TimelineCounts, TimelineSink, RangeLane } from '../../analyzers/timeline/stream.js';
import type { GoroutineNames } from '../../analyzers/trace/goroutine-names.js';
import type { Finding } from '../../model/findings.js';
import type { StackTable } from '../../model/stacks.js';
import { frameWhere } from '../frame-where.js';

/** Tracks that are not Ps, numbered past any P as go tool trace numbers its own (GC is 1000004 there too). */
export const CHROME_TRACKS = { GC: 1_000_004, STW: 1_000_005, findings: 1_000_006 } as const;
/** Their names and places: above the Ps, findings first (go tool trace sorts its GC track at -6). */
const TRACK_NAMES: readonly { tid: number; name: string; sort: number }[] = [
  { tid: CHROME_TRACKS.findings, name: 'stallscope findings', sort: -10 },
  { tid: CHROME_TRACKS.GC, name: 'GC', sort: -6 },
  { tid: CHROME_TRACKS.STW, name: 'Stop-the-world', sort: -5 },
];
const PROCS = 0;
const STATS = 1;
/** Frames of the stack a run stopped with (its "esf"), at most. */
const STACK_FRAMES = 8;

export class ChromeTraceWriter implements TimelineSink {
  private origin = 0;
  private maxP = -1;
  private readonly lastCounts: number[] = [-1, -1, -1, -1, -1];
  private readonly stackNode = new Map<number, number>();
  private readonly frameNode = new Map<string, number>();
  private readonly frameList: { name: string; parent: number }[] = [];
  private readonly quoted = new Map<number, string>();
  /** Slices written, by kind, for the summary line. */
  readonly written = { runs: 0, syscalls: 0, ranges: 0, counters: 0, samples: 0, findings: 0 };

  constructor(
    private readonly out: (text: string) => void,
    private readonly stacks: StackTable,
    private readonly names: GoroutineNames,
  ) {
    out('{"displayTimeUnit":"ns","traceEvents":[\n');
    this.meta(PROCS, 0, 'process_name', { name: 'PROCS' }, true);
    this.meta(STATS, 0, 'process_name', { name: 'STATS' });
  }

  private ts(t: number): number {
    return (t - this.origin) / 1e3;
  }

  private event(e: Record<string, unknown>, first = false): void {
    this.out((first ? '' : ',\n') + JSON.stringify(e));
  }

  private meta(pid: number, tid: number, name: string, args: Record<string, unknown>, first = false): void {
    this.event({ name, ph: 'M', pid, tid, args }, first);
  }

  /**
   * The stackFrames node of a stack's leaf frame (as go tool trace's "sf"/"esf"): nodes
   * are (frame, parent) pairs, written once each at the end, so a slice names its
   * stack by number instead of repeating its text.
   */
  private stack(id: number): number {
    let node = this.stackNode.get(id);
    if (node !== undefined) return node;
    node = 0;
    const frames = this.stacks.leaf(id, STACK_FRAMES).filter((f) => f.func !== '');
    for (let i = frames.length - 1; i >= 0; i--) {
      const f = frames[i]!;
      const key = `${node}\0${f.func}\0${frameWhere(f)}`;
      let n = this.frameNode.get(key);
      if (n === undefined) {
        this.frameNode.set(key, (n = this.frameNode.size + 1));
        this.frameList.push({ name: `${f.func} ${frameWhere(f)}`, parent: node });
      }
      node = n;
    }
    this.stackNode.set(id, node);
    return node;
  }

  /** A goroutine's slice name, JSON-quoted (made once per goroutine). */
  private runName(g: number): string {
    let q = this.quoted.get(g);
    if (q === undefined) {
      const name = this.names.name(g);
      this.quoted.set(g, (q = JSON.stringify(name ? `G${g} ${name}` : `G${g}`)));
    }
    return q;
  }

  begin(startNs: number): void {
    this.origin = startNs;
  }

  run(p: number, g: number, start: number, end: number, endStack: number): void {
    if (p > this.maxP) this.maxP = p;
    // Written by hand, not by JSON.stringify: runs and counters are most of the output.
    const esf = endStack ? this.stack(endStack) : 0;
    this.out(`,\n{"name":${this.runName(g)},"ph":"X","ts":${this.ts(start)},"dur":${(end - start) / 1e3},"pid":${PROCS},"tid":${p}${esf ? `,"esf":${esf}` : ''},"args":{"goroutine":${g}}}`);
    this.written.runs++;
  }

  syscall(p: number, g: number, start: number, end: number, blocked: boolean): void {
    this.event({ name: 'syscall', ph: 'X', ts: this.ts(start), dur: (end - start) / 1e3, pid: PROCS, tid: p, args: { goroutine: g, blocked: blocked ? 'yes' : 'no' } });
    this.written.syscalls++;
  }

  counts(t: number, c: Readonly<TimelineCounts>): void {
    const now = [c.alive, c.runnable, c.netWaiting, c.threadsRunning, c.inSyscall];
    const last = this.lastCounts;
    if (now[0] !== last[0] || now[1] !== last[1] || now[2] !== last[2]) {
      this.out(`,\n{"name":"Goroutines","ph":"C","ts":${this.ts(t)},"pid":${STATS},"tid":0,"args":{"alive":${c.alive},"runnable":${c.runnable},"waiting on network":${c.netWaiting}}}`);
      this.written.counters++;
    }
    if (now[3] !== last[3] || now[4] !== last[4]) {
      this.event({ name: 'Threads', ph: 'C', ts: this.ts(t), pid: STATS, tid: 0, args: { 'running Go code': c.threadsRunning, 'in syscalls': c.inSyscall } });
      this.written.counters++;
    }
    for (let i = 0; i < now.length; i++) last[i] = now[i]!;
  }

  heap(t: number, bytes: number, goalBytes: number): void {
    this.event({ name: 'Heap', ph: 'C', ts: this.ts(t), pid: STATS, tid: 0, args: { 'heap objects (bytes)': bytes, 'goal (bytes)': goalBytes } });
    this.written.counters++;
  }

  range(lane: RangeLane, name: string, start: number, end: number): void {
    this.event({ name: lane === 'GC' ? 'GC' : name, ph: 'X', ts: this.ts(start), dur: (end - start) / 1e3, pid: PROCS, tid: CHROME_TRACKS[lane] });
    this.written.ranges++;
  }

  sample(p: number, g: number, t: number, stack: number): void {
    if (p < 0) return;
    this.event({ name: 'CPU profile sample', ph: 'i', s: 't', ts: this.ts(t), pid: PROCS, tid: p, ...(stack ? { sf: this.stack(stack) } : {}), args: { goroutine: g } });
    this.written.samples++;
  }

  /**
   * The findings, numbered as analyze numbers them, over their time (a finding
   * with no time of its own, such as a leak, spans the trace), then the track
   * names and the end of the document.
   */
  finish(findings: readonly Finding[], endNs: number): void {
    findings.forEach((f, i) => {
      const start = f.startNs ?? this.origin;
      const end = f.startNs !== undefined ? start + (f.durationNs ?? 0) : endNs;
      const args: Record<string, unknown> = { finding: i + 1, kind: f.kind, severity: f.severity, detail: f.detail };
      if (f.p !== undefined && f.p >= 0) args['P'] = f.p;
      if (f.goroutine !== undefined && f.goroutine >= 0) args['goroutine'] = f.goroutine;
      if (f.stack.length) args['stack'] = f.stack.slice(0, STACK_FRAMES).map((fr) => `${fr.func} ${frameWhere(fr)}`).join('\n');
      this.event({ name: `${i + 1}. ${f.title}`, ph: 'X', ts: this.ts(start), dur: (end - start) / 1e3, pid: PROCS, tid: CHROME_TRACKS.findings, args });
      this.written.findings++;
    });
    for (let p = 0; p <= this.maxP; p++) {
      this.meta(PROCS, p, 'thread_name', { name: `Proc ${p}` });
      this.meta(PROCS, p, 'thread_sort_index', { sort_index: p });
    }
    for (const { tid, name, sort } of TRACK_NAMES) {
      this.meta(PROCS, tid, 'thread_name', { name });
      this.meta(PROCS, tid, 'thread_sort_index', { sort_index: sort });
    }
    // The stack nodes, by number: {"1": {"name": …}, "2": {"name": …, "parent": "1"}, …}.
    this.out('\n],"stackFrames":{');
    this.frameList.forEach((f, i) => this.out(`${i ? ',' : ''}\n${JSON.stringify(String(i + 1))}:${JSON.stringify(f.parent ? { name: f.name, parent: String(f.parent) } : { name: f.name })}`));
    this.out('\n}}\n');
  }
}
