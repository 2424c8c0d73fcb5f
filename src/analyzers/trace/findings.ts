/**
 * From a trace analysis to findings, worst first: stuck Ps, leak suspects,
 * goroutines locked to threads, scheduler latency, the biggest blocking site.
 */
import { fmtCountOf, fmtDuration } from '../../util/units.js';
import { sortFindings, type Finding } from '../../model/findings.js';
import type { Frame, StackTable } from '../../model/stacks.js';
import type { TraceAnalysis } from './analyze.js';
import { blockClass, type BlockRecord } from './blocking.js';
import { waitReason } from '../goroutine-waits.js';
import { isRuntimeFunc, isRuntimeInternal, isRuntimeWait } from '../runtime-goroutine.js';
import type { StuckGroup } from './goroutines.js';
import { THREAD_SLACK } from './threads.js';
import { isProgramCode } from '../../model/program-code.js';
import { CAUSE_TITLE } from './stuck-judge.js';
import type { StackIs, StuckPFinding } from './stuck-procs.js';

const ms = fmtDuration;

/** Lock waits at one site summing to this share of the trace's span (0.5: half a goroutine waiting all along) are contention. */
export const CONTENTION_SHARE = 0.5;

/** Frames worth showing: drops the empty frames some Go versions record. */
export function framesOf(stacks: StackTable, id: number): Frame[] {
  return stacks.frames(id).filter((f) => f.func !== '');
}

/** What each kind of stuck-P stack shows (see StackIs); undefined: plainly where it was stuck. */
export const STACK_NOTE: Record<StackIs, string | undefined> = {
  'syscall-entry': 'where it entered the call that held the P',
  'cpu-sample': 'where CPU samples caught it during the hold (the commonest sample)',
  'next-event': 'its first traced event after the long gap inside the hold: the trace has no stack from inside the gap; the call or loop that held the P returned just before this point',
  'before-gap': 'its last traced event before the long gap inside the hold: the call or loop that held the P came right after this point',
  'after-hold': 'its next traced event after the hold (the trace has no stack from the hold itself): the call or loop that held the P ran before this point, in this function or one it had called',
  'next-yield': 'where it next yielded, after the hold: the trace has no stack from inside the hold; the call or loop that held the P ends just before this point',
  'hold-start': 'where the hold began',
  creation: 'where the goroutine was created (its go statement): the trace has no stack from the hold or after it',
  'stw-initiator': 'the goroutine that stopped the world',
  none: 'the trace has no stack for this hold',
};

/** The first frame of the program's own code on a stack (not the standard library's), as func:line. */
export function programFrame(frames: readonly Frame[]): string | undefined {
  const f = frames.find((fr) => isProgramCode(fr.func));
  return f === undefined ? undefined : f.line > 0 ? `${f.func}:${f.line}` : f.func;
}

/** Every P held at once: nothing in the program could run. */
function wholeProgram(f: StuckPFinding): boolean {
  return f.p >= 0 && f.gomaxprocs > 0 && f.psStuckAtOnce >= f.gomaxprocs && f.cause !== 'slow-stop-the-world';
}

function stuckTitle(f: StuckPFinding, frames: readonly Frame[]): string {
  const who = f.goroutine >= 0 ? `goroutine ${f.goroutine}${f.goroutineName ? ` (${f.goroutineName})` : ''}` : '';
  if (f.cause === 'idle-ps-while-runnable') return `${f.idleProcs} P(s) idle for ${ms(f.durationNs)} while ${f.runnableMax} goroutine(s) waited to run`;
  if (f.cause === 'slow-stop-the-world') return `stop-the-world (${f.stwKind}) took ${ms(f.durationNs)}${f.p >= 0 ? `, waiting for P${f.p}${who ? ` running ${who}` : ''}` : ''}`;
  const own = programFrame(frames);
  const at = own !== undefined && f.stackIs !== 'creation' ? ` (at ${own})` : '';
  const long = `${f.beganBeforeTrace ? 'at least ' : ''}${ms(f.durationNs)}`;
  const what = `${who || 'no goroutine'} ${CAUSE_TITLE[f.cause]}${at}`;
  if (wholeProgram(f)) {
    const every = f.gomaxprocs === 1 ? 'its only P (GOMAXPROCS=1) was held' : `all ${f.gomaxprocs} Ps were held at once`;
    return `whole program stopped for ${long}: ${every}; P${f.p}: ${what}`;
  }
  return `P${f.p} stuck for ${long}: ${what}`;
}

