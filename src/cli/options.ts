import { Option, type Command } from 'commander';
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
