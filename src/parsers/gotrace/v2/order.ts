/**
 * The ordering state machine of v2 traces: it replays the scheduler's state
 * (goroutines, Ps, threads, GC, tasks, ranges) to decide whether an event can
 * happen next, and queues the events it lets through. Timestamps are only a
 * hint; sequence numbers and states are the truth. A faithful port of Go's
 * internal/trace/order.go: same decisions, same errors.
 */
import { DenseMap } from '../../../util/dense-map.js';
import type { EventTables } from './event-tables.js';
import type { Generation } from './generation.js';
import { NONE } from '../../../model/events.js';
import { Ev, eventName, GoStatus, ProcStatus, SPECS } from './spec.js';

/** API states, numbered as in Go (GoState, ProcState). */
export const GoState = { Undetermined: 0, NotExist: 1, Runnable: 2, Running: 3, Waiting: 4, Syscall: 5 } as const;
export const ProcState = { Undetermined: 0, NotExist: 1, Running: 2, Idle: 3 } as const;

/** Wire GoStatus → API GoState; wire ProcStatus → API ProcState (the one map: convert.ts names the states). */
export const GO_STATUS_TO_STATE = [0, GoState.Runnable, GoState.Running, GoState.Syscall, GoState.Waiting];
export const PROC_STATUS_TO_STATE = [0, ProcState.Running, ProcState.Idle, ProcState.Running, ProcState.Idle];
const GO_STATUS_NAME = ['Bad', 'Runnable', 'Running', 'Syscall', 'Waiting'];
const PROC_STATUS_NAME = ['Bad', 'Running', 'Idle', 'Syscall', 'Bad'];

/** A decoded wire event, as the batch cursor hands it over. args are the wire args after dt. */
export class RawEvent {
  type = 0;
  time = 0;
  a0 = 0;
  a1 = 0;
  a2 = 0;
  a3 = 0;
  /** The thread whose batch holds the event (NONE for none). */
  m = NONE;
  /**
   * The ordering's state of thread m, kept here once the ordering made or found
   * it: a thread's state object is never replaced, and the lookup is per event.
   */
  ms: MState | undefined = undefined;
}

/** An event the ordering let through, with its context and whatever it smuggled in. */
export class OrderedEvent {
  type = 0;
  time = 0;
  a0 = 0;
  a1 = 0;
  a2 = 0;
  a3 = 0;
  /** Extra data the ordering attaches: old state for status events, task parent, STW kind… */
  x0 = 0;
  xs = '';
  g = NONE;
  p = NONE;
  m = NONE;
  gen: EventTables | null = null;
  /** File offset of the wire event, for error messages. */
  offset = 0;
}

/** A broken trace: the events contradict each other. */
export class OrderError extends Error {
  /** More than fits on one line (a state dump), shown with --verbose. */
  constructor(message: string, readonly details?: string) {
    super(message);
  }
}

interface RangeKey {
  readonly type: number;
  readonly desc: string;
}

class RangeState {
  inFlight: RangeKey[] = [];
  has(type: number, desc: string): boolean {
    return this.inFlight.some((r) => r.type === type && r.desc === desc);
  }
  begin(type: number, desc: string): void {
    if (this.has(type, desc)) throw new OrderError(`discovered event already in-flight for when starting event ${eventName(type)}`);
    this.inFlight.push({ type, desc });
  }
  active(type: number, initialGen: boolean): void {
    if (initialGen) {
      if (this.has(type, '')) throw new OrderError(`found named active range already in first gen: ${eventName(type)}`);
      this.inFlight.push({ type, desc: '' });
    } else if (!this.has(type, '')) {
      throw new OrderError(`resource is missing active range: ${eventName(type)}`);
    }
  }
  /** Ends the range that `endType` closes; returns its description (the STW kind). */
  end(endType: number): string {
    const st = SPECS[endType]?.startEv ?? 0;
    const idx = this.inFlight.findIndex((r) => r.type === st);
    if (idx < 0) throw new OrderError(`tried to end event ${eventName(st)}, but not in-flight`);
    const desc = this.inFlight[idx]!.desc;
    this.inFlight[idx] = this.inFlight[this.inFlight.length - 1]!;
    this.inFlight.pop();
    return desc;
  }
}

class GState extends RangeState {
  regions: { task: number; name: string }[] = [];
  constructor(readonly id: number, public status: number, public seqGen: number, public seq: number) {
    super();
  }
}
class PState extends RangeState {
  constructor(readonly id: number, public status: number, public seqGen: number, public seq: number) {
    super();
  }
}
export class MState {
  constructor(public g: number, public p: number) {}
}

const enum Req {
  MustNot = 0,
  May = 1,
  Must = 2,
}

