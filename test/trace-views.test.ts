/**
 * A flame view's totals square with the report's: what the view leaves out as
 * the runtime's own waits is said on the page, and view + left out = every wait.
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runtimeLeftOut, traceView } from '../src/analyzers/trace/views.js';
import { analyzeFile } from './helpers/analyze.js';
import { FIXTURES } from './helpers/go.js';

const sum = (list: { value: number }[]): number => list.reduce((t, s) => t + s.value, 0);

describe('runtime waits left out of a view', () => {
  for (const program of ['stuckloop', 'blocking']) {
    test(`${program}: blocking view + left out = all non-scheduler waits`, () => {
      const { analysis, stacks } = analyzeFile(join(FIXTURES, 'traces', `${program}.go1.26.trace`));
      const all = analysis.blocking.records.filter((r) => r.class !== 'sched').reduce((t, r) => t + r.totalNs, 0);
      const shown = sum(traceView(analysis, stacks, 'blocking'));
      const left = runtimeLeftOut(analysis, stacks, 'blocking');
      expect(left).toBeGreaterThan(0); // the GC workers, sweeper and tracer wait in every Go program
      expect(shown + left).toBe(all);
      expect(runtimeLeftOut(analysis, stacks, 'blocking', { includeRuntime: true })).toBe(0);
    });
  }
});
