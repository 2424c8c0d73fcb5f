/**
 * Go 1.11–1.21 execution traces (format v1: headers "go 1.11", "go 1.19",
 * "go 1.21"): a faithful port of Go's internal/trace/internal/tracev1
 * (parser.go, order.go). Index the batches, merge the per-P streams by
 * goroutine sequence numbers and time, fix up syscall exits, convert ticks to
 * ns, validate. Same decisions and same error texts as Go; reader-v1.ts then
 * converts the result into the v2 vocabulary.
 *
 * Memory: the whole file is held (the clock frequency and the stack table are
 * in the footer, and ordering needs every batch), as in Go. The merged events
 * live in typed arrays: 6 float64 + 3 small integer columns, 57 bytes per
 * event, sized once from the batch index (an upper bound: it counts batch
 * headers and footer records too).
 */
import type { PcFrame } from '../v2/tables.js';
import { goQuote } from '../format-go.js';
import { NONE, uvarint, uvarintEnd } from '../../../io/uvarint.js';
import { argNum, EvV1, GCP, NetpollP, ProfileP, SPECS_V1, SyscallP, TimerP } from './spec.js';

/** What every v1 error adds: why nothing before the damage is kept. */
export const NO_SALVAGE =
  'a Go 1.11–1.21 trace is ordered and timed as a whole, so nothing of a damaged one can be salvaged; Go rejects it too';

/** Go's error text, with the byte offset when the problem is at a place in the file. */
export class V1Error extends Error {
  constructor(
    message: string,
    readonly offset?: number,
  ) {
    super(message);
  }
}
const EOF = Symbol('EOF');
const MALFORMED = 'malformatted base-128 varint';
const TIME_ORDER = 'time stamps out of order';

/** 2^64-1 on the wire (P -1, "no task", …) decodes to -1, so uint64 wrap-around arithmetic (+1 → 0) still holds. */
export const U64_MAX = NONE;

/** Go's int32(uint64) conversion, for P IDs. */
const int32 = (v: number): number =>
  v === U64_MAX ? -1 : v >= 0 && v <= 0x7fffffff ? v : Number(BigInt.asIntN(32, BigInt(Math.trunc(v))));
/** Go's uint32(uint64) conversion, for stack IDs. */
const uint32 = (v: number): number =>
  v === U64_MAX ? 0xffffffff : v >= 0 && v <= 0xffffffff ? v : Number(BigInt.asUintN(32, BigInt(Math.trunc(v))));

/** One parsed v1 event (tracev1.Event): used within a batch and in the merge frontier. */
class V1Event {
  ts = 0;
  g = 0;
  a0 = 0;
  a1 = 0;
  a2 = 0;
  a3 = 0;
  stk = 0;
  p = 0;
  type = 0;
  /** Byte offset of the event in the data, for errors. */
  off = 0;
}

/** The merged events, one column per field (tracev1.Events); sized up front, grown by doubling only if that was short. */
export class EventColumns {
  n = 0;
  ts: Float64Array;
  g: Float64Array;
  a0: Float64Array;
  a1: Float64Array;
  a2: Float64Array;
  a3: Float64Array;
  stk: Uint32Array;
  p: Int32Array;
  type: Uint8Array;
  /** Byte offsets in the data (errors found after the merge name where the event is). */
  off: Float64Array;

  constructor(capacity: number) {
    const c = Math.max(16, capacity);
    this.ts = new Float64Array(c);
    this.g = new Float64Array(c);
    this.a0 = new Float64Array(c);
    this.a1 = new Float64Array(c);
    this.a2 = new Float64Array(c);
    this.a3 = new Float64Array(c);
    this.stk = new Uint32Array(c);
    this.p = new Int32Array(c);
    this.type = new Uint8Array(c);
    this.off = new Float64Array(c);
  }