function validate(g: number, p: number, m: number, reqM: Req, reqP: Req, reqG: Req): void {
  if (reqM === Req.Must && m === NONE) throw new OrderError("expected a thread but didn't have one");
  if (reqM === Req.MustNot && m !== NONE) throw new OrderError('expected no thread but had one');
  if (reqP === Req.Must && p === NONE) throw new OrderError("expected a proc but didn't have one");
  if (reqP === Req.MustNot && p !== NONE) throw new OrderError('expected no proc but had one');
  if (reqG === Req.Must && g === NONE) throw new OrderError("expected a goroutine but didn't have one");
  if (reqG === Req.MustNot && g !== NONE) throw new OrderError('expected no goroutine but had one');
}
const userGo = (g: number, p: number, m: number): void => validate(g, p, m, Req.Must, Req.Must, Req.Must);

const GC_UNDETERMINED = 0;
const GC_NOT_RUNNING = 1;
const GC_RUNNING = 2;

type Handler = (o: Ordering, ev: RawEvent, gen: Generation) => boolean;

export class Ordering {
  readonly gStates = new DenseMap<GState>();
  readonly pStates = new DenseMap<PState>();
  readonly mStates = new Map<number, MState>();
  readonly activeTasks = new Map<number, { name: string; parent: number }>();
  gcSeq = 0;
  gcState = GC_UNDETERMINED;
  initialGen = 0;

  /** Output queue (a ring of reusable records). Its length is a power of two: indices wrap with a mask. */
  private queue: OrderedEvent[] = [];
  private qMask = -1;
  private qHead = 0;
  private qLen = 0;

  // The context of the event being advanced (Go's curCtx) and the one after it (newCtx).
  curG = NONE;
  curP = NONE;
  curM = NONE;
  newG = NONE;
  newP = NONE;
  genNum = 0;
  /** File offset of the event being advanced; queued events carry it. */
  offset = 0;

  /**
   * Tries to advance with ev, read from thread ev.m's batches. Returns false when
   * the event cannot happen yet (another thread must go first); throws
   * OrderError when the trace is broken.
   */
  advance(ev: RawEvent, gen: Generation): boolean {
    if (this.initialGen === 0) this.initialGen = gen.gen;
    this.genNum = gen.gen;
    const m = ev.m;
    let ms: MState | undefined;
    this.curM = m;
    if (m === NONE) {
      this.curP = NONE;
      this.curG = NONE;
    } else {
      ms = ev.ms ?? this.threadState(ev);
      this.curP = ms.p;
      this.curG = ms.g;
    }
    this.newG = this.curG;
    this.newP = this.curP;
    let ok: boolean;
    switch (ev.type) {
      // Most of a busy trace: direct calls, which the JIT can inline (the table call it cannot).
      case Ev.GoStart:
        ok = goStart(this, ev, gen);
        break;
      case Ev.GoBlock:
      case Ev.GoStop:
      case Ev.GoDestroy:
        ok = goStopExec(this, ev, gen);
        break;
      case Ev.GoUnblock:
        ok = goUnblock(this, ev, gen);
        break;
      default:
        ok = (DISPATCH[ev.type] ?? badType)(this, ev, gen);
    }
    if (ok && ms) {
      ms.p = this.newP;
      ms.g = this.newG;
    }
    return ok;
  }

  /**
   * Finds or makes the state of thread ev.m, and keeps it in ev. Out of advance(),
   * as is anything else rare: V8 inlines advance() into the reader's loop, up to a
   * budget of bytecode that counts rare paths too.
   */
  private threadState(ev: RawEvent): MState {
    let ms = this.mStates.get(ev.m);
    if (!ms) this.mStates.set(ev.m, (ms = new MState(NONE, NONE)));
    ev.ms = ms;
    return ms;
  }

  /** The next ordered event, or null when the queue is empty. The record is reused after the next push. */
  next(): OrderedEvent | null {
    if (this.qLen === 0) return null;
    const e = this.queue[this.qHead]!;
    this.qHead = (this.qHead + 1) & this.qMask;
    this.qLen--;
    return e;
  }

  /** Queues an event in the current context (curCtx); returns the record to fill further. */
  push(type: number, time: number, gen: Generation, a0 = 0, a1 = 0, a2 = 0, a3 = 0): OrderedEvent {
    if (this.qLen === this.queue.length) this.growQueue();
    const e = this.queue[(this.qHead + this.qLen) & this.qMask]!;
    this.qLen++;
    e.type = type;
    e.time = time;
    e.a0 = a0;
    e.a1 = a1;
    e.a2 = a2;
    e.a3 = a3;
    e.x0 = 0;
    e.xs = '';
    e.g = this.curG;
    e.p = this.curP;
    e.m = this.curM;
    e.gen = gen;
    e.offset = this.offset;
    return e;
  }

