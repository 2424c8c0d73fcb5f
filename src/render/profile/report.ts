/** Everything a report about one profile needs, whatever its output format. */
import type { ProfileAnalysis } from '../../analyzers/profile/analyze.js';
import type { SelectionCount } from '../../analyzers/perf/selection.js';
import type { Finding } from '../../model/findings.js';
import type { Profile } from '../../model/profile.js';
import { fmtCount } from '../../util/units.js';

export interface ProfileInputInfo {
  readonly file: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly format: 'pprof' | 'perf-script';
  readonly compression: 'gzip' | 'none';
  readonly warnings: readonly string[];
  /** perf captures: what --pid/--comm kept, when given. */
  readonly filter?: SelectionCount;
}

export interface ProfileReport {
  readonly input: ProfileInputInfo;
  readonly profile: Profile;
  readonly analysis: ProfileAnalysis;
  readonly findings: readonly Finding[];
}

/** The profile's wall-clock time as ISO 8601, or null when it has none. */
export function profileTime(p: Profile): string | null {
  if (p.timeNs <= 0n) return null;
  const d = new Date(Number(p.timeNs / 1_000_000n));
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/**
 * How many samples, as people count them: pprof merges samples of one stack into one
 * record whose samples/count value says how many, so the records are not the samples.
 */
export function sampleCount(p: Profile): string {
  const i = p.sampleTypes.findIndex((t) => t.type === 'samples' && t.unit === 'count');
  if (i < 0) return `${fmtCount(p.samples.length)} sample records`;
  let n = 0;
  for (const x of p.samples) n += x.values[i] ?? 0;
  return n === p.samples.length ? `${fmtCount(n)} samples` : `${fmtCount(n)} samples in ${fmtCount(p.samples.length)} records`;
}