/** The victims in a sentence, for the detail: who waited because the P (or every P) was held. */
function victimsText(f: StuckPFinding): string {
  const v = f.victims;
  const parts: string[] = [];
  if (v.runnable > 0) parts.push(`${fmtCountOf(v.runnable, 'goroutine')} became runnable during the hold and waited (up to ${ms(v.longestWaitNs)})`);
  if (wholeProgram(f) && v.wokeAfter > 0) {
    const late = v.examples.filter((e) => e.woke === 'after' && e.name);
    const names = [...new Set(late.map((e) => e.name))].slice(0, 3).join(', ');
    parts.push(`${fmtCountOf(v.wokeAfter, 'goroutine')} woke within 2 ms after it ended (timers, sleeps and network waits that came due while nothing could run${names ? `: ${names}` : ''})`);
  }
  return parts.length ? `. Victims: ${parts.join('; ')}` : '';
}

function stuckFinding(f: StuckPFinding, stacks: StackTable, traceHash: string): Finding {
  const frames = framesOf(stacks, f.stack);
  const title = stuckTitle(f, frames);
  const released = f.releasedAfter;
  const releasedText = released
    ? `. Just before it went on, goroutine ${released.goroutine}${released.name ? ` (${released.name})` : ''} entered a system call${programFrame(framesOf(stacks, released.stack)) ? ` at ${programFrame(framesOf(stacks, released.stack))}` : ''}: what ended the call may be that goroutine's doing`
    : '';
  return {
    kind: 'stuck-p',
    severity: 'critical',
    title,
    detail: f.detail + victimsText(f) + releasedText,
    startNs: f.startNs,
    durationNs: f.durationNs,
    p: f.p,
    thread: f.thread,
    goroutine: f.goroutine,
    goroutineName: f.goroutineName,
    stack: frames,
    ...(f.cause !== 'idle-ps-while-runnable' && STACK_NOTE[f.stackIs] !== undefined ? { stackNote: STACK_NOTE[f.stackIs] } : {}),
    evidence: {
      p_id: f.p >= 0 ? f.p : null,
      stuck_ns: f.durationNs,
      trace_hash: traceHash,
      cause: f.cause,
      began_before_trace: f.beganBeforeTrace,
      open_at_end: f.openAtEnd,
      cpu_profiling: f.cpuProfiling,
      cpu_evidence: f.cpuEvidence,
      cpu_samples: f.cpuSampleCount,
      stack_is: f.stackIs,
      yield_stack: framesOf(stacks, f.endStack).map((fr) => fr.func),
      cpu_sample_stacks: f.cpuSamples.map((s) => ({ count: s.count, stack: framesOf(stacks, s.stack).map((fr) => fr.func) })),
      runnable_max: f.runnableMax,
      runnable_avg: Math.round(f.runnableAvg * 10) / 10,
      stw_kind: f.stwKind || null,
      stw_delay_ns: f.stwDelayNs,
      stw_goroutine: f.stwGoroutine >= 0 ? f.stwGoroutine : null,
      stw_stack: framesOf(stacks, f.stwStack).map((fr) => fr.func),
      idle_procs: f.idleProcs,
      waiting: f.waiting.map((w) => ({ goroutine: w.goroutine, name: w.name, since_ns: w.sinceNs })),
      ps_stuck_at_once: f.p >= 0 ? f.psStuckAtOnce : null,
      gomaxprocs: f.gomaxprocs > 0 ? f.gomaxprocs : null,
      whole_program: wholeProgram(f),
      program_frame: programFrame(frames) ?? null,
      victims: {
        runnable: f.victims.runnable,
        longest_wait_ns: f.victims.longestWaitNs,
        woke_after: f.victims.wokeAfter,
        examples: f.victims.examples.map((e) => ({ goroutine: e.goroutine, name: e.name, waited_ns: e.waitedNs >= 0 ? e.waitedNs : null, woke: e.woke })),
      },
      released_after: released ? { goroutine: released.goroutine, name: released.name, at_ns: released.atNs, stack: framesOf(stacks, released.stack).map((fr) => fr.func) } : null,
    },
  };
}