  pushRaw(ev: RawEvent, gen: Generation): OrderedEvent {
    return this.push(ev.type, ev.time, gen, ev.a0, ev.a1, ev.a2, ev.a3);
  }

  private growQueue(): void {
    const old = this.queue;
    const size = Math.max(4, old.length * 2);
    const grown: OrderedEvent[] = [];
    for (let i = 0; i < this.qLen; i++) grown.push(old[(this.qHead + i) % old.length]!);
    while (grown.length < size) grown.push(new OrderedEvent());
    this.queue = grown;
    this.qMask = size - 1;
    this.qHead = 0;
  }

  /** Debug dump of the state, for "failed to advance" errors. */
  dump(): string {
    const gs = [...this.gStates.values()].slice(0, 20).map((s) => `G ${s.id} [status=${GO_STATUS_NAME[s.status]} seq=${s.seq} (gen=${s.seqGen})]`);
    const ps = [...this.pStates.values()].map((s) => `P ${s.id} [status=${PROC_STATUS_NAME[s.status]} seq=${s.seq} (gen=${s.seqGen})]`);
    const mss = [...this.mStates.entries()].slice(0, 20).map(([id, s]) => `M ${id} [g=${s.g} p=${s.p}]`);
    return [...gs, ...ps, ...mss].join('; ');
  }
}

const succeeds = (gen: number, seq: number, sGen: number, sSeq: number): boolean => gen === sGen && seq === sSeq + 1;

function procStatus(o: Ordering, ev: RawEvent, gen: Generation): boolean {
  const pid = ev.a0;
  const status = ev.a1;
  if (status < 0 || status >= PROC_STATUS_TO_STATE.length) throw new OrderError(`invalid status for proc ${pid}: ${status}`);
  let oldState = PROC_STATUS_TO_STATE[status]!;
  let reported = status; // the status the event reports, after the promotions below
  const s = o.pStates.get(pid);
  if (s) {
    if (status === ProcStatus.SyscallAbandoned && s.status === ProcStatus.Syscall) {
      // Abandoned is a special case of Syscall; we have not lost information. Promote.
      oldState = ProcState.Running;
      reported = ProcStatus.Syscall;
    } else if (status === ProcStatus.SyscallAbandoned && s.status === ProcStatus.SyscallAbandoned) {
      oldState = ProcState.Idle;
    } else if (s.status !== status) {
      throw new OrderError(`inconsistent status for proc ${pid}: old ${PROC_STATUS_NAME[s.status]} vs. new ${PROC_STATUS_NAME[status]}`);
    }
    s.seqGen = o.genNum;
    s.seq = 0;
  } else {
    o.pStates.set(pid, new PState(pid, status, o.genNum, 0));
    oldState = o.genNum === o.initialGen ? ProcState.Undetermined : ProcState.NotExist;
  }
  if (status === ProcStatus.Running || status === ProcStatus.Syscall) o.newP = pid;
  // A P about to be stolen from a syscall is reported in the context of the thread it is bound to.
  if (status === ProcStatus.SyscallAbandoned && oldState === ProcState.Running) {
    let found = false;
    for (const [mid, ms] of o.mStates) {
      if (ms.p === pid) {
        o.curM = mid;
        o.curP = pid;
        o.curG = ms.g;
        found = true;
      }
    }
    if (!found) throw new OrderError(`failed to find sched context for proc ${pid} that's about to be stolen`);
  }
  const out = o.pushRaw(ev, gen);
  out.a1 = reported;
  out.x0 = oldState;
  return true;
}

function procStart(o: Ordering, ev: RawEvent, gen: Generation): boolean {
  const pid = ev.a0;
  const state = o.pStates.get(pid);
  if (!state || state.status !== ProcStatus.Idle || !succeeds(o.genNum, ev.a1, state.seqGen, state.seq) || o.curP !== NONE) {
    return false;
  }
  validate(o.curG, o.curP, o.curM, Req.Must, Req.MustNot, Req.May);
  state.status = ProcStatus.Running;
  state.seqGen = o.genNum;
  state.seq = ev.a1;
  o.newP = pid;
  o.pushRaw(ev, gen);
  return true;
}

function procStop(o: Ordering, ev: RawEvent, gen: Generation): boolean {
  const state = o.pStates.get(o.curP);
  if (!state) throw new OrderError(`event ${eventName(ev.type)} for proc (${o.curP}) that doesn't exist`);
  if (state.status !== ProcStatus.Running && state.status !== ProcStatus.Syscall) {
    throw new OrderError(`${eventName(ev.type)} event for proc that's not Running or Syscall`);
  }
  validate(o.curG, o.curP, o.curM, Req.Must, Req.Must, Req.May);
  state.status = ProcStatus.Idle;
  o.newP = NONE;
  o.pushRaw(ev, gen);
  return true;
}

