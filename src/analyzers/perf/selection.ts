/**
 * --pid/--comm: which processes a perf capture's views cover. `perf record -a`
 * records the whole machine, so folded stacks, flame graphs and analyze must
 * all keep the same events, and a report must say when it covers only some.
 */
import type { PerfEvent } from '../../parsers/perf/types.js';

export interface PerfSelection {
  /** Only these processes (pid, or tid when perf printed no pid). */
  readonly pids?: readonly number[];
  /** Only these command names. */
  readonly comms?: readonly string[];
}

/** Whether an event passes --pid/--comm. */
export function selected(ev: Pick<PerfEvent, 'pid' | 'tid' | 'comm'>, sel: PerfSelection): boolean {
  if (sel.pids?.length && !sel.pids.includes(ev.pid ?? ev.tid)) return false;
  if (sel.comms?.length && !sel.comms.includes(ev.comm)) return false;
  return true;
}

/** The selection as the user typed it ("--pid 12,34 --comm app"), or "" when every process is kept. */
export function selectionFlags(sel: PerfSelection): string {
  const parts: string[] = [];
  if (sel.pids?.length) parts.push(`--pid ${sel.pids.join(',')}`);
  if (sel.comms?.length) parts.push(`--comm ${sel.comms.join(',')}`);
  return parts.join(' ');
}

/** What a selection kept of a view: reports show it, so a partial or empty view is not read as the whole capture. */
export interface SelectionCount extends PerfSelection {
  readonly kept: number;
  readonly total: number;
  /** What kept and total count: "cpu-clock samples", "switches". */
  readonly unit: string;
}