  push(e: V1Event): void {
    if (this.n === this.ts.length) this.grow();
    const i = this.n++;
    this.ts[i] = e.ts;
    this.g[i] = e.g;
    this.a0[i] = e.a0;
    this.a1[i] = e.a1;
    this.a2[i] = e.a2;
    this.a3[i] = e.a3;
    this.stk[i] = e.stk;
    this.p[i] = e.p;
    this.type[i] = e.type;
    this.off[i] = e.off;
  }
  private grow(): void {
    const cap = this.ts.length * 2;
    const f = (a: Float64Array): Float64Array => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    this.ts = f(this.ts);
    this.g = f(this.g);
    this.a0 = f(this.a0);
    this.a1 = f(this.a1);
    this.a2 = f(this.a2);
    this.a3 = f(this.a3);
    this.off = f(this.off);
    const stk = new Uint32Array(cap);
    stk.set(this.stk);
    this.stk = stk;
    const p = new Int32Array(cap);
    p.set(this.p);
    this.p = p;
    const type = new Uint8Array(cap);
    type.set(this.type);
    this.type = type;
  }
  arg(i: number, k: number): number {
    return k === 0 ? this.a0[i]! : k === 1 ? this.a1[i]! : k === 2 ? this.a2[i]! : this.a3[i]!;
  }
  /**
   * Go's stable sort by time (sort.Stable), given that only the events at
   * `moved` changed time since the columns were last sorted: the others are
   * still in order, so one merge of the two runs, ties going to the earlier
   * index, gives exactly the stable order.
   */
  stableSortByTime(moved: readonly number[]): void {
    if (moved.length === 0) return;
    const ts = this.ts;
    const m = moved.slice().sort((x, y) => ts[x]! - ts[y]! || x - y);
    const isMoved = new Uint8Array(this.n);
    for (const i of m) isMoved[i] = 1;
    const idx = new Uint32Array(this.n);
    let k = 0;
    let j = 0;
    for (let i = 0; i < this.n; i++) {
      if (isMoved[i]) continue;
      while (j < m.length && (ts[m[j]!]! < ts[i]! || (ts[m[j]!]! === ts[i]! && m[j]! < i))) idx[k++] = m[j++]!;
      idx[k++] = i;
    }
    while (j < m.length) idx[k++] = m[j++]!;
    // Apply the permutation in place, cycle by cycle (no second copy of the columns).
    const { g, a0, a1, a2, a3, stk, p, type, off } = this;
    const done = isMoved.fill(0);
    for (let start = 0; start < this.n; start++) {
      if (done[start] || idx[start] === start) continue;
      const t0 = ts[start]!, g0 = g[start]!, x0 = a0[start]!, x1 = a1[start]!, x2 = a2[start]!, x3 = a3[start]!;
      const s0 = stk[start]!, p0 = p[start]!, y0 = type[start]!, o0 = off[start]!;
      let j = start;
      for (;;) {
        done[j] = 1;
        const k = idx[j]!; // position j takes the event now at k
        if (k === start) {
          ts[j] = t0; g[j] = g0; a0[j] = x0; a1[j] = x1; a2[j] = x2; a3[j] = x3; stk[j] = s0; p[j] = p0; type[j] = y0; off[j] = o0;
          break;
        }
        ts[j] = ts[k]!; g[j] = g[k]!; a0[j] = a0[k]!; a1[j] = a1[k]!; a2[j] = a2[k]!; a3[j] = a3[k]!;
        stk[j] = stk[k]!; p[j] = p[k]!; type[j] = type[k]!; off[j] = off[k]!;
        j = k;
      }
    }
  }

  /** tracev1 Event.String(), for error messages. */
  describe(i: number): string {
    const spec = SPECS_V1[this.type[i]!]!;
    let s = `${this.ts[i]} ${spec.name} p=${this.p[i]} g=${this.g[i]} stk=${this.stk[i]}`;
    spec.args.forEach((a, k) => (s += ` ${a}=${this.arg(i, k)}`));
    return s;
  }
}

interface RawEvent {
  typ: number;
  /** Decoded wire arguments: args[0 … nargs-1] (a shared buffer: at most 2048 bytes of varints). */
  args: Float64Array;
  nargs: number;
  /** UserLog's inline value string. */
  sarg: string;
  batchPid: number;
  batchOffset: number;
}

interface BatchOffset {
  offset: number;
  numEvents: number;
}

/** A P's stream in the merge: its current batch (events[next … n-1]) and its event in the frontier. */
interface Proc {
  pid: number;
  /** Reused from batch to batch (Go's proc.buf): only `n` are valid. */
  events: V1Event[];
  n: number;
  next: number;
  done: boolean;
  /** The event this P has in the frontier (at most one). */
  head: V1Event | null;
}

// Goroutine ordering states and sentinels (order.go).
const gDead = 0;
const gRunnable = 1;
const gRunning = 2;
const gWaiting = 3;
const UNORDERED = -1; // ^uint64(0)
const GARBAGE = -2; // ^uint64(0) - 1
const NOSEQ = -1;
const SEQINC = -2;

const SKIP_ARGS = 1;
const SKIP_STRINGS = 2;

// stateTransition's results, in module variables to avoid allocating per event.
let trG = 0;
let initSeq = 0;
let initStatus = 0;
let nextSeq = 0;
let nextStatus = 0;

function set(g: number, seq: number, status: number, seqAfter: number, statusAfter: number): void {
  trG = g;
  initSeq = seq;
  initStatus = status;
  nextSeq = seqAfter;
  nextStatus = statusAfter;
}

/**
 * order.go stateTransition: the goroutine an event orders against, the
 * sequence number and status it needs, and those it leaves (set(g, seq,
 * status, seqAfter, statusAfter)).
 */
function stateTransition(ev: V1Event): void {
  switch (ev.type) {
    case EvV1.GoCreate: return set(ev.a0, 0, gDead, 1, gRunnable);
    case EvV1.GoWaiting:
    case EvV1.GoInSyscall: return set(ev.g, 1, gRunnable, 2, gWaiting);
    case EvV1.GoStart:
    case EvV1.GoStartLabel: return set(ev.g, ev.a1, gRunnable, ev.a1 + 1, gRunning);
    case EvV1.GoStartLocal: return set(ev.g, NOSEQ, gRunnable, SEQINC, gRunning);
    case EvV1.GoBlock:
    case EvV1.GoBlockSend:
    case EvV1.GoBlockRecv:
    case EvV1.GoBlockSelect:
    case EvV1.GoBlockSync:
    case EvV1.GoBlockCond:
    case EvV1.GoBlockNet:
    case EvV1.GoSleep:
    case EvV1.GoSysBlock:
    case EvV1.GoBlockGC: return set(ev.g, NOSEQ, gRunning, NOSEQ, gWaiting);
    case EvV1.GoSched:
    case EvV1.GoPreempt: return set(ev.g, NOSEQ, gRunning, NOSEQ, gRunnable);
    case EvV1.GoUnblock:
    case EvV1.GoSysExit: return set(ev.a0, ev.a1, gWaiting, ev.a1 + 1, gRunnable);
    case EvV1.GoUnblockLocal:
    case EvV1.GoSysExitLocal: return set(ev.a0, NOSEQ, gWaiting, SEQINC, gRunnable);
    case EvV1.GCStart: return set(GARBAGE, ev.a0, gDead, ev.a0 + 1, gDead);
    default:
      return set(UNORDERED, 0, gDead, 0, gDead);
  }
}

