/**
 * Go 1.11–1.21 execution traces (format v1), read the way Go 1.22+ reads them:
 * tracev1.ts parses, orders and validates the whole file (a port of Go's
 * internal/trace/internal/tracev1); this file is the port of Go's
 * internal/trace/tracev1.go, which converts those events into the v2 event
 * vocabulary as one generation, plus reader.go's v1 branch (a Sync before the
 * first event and after the last). The converted wire events go through the
 * same toRecord as v2, so every consumer sees the same model.
 *
 * Limits. A v1 trace is one unit: nothing comes out before the whole file is
 * read and ordered. Memory is about the file size plus ~60–120 bytes per event
 * (see tracev1.ts), plus the stack and string tables. Any damage rejects the
 * whole trace, as in Go: nothing is salvaged.
 */
import { ParseError } from '../../../errors.js';
import type { ChunkReader } from '../../../io/byte-source.js';
import { EventRecord, NONE } from '../../../model/events.js';
import type { StackTable } from '../../../model/stacks.js';
import { syncRecord, toRecord } from '../v2/convert.js';
import type { EventTables } from '../v2/event-tables.js';
import { OrderedEvent } from '../v2/order.js';
import { Ev, GoStatus, ProcStatus, SPECS } from '../v2/spec.js';
import { BLOCK_REASON, EvV1, SPECS_V1, STW_REASONS, stwReason } from './spec.js';
import { TraceTables } from '../v2/tables.js';
import { EventColumns, NO_SALVAGE, V1Error, V1Parser } from './parser.js';

// Arg position (0-based, after dt) of each v2 event type's own stack, from the v2 table.
const V2_OWN_STACK = new Int8Array(256).fill(-1);
SPECS.forEach((spec, t) => {
  if (spec?.stackIDs?.length) V2_OWN_STACK[t] = spec.stackIDs[0]! - 1;
});

function setArgs(o: OrderedEvent, a0: number, a1: number, a2: number, a3: number): void {
  o.a0 = a0;
  o.a1 = a1;
  o.a2 = a2;
  o.a3 = a3;
}
function setArg(o: OrderedEvent, k: number, v: number): void {
  if (k === 0) o.a0 = v;
  else if (k === 1) o.a1 = v;
  else if (k === 2) o.a2 = v;
  else o.a3 = v;
}

/** Reads a v1 trace (after its header): parses it whole, then converts event by event (tracev1.go). */
export class V1Reader {
  readonly warnings = [];
  readonly generations = 1;
  private readonly ev: EventColumns;
  private readonly tables: TraceTables;
  private readonly version: number;
  private pos = 0;
  private syncs = 0;
  private done = false;
  private lastTs = -1;
  private readonly extra: OrderedEvent[] = [];
  private readonly scratch = new OrderedEvent();
  // Converter state.
  private preInit = true;
  private createdPreInit: Set<number> | null = new Set();
  private readonly tasks = new Map<number, { name: string; parent: number }>();
  private readonly seenProcs = new Set<number>();
  private readonly procMs = new Map<number, number>();
  private lastStwReason = 0;
  private readonly inlineToStringID: number[] = [];
  private readonly builtin = new Map<string, number>();

  constructor(
    input: ChunkReader,
    opts: { version: number; stacks: StackTable },
    private readonly stackTable = opts.stacks,
  ) {
    this.version = opts.version;
    const base = input.offset;
    const data = readRest(input);
    const parser = new V1Parser(data, opts.version);
    try {
      this.ev = parser.parse();
    } catch (err) {
      if (err instanceof V1Error) {
        throw new ParseError('go-trace', err.offset === undefined ? undefined : base + err.offset, `${err.message} (${NO_SALVAGE})`);
      }
      throw err;
    }
    // Strings: the file's, then the UserLog values, then the converter's own (reasons, STW kinds).
    const strings = parser.strings;
    let max = 0;
    for (const id of strings.keys()) if (id > max) max = id;
    parser.inlineStrings.forEach((s, i) => {
      this.inlineToStringID.push(max + 1 + i);
      strings.set(max + 1 + i, s);
    });
    max += parser.inlineStrings.length;
    const builtins = [...new Set([...Object.values(BLOCK_REASON), ...STW_REASONS])] as string[];
    builtins.forEach((s, i) => {
      strings.set(max + 1 + i, s);
      this.builtin.set(s, max + 1 + i);
    });
    this.tables = new TraceTables(1, strings, parser.stacks, parser.pcs);
    this.scratch.gen = this.tables;
    this.checkTableIDs();
  }

