/** A pprof profile as weighted stacks (root first) for flame graphs and folded output. */
import type { ValueUnit, WeightedStack } from '../../model/weighted.js';
import type { Profile } from '../../model/profile.js';
import type { ProfileAnalysis } from './analyze.js';

/** pprof units → the page's units. */
export function profileUnit(unit: string): ValueUnit {
  if (unit === 'nanoseconds') return 'ns';
  if (unit === 'bytes') return 'bytes';
  return 'count';
}

export function profileView(r: { readonly profile: Profile; readonly analysis: ProfileAnalysis }): { stacks: WeightedStack[]; unit: ValueUnit; sampleType: string } {
  const a = r.analysis;
  const st = r.profile.sampleTypes[a.index];
  const stacks: WeightedStack[] = [];
  for (const row of a.stacks) {
    const value = row.values[a.index] ?? 0;
    if (value <= 0) continue;
    const frames = r.profile.stacks
      .frames(row.stack)
      .map((f) => f.func || '?')
      .reverse();
    stacks.push({ frames, value, category: a.kind });
  }
  return { stacks, unit: profileUnit(st?.unit ?? 'count'), sampleType: st ? `${st.type}/${st.unit}` : '' };
}
