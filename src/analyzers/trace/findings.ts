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
import type { StackIs, StuckPFinding } from './stuck-procs.js';

const ms = fmtDuration;

/** Lock waits at one site summing to this share of the trace's span (0.5: half a goroutine waiting all along) are contention. */
export const CONTENTION_SHARE = 0.5;

/** Frames worth showing: drops the empty frames some Go versions record. */
export function framesOf(stacks: StackTable, id: number): Frame[] {
  return stacks.frames(id).filter((f) => f.func !== '');
}

const CAUSE_TITLE: Record<StuckPFinding['cause'], string> = {
  'non-preemptible-run': 'ran without being preempted',
  'syscall-holding-p': 'held its P in a call the runtime did not hand off',
  'runtime-no-goroutine': 'was held by runtime code',
  'idle-ps-while-runnable': 'sat idle while goroutines waited to run',
  'slow-stop-the-world': 'stopped the world slowly',
};

/** What each kind of stuck-P stack shows (see StackIs); undefined: plainly where it was stuck. */
export const STACK_NOTE: Record<StackIs, string | undefined> = {
  'syscall-entry': 'where it entered the call that held the P',
  'cpu-sample': 'where CPU samples caught it during the hold (the commonest sample)',
  'next-yield': 'where it next yielded, after the hold: the trace has no stack from inside the hold; the call or loop that held the P ends just before this point',
  'hold-start': 'where the hold began',
  creation: 'where the goroutine was created (its go statement): the trace has no stack from the hold or after it',
  'stw-initiator': 'the goroutine that stopped the world',
  none: 'the trace has no stack for this hold',
};

function stuckFinding(f: StuckPFinding, stacks: StackTable, traceHash: string): Finding {
  const who = f.goroutine >= 0 ? `goroutine ${f.goroutine}${f.goroutineName ? ` (${f.goroutineName})` : ''}` : '';
  let title: string;
  if (f.cause === 'idle-ps-while-runnable') {
    title = `${f.idleProcs} P(s) idle for ${ms(f.durationNs)} while ${f.runnableMax} goroutine(s) waited to run`;
  } else if (f.cause === 'slow-stop-the-world') {
    title = `stop-the-world (${f.stwKind}) took ${ms(f.durationNs)}${f.p >= 0 ? `, waiting for P${f.p}${who ? ` running ${who}` : ''}` : ''}`;
  } else {
    title = `P${f.p} stuck for ${f.beganBeforeTrace ? 'at least ' : ''}${ms(f.durationNs)}: ${who || 'no goroutine'} ${CAUSE_TITLE[f.cause]}`;
  }
  return {
    kind: 'stuck-p',
    severity: 'critical',
    title,
    detail: f.detail,
    startNs: f.startNs,
    durationNs: f.durationNs,
    p: f.p,
    thread: f.thread,
    goroutine: f.goroutine,
    goroutineName: f.goroutineName,
    stack: framesOf(stacks, f.stack),
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
    },
  };
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
    // runtime/trace.Start.func1 is the goroutine that reads the trace itself. Go 1.22+ says
    // "system goroutine wait" when it parks; Go 1.11–1.21 (v1) traces give no reason at all.
    const system = isRuntimeFunc(g.name) || isRuntimeWait(g.reason);
    const whole = g.sinceTraceStart || g.longestNs >= span * 0.5;
    if (system || !whole) continue;
    // Only waits on channels, select and sync primitives: an idle listener or connection (network),
    // a timer loop (sleep) is how a healthy server looks. A wait the trace gives no reason for
    // (blocked before it began) is judged by its stack, where the trace has one (Go 1.23+).
    const on = leakWait(g.reason, framesOf(stacks, g.stack));
    if (on === undefined) continue;
    out.push({
      kind: 'goroutine-leak',
      severity: 'warning',
      title: `${g.goroutines} goroutine(s) ${g.name ? `(${g.name}) ` : ''}blocked on ${on} ${g.sinceTraceStart ? 'since before the trace began' : `for ${ms(g.longestNs)}`}, still blocked at the end`,
      detail: 'blocked for (nearly) the whole trace and never woken: a goroutine leak suspect, or a wait on something that never comes',
      durationNs: g.longestNs,
      goroutine: g.exampleGoroutine,
      goroutineName: g.name,
      stack: framesOf(stacks, g.stack),
      evidence: { goroutines: g.goroutines, reason: g.reason, longest_ns: g.longestNs, since_trace_start: g.sinceTraceStart },
    });
  }

  for (const l of a.threads.locked) {
    if (l.goroutines < 4) continue;
    out.push({
      kind: 'locked-threads',
      severity: 'warning',
      title: `${l.goroutines} goroutines (${l.name}) each ran on an OS thread of its own: runtime.LockOSThread`,
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
      title: `most blocked time: ${ms(top.totalNs)} in ${fmtCountOf(top.count, 'wait')} on ${top.reason || top.class}`,
      detail: `p50 ${ms(top.hist.quantile(0.5))}, p99 ${ms(top.hist.quantile(0.99))}, longest ${ms(top.worstNs)} (goroutine ${top.worstGoroutine})`,
      durationNs: top.totalNs,
      goroutine: top.worstGoroutine,
      stack: framesOf(stacks, top.stack),
      evidence: { class: top.class, reason: top.reason, total_ns: top.totalNs, count: top.count },
    });
  }
  return sortFindings(out);
}
