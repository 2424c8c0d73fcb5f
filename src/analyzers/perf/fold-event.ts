/**
 * Which events a fold keeps. inferno names a sampling event by what precedes
 * its first colon, so "cycles:u", "cycles:uppp" and "cycles" are one event
 * ("cycles"): the default keeps the first event's name, and `--event cycles`
 * keeps all three. A name with its modifiers (`--event cycles:u`) keeps only
 * those samples (inferno keeps none: its names have no colon). Tracepoints
 * ("sched:sched_switch") keep their whole name: inferno cannot fold them
 * (it reads their arguments as a frame).
 */
import { isTracepoint } from '../../parsers/perf/event-line.js';

/** "cycles:u" → "cycles"; "sched:sched_switch" stays. */
export function foldEventName(event: string): string {
  const colon = event.indexOf(':');
  return colon < 0 || isTracepoint(event) ? event : event.slice(0, colon);
}

/** Whether an event is one a fold of `name` keeps. */
export const eventMatches = (name: string, event: string): boolean => event === name || foldEventName(event) === name;
