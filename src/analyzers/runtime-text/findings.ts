/**
 * The findings the runtime's scheduler and GC text supports, in the shared
 * Finding model (the same kinds as traces where they mean the same). This
 * text has no stacks: findings name Ps, Ms and goroutine ids instead.
 */
import { fmtCountOf, fmtDuration } from '../../util/units.js';
import { FINDING_KINDS, type Finding, type FindingKind } from '../../model/findings.js';
import type { GcResult } from './gc.js';
import type { IdleBacklog } from './idle-backlog.js';
import type { StuckRun } from './stuck-ps.js';
import type { ThreadsResult } from './threads.js';
import { THREAD_SLACK } from '../trace/threads.js';

const at = (ns: number): string => `${fmtDuration(ns)} into the log`;
const base = (kind: FindingKind): Pick<Finding, 'kind' | 'severity' | 'stack'> => ({ kind, severity: FINDING_KINDS[kind].severity, stack: [] });

export function stuckPFinding(r: StuckRun, thresholdNs: number): Finding {
  const span = r.lastNs - r.firstNs;
  const upTo = r.beforeNs !== undefined && r.afterNs !== undefined ? r.afterNs - r.beforeNs : undefined;
  const who = r.goroutine !== undefined ? `goroutine ${r.goroutine}${r.goroutineState ? ` (${r.goroutineState})` : ''}` : 'a goroutine';
  const holder = r.m !== undefined ? `M${r.m} held P${r.p} running ${who}` : `P${r.p} stayed busy (idleprocs=0; no scheddetail=1 to name its M and goroutine)`;
  const detail = [
    `${holder} in every sample from ${fmtDuration(r.firstNs)} to ${fmtDuration(r.lastNs)} into the log${r.openAtEnd ? ' (the last one)' : ''}, and its schedtick stayed ${r.schedtick} across those ${fmtCountOf(r.samples, 'sample')}` +
      (upTo !== undefined ? `: the stall lasted between ${fmtDuration(span)} and ${fmtDuration(upTo)}.` : '.'),
    'sysmon preempts a goroutine whose P has not rescheduled for 10 ms, so a tick frozen this long means the goroutine could not be preempted: a tight loop without safe points, or a system call the runtime was not told about (syscall.RawSyscall, some cgo calls).',
    r.queuedOnP + r.queuedGlobal > 0 ? `Meanwhile up to ${fmtCountOf(r.queuedOnP, 'goroutine')} waited in this P's run queue and ${r.queuedGlobal} in the global one.` : '',
    r.stoppingTheWorld ? 'The runtime was trying to stop the world at the time (gcwaiting=true): every other goroutine waited for this P too.' : '',
    r.lockedToThread ? 'The goroutine is locked to its thread (LockOSThread).' : '',
  ].filter(Boolean).join(' ');
  return {
    ...base('stuck-p'),
    title: `P${r.p} stuck for at least ${fmtDuration(span)}${r.goroutine !== undefined ? ` running goroutine ${r.goroutine}` : ''}: its schedtick did not move`,
    detail,
    startNs: r.firstNs,
    durationNs: span,
    p: r.p,
    ...(r.m !== undefined && { thread: r.m }),
    ...(r.goroutine !== undefined && { goroutine: r.goroutine }),
    evidence: {
      stuck_ns: span, at_most_ns: upTo ?? null, schedtick: r.schedtick, samples: r.samples, first_seen_ns: r.firstNs, last_seen_ns: r.lastNs,
      m: r.m ?? null, goroutine_state: r.goroutineState ?? null, locked_to_thread: r.lockedToThread,
      queued_on_p: r.queuedOnP, queued_global: r.queuedGlobal, stopping_the_world: r.stoppingTheWorld, open_at_end: r.openAtEnd, scheddetail: r.detailed, threshold_ns: thresholdNs,
    },
  };
}

export function idleBacklogFinding(b: IdleBacklog): Finding {
  return {
    ...base('idle-backlog'),
    title: `Runnable goroutines queued while Ps sat idle, ${b.samples} samples in a row`,
    detail: `From ${at(b.firstNs)} to ${at(b.lastNs)} up to ${fmtCountOf(b.maxQueued, 'goroutine')} waited in run queues while up to ${fmtCountOf(b.maxIdleProcs, 'P')} sat idle. ` +
      'An idle P takes queued work as soon as it is woken; work that keeps waiting means wake-ups that did not happen or goroutines that cannot move (locked to a busy thread).',
    startNs: b.firstNs,
    durationNs: b.lastNs - b.firstNs,
    evidence: { samples: b.samples, first_ns: b.firstNs, last_ns: b.lastNs, max_queued: b.maxQueued, max_idle_procs: b.maxIdleProcs },
  };
}

