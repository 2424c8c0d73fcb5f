/** --fail-on: which findings make the exit code 1 (analyze, report, watch). */
import { UsageError } from '../errors.js';
import { FINDING_KINDS, type Finding } from '../model/findings.js';

/**
 * Which findings make the exit code 1: kinds (every finding of the kind), severities
 * (`warning` takes critical too, `info` every finding), or `any`: every finding that is
 * a problem, critical or warning; info findings (the biggest blocking site, hot spots)
 * are observations that every trace or profile has.
 */
export function failPredicate(spec: string | undefined): (f: Finding) => boolean {
  if (!spec) return () => false;
  const parts = spec.split(',').map((p) => p.trim()).filter(Boolean);
  for (const p of parts) {
    if (p !== 'any' && p !== 'critical' && p !== 'warning' && p !== 'info' && !(p in FINDING_KINDS)) {
      throw new UsageError(`--fail-on: unknown "${p}"; use any (critical or warning), critical, warning, info (every finding), or a finding kind: ${Object.keys(FINDING_KINDS).join(', ')}`);
    }
  }
  return (f) =>
    parts.some((p) => p === f.kind || p === 'info' || (p === 'critical' && f.severity === 'critical') || ((p === 'warning' || p === 'any') && f.severity !== 'info'));
}

/**
 * Whether a --fail-on list matches an input that could not be read or analyzed (watch,
 * report): it counts as a warning finding, so `any`, `warning` and `info` match it.
 */
export function failsOnUnreadInputs(spec: string | undefined): boolean {
  return (spec ?? '').split(',').some((p) => ['any', 'warning', 'info'].includes(p.trim()));
}