function procSteal(o: Ordering, ev: RawEvent, gen: Generation): boolean {
  const pid = ev.a0;
  const state = o.pStates.get(pid);
  if (
    !state ||
    (state.status !== ProcStatus.Syscall && state.status !== ProcStatus.SyscallAbandoned) ||
    !succeeds(o.genNum, ev.a1, state.seqGen, state.seq)
  ) {
    return false;
  }
  validate(o.curG, o.curP, o.curM, Req.Must, Req.May, Req.May);
  const oldStatus = state.status;
  state.status = ProcStatus.Idle;
  state.seqGen = o.genNum;
  state.seq = ev.a1;
  if (oldStatus === ProcStatus.SyscallAbandoned) {
    // We lost track of the thread; do not touch it.
    o.pushRaw(ev, gen).a3 = oldStatus;
    return true;
  }
  const mid = ev.a2;
  if (mid === o.curM) {
    // Stealing from ourselves: like a ProcStop.
    if (o.curP !== pid) throw new OrderError(`tried to self-steal proc ${pid} (thread ${mid}), but got proc ${o.curP} instead`);
    o.newP = NONE;
    o.pushRaw(ev, gen).a3 = oldStatus;
    return true;
  }
  const ms = o.mStates.get(mid);
  if (!ms) throw new OrderError(`stole proc from non-existent thread ${mid}`);
  if (ms.p !== pid) throw new OrderError(`tried to steal proc ${pid} from thread ${mid}, but got proc ${ms.p} instead`);
  ms.p = NONE;
  o.pushRaw(ev, gen).a3 = oldStatus;
  return true;
}

function goStatus(o: Ordering, ev: RawEvent, gen: Generation): boolean {
  const gid = ev.a0;
  const mid = ev.a1;
  const status = ev.a2;
  if (status < 0 || status >= GO_STATUS_TO_STATE.length) throw new OrderError(`invalid status for goroutine ${gid}: ${status}`);
  let oldState = GO_STATUS_TO_STATE[status]!;
  const s = o.gStates.get(gid);
  if (s) {
    if (s.status !== status) {
      throw new OrderError(`inconsistent status for goroutine ${gid}: old ${GO_STATUS_NAME[s.status]} vs. new ${GO_STATUS_NAME[status]}`);
    }
    s.seqGen = o.genNum;
    s.seq = 0;
  } else if (o.genNum === o.initialGen) {
    o.gStates.set(gid, new GState(gid, status, o.genNum, 0));
    oldState = GoState.Undetermined;
  } else {
    throw new OrderError(`found goroutine status for new goroutine after the first generation: id=${gid} status=${GO_STATUS_NAME[status]}`);
  }
  if (status === GoStatus.Running) {
    o.newG = gid;
  } else if (status === GoStatus.Syscall) {
    if (mid === NONE) throw new OrderError(`found goroutine ${gid} in syscall without a thread`);
    if (mid === o.curM) {
      if (o.genNum !== o.initialGen && o.curG !== gid) {
        throw new OrderError(`inconsistent thread for syscalling goroutine ${gid}: thread has goroutine ${o.curG}`);
      }
      o.newG = gid;
    } else {
      // A goroutine sitting in a syscall on another thread for the whole generation.
      const ms = o.mStates.get(mid);
      if (ms) {
        if (ms.g !== gid) throw new OrderError(`inconsistent thread for syscalling goroutine ${gid}: thread has goroutine ${ms.g}`);
        o.curG = ms.g;
      } else {
        o.mStates.set(mid, new MState(gid, NONE));
      }
      o.curM = mid;
    }
  }
  o.pushRaw(ev, gen).x0 = oldState;
  return true;
}

function goCreate(o: Ordering, ev: RawEvent, gen: Generation): boolean {
  validate(o.curG, o.curP, o.curM, Req.Must, Req.Must, Req.May);
  const cur = o.gStates.get(o.curG);
  if (cur && cur.status !== GoStatus.Running) throw new OrderError(`${eventName(ev.type)} event for goroutine that's not Running`);
  const newg = ev.a0;
  if (o.gStates.has(newg)) throw new OrderError(`tried to create goroutine (${newg}) that already exists`);
  const status = ev.type === Ev.GoCreateBlocked ? GoStatus.Waiting : GoStatus.Runnable;
  o.gStates.set(newg, new GState(newg, status, o.genNum, 0));
  o.pushRaw(ev, gen);
  return true;
}