interface GState {
  seq: number;
  status: number;
}

function transitionReady(g: number, curr: GState | undefined, seq: number, status: number): boolean {
  return g === UNORDERED || ((seq === NOSEQ || seq === (curr?.seq ?? 0)) && status === (curr?.status ?? gDead));
}

/**
 * Min-heap of Ps by the time of their frontier event, with Go's exact sift
 * rules (so equal times pop in Go's order for the same pushes). Each P has at
 * most one event in the frontier, so the heap holds Ps: nothing to allocate.
 */
class Frontier {
  readonly items: Proc[] = [];
  get length(): number {
    return this.items.length;
  }
  private less(i: number, j: number): boolean {
    return this.items[i]!.head!.ts < this.items[j]!.head!.ts;
  }
  private swap(i: number, j: number): void {
    const h = this.items;
    const t = h[i]!;
    h[i] = h[j]!;
    h[j] = t;
  }
  push(x: Proc): void {
    this.items.push(x);
    let j = this.items.length - 1;
    for (;;) {
      const i = Math.trunc((j - 1) / 2);
      if (i === j || !this.less(j, i)) break;
      this.swap(i, j);
      j = i;
    }
  }
  pop(): Proc {
    const n = this.items.length - 1;
    this.swap(0, n);
    let i = 0;
    for (;;) {
      const j1 = 2 * i + 1;
      if (j1 >= n) break;
      let j = j1;
      const j2 = j1 + 1;
      if (j2 < n && this.less(j2, j1)) j = j2;
      if (!this.less(j, i)) break;
      this.swap(i, j);
      i = j;
    }
    return this.items.pop()!;
  }
}


const utf8 = new TextDecoder('utf-8', { fatal: false });

/** internal/trace/internal/tracev1 parser: the whole file → ordered, validated events. */
export class V1Parser {
  off = 0;
  readonly strings = new Map<number, string>();
  readonly inlineStrings: string[] = [];
  private readonly inlineStringsMapping = new Map<string, number>();
  /** Batches of each P in file order; the Map keeps the Ps in first-seen order. */
  private readonly batchOffsets = new Map<number, BatchOffset[]>();
  /** Per P, the index of its next batch to load. */
  private readonly batchNext = new Map<number, number>();
  readonly stacks = new Map<number, number[]>();
  ticksPerSec = 0;
  readonly pcs = new Map<number, PcFrame>();
  private cpuSamples: V1Event[] = [];
  private readonly timerGoids = new Set<number>();
  private readonly args = new Float64Array(2048 + 2);
  private lastTs = 0;
  private lastG = 0;
  private readonly lastGs = new Map<number, number>();
  private lastP = 0;

  constructor(
    private readonly data: Uint8Array,
    private readonly ver: number,
  ) {}

  parse(): EventColumns {
    this.collectBatchesAndCPUSamples();
    const events = this.parseEventBatches();
    if (this.ticksPerSec === 0) throw new V1Error('no EvFrequency event');
    if (events.n > 0) {
      // Ticks → ns, relative to the first event; timers and syscall exits to their fake Ps.
      const minTs = events.ts[0]!;
      const freq = 1e9 / this.ticksPerSec;
      for (let i = 0; i < events.n; i++) {
        events.ts[i] = Math.trunc((events.ts[i]! - minTs) * freq);
        if (this.timerGoids.size > 0 && this.timerGoids.has(events.g[i]!) && events.type[i] === EvV1.GoUnblock) events.p[i] = TimerP;
        if (events.type[i] === EvV1.GoSysExit) events.p[i] = SyscallP;
      }
    }
    this.postProcessTrace(events);
    return events;
  }

  private readVal(): number {
    const v = uvarint(this.data, this.off);
    if (v < NONE) throw new V1Error(MALFORMED, this.off);
    this.off = uvarintEnd;
    return v;
  }

  private discard(n: number): boolean {
    if (n === U64_MAX || n > Number.MAX_SAFE_INTEGER) return false;
    const noff = this.off + n;
    if (noff > this.data.length) return false;
    this.off = noff;
    return true;
  }

  private readFull(n: number, what: string): Uint8Array {
    if (this.off >= this.data.length || n === U64_MAX || this.off + n > this.data.length) {
      throw new V1Error(`${what}unexpected EOF`, this.off);
    }
    const buf = this.data.subarray(this.off, this.off + n);
    this.off += n;
    return buf;
  }

