/**
 * Analyzers given no shared goroutine names keep their own (observingNames):
 * alone, each must find what it finds inside analyzeTrace, which shares one.
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { analyzeTrace } from '../src/analyzers/trace/analyze.js';
import { runAnalyzers } from '../src/analyzers/analyzer.js';
import { goroutinesAnalysis } from '../src/analyzers/trace/goroutines.js';
import { schedLatency } from '../src/analyzers/trace/sched-latency.js';
import { stuckProcs } from '../src/analyzers/trace/stuck-procs.js';
import { threadsAnalysis } from '../src/analyzers/trace/threads.js';
import { FileSource } from '../src/io/byte-source.js';
import type { TraceEvent } from '../src/model/events.js';
import { openGoTrace } from '../src/parsers/gotrace/index.js';
import { FIXTURES } from './helpers/go.js';

describe('analyzers with their own goroutine names', () => {
  for (const name of ['stuckloop.go1.26.trace', 'lockosthread.go1.26.trace', 'blocking.go1.22.trace']) {
    test(name, () => {
      const reader = openGoTrace(FileSource.open(join(FIXTURES, 'traces', name)));
      const events: TraceEvent[] = [];
      for (let r = reader.next(); r; r = reader.next()) events.push(r.asEvent());
      const replay = (): (() => TraceEvent | null) => {
        let i = 0;
        return () => events[i++] ?? null;
      };
      const stacks = reader.stacks;
      const shared = analyzeTrace(replay(), stacks, { stuckThresholdNs: 1e6 });
      const stuck = stuckProcs({ stacks, stuckThresholdNs: 1e6 });
      const sched = schedLatency(stacks);
      const threads = threadsAnalysis(stacks);
      const goroutines = goroutinesAnalysis(stacks, 1e6);
      runAnalyzers(replay(), [stuck, sched, threads, goroutines]);
      expect(stuck.finish()).toEqual(shared.stuck);
      expect(sched.finish()).toEqual(shared.schedLatency);
      expect(threads.finish()).toEqual(shared.threads);
      expect(goroutines.finish()).toEqual(shared.goroutines);
    });
  }
});
