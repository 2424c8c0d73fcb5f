/**
 * A trace's blocking analysis for one class (sync, net, syscall, sched) as a
 * model Profile, with the sample and period types `go tool trace -pprof`
 * uses: contentions/count and delay/nanoseconds per stack, period trace/count 1.
 */
import type { Profile } from '../../model/profile.js';
import type { StackTable } from '../../model/stacks.js';
import { pprofView, type BlockingResult, type PPROF_CLASSES } from './blocking.js';

export function blockingProfile(result: BlockingResult, stacks: StackTable, cls: (typeof PPROF_CLASSES)[number]): Profile {
  return {
    sampleTypes: [
      { type: 'contentions', unit: 'count' },
      { type: 'delay', unit: 'nanoseconds' },
    ],
    samples: pprofView(result, cls).map((r) => ({ values: [r.count, r.totalNs], stack: r.stack, labels: [] })),
    stacks,
    defaultSampleType: '',
    periodType: { type: 'trace', unit: 'count' },
    period: 1,
    durationNs: 0,
    timeNs: 0n,
    mappings: [],
    comments: [],
  };
}