/** Why threads grew, in the words of the trace's thread-growth finding. */
type GrowthWhy = 'locked-goroutines' | 'blocking-syscalls' | 'both' | 'unexplained';

export function threadGrowthFinding(t: ThreadsResult): Finding | undefined {
  const p = t.peak;
  if (!p || p.threads <= p.gomaxprocs + THREAD_SLACK) return undefined;
  const locked = (p.lockedMs ?? 0) > 0;
  const syscalls = (p.syscallMs ?? 0) > 0;
  const why: GrowthWhy = locked && syscalls ? 'both' : locked ? 'locked-goroutines' : syscalls ? 'blocking-syscalls' : 'unexplained';
  const doing = p.lockedMs === undefined
    ? `no scheddetail=1 to say what they did; ${p.idlethreads} were idle`
    : [
        locked ? `${fmtCountOf(p.lockedMs!, 'M')} locked to goroutines (runtime.LockOSThread), ${p.idleLocked ?? 0} of them idle waiting for their goroutine` : '',
        syscalls ? `${fmtCountOf(p.syscallMs!, 'M')} in system calls` : '',
        `${p.idlethreads} idle`,
      ].filter(Boolean).join(', ');
  return {
    ...base('thread-growth'),
    title: `${p.threads} threads for GOMAXPROCS=${p.gomaxprocs} (from ${t.firstThreads} at the start of the log)`,
    detail: `At ${at(p.atNs)} the program had ${p.threads} OS threads while only ${p.gomaxprocs} can run Go code at once: ${doing}. ` +
      'A goroutine locked to its thread, or in a blocking system call, keeps that thread; the runtime starts others to run the rest, and does not end idle threads.',
    startNs: p.atNs,
    evidence: { threads: p.threads, gomaxprocs: p.gomaxprocs, why, first_threads: t.firstThreads, at_ns: p.atNs, idle_threads: p.idlethreads, locked_ms: p.lockedMs ?? null, syscall_ms: p.syscallMs ?? null },
  };
}

/** Info rather than a warning when a thread-growth finding already names the locked Ms (as for traces). */
export function lockedThreadsFinding(t: ThreadsResult, min: number, growth: Finding | undefined): Finding | undefined {
  const l = t.locked;
  if (!l || l.lockedMs < min) return undefined;
  const states = l.byState.map((s) => `${s.count} ${s.state}`).join(', ');
  return {
    ...base('locked-threads'),
    ...(growth && growth.evidence['locked_ms'] ? { severity: 'info' as const } : {}),
    title: `${fmtCountOf(l.lockedMs, 'M')} locked to goroutines at once (${l.threads} threads in all)`,
    detail: `At ${at(l.atNs)} scheddetail shows ${fmtCountOf(l.lockedMs, 'M')} with lockedg set; the goroutines they are locked to were: ${states}. ` +
      'A thread locked to a goroutine runs nothing else, so while that goroutine waits the runtime starts other threads for the rest of the program.',
    startNs: l.atNs,
    evidence: { locked_ms: l.lockedMs, threads: l.threads, at_ns: l.atNs, goroutine_states: l.byState, goroutines: l.goroutines },
  };
}

export function gcPauseFinding(gc: GcResult): Finding | undefined {
  const worst = gc.longest[0];
  if (!worst || gc.longPauses === 0) return undefined;
  const phase = worst.sweepTermNs >= worst.markTermNs ? 'sweep termination (stopping the world to start the cycle)' : 'mark termination';
  return {
    ...base('gc-pause'),
    title: `GC ${worst.n} stopped the world for ${fmtDuration(worst.pauseNs)}`,
    detail: `${fmtCountOf(gc.longPauses, 'collection')} of ${gc.cycles} stopped the world for ${fmtDuration(gc.longPauseNs)} or more. The longest, GC ${worst.n} at ${fmtDuration(worst.atNs)} after start, spent ${fmtDuration(worst.sweepTermNs)} in sweep termination and ${fmtDuration(worst.markTermNs)} in mark termination; most of it in ${phase}. ` +
      'Stopping the world waits for every P to reach a safe point: a long sweep termination means some goroutine did not stop (look for a stuck P at that time), a long mark termination means much left to finish.',
    startNs: worst.atNs,
    durationNs: worst.pauseNs,
    evidence: { cycle: worst.n, pause_ns: worst.pauseNs, sweep_term_ns: worst.sweepTermNs, mark_term_ns: worst.markTermNs, at_ns: worst.atNs, forced: worst.forced, long_pauses: gc.longPauses, cycles: gc.cycles, threshold_ns: gc.longPauseNs },
  };
}