  /** readRawEvent: one wire event; EOF at the end of the data (and, as in Go, on some short skips). */
  private readRawEvent(flags: number, ev: RawEvent): typeof EOF | undefined {
    if (this.off >= this.data.length) return EOF;
    const start = this.off;
    const b = this.data[this.off++]!;
    const typ = b & 0x3f;
    const narg = (b >> 6) + 1;
    if (typ === EvV1.None || typ >= EvV1.Count || SPECS_V1[typ]!.minVersion > this.ver) {
      throw new V1Error(`unknown event type ${typ}`, start);
    }
    ev.sarg = '';
    switch (typ) {
      case EvV1.String: {
        if (flags & SKIP_STRINGS) {
          const at = this.off;
          if (uvarint(this.data, this.off) < NONE) throw new V1Error(MALFORMED, at);
          this.off = uvarintEnd;
          const ln = this.readVal();
          if (!this.discard(ln)) throw new V1Error('failed to read trace: EOF', this.off);
        } else {
          const id = this.readVal();
          if (id === 0) throw new V1Error('string has invalid id 0', start);
          if ((this.strings.get(id) ?? '') !== '') throw new V1Error(`string has duplicate id ${id}`, start);
          const ln = this.readVal();
          if (ln === 0) throw new V1Error('string has invalid length 0', start);
          if (ln === U64_MAX || ln > 1e6) throw new V1Error(`string has too large length ${fmtU64(ln)}`, start);
          this.strings.set(id, utf8.decode(this.readFull(ln, 'failed to read trace: ')));
        }
        ev.typ = EvV1.None;
        return undefined;
      }
      case EvV1.Batch: {
        if (narg !== 2) throw new V1Error(`EvBatch has wrong number of arguments: got ${narg}, want 2`, start);
        const pid = this.readVal();
        if (pid !== U64_MAX && pid > 0x7fffffff) {
          throw new V1Error(`processor ID ${pid} is larger than maximum of 18446744073709551615`, start);
        }
        const v = this.readVal();
        ev.typ = EvV1.Batch;
        ev.args = this.args;
        ev.args[0] = pid;
        ev.args[1] = v;
        ev.nargs = 2;
        ev.batchPid = pid === U64_MAX ? -1 : pid;
        ev.batchOffset = start;
        return undefined;
      }
      default: {
        ev.typ = typ;
        ev.args = this.args;
        ev.nargs = 0;
        if (narg <= 3) {
          for (let i = 0; i < narg; i++) {
            const at = this.off;
            const v = uvarint(this.data, this.off);
            if (v < NONE) throw new V1Error(`failed to read event ${typ} argument: ${MALFORMED}`, at);
            this.off = uvarintEnd;
            if (!(flags & SKIP_ARGS)) ev.args[ev.nargs++] = v;
          }
        } else {
          // The first value is the byte length of the arguments.
          const at = this.off;
          const v = uvarint(this.data, this.off);
          if (v < NONE) throw new V1Error(`failed to read event ${typ} argument: ${MALFORMED}`, at);
          this.off = uvarintEnd;
          if (v === U64_MAX || v > 2048) {
            throw new V1Error(`failed to read event ${typ} argument: length-prefixed argument too big: ${fmtU64(v)} bytes, limit is 2048`, at);
          }
          if (!(flags & SKIP_ARGS) || typ === EvV1.CPUSample) {
            const buf = this.readFull(v, 'failed to read trace: ');
            let pos = 0;
            while (pos < buf.length) {
              const x = uvarint(buf, pos);
              if (x < NONE) throw new V1Error(MALFORMED, this.off - buf.length + pos);
              pos = uvarintEnd;
              ev.args[ev.nargs++] = x;
            }
          } else if (!this.discard(v)) {
            throw new V1Error('failed to read trace: EOF', this.off);
          }
          if (typ === EvV1.UserLog) {
            // The value string follows the length-prefixed arguments.
            if (!(flags & SKIP_ARGS)) {
              ev.sarg = this.readStr();
            } else {
              const sz = this.readVal();
              if (!this.discard(sz)) return EOF; // Go returns a bare io.EOF here: the read just ends.
            }
          }
        }
        return undefined;
      }
    }
  }

  private readStr(): string {
    const sz = this.readVal();
    if (sz === 0) return '';
    if (sz === U64_MAX || sz > 1e6) throw new V1Error(`string is too large (len=${fmtU64(sz)})`, this.off);
    return utf8.decode(this.readFull(sz, 'failed to read trace: '));
  }

  /** First pass: where each P's batches are, and the CPU samples (kept apart until the merge). */
  private collectBatchesAndCPUSamples(): void {
    const raw: RawEvent = { typ: 0, args: this.args, nargs: 0, sarg: '', batchPid: 0, batchOffset: 0 };
    let curP = 0;
    for (;;) {
      if (this.readRawEvent(SKIP_ARGS | SKIP_STRINGS, raw) === EOF) break;
      if (raw.typ === EvV1.None) continue;
      if (raw.typ === EvV1.Batch) {
        let list = this.batchOffsets.get(raw.batchPid);
        if (!list) this.batchOffsets.set(raw.batchPid, (list = []));
        list.push({ offset: raw.batchOffset, numEvents: 0 });
        curP = raw.batchPid;
      }
      const batches = this.batchOffsets.get(curP);
      if (!batches || batches.length === 0) {
        throw new V1Error(`read event ${raw.typ} with current P of ${curP}, but P has no batches yet`, this.off);
      }
      batches[batches.length - 1]!.numEvents++;
      if (raw.typ === EvV1.CPUSample) {
        const narg = argNum(raw.typ);
        if (raw.nargs !== narg) {
          throw new V1Error(`CPU sample has wrong number of arguments: want ${narg}, got ${raw.nargs}`, this.off);
        }
        // [dt, real ts, P, G, stack]: the time is the one taken in the signal handler.
        const e = new V1Event();
        e.type = EvV1.CPUSample;
        e.ts = raw.args[1]!;
        e.p = int32(raw.args[2]!);
        e.g = raw.args[3]!;
        e.stk = uint32(raw.args[4]!);
        this.cpuSamples.push(e);
      }
    }
  }

