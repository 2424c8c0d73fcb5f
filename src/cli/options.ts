/** The command-line options more than one command takes, each defined once: durations, --parallel, --stuck-threshold, and the perf-capture flags. */
import { Option, type Command } from 'commander';
import type { PerfReadOptions } from '../analyzers/perf/capture.js';
import { STUCK_THRESHOLD_DEFAULT_NS } from '../analyzers/trace/analyze.js';
import { UsageError } from '../errors.js';

const UNITS: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
/** Go's time.ParseDuration units; one or more parts, as in "1m30s". */
const DURATION = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/;

/**
 * "500ms", "1.5s", "1m30s" → nanoseconds, as Go spells durations. A unit is
 * required: a bare "500" could mean 500 ms or 500 s. More than zero unless
 * `allowZero` (a zero threshold or scan interval makes every moment count).
 */
export function parseDuration(text: string, flag: string, allowZero = false): number {
  const s = text.trim();
  if (/^\d+(?:\.\d+)?$/.test(s)) throw new UsageError(`${flag}: "${text}" needs a unit: ns, us, ms, s, m or h (e.g. ${s}ms)`);
  if (!DURATION.test(s)) throw new UsageError(`${flag}: "${text}" is not a duration (examples: 500ms, 1.5s, 1m30s; units ns, us, ms, s, m, h)`);
  let ns = 0;
  for (const [, n, unit] of s.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ns += Number(n) * UNITS[unit!]!;
  ns = Math.round(ns);
  if (ns <= 0 && !allowZero) throw new UsageError(`${flag}: "${text}" must be more than zero (e.g. 500ms)`);
  return ns;
}

/** --parallel / --no-parallel: how many threads read a trace (neither given: two for Go 1.22+ traces of 16 MiB and more). */
export function parallelOption(c: Command): Command {
  return c
    .option('--parallel', 'traces: analyze on two threads, each reading the file (default for Go 1.22+ traces of 16 MiB and more on 2+ CPUs)')
    .option('--no-parallel', 'traces: read the file once, on one thread');
}

/**
 * --stuck-threshold, defined once (analyze, report, watch). Commander hands the
 * action its value already in ns (flags.stuckThreshold), default the analyzer's.
 */
export function stuckThresholdOption(): Option {
  return new Option('--stuck-threshold <duration>', 'a P held this long without scheduling progress is stuck (units ns, us, ms, s, m, h: 500ms, 2s, 1m30s)')
    .default(STUCK_THRESHOLD_DEFAULT_NS, `"${STUCK_THRESHOLD_DEFAULT_NS / 1e6}ms"`)
    .argParser((text) => parseDuration(text, '--stuck-threshold'));
}

// perf captures: the options that shape reading one (analyze, flame, folded, report).

/** The command-line flags that shape a perf read (folded, flame, analyze). */
export interface PerfFlags {
  event?: string;
  pid?: string;
  comm?: string;
  includePid?: boolean;
  includeTid?: boolean;
  annotateKernel?: boolean;
  annotateJit?: boolean;
  includeAddrs?: boolean;
  weight?: string;
  /** The process filter's name on this command line, for its error (folded's is --only-pid). */
  pidFlag?: string;
}

export function perfReadOptions(f: PerfFlags): PerfReadOptions {
  const list = (s: string | undefined): string[] => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  const pids = list(f.pid).map((p) => {
    if (!/^\d+$/.test(p)) throw new UsageError(`${f.pidFlag ?? '--pid'}: "${p}" is not a process id`);
    return Number(p);
  });
  if (f.weight !== undefined && f.weight !== 'period' && f.weight !== 'count') throw new UsageError(`--weight: "${f.weight}" is not period or count`);
  const comms = list(f.comm);
  return {
    fold: {
      event: f.event, pids, comms, includePid: f.includePid, includeTid: f.includeTid, annotateKernel: f.annotateKernel,
      annotateJit: f.annotateJit, includeAddrs: f.includeAddrs, weight: f.weight as 'period' | 'count' | undefined,
    },
    offcpu: { pids, comms, annotateKernel: f.annotateKernel },
  };
}

/** The flags that choose what a perf capture's views keep (analyze, flame, folded). */
export const perfSelectOptions = (c: Command): Command =>
  c
    .option('--event <name>', 'perf captures: fold only this event (default: the first one seen)')
    .option('--pid <list>', 'perf captures: only these processes (pid, or tid when perf printed no pid)')
    .option('--comm <list>', 'perf captures: only these command names')
    .option('--annotate-kernel', 'perf captures: suffix kernel frames with _[k]');

/** All perf flags, with those that shape folded stacks (flame, folded); analyze has no root frame or single weight, so it takes none of these. */
export const perfOptions = (c: Command): Command =>
  perfSelectOptions(c)
    .option('--include-pid', 'perf captures: root frame "comm-pid"')
    .option('--include-tid', 'perf captures: root frame "comm-pid/tid"')
    .option('--weight <how>', 'perf captures: period (default: the sample period when printed) or count');