function goStopExec(o: Ordering, ev: RawEvent, gen: Generation): boolean {
  userGo(o.curG, o.curP, o.curM);
  const state = o.gStates.get(o.curG);
  if (!state) throw new OrderError(`event ${eventName(ev.type)} for goroutine (${o.curG}) that doesn't exist`);
  if (state.status !== GoStatus.Running) throw new OrderError(`${eventName(ev.type)} event for goroutine that's not Running`);
  if (ev.type === Ev.GoDestroy) o.gStates.delete(o.curG);
  else if (ev.type === Ev.GoStop) state.status = GoStatus.Runnable;
  else state.status = GoStatus.Waiting;
  o.newG = NONE;
  o.pushRaw(ev, gen);
  return true;
}

function goStart(o: Ordering, ev: RawEvent, gen: Generation): boolean {
  const gid = ev.a0;
  const state = o.gStates.get(gid);
  if (!state || state.status !== GoStatus.Runnable || !succeeds(o.genNum, ev.a1, state.seqGen, state.seq)) return false;
  validate(o.curG, o.curP, o.curM, Req.Must, Req.Must, Req.MustNot);
  state.status = GoStatus.Running;
  state.seqGen = o.genNum;
  state.seq = ev.a1;
  o.newG = gid;
  o.pushRaw(ev, gen);
  return true;
}

function goUnblock(o: Ordering, ev: RawEvent, gen: Generation): boolean {
  const gid = ev.a0;
  const state = o.gStates.get(gid);
  if (!state || state.status !== GoStatus.Waiting || !succeeds(o.genNum, ev.a1, state.seqGen, state.seq)) return false;
  state.status = GoStatus.Runnable;
  state.seqGen = o.genNum;
  state.seq = ev.a1;
  // Anything may unblock a goroutine (sysmon, the netpoller): no context to check.
  o.pushRaw(ev, gen);
  return true;
}

function goSwitch(o: Ordering, ev: RawEvent, gen: Generation): boolean {
  userGo(o.curG, o.curP, o.curM);
  const cur = o.gStates.get(o.curG);
  if (!cur) throw new OrderError(`event ${eventName(ev.type)} for goroutine (${o.curG}) that doesn't exist`);
  if (cur.status !== GoStatus.Running) throw new OrderError(`${eventName(ev.type)} event for goroutine that's not Running`);
  const nextg = ev.a0;
  const next = o.gStates.get(nextg);
  if (!next || next.status !== GoStatus.Waiting || !succeeds(o.genNum, ev.a1, next.seqGen, next.seq)) return false;
  o.pushRaw(ev, gen);
  // One wire event, three API events: unblock next, block or destroy self, start next.
  if (ev.type === Ev.GoSwitch) {
    cur.status = GoStatus.Waiting;
    o.push(Ev.GoBlock, ev.time, gen, 0, 0);
  } else {
    o.gStates.delete(o.curG);
    o.push(Ev.GoDestroy, ev.time, gen);
  }
  next.status = GoStatus.Running;
  next.seqGen = o.genNum;
  next.seq = ev.a1;
  o.newG = nextg;
  o.push(Ev.GoStart, ev.time, gen, nextg, ev.a1).g = NONE;
  return true;
}

function goSyscallBegin(o: Ordering, ev: RawEvent, gen: Generation): boolean {
  userGo(o.curG, o.curP, o.curM);
  const state = o.gStates.get(o.curG);
  if (!state) throw new OrderError(`event ${eventName(ev.type)} for goroutine (${o.curG}) that doesn't exist`);
  if (state.status !== GoStatus.Running) throw new OrderError(`${eventName(ev.type)} event for goroutine that's not Running`);
  state.status = GoStatus.Syscall;
  const ps = o.pStates.get(o.curP);
  if (!ps) throw new OrderError(`uninitialized proc ${o.curP} found during ${eventName(ev.type)}`);
  ps.status = ProcStatus.Syscall;
  // The P sequence number disambiguates which syscall a ProcSteal belongs to.
  if (!succeeds(o.genNum, ev.a0, ps.seqGen, ps.seq)) {
    throw new OrderError(
      `failed to advance ${eventName(ev.type)}: can't make sequence: ${ps.seq} (gen=${ps.seqGen}) -> ${ev.a0} (gen=${o.genNum})`,
    );
  }
  ps.seqGen = o.genNum;
  ps.seq = ev.a0;
  o.pushRaw(ev, gen);
  return true;
}