  /** Second pass: merge the per-P streams into one consistent order (parseEventBatches). */
  private parseEventBatches(): EventColumns {
    this.cpuSamples.sort((a, b) => a.ts - b.ts);
    // Go walks its batch map in random order; we take the Ps in first-seen order.
    const proc = (pid: number): Proc => ({ pid, events: [], n: 0, next: 0, done: false, head: null });
    const allProcs: Proc[] = [...this.batchOffsets.keys()].map(proc);
    const profile = proc(ProfileP);
    profile.events = this.cpuSamples;
    profile.n = this.cpuSamples.length;
    allProcs.push(profile);
    // Every event the batches can yield (an upper bound: it counts headers and footer records too).
    let capacity = this.cpuSamples.length;
    for (const list of this.batchOffsets.values()) for (const b of list) capacity += b.numEvents;
    const events = new EventColumns(capacity);
    const gs = new Map<number, GState>();
    const frontier = new Frontier();
    const available = allProcs.slice();
    for (;;) {
      pidLoop: for (let i = 0; i < available.length; i++) {
        const proc = available[i]!;
        while (proc.next >= proc.n) {
          // In a loop: batches may be empty.
          if (!this.loadBatch(proc)) {
            proc.done = true;
            available[i] = available[available.length - 1]!;
            available[available.length - 1] = proc;
            available.pop();
            i--;
            continue pidLoop;
          }
        }
        const ev = proc.events[proc.next]!;
        stateTransition(ev);
        if (!transitionReady(trG, gs.get(trG), initSeq, initStatus)) continue;
        proc.next++;
        available[i] = available[available.length - 1]!;
        available[available.length - 1] = proc;
        available.pop();
        proc.head = ev;
        frontier.push(proc);
        i--;
      }
      if (frontier.length === 0) {
        const stuck = allProcs.find((p) => !p.done);
        if (stuck) throw new V1Error('no consistent ordering of events possible', stuck.events[stuck.next]?.off);
        break;
      }
      const f = frontier.pop();
      const ev = f.head!;
      stateTransition(ev);
      // "Local" events only matter for ordering.
      if (ev.type === EvV1.GoStartLocal) ev.type = EvV1.GoStart;
      else if (ev.type === EvV1.GoUnblockLocal) ev.type = EvV1.GoUnblock;
      else if (ev.type === EvV1.GoSysExitLocal) ev.type = EvV1.GoSysExit;
      events.push(ev);
      if (trG !== UNORDERED) {
        let curr = gs.get(trG);
        if (!transitionReady(trG, curr, initSeq, initStatus)) throw new V1Error('encountered impossible goroutine state transition', ev.off);
        if (!curr) gs.set(trG, (curr = { seq: 0, status: gDead }));
        curr.seq = nextSeq === NOSEQ ? curr.seq : nextSeq === SEQINC ? curr.seq + 1 : nextSeq;
        curr.status = nextStatus;
      }
      f.head = null;
      available.push(f);
    }
    for (let i = 1; i < events.n; i++) if (events.ts[i]! < events.ts[i - 1]!) throw new V1Error(TIME_ORDER, events.off[i]);

    // A GoSysExit's real time is when the syscall returned, which may be long
    // before the event was written: apply it now, then sort again.
    const lastSysBlock = new Map<number, number>();
    const moved: number[] = [];
    for (let i = 0; i < events.n; i++) {
      const t = events.type[i];
      if (t === EvV1.GoSysBlock || t === EvV1.GoInSyscall) {
        lastSysBlock.set(events.g[i]!, events.ts[i]!);
      } else if (t === EvV1.GoSysExit) {
        const ts = events.a2[i]!;
        if (ts === 0) continue;
        const block = lastSysBlock.get(events.g[i]!) ?? 0;
        if (block === 0) throw new V1Error('stray syscall exit', events.off[i]);
        if (ts < block) throw new V1Error(TIME_ORDER, events.off[i]);
        if (ts !== events.ts[i]) moved.push(i);
        events.ts[i] = ts;
      }
    }
    events.stableSortByTime(moved);
    return events;
  }

