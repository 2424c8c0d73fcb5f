/** Goroutines by stack, counted, as a goroutine profile is drawn: the pivot for flame graphs and folded output. */
import type { DumpAnalysis } from '../../analyzers/goroutine-dump/index.js';
import { topState } from '../../analyzers/goroutine-dump/index.js';
import type { WeightedStack } from '../../model/weighted.js';

export function dumpStacks(d: DumpAnalysis): WeightedStack[] {
  return d.sites
    .filter((g) => g.frames.length > 0)
    .map((g) => ({ frames: g.frames.map((f) => f.func).reverse(), value: g.count, category: topState(g) || 'goroutines' }));
}