function goSyscallEnd(o: Ordering, ev: RawEvent, gen: Generation): boolean {
  userGo(o.curG, o.curP, o.curM);
  const state = o.gStates.get(o.curG);
  if (!state) throw new OrderError(`event ${eventName(ev.type)} for goroutine (${o.curG}) that doesn't exist`);
  if (state.status !== GoStatus.Syscall) throw new OrderError(`${eventName(ev.type)} event for goroutine that's not Running`);
  state.status = GoStatus.Running;
  const ps = o.pStates.get(o.curP);
  if (!ps) throw new OrderError(`uninitialized proc ${o.curP} found during ${eventName(ev.type)}`);
  if (ps.status !== ProcStatus.Syscall) {
    throw new OrderError(`expected proc ${o.curP} in state Syscall, but got ${PROC_STATUS_NAME[ps.status]} instead`);
  }
  ps.status = ProcStatus.Running;
  o.pushRaw(ev, gen);
  return true;
}

function goSyscallEndBlocked(o: Ordering, ev: RawEvent, gen: Generation): boolean {
  // Wait until this thread's P has left the syscall state (stolen or stopped).
  if (o.curP !== NONE) {
    const ps = o.pStates.get(o.curP);
    if (!ps) throw new OrderError(`uninitialized proc ${o.curP} found during ${eventName(ev.type)}`);
    if (ps.status === ProcStatus.Syscall) return false;
  }
  validate(o.curG, o.curP, o.curM, Req.Must, Req.May, Req.Must);
  const state = o.gStates.get(o.curG);
  if (!state) throw new OrderError(`event ${eventName(ev.type)} for goroutine (${o.curG}) that doesn't exist`);
  if (state.status !== GoStatus.Syscall) throw new OrderError(`${eventName(ev.type)} event for goroutine that's not Running`);
  o.newG = NONE;
  state.status = GoStatus.Runnable;
  o.pushRaw(ev, gen);
  return true;
}

function goCreateSyscall(o: Ordering, ev: RawEvent, gen: Generation): boolean {
  validate(o.curG, o.curP, o.curM, Req.Must, Req.May, Req.MustNot);
  const newg = ev.a0;
  if (o.gStates.has(newg)) throw new OrderError(`tried to create goroutine (${newg}) in syscall that already exists`);
  o.gStates.set(newg, new GState(newg, GoStatus.Syscall, o.genNum, 0));
  o.newG = newg;
  o.pushRaw(ev, gen);
  return true;
}

function goDestroySyscall(o: Ordering, ev: RawEvent, gen: Generation): boolean {
  validate(o.curG, o.curP, o.curM, Req.Must, Req.May, Req.Must);
  const state = o.gStates.get(o.curG);
  if (!state) throw new OrderError(`event ${eventName(ev.type)} for goroutine (${o.curG}) that doesn't exist`);
  if (state.status !== GoStatus.Syscall) throw new OrderError(`${eventName(ev.type)} event for goroutine that's not Syscall`);
  o.gStates.delete(o.curG);
  o.newG = NONE;
  if (o.curP !== NONE) {
    // The C thread's ID may be reused; drop the P so a later thread with the same ID cannot steal it back.
    const ps = o.pStates.get(o.curP);
    if (!ps) throw new OrderError(`found invalid proc ${o.curP} during ${eventName(ev.type)}`);
    if (ps.status !== ProcStatus.Syscall) {
      throw new OrderError(`proc ${o.curP} in unexpected state ${PROC_STATUS_NAME[ps.status]} during ${eventName(ev.type)}`);
    }
    ps.status = ProcStatus.SyscallAbandoned;
    o.newP = NONE;
    o.push(Ev.ProcSteal, ev.time, gen, o.curP, 0, 0, ProcStatus.Syscall);
  }
  o.pushRaw(ev, gen);
  return true;
}

function userTaskBegin(o: Ordering, ev: RawEvent, gen: Generation): boolean {
  const id = ev.a0;
  if (o.activeTasks.has(id)) throw new OrderError(`task ID conflict: ${id}`);
  // Parent 0 means "no parent" here, not the background task.
  const parent = ev.a1 === 0 ? NONE : ev.a1;
  if (!gen.hasString(ev.a2)) throw new OrderError(`invalid string ID ${ev.a2} for ${ev.type} event`);
  o.activeTasks.set(id, { name: gen.string(ev.a2), parent });
  userGo(o.curG, o.curP, o.curM);
  o.pushRaw(ev, gen).a1 = parent;
  return true;
}

function userTaskEnd(o: Ordering, ev: RawEvent, gen: Generation): boolean {
  const id = ev.a0;
  const ts = o.activeTasks.get(id);
  // The begin may be in an earlier generation: carry its name as a string.
  let parent = NONE;
  let name = '';
  if (ts) {
    parent = ts.parent;
    name = ts.name;
    o.activeTasks.delete(id);
  }
  userGo(o.curG, o.curP, o.curM);
  const out = o.pushRaw(ev, gen);
  out.x0 = parent;
  out.xs = name;
  return true;
}