  /** Loads P proc's next batch into its event buffer; false when it has no more (Go's io.EOF). */
  private loadBatch(proc: Proc): boolean {
    const offsets = this.batchOffsets.get(proc.pid);
    const at0 = this.batchNext.get(proc.pid) ?? 0;
    if (!offsets || at0 >= offsets.length) return false;
    this.batchNext.set(proc.pid, at0 + 1);
    this.off = offsets[at0]!.offset;
    const pool = proc.events;
    proc.n = 0;
    proc.next = 0;
    let gotHeader = false;
    const raw: RawEvent = { typ: 0, args: this.args, nargs: 0, sarg: '', batchPid: 0, batchOffset: 0 };
    for (;;) {
      const at = this.off;
      if (this.readRawEvent(0, raw) === EOF) break;
      if (raw.typ === EvV1.None || raw.typ === EvV1.CPUSample) continue;
      if (raw.typ === EvV1.Batch) {
        if (gotHeader) break;
        gotHeader = true;
      }
      const ev = pool[proc.n] ?? (pool[proc.n] = new V1Event());
      ev.off = at;
      if (this.parseEvent(raw, at, ev)) proc.n++;
    }
    return true;
  }

  /** parseEvent: arity checks, footer records, and a timed event with its P, G and absolute ticks. */
  private parseEvent(raw: RawEvent, at: number, ev: V1Event): boolean {
    const desc = SPECS_V1[raw.typ]!;
    const nargs = raw.nargs;
    const narg = raw.typ === EvV1.Stack ? nargs : argNum(raw.typ);
    if (nargs !== narg) {
      throw new V1Error(`${desc.name} has wrong number of arguments: want ${narg}, got ${nargs}`, at);
    }
    const args = raw.args;
    switch (raw.typ) {
      case EvV1.Batch:
        this.lastGs.set(this.lastP, this.lastG);
        if (args[0] !== U64_MAX && args[0]! > 0x7fffffff) {
          throw new V1Error(`processor ID ${args[0]} is larger than maximum of 2147483647`, at);
        }
        this.lastP = args[0] === U64_MAX ? -1 : args[0]!;
        this.lastG = this.lastGs.get(this.lastP) ?? 0;
        this.lastTs = args[1]!;
        return false;
      case EvV1.Frequency:
        this.ticksPerSec = args[0]!;
        // Most likely tick skew between CPUs.
        if (this.ticksPerSec <= 0 || this.ticksPerSec >= 2 ** 63) throw new V1Error(TIME_ORDER, at);
        return false;
      case EvV1.TimerGoroutine:
        this.timerGoids.add(args[0]!);
        return false;
      case EvV1.Stack: {
        if (nargs < 2) throw new V1Error(`EvStack has wrong number of arguments: want at least 2, got ${nargs}`, at);
        const size = args[1]!;
        if (size === U64_MAX || size > 1000) throw new V1Error(`EvStack has bad number of frames: ${fmtU64(size)}`, at);
        const want = 2 + 4 * size;
        if (nargs !== want) throw new V1Error(`EvStack has wrong number of arguments: want ${want}, got ${nargs}`, at);
        const id = uint32(args[0]!);
        if (id !== 0 && size > 0) {
          const stk: number[] = new Array<number>(size);
          for (let i = 0; i < size; i++) {
            const pc = args[2 + i * 4]!;
            stk[i] = pc;
            if (!this.pcs.has(pc)) {
              this.pcs.set(pc, { pc, fn: args[3 + i * 4]!, file: args[4 + i * 4]!, line: args[5 + i * 4]! });
            }
          }
          this.stacks.set(id, stk);
        }
        return false;
      }
      case EvV1.CPUSample:
        return false; // taken in the first pass
    }
    ev.a0 = ev.a1 = ev.a2 = ev.a3 = 0;
    ev.stk = 0;
    ev.type = raw.typ;
    ev.p = this.lastP;
    ev.g = this.lastG;
    ev.ts = this.lastTs + args[0]!;
    this.lastTs = ev.ts;
    for (let i = 1; i < narg; i++) {
      const v = args[i]!;
      if (i === narg - 1 && desc.stack) ev.stk = uint32(v);
      else if (i === 1) ev.a0 = v;
      else if (i === 2) ev.a1 = v;
      else if (i === 3) ev.a2 = v;
      else ev.a3 = v;
    }
    switch (raw.typ) {
      case EvV1.GoStart:
      case EvV1.GoStartLocal:
      case EvV1.GoStartLabel:
        this.lastG = ev.a0;
        ev.g = ev.a0;
        break;
      case EvV1.GoEnd:
      case EvV1.GoStop:
      case EvV1.GoSched:
      case EvV1.GoPreempt:
      case EvV1.GoSleep:
      case EvV1.GoBlock:
      case EvV1.GoBlockSend:
      case EvV1.GoBlockRecv:
      case EvV1.GoBlockSelect:
      case EvV1.GoBlockSync:
      case EvV1.GoBlockCond:
      case EvV1.GoBlockNet:
      case EvV1.GoSysBlock:
      case EvV1.GoBlockGC:
        this.lastG = 0;
        break;
      case EvV1.GoSysExit:
      case EvV1.GoWaiting:
      case EvV1.GoInSyscall:
        ev.g = ev.a0;
        break;
      case EvV1.UserLog: {
        // The inline value string gets an index of its own (args: task, key, -, value).
        const s = raw.sarg;
        let id = this.inlineStringsMapping.get(s);
        if (id === undefined) {
          id = this.inlineStrings.length;
          this.inlineStringsMapping.set(s, id);
          this.inlineStrings.push(s);
        }
        ev.a3 = id;
        break;
      }
    }
    return true;
  }

