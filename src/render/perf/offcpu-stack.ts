/**
 * An off-CPU stack for people, leaf first. Every thread leaves the CPU through
 * the same kernel frames (__schedule, schedule, the syscall that slept), so
 * shown whole they make the top stacks look alike. The kernel frames at the
 * leaf fold into one line naming the first that is not the scheduler
 * (do_nanosleep, futex_wait, …); the lines left show the user-space (Go)
 * frames that tell the stacks apart.
 */

/** The scheduler's own frames: __schedule, schedule, schedule_hrtimeout_range…, preempt_schedule…. */
const isScheduler = (name: string): boolean => /^_*(preempt_)?schedule/.test(name);

/** Lines for a stack (leaf first): the folded kernel part, then up to `max` frames and "… N more". */
export function offCpuStackLines(leafFirst: readonly string[], isKernel: (name: string) => boolean, max: number): string[] {
  let k = 0;
  while (k < leafFirst.length && isKernel(leafFirst[k]!)) k++;
  const lines: string[] = [];
  let rest = leafFirst;
  // A kernel thread's stack is all kernel: there it is the story, shown as it is.
  if (k > 0 && k < leafFirst.length) {
    const kernel = leafFirst.slice(0, k);
    const named = kernel.find((n) => !isScheduler(n)) ?? kernel[0]!;
    lines.push(`[kernel] ${named} … (${k} kernel frame${k === 1 ? '' : 's'})`);
    rest = leafFirst.slice(k);
  }
  lines.push(...rest.slice(0, max));
  if (rest.length > max) lines.push(`… ${rest.length - max} more`);
  return lines;
}
