/**
 * The lines past which the runtime's scheduler and GC text says something is
 * wrong. Facts, in one place; the reasons are in the comments. Threads past
 * GOMAXPROCS + THREAD_SLACK are the trace analyzer's rule (analyzers/trace/threads.ts),
 * and so is the stuck threshold's default (STUCK_THRESHOLD_DEFAULT_NS: sysmon
 * preempts after 10 ms and retakes a P in a syscall within 20 µs–10 ms, so a
 * schedtick frozen for 500 ms is a stuck P).
 */
export const RUNTIME_TEXT_LIMITS = {
  /** A stop-the-world pause this long is felt by every request (healthy ones are well under a millisecond). */
  longGcPauseNs: 10e6,
  /** Work queued while Ps were idle in this many samples in a row: one sample is a racy snapshot, three are not. */
  idleBacklogSamples: 3,
  /** Ms locked to goroutines at once before it is a finding: the main goroutine during init and a cgo callback or two are normal. */
  lockedMs: 4,
  /** Points kept in the time series of counts (neighbours merge, keeping peaks, when a log is longer). */
  seriesPoints: 200,
} as const;
