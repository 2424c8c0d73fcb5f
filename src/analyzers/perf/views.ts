/** A perf capture's views (cpu, offcpu) as weighted stacks for flame graphs and folded output. */
import type { ValueUnit, WeightedStack } from '../../model/weighted.js';
import type { PerfCapture, PerfView } from './capture.js';
import { isNsEvent } from './profile.js';

/**
 * Stacks of a view, root first, and what their values count. cpu: the folded
 * stacks, weighted by period (ns for clock events, else that event's count,
 * e.g. cycles) or by sample; offcpu: ns by state.
 */
export function perfViewStacks(c: PerfCapture, view: PerfView): { stacks: WeightedStack[]; unit: ValueUnit; countLabel?: string } {
  if (view === 'offcpu') return { stacks: c.offcpu?.stacks ?? [], unit: 'ns' };
  const stacks = [...c.folder.stacks].map(([k, value]) => ({ frames: k.split(';'), value, category: 'on-CPU' }));
  if (c.folder.weightUnit === 'samples') return { stacks, unit: 'samples' };
  const event = (c.folder.event ?? '').replace(/:.*$/, ''); // "cycles:u" → "cycles"
  if (isNsEvent(event)) return { stacks, unit: 'ns' };
  return { stacks, unit: 'count', countLabel: event || 'events' };
}