  /**
   * postProcessTrace: the stream must make sense (a P runs one G, a G blocks
   * before it is unblocked, GCs and STWs do not nest, regions match). Also
   * moves network unblocks and GC starts to their fake Ps, gives GoStart the
   * creation stack, and drops stack IDs that name no stack.
   */
  private postProcessTrace(events: EventColumns): void {
    // Its checks throw without an offset: the event being checked is where the trace is wrong.
    const cursor = { i: 0 };
    try {
      this.checkEvents(events, cursor);
    } catch (err) {
      if (err instanceof V1Error && err.offset === undefined) throw new V1Error(err.message, events.off[cursor.i]);
      throw err;
    }
  }

  private checkEvents(events: EventColumns, cursor: { i: number }): void {
    interface GDesc {
      state: number;
      ev: number;
      evStart: number;
      evCreate: number;
      evMarkAssist: number;
    }
    interface PDesc {
      running: boolean;
      g: number;
      evSweep: number;
    }
    const newG = (): GDesc => ({ state: gDead, ev: -1, evStart: -1, evCreate: -1, evMarkAssist: -1 });
    const gs = new Map<number, GDesc>();
    const ps = new Map<number, PDesc>();
    // A G or P seen for the first time starts at the zero state (Go's zero-valued map entry). It is stored
    // at once, so changes to it need no write-back; a read of an unknown one that is not written back in Go
    // always ends in an error, so storing it early changes nothing.
    const getG = (id: number): GDesc => {
      let g = gs.get(id);
      if (!g) gs.set(id, (g = newG()));
      return g;
    };
    const getP = (id: number): PDesc => {
      let p = ps.get(id);
      if (!p) ps.set(id, (p = { running: false, g: 0, evSweep: -1 }));
      return p;
    };
    const tasks = new Map<number, number>();
    const activeRegions = new Map<number, number[]>();
    gs.set(0, { ...newG(), state: gRunning });
    let evGC = -1;
    let evSTW = -1;
    const { ts, type, p: P, g: G } = events;

    const checkRunning = (p: PDesc, g: GDesc, i: number, allowG0: boolean): void => {
      const name = SPECS_V1[type[i]!]!.name;
      if (g.state !== gRunning) throw new V1Error(`g ${G[i]} is not running while ${name} (time ${ts[i]})`);
      if (p.g !== G[i]) throw new V1Error(`p ${P[i]} is not running g ${G[i]} while ${name} (time ${ts[i]})`);
      if (!allowG0 && G[i] === 0) throw new V1Error(`g 0 did ${name} (time ${ts[i]})`);
    };

    for (let i = 0; i < events.n; i++) {
      cursor.i = i;
      const t = type[i]!;
      const evG = G[i]!;
      const evP = P[i]!;
      switch (t) {
        case EvV1.ProcStart: {
          const p = getP(evP);
          if (p.running) throw new V1Error(`p ${evP} is running before start (time ${ts[i]})`);
          p.running = true;
          break;
        }
        case EvV1.ProcStop: {
          const p = getP(evP);
          if (!p.running) throw new V1Error(`p ${evP} is not running before stop (time ${ts[i]})`);
          if (p.g !== 0) throw new V1Error(`p ${evP} is running a goroutine ${p.g} during stop (time ${ts[i]})`);
          p.running = false;
          break;
        }
        case EvV1.GCStart:
          if (evGC !== -1) throw new V1Error(`previous GC is not ended before a new one (time ${ts[i]})`);
          evGC = i;
          P[i] = GCP; // the global GC state
          break;
        case EvV1.GCDone:
          if (evGC === -1) throw new V1Error(`bogus GC end (time ${ts[i]})`);
          evGC = -1;
          break;
        case EvV1.STWStart:
          if (evSTW !== -1) throw new V1Error(`previous STW is not ended before a new one (time ${ts[i]})`);
          evSTW = i;
          break;
        case EvV1.STWDone:
          if (evSTW === -1) throw new V1Error(`bogus STW end (time ${ts[i]})`);
          evSTW = -1;
          break;
        case EvV1.GCSweepStart: {
          const p = getP(evP);
          if (p.evSweep !== -1) throw new V1Error(`previous sweeping is not ended before a new one (time ${ts[i]})`);
          p.evSweep = i;
          break;
        }
        case EvV1.GCMarkAssistStart: {
          const g = getG(evG);
          if (g.evMarkAssist !== -1) throw new V1Error(`previous mark assist is not ended before a new one (time ${ts[i]})`);
          g.evMarkAssist = i;
          break;
        }
        case EvV1.GCMarkAssistDone: {
          // Mark assists can be in progress when tracing starts: no error.
          const g = getG(evG);
          g.evMarkAssist = -1;
          break;
        }
        case EvV1.GCSweepDone: {
          const p = getP(evP);
          if (p.evSweep === -1) throw new V1Error(`bogus sweeping end (time ${ts[i]})`);
          p.evSweep = -1;
          break;
        }
        case EvV1.GoWaiting:
        case EvV1.GoInSyscall: {
          const g = getG(evG);
          if (g.state !== gRunnable) {
            throw new V1Error(`g ${evG} is not runnable before ${t === EvV1.GoWaiting ? 'EvGoWaiting' : 'EvGoInSyscall'} (time ${ts[i]})`);
          }
          g.state = gWaiting;
          g.ev = i;
          break;
        }
        case EvV1.GoCreate: {
          checkRunning(getP(evP), getG(evG), i, true);
          const child = events.a0[i]!;
          if (gs.has(child)) throw new V1Error(`g ${child} already exists (time ${ts[i]})`);
          gs.set(child, { state: gRunnable, ev: i, evStart: -1, evCreate: i, evMarkAssist: -1 });
          break;
        }
        case EvV1.GoStart:
        case EvV1.GoStartLabel: {
          const g = getG(evG);
          const p = getP(evP);
          if (g.state !== gRunnable) throw new V1Error(`g ${evG} is not runnable before start (time ${ts[i]})`);
          if (p.g !== 0) throw new V1Error(`p ${evP} is already running g ${p.g} while start g ${evG} (time ${ts[i]})`);
          g.state = gRunning;
          g.evStart = i;
          p.g = evG;
          if (g.evCreate !== -1) {
            events.stk[i] = uint32(events.a1[g.evCreate]!);
            g.evCreate = -1;
          }
          g.ev = -1;
          break;
        }
        case EvV1.GoEnd:
        case EvV1.GoStop: {
          const g = getG(evG);
          const p = getP(evP);
          checkRunning(p, g, i, false);
          g.evStart = -1;
          g.state = gDead;
          p.g = 0;
          if (t === EvV1.GoEnd) activeRegions.delete(evG);
          break;
        }
        case EvV1.GoSched:
        case EvV1.GoPreempt: {
          const g = getG(evG);
          const p = getP(evP);
          checkRunning(p, g, i, false);
          g.state = gRunnable;
          g.evStart = -1;
          p.g = 0;
          g.ev = i;
          break;
        }
        case EvV1.GoUnblock: {
          const g = getG(evG);
          const p = getP(evP);
          if (g.state !== gRunning) throw new V1Error(`g ${evG} is not running while unpark (time ${ts[i]})`);
          if (evP !== TimerP && p.g !== evG) throw new V1Error(`p ${evP} is not running g ${evG} while unpark (time ${ts[i]})`);
          const target = events.a0[i]!;
          const g1 = getG(target);
          if (g1.state !== gWaiting) throw new V1Error(`g ${target} is not waiting before unpark (time ${ts[i]})`);
          if (g1.ev !== -1 && type[g1.ev] === EvV1.GoBlockNet) P[i] = NetpollP;
          g1.state = gRunnable;
          g1.ev = i;
          break;
        }
        case EvV1.GoSysCall: {
          const g = getG(evG);
          checkRunning(getP(evP), g, i, false);
          g.ev = i;
          break;
        }
        case EvV1.GoSysBlock: {
          const g = getG(evG);
          const p = getP(evP);
          checkRunning(p, g, i, false);
          g.state = gWaiting;
          g.evStart = -1;
          p.g = 0;
          break;
        }
        case EvV1.GoSysExit: {
          const g = getG(evG);
          if (g.state !== gWaiting) throw new V1Error(`g ${evG} is not waiting during syscall exit (time ${ts[i]})`);
          g.state = gRunnable;
          g.ev = i;
          break;
        }
        case EvV1.GoSleep:
        case EvV1.GoBlock:
        case EvV1.GoBlockSend:
        case EvV1.GoBlockRecv:
        case EvV1.GoBlockSelect:
        case EvV1.GoBlockSync:
        case EvV1.GoBlockCond:
        case EvV1.GoBlockNet:
        case EvV1.GoBlockGC: {
          const g = getG(evG);
          const p = getP(evP);
          checkRunning(p, g, i, false);
          g.state = gWaiting;
          g.ev = i;
          g.evStart = -1;
          p.g = 0;
          break;
        }
        case EvV1.UserTaskCreate: {
          const id = events.a0[i]!;
          const prev = tasks.get(id);
          if (prev !== undefined) {
            throw new V1Error(`task id conflicts (id:${id}), ${goQuote(events.describe(i))} vs ${goQuote(events.describe(prev))}`);
          }
          tasks.set(id, i);
          break;
        }
        case EvV1.UserTaskEnd:
          tasks.delete(events.a0[i]!);
          break;
        case EvV1.UserRegion: {
          const mode = events.a1[i]!;
          const regions = activeRegions.get(evG) ?? [];
          if (mode === 0) {
            regions.push(i);
            activeRegions.set(evG, regions);
          } else if (mode === 1) {
            const n = regions.length;
            if (n > 0) {
              const s = regions[n - 1]!;
              if (events.a0[s] !== events.a0[i] || events.a2[s] !== events.a2[i]) {
                throw new V1Error(
                  `misuse of region in goroutine ${evG}: span end ${goQuote(events.describe(i))} when the inner-most active span start event is ${goQuote(events.describe(s))}`,
                );
              }
              if (n > 1) regions.pop();
              else activeRegions.delete(evG);
            }
          } else {
            throw new V1Error(`invalid user region mode: ${goQuote(events.describe(i))}`);
          }
          break;
        }
      }
      const stk = events.stk[i]!;
      if (stk !== 0 && (this.stacks.get(stk)?.length ?? 0) === 0) events.stk[i] = 0;
    }
  }
}

/** %d of a uint64 that we hold as a number (-1 stands for 2^64-1). */
export function fmtU64(v: number): string {
  return v === U64_MAX ? '18446744073709551615' : String(v);
}

