/**
 * A perf capture opened for a command: read (named in its errors), checked
 * against the flags, and made into its report.
 */
import type { ByteSource } from '../../io/byte-source.js';
import { perfSelectionCount, perfWarnings, readPerfCapture, type PerfCapture, type PerfReadOptions } from '../../analyzers/perf/capture.js';
import { PerfProfileBuilder } from '../../analyzers/perf/profile.js';
import { analyzeProfile } from '../../analyzers/profile/analyze.js';
import { profileFindings } from '../../analyzers/profile/findings.js';
import { offCpuFindings } from '../../analyzers/perf/offcpu-findings.js';
import type { Finding } from '../../model/findings.js';
import { eventMatches } from '../../analyzers/perf/fold-event.js';
import { UsageError } from '../../errors.js';
import type { ProfileInputInfo, ProfileReport } from '../../render/profile/report.js';
import { perfReadOptions, type PerfFlags } from '../options.js';
import { displayName, nameErrors } from './open.js';

export function readPerfInput(path: string, src: ByteSource, opts: PerfReadOptions = {}): PerfCapture {
  return nameErrors(path, () => readPerfCapture(displayName(path), src, opts));
}

/** --event naming an event the capture lacks is a usage error: its empty report would read like an all-clear. ("cycles" names cycles:u too.) */
export function checkPerfEvent(c: PerfCapture, event: string | undefined): void {
  if (event !== undefined && ![...c.eventCounts.keys()].some((e) => eventMatches(event, e))) {
    throw new UsageError(`--event ${event}: ${c.file} has no such events (it has ${[...c.eventCounts.keys()].join(', ') || 'none'})`);
  }
}

/** A perf capture's report: the off-CPU report for sched captures, else the profile report of its samples. */
export interface PerfReport {
  readonly capture: PerfCapture;
  readonly info: ProfileInputInfo;
  /** The profile report; undefined for a sched capture, whose report is its off-CPU time (capture.offcpu). */
  readonly report: ProfileReport | undefined;
  /** The findings: the profile report's, or those drawn from off-CPU time. */
  readonly findings: readonly Finding[];
  readonly warnings: string[];
}

/** Reads a capture whole into its report (analyze, report). */
export function buildPerfReport(path: string, src: ByteSource, flags: PerfFlags, sampleType?: string): PerfReport {
  const readOpts = perfReadOptions(flags);
  const capture = readPerfInput(path, src, { ...readOpts, profile: true });
  checkPerfEvent(capture, flags.event);
  const warnings = perfWarnings(capture, capture.defaultView);
  const filter = perfSelectionCount(capture, readOpts.fold ?? {});
  const info = { file: capture.file, sha256: capture.sha256, bytes: capture.bytes, format: 'perf-script' as const, compression: 'none' as const, warnings, filter };
  let report: ProfileReport | undefined;
  if (!capture.offcpu) {
    // A capture with neither samples nor sched events gets an empty profile: its report says it is empty.
    const profile = capture.profile ?? new PerfProfileBuilder('none').finish([]);
    const analysis = analyzeProfile(profile, sampleType);
    report = { input: info, profile, analysis, findings: profileFindings(profile, analysis) };
  }
  const findings = report ? report.findings : capture.offcpu ? offCpuFindings(capture.offcpu) : [];
  return { capture, info, report, findings, warnings };
}