  /**
   * Every stack and string the converted events will name must exist. Go does
   * not check (its accessors panic later, mid-stream); we refuse the trace
   * before the first event instead. In practice this is a trace cut short
   * inside its footer, the stack table.
   */
  private checkTableIDs(): void {
    const E = this.ev;
    // GoCreates before the first Gomaxprocs are dropped by the conversion (see next()): their stacks are never named.
    let preInit = true;
    for (let i = 0; i < E.n; i++) {
      const t = E.type[i]!;
      if (t === EvV1.Gomaxprocs) preInit = false;
      else if (t === EvV1.GoCreate && preInit) continue;
      let stack = 0;
      let str = 0;
      if (t === EvV1.GoCreate) stack = E.a1[i]!;
      else if (t === EvV1.GoStartLabel || t === EvV1.UserTaskCreate || t === EvV1.UserRegion) str = E.a2[i]!;
      else if (t === EvV1.UserLog) str = E.a1[i]!;
      const name = SPECS_V1[t]!.name;
      if (!this.tables.hasStack(stack)) {
        throw new ParseError(
          'go-trace',
          undefined,
          `${name} at ${E.ts[i]} ns names stack ${stack}, which is not in the trace's stack table (its footer); the trace is likely truncated (${NO_SALVAGE})`,
        );
      }
      if (!this.tables.hasString(str)) {
        throw new ParseError('go-trace', undefined, `${name} at ${E.ts[i]} ns names string ${str}, which is not in the trace's string table (${NO_SALVAGE})`);
      }
    }
  }

  /** next(): a v1 trace's records are converted up front, nothing to reuse. */
  nextShared(): EventRecord | null {
    return this.next();
  }

  next(): EventRecord | null {
    if (this.done) return null;
    if (this.syncs === 0 && this.ev.n > 0) {
      this.syncs++;
      return syncRecord(this.syncs, this.ev.ts[0]! - 1, null);
    }
    const e = this.nextConverted();
    if (!e) {
      this.done = true;
      this.syncs++;
      return syncRecord(this.syncs, this.lastTs + 1, null);
    }
    // Two events may not share a time in the v2 model: push them apart by 1 ns.
    if (e.time <= this.lastTs) e.time = this.lastTs + 1;
    this.lastTs = e.time;
    return toRecord(e, this.stackTable);
  }

  private nextConverted(): OrderedEvent | null {
    for (;;) {
      const x = this.extra.shift();
      if (x) return x;
      if (this.pos >= this.ev.n) return null;
      const i = this.pos++;
      const out = this.convert(i);
      if (out) return out;
    }
  }

  private out(type: number, time: number, g: number, p: number, m: number): OrderedEvent {
    const o = new OrderedEvent();
    o.type = type;
    o.time = time;
    o.g = g;
    o.p = p;
    o.m = m;
    o.gen = this.tables;
    o.offset = 0;
    return o;
  }

  private reason(s: string): number {
    return this.builtin.get(s)!;
  }

