import type { Command } from 'commander';
import { UsageError } from '../errors.js';

const UNITS: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9, m: 60e9 };

/** "500ms", "1.5s", "250us" → nanoseconds. A bare number is milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s|m)?$/.exec(text.trim());
  if (!m) throw new UsageError(`${flag}: "${text}" is not a duration (examples: 500ms, 1s, 250us)`);
  return Math.round(Number(m[1]) * UNITS[m[2] ?? 'ms']!);
}

/** --parallel / --no-parallel: how many threads read a trace (neither given: two for Go 1.22+ traces of 16 MiB and more). */
export function parallelOption(c: Command): Command {
  return c
    .option('--parallel', 'traces: analyze on two threads, each reading the file (default for Go 1.22+ traces of 16 MiB and more on 2+ CPUs)')
    .option('--no-parallel', 'traces: read the file once, on one thread');
}
