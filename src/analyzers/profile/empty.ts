/**
 * Whether a profile has anything to rank. An empty profile (no samples, or 0
 * in every sample for the chosen sample type) must say so: "no findings"
 * would read like an all-clear when the profile says nothing at all.
 */
import type { Profile } from '../../model/profile.js';
import type { ProfileAnalysis } from './analyze.js';

/** Why there is nothing to rank, in one sentence; null when there is something. */
export function profileEmptiness(p: Profile, a: ProfileAnalysis): string | null {
  if (p.samples.length === 0) return 'the profile is empty: it holds no samples, so it says nothing about the program, good or bad';
  if (a.index < 0 || a.total !== 0) return null;
  const type = p.sampleTypes[a.index]!.type;
  const others = p.sampleTypes.filter((_, i) => i !== a.index && p.samples.some((s) => s.values[i] !== 0)).map((t) => t.type);
  const hint = others.length ? `; --sample-type ${others.join(' or ')} has values` : '';
  return `the ${type} values are all 0 in its ${p.samples.length} sample(s): nothing to rank by ${type}${hint}`;
}
