/**
 * A `perf script` capture read once: one streaming pass feeds the folder
 * (on-CPU folded stacks, stackcollapse-perf rules), the Profile builder and
 * the off-CPU analyzer; the text itself is never held.
 */
import { OFFCPU_TIME, OffCpuAnalyzer, SCHED_SWITCH, type OffCpuOptions, type OffCpuResult } from './offcpu.js';
import { PerfFolder, type FoldOptions } from './fold.js';
import { PerfProfileBuilder } from './profile.js';
import { selectionFlags, type PerfSelection, type SelectionCount } from './selection.js';
import type { ByteSource } from '../../io/byte-source.js';
import { HashingSource } from '../../io/hashing-source.js';
import type { Profile } from '../../model/profile.js';
import { PerfDiagnostics, readLineBatches, readPerfScript } from '../../parsers/perf/index.js';
import { eventMatches } from './fold-event.js';

export const PERF_VIEWS = ['cpu', 'offcpu'] as const;
export type PerfView = (typeof PERF_VIEWS)[number];

export interface PerfCapture {
  readonly file: string;
  readonly bytes: number;
  /** "" when not asked for. */
  readonly sha256: string;
  /** perf --header lines, e.g. "perf version : 6.1.187". */
  readonly comments: readonly string[];
  readonly eventCounts: ReadonlyMap<string, number>;
  readonly folder: PerfFolder;
  /** The folded event's samples as a Profile (when asked for, and the capture has events). */
  readonly profile: Profile | undefined;
  /** Off-CPU time, when the capture has sched:sched_switch or offcpu-time events. */
  readonly offcpu: OffCpuResult | undefined;
  readonly diagnostics: PerfDiagnostics;
  /** The view a command shows when none is named: off-CPU for sched captures. */
  readonly defaultView: PerfView;
}

export interface PerfReadOptions {
  readonly fold?: FoldOptions;
  readonly offcpu?: OffCpuOptions;
  /** Build the Profile (analyze): it holds one record per sample, so folded and flame do without. */
  readonly profile?: boolean;
  /** Hash the input for provenance (default true; folded output names no input, so it skips the cost). */
  readonly hash?: boolean;
}

/** `file` is the name the capture is shown by (its path, or <stdin>). */
export function readPerfCapture(file: string, src: ByteSource, opts: PerfReadOptions = {}): PerfCapture {
  const hashing = opts.hash === false ? undefined : new HashingSource(src);
  const input = hashing ?? src;
  let bytes = 0;
  const counted: ByteSource = { size: input.size, close: () => input.close(), read: (into, off, len) => {
    const n = input.read(into, off, len);
    bytes += n;
    return n;
  } };
  try {
    const diagnostics = new PerfDiagnostics();
    const header = { comments: [] as string[] };
    const folder = new PerfFolder(opts.fold);
    const offcpu = new OffCpuAnalyzer(diagnostics, opts.offcpu);
    const eventCounts = new Map<string, number>();
    let builder: PerfProfileBuilder | undefined;
    for (const ev of readPerfScript(readLineBatches(counted), diagnostics, header)) {
      eventCounts.set(ev.event, (eventCounts.get(ev.event) ?? 0) + 1);
      folder.add(ev);
      // The same --pid/--comm and kernel annotation as the folded stacks.
      if (opts.profile) (builder ??= new PerfProfileBuilder(folder.event!, opts.fold)).add(ev);
      offcpu.add(ev);
    }
    const hasSched = eventCounts.has(SCHED_SWITCH) || eventCounts.has(OFFCPU_TIME);
    return {
      file,
      bytes,
      sha256: hashing?.finish() ?? '',
      comments: header.comments,
      eventCounts,
      folder,
      profile: builder?.finish(header.comments.filter((c) => /^(perf version|cmdline|captured on)/.test(c))),
      offcpu: hasSched ? offcpu.finish() : undefined,
      diagnostics,
      defaultView: hasSched ? 'offcpu' : 'cpu',
    };
  } finally {
    input.close();
  }
}

/** Warnings for the user: unreadable lines, and for the on-CPU view events left out of the fold. */
export function perfWarnings(c: PerfCapture, view: PerfView): string[] {
  const w = c.diagnostics.warnings();
  if (view === 'cpu' && c.folder.otherEvents > 0) {
    const others = [...c.eventCounts.keys()].filter((e) => !eventMatches(c.folder.event!, e));
    w.push(`folded only ${c.folder.event} events; ${c.folder.otherEvents.toLocaleString('en-US')} others (${others.join(', ')}) left out (choose with --event)`);
  }
  return w;
}

/** What --pid/--comm kept of the report analyze shows (switches off the CPU, or samples), or undefined when they keep everything. */
export function perfSelectionCount(c: PerfCapture, sel: PerfSelection): SelectionCount | undefined {
  if (!selectionFlags(sel)) return undefined;
  const which = { pids: sel.pids ?? [], comms: sel.comms ?? [] };
  if (c.offcpu) {
    const kept = c.offcpu.threads.reduce((n, t) => n + t.switches, 0);
    return { ...which, kept, total: c.offcpu.switches, unit: 'switches' };
  }
  const event = c.folder.event ?? '';
  return { ...which, kept: c.profile?.samples.length ?? 0, total: c.eventCounts.get(event) ?? 0, unit: `${event || 'perf'} samples` };
}
