/**
 * Findings from off-CPU time (a perf sched capture): what the threads slept in
 * says what the Go runtime was doing with them. A thread parked in
 * runtime.stoplockedm holds a goroutine locked to it (runtime.LockOSThread):
 * the thread may run nothing else while its goroutine is blocked, so a
 * LockOSThread pile-up shows as threads asleep there, the same incident a
 * trace calls thread growth.
 */
import { sortFindings, type Finding } from '../../model/findings.js';
import type { Frame } from '../../model/stacks.js';
import { fmtDuration } from '../../util/units.js';
import type { WeightedStack } from '../../model/weighted.js';
import type { OffCpuResult } from './offcpu.js';

/** Where a locked goroutine's thread sleeps while its goroutine is blocked. */
const LOCKED_PARK = /^runtime\.stoplockedm$/;
/**
 * This share of the capture's off-CPU time parked for locked goroutines, and this much time, make a
 * finding. Idle threads (runtime.stopm, the network poller) sleep most of the time in a healthy
 * program, and the main goroutine is locked to its thread during package init: only a majority
 * parked for locked goroutines is a pile-up (a LockOSThread handler under load: 75–90%; its control
 * without the lock: under 30%).
 */
const LOCKED_SHARE = 0.5;
const LOCKED_MIN_NS = 100e6;

export function offCpuFindings(o: OffCpuResult): Finding[] {
  // By process (the stacks' second root frame is the comm): a whole-system capture holds every program's idle threads.
  const byComm = new Map<string, { total: number; locked: number; top: WeightedStack | undefined; stacks: number }>();
  for (const s of o.stacks) {
    const comm = s.frames[1] ?? '';
    const e = byComm.get(comm) ?? { total: 0, locked: 0, top: undefined, stacks: 0 };
    e.total += s.value;
    if (s.frames.some((f) => LOCKED_PARK.test(f))) {
      e.locked += s.value;
      e.stacks++;
      if (e.top === undefined || s.value > e.top.value) e.top = s;
    }
    byComm.set(comm, e);
  }
  const out: Finding[] = [];
  for (const [comm, e] of byComm) {
    if (e.top === undefined || e.locked < LOCKED_MIN_NS || e.locked < e.total * LOCKED_SHARE) continue;
    // Root first, [state, comm, …]: the stack proper, leaf first, as findings hold it.
    const stack: Frame[] = e.top.frames
      .slice(2)
      .filter((f) => !o.kernelFrames.has(f))
      .reverse()
      .map((func) => ({ func, file: '', line: 0, pc: 0 }));
    const share = e.locked / e.total;
    out.push({
      kind: 'locked-threads',
      severity: 'warning',
      title: `${comm}: threads slept ${fmtDuration(e.locked)} (${(share * 100).toFixed(1)}% of its off-CPU time) parked for goroutines locked to them: runtime.LockOSThread`,
      detail:
        'runtime.stoplockedm parks a thread whose goroutine is locked to it (runtime.LockOSThread) while that goroutine is blocked: the thread may run nothing else, ' +
        'so every blocked locked goroutine costs a thread, and every wakeup a handoff (runtime.startlockedm). ' +
        'The goroutine stacks are not in a perf capture: a trace (thread-growth) or a goroutine dump (locked to thread) names the code that locked',
      stack,
      stackNote: 'the thread parked for its locked goroutine (runtime frames: perf sees the thread, not the goroutine)',
      evidence: { comm, offcpu_ns: e.locked, share, total_offcpu_ns: e.total, stacks: e.stacks },
    });
  }
  return sortFindings(out);
}
