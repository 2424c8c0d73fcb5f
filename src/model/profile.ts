/**
 * A sampled profile, independent of where it came from (pprof today, perf
 * later): what was measured (sample types), and for each sample its values and
 * its stack. Stacks live in a StackSource (leaf first, inlined frames expanded,
 * innermost first), so analyses aggregate by StackID.
 */
import type { StackID, StackSource } from './stacks.js';

/** What one column of values measures, e.g. {type: "delay", unit: "nanoseconds"}. */
export interface SampleType {
  readonly type: string;
  readonly unit: string;
}

/** A key with a string or a numeric value (pprof tags, e.g. bytes:[8192]). */
export interface ProfileLabel {
  readonly key: string;
  readonly str?: string;
  readonly num?: number;
  readonly unit?: string;
}

export interface ProfileSample {
  /** One value per sample type, in the same order. */
  readonly values: readonly number[];
  readonly stack: StackID;
  readonly labels: readonly ProfileLabel[];
}

/** A binary or library the profiled program had mapped (pprof's Mapping). */
export interface ProfileMapping {
  readonly start: bigint;
  readonly limit: bigint;
  readonly offset: bigint;
  readonly file: string;
  readonly buildId: string;
}

export interface Profile {
  readonly sampleTypes: readonly SampleType[];
  readonly samples: readonly ProfileSample[];
  readonly stacks: StackSource;
  /** The sample type a viewer shows by default ("" = the last one, as pprof does). */
  readonly defaultSampleType: string;
  /** What one event of sampling measures, and how often: e.g. cpu/nanoseconds every 10,000,000. */
  readonly periodType: SampleType | undefined;
  readonly period: number;
  /** Nanoseconds the profile covers (0 when unknown). */
  readonly durationNs: number;
  /** When the profile was taken, ns since the Unix epoch (0n when unknown; above 2^53, hence bigint). */
  readonly timeNs: bigint;
  readonly mappings: readonly ProfileMapping[];
  readonly comments: readonly string[];
}

/** The index of the sample type named `type` (e.g. "delay"), or the default one when `type` is undefined. */
export function sampleTypeIndex(p: Profile, type?: string): number {
  const want = type ?? p.defaultSampleType;
  if (want) {
    const i = p.sampleTypes.findIndex((t) => t.type === want);
    if (i >= 0 || type !== undefined) return i;
  }
  return p.sampleTypes.length - 1;
}