  /** convertEvent: one v1 event → zero or more v2 events (the first returned, the rest queued). */
  private convert(i: number): OrderedEvent | null {
    const E = this.ev;
    const t = E.type[i]!;
    const ts = E.ts[i]!;
    const evP = E.p[i]!;
    const evG = E.g[i]!;
    const stk = E.stk[i]!;
    let type = 0;
    // The converted event is built in one reused object (toRecord keeps nothing of it); queued extras are new ones.
    const w = this.scratch;
    w.a0 = E.a0[i]!;
    w.a1 = E.a1[i]!;
    w.a2 = E.a2[i]!;
    w.a3 = E.a3[i]!;
    let x0 = 0;
    let xs = '';
    const blockReason = BLOCK_REASON[t];
    switch (t) {
      case EvV1.Gomaxprocs:
        type = Ev.ProcsChange;
        if (this.preInit) {
          // The first Gomaxprocs ends trace initialisation: goroutines created
          // before it that got no GoStart/GoWaiting/GoInSyscall were runnable.
          this.preInit = false;
          for (const gid of this.createdPreInit!) {
            const o = this.out(Ev.GoStatus, ts, NONE, NONE, NONE);
            o.a0 = gid;
            o.a1 = NONE;
            o.a2 = GoStatus.Runnable;
            this.extra.push(o);
          }
          this.createdPreInit = null;
          return null;
        }
        break;
      case EvV1.ProcStart:
        this.procMs.set(evP, w.a0);
        if (this.seenProcs.has(evP)) {
          type = Ev.ProcStart;
          setArgs(w, evP, 0, 0, 0);
        } else {
          this.seenProcs.add(evP);
          type = Ev.ProcStatus;
          setArgs(w, evP, ProcStatus.Running, 0, 0);
        }
        break;
      case EvV1.ProcStop:
        if (this.seenProcs.has(evP)) {
          type = Ev.ProcStop;
          setArgs(w, evP, 0, 0, 0);
        } else {
          this.seenProcs.add(evP);
          type = Ev.ProcStatus;
          setArgs(w, evP, ProcStatus.Idle, 0, 0);
        }
        break;
      case EvV1.GCStart:
        type = Ev.GCBegin;
        break;
      case EvV1.GCDone:
        type = Ev.GCEnd;
        break;
      case EvV1.STWStart: {
        const sid = this.reason(STW_REASONS[stwReason(this.version, w.a0)]!);
        this.lastStwReason = sid;
        type = Ev.STWBegin;
        setArgs(w, sid, 0, 0, 0);
        break;
      }
      case EvV1.STWDone:
        type = Ev.STWEnd;
        setArgs(w, this.lastStwReason, 0, 0, 0);
        xs = this.tables.string(this.lastStwReason);
        break;
      case EvV1.GCSweepStart:
        type = Ev.GCSweepBegin;
        break;
      case EvV1.GCSweepDone:
        type = Ev.GCSweepEnd;
        break;
      case EvV1.GoCreate:
        if (this.preInit) {
          this.createdPreInit!.add(w.a0);
          return null;
        }
        type = Ev.GoCreate;
        break;
      case EvV1.GoStart:
        if (this.preInit) {
          type = Ev.GoStatus;
          setArgs(w, w.a0, NONE, GoStatus.Running, 0);
          this.createdPreInit!.delete(w.a0);
        } else {
          type = Ev.GoStart;
        }
        break;
      case EvV1.GoStartLabel: {
        const m = this.procMs.get(evP) ?? 0;
        const label = this.out(Ev.GoLabel, ts, evG, evP, m);
        label.a0 = w.a2;
        this.extra.splice(0, this.extra.length, label);
        const o = this.out(Ev.GoStart, ts, evG, evP, m);
        setArgs(o, w.a0, w.a1, w.a2, w.a3);
        return o;
      }
      case EvV1.GoEnd:
        type = Ev.GoDestroy;
        break;
      case EvV1.GoStop:
      case EvV1.GoSleep:
      case EvV1.GoBlock:
      case EvV1.GoBlockSend:
      case EvV1.GoBlockRecv:
      case EvV1.GoBlockSelect:
      case EvV1.GoBlockSync:
      case EvV1.GoBlockCond:
      case EvV1.GoBlockNet:
      case EvV1.GoBlockGC:
        type = Ev.GoBlock;
        setArgs(w, this.reason(blockReason!), stk, 0, 0);
        break;
      case EvV1.GoSched:
      case EvV1.GoPreempt:
        type = Ev.GoStop;
        setArgs(w, this.reason(blockReason!), stk, 0, 0);
        break;
      case EvV1.GoUnblock:
        type = Ev.GoUnblock;
        break;
      case EvV1.GoSysCall: {
        // The next event of the same G says whether the syscall blocked.
        let blocked = false;
        for (let j = i + 1; j < E.n; j++) {
          if (E.g[j] !== evG) continue;
          blocked = E.type[j] === EvV1.GoSysBlock;
          break;
        }
        if (blocked) {
          type = Ev.GoSyscallBegin;
          setArgs(w, 0, stk, 0, 0);
        } else {
          // An instant in v1: a syscall of the shortest possible length, 1 ns.
          const m = this.procMs.get(evP) ?? 0;
          const begin = this.out(Ev.GoSyscallBegin, ts, evG, evP, m);
          begin.a1 = stk;
          this.extra.push(this.out(Ev.GoSyscallEnd, ts + 1, evG, evP, m));
          return begin;
        }
        break;
      }
      case EvV1.GoSysExit:
        type = Ev.GoSyscallEndBlocked;
        break;
      case EvV1.GoSysBlock:
        return null;
      case EvV1.GoWaiting:
      case EvV1.GoInSyscall:
        // v1 does not say which thread a syscall is on: M none.
        type = Ev.GoStatus;
        setArgs(w, w.a0, NONE, t === EvV1.GoWaiting ? GoStatus.Waiting : GoStatus.Syscall, 0);
        this.createdPreInit?.delete(w.a0);
        break;
      case EvV1.HeapAlloc:
        type = Ev.HeapAlloc;
        break;
      case EvV1.HeapGoal:
        type = Ev.HeapGoal;
        break;
      case EvV1.GCMarkAssistStart:
        type = Ev.GCMarkAssistBegin;
        break;
      case EvV1.GCMarkAssistDone:
        type = Ev.GCMarkAssistEnd;
        break;
      case EvV1.UserTaskCreate: {
        type = Ev.UserTaskBegin;
        const parent = w.a1 === 0 ? NONE : w.a1;
        this.tasks.set(w.a0, { name: this.tables.string(w.a2), parent: w.a1 });
        setArgs(w, w.a0, parent, w.a2, stk);
        break;
      }
      case EvV1.UserTaskEnd: {
        type = Ev.UserTaskEnd;
        const task = this.tasks.get(w.a0);
        if (task) {
          this.tasks.delete(w.a0);
          x0 = task.parent;
          xs = task.name;
        } else {
          x0 = NONE;
        }
        break;
      }
      case EvV1.UserRegion:
        type = w.a1 === 0 ? Ev.UserRegionBegin : w.a1 === 1 ? Ev.UserRegionEnd : 0;
        setArgs(w, w.a0, w.a2, stk, 0);
        break;
      case EvV1.UserLog:
        type = Ev.UserLog;
        setArgs(w, w.a0, w.a1, this.inlineToStringID[w.a3]!, stk);
        break;
      case EvV1.CPUSample:
        // Go 1.19–1.21 samples name no M.
        type = Ev.CPUSample;
        setArgs(w, stk, NONE, evP, evG);
        break;
      default:
        throw new ParseError('go-trace', undefined, `unexpected event type ${t} (${NO_SALVAGE})`);
    }
    if (SPECS_V1[t]!.stack && V2_OWN_STACK[type]! >= 0) setArg(w, V2_OWN_STACK[type]!, stk);
    let m = NONE;
    if (evP !== -1 && t !== EvV1.CPUSample) m = this.procMs.get(evP) ?? NONE;
    if (t === EvV1.ProcStop) this.procMs.delete(evP);
    w.type = type;
    w.time = ts;
    w.g = evG === 0 ? NONE : evG;
    w.p = evP;
    w.m = m;
    w.x0 = x0;
    w.xs = xs;
    return w;
  }

}

/** The rest of the input, in one buffer (v1 cannot be read in pieces). */
function readRest(input: ChunkReader): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const part = input.take(1 << 20); // the ChunkReader's own chunk size: no bigger buffer
    if (part.length === 0) break;
    parts.push(part);
    total += part.length;
  }
  if (parts.length === 1) return parts[0]!;
  const data = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    data.set(p, at);
    at += p.length;
  }
  return data;
}
