/**
 * The argument text of the sched tracepoints off-CPU analysis reads (kernel
 * format strings, include/trace/events/sched.h). Comms may hold spaces, so the
 * patterns anchor on the keys that follow them.
 */
export interface SwitchArgs {
  readonly prevComm: string;
  readonly prevPid: number;
  /** "R", "R+" (preempted), "S", "D", "I", "X", … */
  readonly prevState: string;
  readonly nextComm: string;
  readonly nextPid: number;
}

/** sched_stat_sleep, sched_stat_blocked: how long a thread slept or was blocked, told when it is woken. */
export interface StatArgs {
  readonly comm: string;
  readonly pid: number;
  readonly delayNs: number;
}

export interface WakeupArgs {
  readonly comm: string;
  readonly pid: number;
}

// prev_comm=perfload prev_pid=19256 prev_prio=120 prev_state=S ==> next_comm=khugepaged next_pid=38 next_prio=139
const SWITCH = /^prev_comm=(.*) prev_pid=(-?\d+) prev_prio=-?\d+ prev_state=(\S+) ==> next_comm=(.*) next_pid=(-?\d+) next_prio=-?\d+$/;
// comm=perfload pid=5842 prio=120 target_cpu=000   (older kernels add "success=1")
const WAKEUP = /^comm=(.*) pid=(-?\d+) prio=-?\d+(?: success=\d+)? target_cpu=\d+$/;

// comm=perfload pid=19256 delay=2105043 [ns]   (kernel/sched/stats.h: the delay is also the sample period)
const STAT = /^comm=(.*) pid=(-?\d+) delay=(\d+) \[ns\]$/;

export function parseStatArgs(trace: string): StatArgs | undefined {
  const m = STAT.exec(trace.trim());
  return m ? { comm: m[1]!, pid: Number(m[2]), delayNs: Number(m[3]) } : undefined;
}

export function parseSwitchArgs(trace: string): SwitchArgs | undefined {
  const m = SWITCH.exec(trace.trim());
  return m ? { prevComm: m[1]!, prevPid: Number(m[2]), prevState: m[3]!, nextComm: m[4]!, nextPid: Number(m[5]) } : undefined;
}

export function parseWakeupArgs(trace: string): WakeupArgs | undefined {
  const m = WAKEUP.exec(trace.trim());
  return m ? { comm: m[1]!, pid: Number(m[2]) } : undefined;
}

/** prev_state letters: what the thread was doing when it left the CPU. */
export const PREV_STATES: Readonly<Record<string, string>> = {
  R: 'R running, preempted',
  S: 'S sleeping',
  D: 'D uninterruptible',
  I: 'I idle',
  T: 'T stopped',
  t: 't traced',
  P: 'P parked',
  X: 'X dead',
  Z: 'Z zombie',
};

export const stateLabel = (prevState: string): string => PREV_STATES[prevState[0] ?? ''] ?? `${prevState} other`;
