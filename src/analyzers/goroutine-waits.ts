/**
 * What a goroutine is waiting on, from its stack (in a goroutine profile, or in a
 * trace that gives no wait reason): the
 * first frame (from the leaf) that is a known wait site. Running goroutines
 * and unknown stacks have no wait.
 */
import type { Frame } from '../model/stacks.js';

/** Wait sites, most specific first; names as Go 1.19–1.26 spell them. */
const WAIT_SITES: readonly (readonly [RegExp, string])[] = [
  [/^runtime\.chanrecv[12]?$/, 'chan receive'],
  [/^runtime\.chansend1?$/, 'chan send'],
  [/^runtime\.selectgo$/, 'select'],
  [/^runtime\.block$/, 'select with no cases'],
  [/^sync\.\(\*RWMutex\)\.R?Lock$|^sync\.\(\*Mutex\)\.Lock$|^internal\/sync\.\(\*Mutex\)\.lockSlow$/, 'mutex'],
  [/^sync\.\(\*WaitGroup\)\.Wait$/, 'WaitGroup.Wait'],
  [/^sync\.\(\*Cond\)\.Wait$/, 'Cond.Wait'],
  [/^internal\/poll\.runtime_pollWait$/, 'network or file IO'],
  [/^time\.Sleep$/, 'sleep'],
  [/^syscall\.(Syscall6?|RawSyscall6?|read|write)$|^internal\/runtime\/syscall\./, 'syscall'],
];

/** Parked for a reason none of the sites above names. */
const PARKED = /^runtime\.(gopark|goparkunlock)$/;

export function waitReason(frames: readonly Frame[]): string | undefined {
  const near = frames.slice(0, 8);
  for (const f of near) {
    for (const [re, reason] of WAIT_SITES) if (re.test(f.func)) return reason;
  }
  return near.some((f) => PARKED.test(f.func)) ? 'parked' : undefined;
}
