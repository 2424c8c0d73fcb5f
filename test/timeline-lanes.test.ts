/**
 * The timeline's lane model: what it folds into density it does not lose (per
 * P, kept runs plus density add up to the runs the proc view cuts), and it
 * stays within its bounds however many runs stream through it.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { GoroutineNames } from '../src/analyzers/trace/goroutine-names.js';
import { LaneModel, MAX_BINS, MAX_KEPT, type Timeline } from '../src/analyzers/timeline/lanes.js';
import { TimelineStream, type TimelineSink } from '../src/analyzers/timeline/stream.js';
import { FileSource } from '../src/io/byte-source.js';
import { openGoTrace } from '../src/parsers/gotrace/index.js';
import { FIXTURES } from './helpers/go.js';

/** Reads a trace into a lane model and, beside it, sums every run per P as the proc view cuts them. */
function read(file: string, window?: { startNs: number; endNs: number }): { tl: Timeline; busy: Map<number, number> } {
  const src = FileSource.open(join(FIXTURES, 'traces', file));
  try {
    const reader = openGoTrace(src);
    const model = new LaneModel(window);
    const busy = new Map<number, number>();
    const both: TimelineSink = new Proxy(model, {
      get(target, prop, recv) {
        if (prop === 'run') {
          return (p: number, g: number, s: number, e: number, st: number) => {
            const a = window ? Math.max(s, window.startNs) : s;
            const b = window ? Math.min(e, window.endNs) : e;
            if (b >= a) busy.set(p, (busy.get(p) ?? 0) + b - a);
            model.run(p, g, s, e, st);
          };
        }
        const v = Reflect.get(target, prop, recv);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const stream = new TimelineStream(new GoroutineNames(reader.stacks), both);
    for (let ev = reader.nextShared(); ev; ev = reader.nextShared()) stream.onEvent(ev.asEvent());
    stream.finish();
    return { tl: model.finish(stream.endNs), busy };
  } finally {
    src.close();
  }
}

function laneBusy(tl: Timeline, p: number): number {
  const lane = tl.procs.find((x) => x.p === p)!.runs;
  const kept = lane.kept.start.reduce((s, a, i) => s + lane.kept.end[i]! - a, 0);
  return kept + lane.density.reduce((s, v) => s + v, 0);
}

describe('timeline lanes', () => {
  const fixtures = readdirSync(join(FIXTURES, 'traces')).filter((f) => /\.go1\.(19|22|26)\.trace$/.test(f));
  test.each(fixtures)('%s: per P, kept runs and density add up to every run', (file) => {
    const { tl, busy } = read(file);
    expect(tl.procs.map((p) => p.p)).toEqual([...busy.keys()].sort((a, b) => a - b));
    for (const [p, ns] of busy) {
      // Density bins are rounded to whole ns: at most half a ns off per bin.
      expect(Math.abs(laneBusy(tl, p) - ns), `P${p}`).toBeLessThanOrEqual(tl.procs.find((x) => x.p === p)!.runs.density.length / 2 + 1);
    }
  });

  test('a window: runs clipped to it, and its time alone counted', () => {
    const whole = read('stuckloop.go1.26.trace').tl;
    const startNs = whole.traceStartNs + 100e6;
    const { tl, busy } = read('stuckloop.go1.26.trace', { startNs, endNs: startNs + 50e6 });
    expect(tl.startNs).toBe(startNs);
    expect(tl.endNs - tl.startNs).toBe(50e6);
    for (const [p, ns] of busy) expect(Math.abs(laneBusy(tl, p) - ns), `P${p}`).toBeLessThanOrEqual(tl.binNs);
    for (const p of tl.procs) for (let i = 0; i < p.runs.kept.start.length; i++) {
      expect(p.runs.kept.start[i]).toBeGreaterThanOrEqual(0);
      expect(p.runs.kept.end[i]).toBeLessThanOrEqual(50e6);
    }
  });

  test('bounded: a million runs on one P keep at most MAX_KEPT whole, in at most MAX_BINS bins, and lose no time', () => {
    const model = new LaneModel();
    model.begin(0);
    let t = 0;
    let total = 0;
    let seed = 7;
    for (let i = 0; i < 1_000_000; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const d = 100 + (seed % 50_000);
      model.run(0, i, t, t + d, 0);
      total += d;
      t += d + 1000;
    }
    const tl = model.finish(t);
    const lane = tl.procs[0]!.runs;
    expect(lane.kept.start.length).toBeLessThanOrEqual(MAX_KEPT);
    expect(lane.kept.start.length).toBeGreaterThan(MAX_KEPT / 4);
    expect(lane.density.length).toBeLessThanOrEqual(MAX_BINS);
    // The longest are the ones kept.
    const keptMin = Math.min(...lane.kept.start.map((s, i) => lane.kept.end[i]! - s));
    expect(keptMin).toBeGreaterThan(40_000);
    expect(Math.abs(laneBusy(tl, 0) - total)).toBeLessThanOrEqual(lane.density.length);
    expect(tl.runsSeen).toBe(1_000_000);
  });
});