/** How sure a locked-goroutine verdict is: each goroutine resumed on its own thread by P handoff at least once; more goroutines and more handoffs each leave less room for chance. */
function lockedConfidence(goroutines: number, handoffs: number): 'high' | 'medium' | 'low' {
  if (goroutines >= 4 || (goroutines >= 2 && handoffs >= 2 * goroutines)) return 'high';
  return goroutines >= 2 || handoffs >= 2 ? 'medium' : 'low';
}

const avg = (w: { count: number; totalNs: number }): number => (w.count > 0 ? Math.round(w.totalNs / w.count) : 0);

/**
 * Threads far past GOMAXPROCS, and why: goroutines locked to their threads (each parks a thread
 * while it blocks), goroutines in blocking system calls (each keeps its thread in the kernel after
 * its P left), or both.
 */
function threadGrowth(a: TraceAnalysis, stacks: StackTable): Finding | undefined {
  const t = a.threads;
  // Go 1.11–1.21 traces may carry no GOMAXPROCS event: the Ps seen stand in.
  const gomaxprocs = t.gomaxprocs || a.summary.maxGomaxprocs || a.summary.procs;
  if (gomaxprocs <= 0 || t.threads <= gomaxprocs + THREAD_SLACK) return undefined;
  const excess = t.threads - gomaxprocs;
  const enough = Math.max(2, excess / 4);
  const lockedGs = t.locked.reduce((n, l) => n + l.goroutines, 0);
  const byLock = t.lockedThreads >= enough;
  const bySyscall = t.maxBlockedInSyscall >= enough;
  const why = byLock && bySyscall ? 'both' : byLock ? 'locked-goroutines' : bySyscall ? 'blocking-syscalls' : 'unexplained';
  const top = t.locked[0];
  const lockStack = top ? framesOf(stacks, top.lockedBlockStack || top.creationStack) : [];
  const sysStack = framesOf(stacks, t.blockingSyscallStack);
  const stack = why === 'blocking-syscalls' ? sysStack : why === 'unexplained' ? [] : lockStack;
  const own = programFrame(stack);
  const handoffs = t.locked.reduce((n, l) => n + l.handoffs, 0);
  const reasons: string[] = [];
  if (byLock) reasons.push(`${fmtCountOf(lockedGs, 'goroutine')} locked to their threads (runtime.LockOSThread)`);
  if (bySyscall) reasons.push(`up to ${fmtCountOf(t.maxBlockedInSyscall, 'goroutine')} at once in blocking system calls`);
  const title =
    `${t.threads} threads for GOMAXPROCS=${gomaxprocs}: ` +
    (reasons.length ? reasons.join(' and ') : 'threads the trace does not explain (cgo calls, or threads made before the trace)') +
    (own ? ` in ${own}` : '');
  const detail: string[] = [];
  if (t.growthStartNs >= 0) detail.push(`past GOMAXPROCS + ${THREAD_SLACK} from ${ms(t.growthStartNs - a.summary.startNs)} into the trace`);
  if (byLock) {
    detail.push(
      'a locked goroutine parks its thread whenever it blocks (its thread may run nothing else), so every blocked locked goroutine costs a thread, ' +
        `and every wakeup a P handoff to that thread (${fmtCountOf(handoffs, 'handoff')} seen; a wakeup waited ${ms(avg(t.lockedWakeNs))} on average against ${ms(avg(t.otherWakeNs))} for other goroutines)`,
    );
    detail.push(`the stack is where they blocked while locked: the LockOSThread call is in that function or its callers (confidence ${lockedConfidence(lockedGs, handoffs)})`);
  }
  if (bySyscall) detail.push('a goroutine in a blocking system call keeps its thread after the runtime hands its P to another thread, which a new thread may have to run');
  return {
    kind: 'thread-growth',
    severity: 'warning',
    title,
    detail: detail.join('; '),
    startNs: t.growthStartNs >= 0 ? t.growthStartNs : undefined,
    goroutine: top?.exampleGoroutine,
    goroutineName: top?.name,
    stack,
    ...(stack === lockStack && stack.length ? { stackNote: 'where the locked goroutines blocked while holding their threads' } : stack === sysStack && stack.length ? { stackNote: 'where the most goroutines entered the blocking system call' } : {}),
    evidence: {
      threads: t.threads,
      gomaxprocs,
      why,
      locked_goroutines: lockedGs,
      locked_threads: t.lockedThreads,
      handoffs,
      confidence: byLock ? lockedConfidence(lockedGs, handoffs) : bySyscall ? 'high' : 'low',
      blocked_in_syscall_max: t.maxBlockedInSyscall,
      growth_start_ns: t.growthStartNs >= 0 ? t.growthStartNs : null,
      locked_wake_avg_ns: avg(t.lockedWakeNs),
      other_wake_avg_ns: avg(t.otherWakeNs),
      program_frame: own ?? null,
    },
  };
}

