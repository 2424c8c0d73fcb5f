/** Goroutines by stack, counted, as a goroutine profile is drawn: the pivot for flame graphs and folded output. */
import type { WeightedStack } from '../../model/weighted.js';
import type { DumpAnalysis } from './analyze.js';
import { topState } from './compare.js';

export function dumpStacks(d: DumpAnalysis): WeightedStack[] {
  return d.sites
    .filter((g) => g.frames.length > 0)
    .map((g) => ({ frames: g.frames.map((f) => f.func).reverse(), value: g.count, category: topState(g) || 'goroutines' }));
}