function userRegion(o: Ordering, ev: RawEvent, gen: Generation): boolean {
  userGo(o.curG, o.curP, o.curM);
  const task = ev.a0;
  if (!gen.hasString(ev.a1)) throw new OrderError(`invalid string ID ${ev.a1} for ${ev.type} event`);
  const name = gen.string(ev.a1);
  const gs = o.gStates.get(o.curG);
  if (!gs) {
    const which = ev.type === Ev.UserRegionBegin ? 'EvUserRegionBegin' : 'EvUserRegionEnd';
    throw new OrderError(`encountered ${which} without known state for current goroutine ${o.curG}`);
  }
  if (ev.type === Ev.UserRegionBegin) {
    gs.regions.push({ task, name });
  } else if (gs.regions.length > 0) {
    // An end with no begin is a region that began before the trace: ignore it.
    const top = gs.regions[gs.regions.length - 1]!;
    if (top.task !== task || top.name !== name) {
      throw new OrderError(
        `misuse of region in goroutine ${gs.id}: region end {${task} ${name}} when the inner-most active region start event is {${top.task} ${top.name}}`,
      );
    }
    gs.regions.pop();
  }
  o.pushRaw(ev, gen);
  return true;
}

function gcActive(o: Ordering, ev: RawEvent, gen: Generation): boolean {
  const seq = ev.a0;
  if (o.genNum === o.initialGen) {
    if (o.gcState !== GC_UNDETERMINED) throw new OrderError("GCActive in the first generation isn't first GC event");
    o.gcSeq = seq;
    o.gcState = GC_RUNNING;
    o.pushRaw(ev, gen);
    return true;
  }
  if (seq !== o.gcSeq + 1) return false;
  if (o.gcState !== GC_RUNNING) throw new OrderError('encountered GCActive while GC was not in progress');
  o.gcSeq = seq;
  userGo(o.curG, o.curP, o.curM);
  o.pushRaw(ev, gen);
  return true;
}

function gcBegin(o: Ordering, ev: RawEvent, gen: Generation): boolean {
  const seq = ev.a0;
  if (o.gcState === GC_UNDETERMINED) {
    o.gcSeq = seq;
    o.gcState = GC_RUNNING;
    o.pushRaw(ev, gen);
    return true;
  }
  if (seq !== o.gcSeq + 1) return false;
  if (o.gcState === GC_RUNNING) throw new OrderError('encountered GCBegin while GC was already in progress');
  o.gcSeq = seq;
  o.gcState = GC_RUNNING;
  userGo(o.curG, o.curP, o.curM);
  o.pushRaw(ev, gen);
  return true;
}

function gcEnd(o: Ordering, ev: RawEvent, gen: Generation): boolean {
  const seq = ev.a0;
  if (seq !== o.gcSeq + 1) return false;
  if (o.gcState === GC_NOT_RUNNING) throw new OrderError('encountered GCEnd when GC was not in progress');
  if (o.gcState === GC_UNDETERMINED) throw new OrderError('encountered GCEnd when GC was in an undetermined state');
  o.gcSeq = seq;
  o.gcState = GC_NOT_RUNNING;
  userGo(o.curG, o.curP, o.curM);
  o.pushRaw(ev, gen);
  return true;
}

function annotation(o: Ordering, ev: RawEvent, gen: Generation): boolean {
  userGo(o.curG, o.curP, o.curM);
  o.pushRaw(ev, gen);
  return true;
}

function heapMetric(o: Ordering, ev: RawEvent, gen: Generation): boolean {
  validate(o.curG, o.curP, o.curM, Req.Must, Req.Must, Req.May);
  o.pushRaw(ev, gen);
  return true;
}

function gcSweepBegin(o: Ordering, ev: RawEvent, gen: Generation): boolean {
  validate(o.curG, o.curP, o.curM, Req.Must, Req.Must, Req.May);
  const ps = o.pStates.get(o.curP);
  if (!ps) throw new OrderError(`uninitialized proc ${o.curP} found during ${eventName(ev.type)}`);
  ps.begin(Ev.GCSweepBegin, '');
  o.pushRaw(ev, gen);
  return true;
}

function gcSweepActive(o: Ordering, ev: RawEvent, gen: Generation): boolean {
  const pid = ev.a0;
  const ps = o.pStates.get(pid);
  if (!ps) throw new OrderError(`encountered GCSweepActive for unknown proc ${pid}`);
  ps.active(Ev.GCSweepBegin, o.genNum === o.initialGen);
  o.pushRaw(ev, gen);
  return true;
}