/** Why a group of blocked goroutines is a leak suspect: a blocked goroutine is not one by itself. */
export type LeakReason = 'wait-nobody-can-end' | 'growing' | 'pileup';

const LEAK_WHY: Record<LeakReason, string> = {
  'wait-nobody-can-end': 'a wait nothing can end',
  growing: 'their number grew during the trace',
  pileup: 'a pile-up at one place in the program',
};

/** Waits no other goroutine can end: a nil channel, a select with no cases. */
const ENDLESS = /^forever$|nil chan|no cases/;

/** Goroutines of the standard library that wait idle on purpose: keep-alive connection loops, servers between requests. */
const IDLE_BY_DESIGN = /^net\/http\.\(\*persistConn\)\.(readLoop|writeLoop)$|^net\/http\.\(\*conn\)\.serve$|^net\/http\.\(\*Server\)\.Serve$|^net\/http\.\(\*http2ClientConn\)\.readLoop$|^database\/sql\.\(\*DB\)\.(connectionOpener|connectionCleaner|connectionResetter)$|^net\/http\.\(\*connReader\)\.backgroundRead$/;

/** This many goroutines parked at one site of the program's own code are a pile-up, whatever they wait on. */
export const PILEUP_GOROUTINES = 500;

/**
 * Whether goroutines still blocked at the end are leak suspects, and why. A goroutine blocked all
 * trace long is not one by itself: idle pools and connections, main waiting for its workers, and
 * whatever a snapshot's window cuts off look the same. A suspect needs a reason: a wait nothing can
 * end, a group that grew during the trace, or a pile-up at one site of the program's code.
 */
export function leakSuspect(g: StuckGroup, frames: readonly Frame[], span: number, traceStart = 0): { why: LeakReason; on: string; detail: string } | undefined {
  // runtime/trace.Start.func1 reads the trace itself; Go 1.11–1.21 traces give no reason for its park.
  const system = isRuntimeFunc(g.name) || isRuntimeInternal(g.reason, frames);
  if (system) return undefined;
  const on = leakWait(g.reason, frames);
  if (on === undefined) return undefined;
  if (ENDLESS.test(g.reason) || /select with no cases/.test(on)) {
    return { why: 'wait-nobody-can-end', on, detail: 'nothing can wake them: a nil channel or a select with no cases blocks forever; each one is a leaked goroutine and its stack' };
  }
  if (frames.some((f) => IDLE_BY_DESIGN.test(f.func)) || IDLE_BY_DESIGN.test(g.name)) return undefined;
  const whole = g.sinceTraceStart || g.longestNs >= span * 0.5;
  if (g.createdDuringTrace >= 3 && whole) {
    return {
      why: 'growing',
      on,
      detail:
        `${g.createdDuringTrace} of them were created during the trace (from ${ms(g.firstCreatedNs - traceStart)} to ${ms(g.lastCreatedNs - traceStart)} into it) and blocked here for good: ` +
        'the group grows while the program runs, the shape of a leak (a channel nobody sends to or closes, a result nobody reads)',
    };
  }
  if (g.goroutines >= PILEUP_GOROUTINES && whole && frames.some((f) => isProgramCode(f.func))) {
    return { why: 'pileup', on, detail: `${g.goroutines} goroutines wait at one place in the program's code for (nearly) the whole trace: a pile-up, or a leak that stopped growing before the trace began` };
  }
  return undefined;
}

