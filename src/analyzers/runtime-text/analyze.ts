/**
 * One pass over a runtime-text log's records: stuck Ps, work queued beside
 * idle Ps, threads against gomaxprocs, locked Ms, GC pauses, and a time series
 * of the counts. Memory stays bounded whatever the log's length.
 */
import { sortFindings, type Finding } from '../../model/findings.js';
import type { RuntimeTextRecord, RuntimeTextStats } from '../../parsers/runtime-text/index.js';
import { gcPauseFinding, idleBacklogFinding, lockedThreadsFinding, stuckPFinding, threadGrowthFinding } from './findings.js';
import { GcCycles, type GcResult } from './gc.js';
import { IdleBacklogs } from './idle-backlog.js';
import { RUNTIME_TEXT_LIMITS } from './limits.js';
import { CountSeries, type CountPoint } from './series.js';
import { queued } from './scene.js';
import { StuckPs } from './stuck-ps.js';
import { STUCK_THRESHOLD_DEFAULT_NS } from '../trace/analyze.js';
import { Threads, type ThreadsResult } from './threads.js';

export interface RuntimeTextOptions {
  /** How long a P's schedtick must stay frozen while it runs to be a stuck P. */
  readonly stuckThresholdNs?: number;
}

export interface RuntimeTextAnalysis {
  readonly stats: RuntimeTextStats;
  /** SCHED samples: how many, the first and last times, and whether scheddetail=1 blocks came with them. */
  readonly samples: number;
  readonly firstNs?: number;
  readonly lastNs?: number;
  readonly scheddetail: boolean;
  readonly gomaxprocs?: number;
  readonly threads: ThreadsResult;
  readonly gc: GcResult;
  readonly series: readonly CountPoint[];
  readonly findings: Finding[];
  readonly stuckThresholdNs: number;
}

export function analyzeRuntimeText(records: Iterable<RuntimeTextRecord>, stats: RuntimeTextStats, opts: RuntimeTextOptions = {}): RuntimeTextAnalysis {
  const L = RUNTIME_TEXT_LIMITS;
  const stuckThresholdNs = opts.stuckThresholdNs ?? STUCK_THRESHOLD_DEFAULT_NS;
  const stuck = new StuckPs(stuckThresholdNs);
  const backlog = new IdleBacklogs(L.idleBacklogSamples);
  const threads = new Threads();
  const gcs = new GcCycles(L.longGcPauseNs);
  const series = new CountSeries(L.seriesPoints);
  let samples = 0;
  let firstNs: number | undefined;
  let lastNs: number | undefined;
  let detailed = false;
  let gomaxprocs: number | undefined;
  for (const r of records) {
    if (r.kind === 'gc') {
      gcs.add(r.gc);
      continue;
    }
    const s = r.sample;
    samples++;
    firstNs ??= s.timeNs;
    lastNs = s.timeNs;
    gomaxprocs = s.gomaxprocs;
    if (s.procs.length > 0) detailed = true;
    stuck.add(s);
    backlog.add(s);
    threads.add(s);
    series.add({
      tNs: s.timeNs, gomaxprocs: s.gomaxprocs, idleprocs: s.idleprocs, threads: s.threads, spinningthreads: s.spinningthreads,
      runnable: queued(s), lockedMs: s.ms.filter((m) => m.lockedg !== undefined).length,
    });
  }
  const t = threads.finish();
  const gc = gcs.finish();
  const b = backlog.finish();
  const growth = threadGrowthFinding(t);
  const findings = [
    ...stuck.finish().map((r) => stuckPFinding(r, stuckThresholdNs)),
    ...(b ? [idleBacklogFinding(b)] : []),
    growth,
    lockedThreadsFinding(t, L.lockedMs, growth),
    gcPauseFinding(gc),
  ].filter((f): f is Finding => f !== undefined);
  return {
    stats, samples, scheddetail: detailed, threads: t, gc, series: series.values(), findings: sortFindings(findings), stuckThresholdNs,
    ...(firstNs !== undefined && { firstNs, lastNs }),
    ...(gomaxprocs !== undefined && { gomaxprocs }),
  };
}