function gcSweepEnd(o: Ordering, ev: RawEvent, gen: Generation): boolean {
  validate(o.curG, o.curP, o.curM, Req.Must, Req.Must, Req.May);
  const ps = o.pStates.get(o.curP);
  if (!ps) throw new OrderError(`uninitialized proc ${o.curP} found during ${eventName(ev.type)}`);
  ps.end(ev.type);
  o.pushRaw(ev, gen);
  return true;
}

function goRangeBegin(o: Ordering, ev: RawEvent, gen: Generation): boolean {
  userGo(o.curG, o.curP, o.curM);
  const desc = ev.type === Ev.STWBegin ? gen.string(ev.a0) : '';
  const gs = o.gStates.get(o.curG);
  if (!gs) throw new OrderError(`encountered event of type ${ev.type} without known state for current goroutine ${o.curG}`);
  gs.begin(ev.type, desc);
  o.pushRaw(ev, gen);
  return true;
}

function goRangeActive(o: Ordering, ev: RawEvent, gen: Generation): boolean {
  const gid = ev.a0;
  const gs = o.gStates.get(gid);
  if (!gs) throw new OrderError(`uninitialized goroutine ${gid} found during ${eventName(ev.type)}`);
  gs.active(Ev.GCMarkAssistBegin, o.genNum === o.initialGen);
  o.pushRaw(ev, gen);
  return true;
}

function goRangeEnd(o: Ordering, ev: RawEvent, gen: Generation): boolean {
  userGo(o.curG, o.curP, o.curM);
  const gs = o.gStates.get(o.curG);
  if (!gs) throw new OrderError(`encountered event of type ${ev.type} without known state for current goroutine ${o.curG}`);
  const desc = gs.end(ev.type);
  // STWEnd carries its begin's kind.
  o.pushRaw(ev, gen).xs = desc;
  return true;
}

function allocFree(o: Ordering, ev: RawEvent, gen: Generation): boolean {
  validate(o.curG, o.curP, o.curM, Req.Must, Req.May, Req.May);
  o.pushRaw(ev, gen);
  return true;
}

function badType(_o: Ordering, ev: RawEvent): boolean {
  throw new OrderError(`bad event type found while ordering: ${ev.type}`);
}

const DISPATCH: (Handler | undefined)[] = (() => {
  const d: (Handler | undefined)[] = new Array(256).fill(undefined);
  const set = (h: Handler, ...types: number[]): void => {
    for (const t of types) d[t] = h;
  };
  set(annotation, Ev.ProcsChange, Ev.GoLabel, Ev.UserLog);
  set(procStart, Ev.ProcStart);
  set(procStop, Ev.ProcStop);
  set(procSteal, Ev.ProcSteal);
  set(procStatus, Ev.ProcStatus);
  set(goCreate, Ev.GoCreate, Ev.GoCreateBlocked);
  set(goCreateSyscall, Ev.GoCreateSyscall);
  set(goStart, Ev.GoStart);
  set(goStopExec, Ev.GoDestroy, Ev.GoStop, Ev.GoBlock);
  set(goDestroySyscall, Ev.GoDestroySyscall);
  set(goUnblock, Ev.GoUnblock);
  set(goSyscallBegin, Ev.GoSyscallBegin);
  set(goSyscallEnd, Ev.GoSyscallEnd);
  set(goSyscallEndBlocked, Ev.GoSyscallEndBlocked);
  set(goStatus, Ev.GoStatus, Ev.GoStatusStack);
  set(goRangeBegin, Ev.STWBegin, Ev.GCMarkAssistBegin);
  set(goRangeEnd, Ev.STWEnd, Ev.GCMarkAssistEnd);
  set(goRangeActive, Ev.GCMarkAssistActive);
  set(gcActive, Ev.GCActive);
  set(gcBegin, Ev.GCBegin);
  set(gcEnd, Ev.GCEnd);
  set(gcSweepActive, Ev.GCSweepActive);
  set(gcSweepBegin, Ev.GCSweepBegin);
  set(gcSweepEnd, Ev.GCSweepEnd);
  set(heapMetric, Ev.HeapAlloc, Ev.HeapGoal);
  set(userTaskBegin, Ev.UserTaskBegin);
  set(userTaskEnd, Ev.UserTaskEnd);
  set(userRegion, Ev.UserRegionBegin, Ev.UserRegionEnd);
  set(goSwitch, Ev.GoSwitch, Ev.GoSwitchDestroy);
  set(allocFree, Ev.Span, Ev.SpanAlloc, Ev.SpanFree, Ev.HeapObject, Ev.HeapObjectAlloc, Ev.HeapObjectFree);
  set(allocFree, Ev.GoroutineStack, Ev.GoroutineStackAlloc, Ev.GoroutineStackFree);
  return d;
})();