/** What its stack says a goroutine waits on, when that is a channel, select or sync primitive. */
const SYNC_SITES: ReadonlySet<string> = new Set(['chan receive', 'chan send', 'select', 'select with no cases', 'mutex', 'WaitGroup.Wait', 'Cond.Wait']);

/**
 * What a goroutine blocked for the whole trace waits on, if that makes it a leak suspect:
 * a channel, select or sync wait by its reason; "forever" (a nil channel, an empty select);
 * or, when the trace gives no reason, a channel or sync wait by its stack. Else undefined.
 */
export function leakWait(reason: string, frames: readonly Frame[]): string | undefined {
  const cls = blockClass('Waiting', reason);
  if (cls === 'sync' || reason === 'forever') return reason;
  if (cls !== 'other') return undefined; // network, sleep
  const site = waitReason(frames);
  return site !== undefined && SYNC_SITES.has(site) ? `${site} (from its stack)` : undefined;
}

export function traceFindings(a: TraceAnalysis, stacks: StackTable, traceHash: string): Finding[] {
  const out: Finding[] = a.stuck.findings.map((f) => stuckFinding(f, stacks, traceHash));
  const span = a.summary.durationNs;

  for (const g of a.goroutines.blockedAtEnd) {
    const frames = framesOf(stacks, g.stack);
    const suspect = leakSuspect(g, frames, span, a.summary.startNs);
    if (suspect === undefined) continue;
    const own = programFrame(frames);
    out.push({
      kind: 'goroutine-leak',
      severity: 'warning',
      title: `${g.goroutines} goroutine(s) ${g.name ? `(${g.name}) ` : ''}blocked on ${suspect.on}${own ? ` in ${own}` : ''} ${g.sinceTraceStart ? 'since before the trace began' : `for ${ms(g.longestNs)}`}, still blocked at the end: ${LEAK_WHY[suspect.why]}`,
      detail: suspect.detail,
      durationNs: g.longestNs,
      goroutine: g.exampleGoroutine,
      goroutineName: g.name,
      stack: frames,
      evidence: {
        goroutines: g.goroutines,
        reason: g.reason,
        longest_ns: g.longestNs,
        since_trace_start: g.sinceTraceStart,
        leak_reason: suspect.why,
        created_during_trace: g.createdDuringTrace,
        program_frame: own ?? null,
      },
    });
  }

  const growth = threadGrowth(a, stacks);
  if (growth) out.push(growth);
  for (const l of a.threads.locked) {
    if (l.goroutines < 4) continue;
    const own = programFrame(framesOf(stacks, l.lockedBlockStack));
    out.push({
      kind: 'locked-threads',
      // When the thread growth finding already names them, this is its detail, not a second warning.
      severity: growth !== undefined && growth.evidence['why'] !== 'blocking-syscalls' ? 'info' : 'warning',
      title: `${l.goroutines} goroutines (${l.name}) each ran on an OS thread of its own: runtime.LockOSThread${own ? ` (at ${own})` : ''}`,
      detail:
        'every time these goroutines ran, they ran on the same thread, and that thread ran nothing else. Each needs its own thread, ' +
        `so threads pile up (${a.threads.threads} threads in the trace) and every wakeup is a thread handoff. ` +
        (l.lockedBlockStack ? 'The stack below is where they blocked while holding their thread: the LockOSThread call is on it or just before it' : 'Look for LockOSThread in the code that created them (below)'),
      goroutine: l.exampleGoroutine,
      goroutineName: l.name,
      thread: l.exampleThread,
      stack: framesOf(stacks, l.lockedBlockStack || l.creationStack),
      evidence: {
        goroutines: l.goroutines,
        handoffs: l.handoffs,
        threads_in_trace: a.threads.threads,
        creation_stack: framesOf(stacks, l.creationStack).map((f) => f.func),
      },
    });
  }

  const sl = a.schedLatency.overall;
  if (sl.count > 0 && sl.p99 >= 10e6) {
    const worst = a.schedLatency.byFunction.slice().sort((x, y) => y.p99 - x.p99)[0];
    out.push({
      kind: 'sched-latency',
      severity: 'warning',
      title: `goroutines waited up to ${ms(sl.max)} for a P (p99 ${ms(sl.p99)}, p50 ${ms(sl.p50)})`,
      detail: `runnable goroutines waited long to run${worst ? `; worst: ${worst.name} (p99 ${ms(worst.p99)})` : ''}`,
      durationNs: sl.max,
      stack: [],
      evidence: { p50_ns: sl.p50, p90_ns: sl.p90, p99_ns: sl.p99, max_ns: sl.max, count: sl.count },
    });
  }

  const programs = a.blocking.records.filter((r) => r.class !== 'sched' && r.class !== 'other' && !isRuntimeInternal(r.reason, framesOf(stacks, r.stack)));
  // Lock contention: goroutines waited on a sync.Mutex/RWMutex at one site, on average at least half a goroutine all trace long.
  const lock = programs.find((r) => r.class === 'sync' && waitReason(framesOf(stacks, r.stack)) === 'mutex');
  const contended = lock !== undefined && span > 0 && lock.totalNs >= span * CONTENTION_SHARE ? lock : undefined;
  if (contended) {
    const lock = contended;
    out.push({
      kind: 'contention',
      severity: 'warning',
      title: `lock contention: goroutines waited ${ms(lock.totalNs)} on one lock in a ${ms(span)} trace (${fmtCountOf(lock.count, 'wait')}; ${(lock.totalNs / span).toFixed(1)} goroutines waiting on average)`,
      detail:
        `p50 ${ms(lock.hist.quantile(0.5))}, p99 ${ms(lock.hist.quantile(0.99))}, longest ${ms(lock.worstNs)} (goroutine ${lock.worstGoroutine}). ` +
        'The stack is where they waited to lock; the code holding the lock meanwhile is what to shorten or split (a mutex profile names the Unlock sites)',
      durationNs: lock.totalNs,
      goroutine: lock.worstGoroutine,
      stack: framesOf(stacks, lock.stack),
      evidence: { class: lock.class, reason: lock.reason, total_ns: lock.totalNs, count: lock.count, trace_ns: span, waiting_avg: Math.round((lock.totalNs / span) * 10) / 10 },
    });
  }
  // The headline is where goroutines kept waiting on something: not one goroutine waiting out
  // the trace (main joining its workers, an idle loop), nor sleeps (waiting on purpose), unless
  // there is nothing else.
  const oneLongWait = (r: BlockRecord): boolean => r.count <= 2 && r.worstNs >= span * 0.5;
  const top = programs.find((r) => r.class !== 'sleep' && !oneLongWait(r)) ?? programs.find((r) => !oneLongWait(r)) ?? programs[0];
  if (top && top !== contended) {
    out.push({
      kind: 'blocking',
      severity: 'info',
      title: `most blocked time: ${ms(top.totalNs)} of goroutine-time (waits added up) in ${fmtCountOf(top.count, 'wait')} on ${top.reason || top.class}${programFrame(framesOf(stacks, top.stack)) ? ` at ${programFrame(framesOf(stacks, top.stack))}` : ''}`,
      detail: `p50 ${ms(top.hist.quantile(0.5))}, p99 ${ms(top.hist.quantile(0.99))}, longest ${ms(top.worstNs)} (goroutine ${top.worstGoroutine})`,
      durationNs: top.totalNs,
      goroutine: top.worstGoroutine,
      stack: framesOf(stacks, top.stack),
      evidence: { class: top.class, reason: top.reason, total_ns: top.totalNs, count: top.count },
    });
  }
  return sortFindings(out);
}
