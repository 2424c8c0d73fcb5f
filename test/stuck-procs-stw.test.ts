/**
 * A slow stop-the-world in the stuck-P analyzer, on hand-made event sequences
 * (the fixtures have only one shape of it: a spinner that is itself stuck).
 * One incident gives one finding: a stop-the-world held up by a P already
 * reported stuck is part of that finding; one that is slow for another reason
 * is its own finding and shows who stopped the world.
 */
import { describe, expect, test } from 'vitest';
import { stuckProcs, type StuckPFinding } from '../src/analyzers/trace/stuck-procs.js';
import { EventRecord, type EventKind, type TraceEvent } from '../src/model/events.js';
import { StackTable } from '../src/model/stacks.js';

const MS = 1e6;

function event(fields: Partial<Omit<EventRecord, 'kind'>> & { kind: EventKind }): TraceEvent {
  return Object.assign(new EventRecord(), fields).asEvent();
}

/** Goroutine g starts running on P p (thread m) at t. */
const run = (t: number, g: number, p: number, m: number): TraceEvent =>
  event({ kind: 'StateTransition', resource: 'Goroutine', id: g, from: 'Runnable', to: 'Running', time: t, proc: p, thread: m, goroutine: g });
/** Goroutine g, running on P p, blocks at t. */
const block = (t: number, g: number, p: number, m: number, stack: number): TraceEvent =>
  event({ kind: 'StateTransition', resource: 'Goroutine', id: g, from: 'Running', to: 'Waiting', reason: 'sync', time: t, proc: p, thread: m, goroutine: g, stack });
/** P p stops (no goroutine to run, or the world is stopping). */
const procIdle = (t: number, p: number, m: number): TraceEvent =>
  event({ kind: 'StateTransition', resource: 'Proc', id: p, from: 'Running', to: 'Idle', time: t, proc: p, thread: m });
const stw = (kind: 'RangeBegin' | 'RangeEnd', t: number, g: number, p: number, m: number, stack: number): TraceEvent =>
  event({ kind, name: 'stop-the-world (GC sweep termination)', scope: 'None', time: t, proc: p, thread: m, goroutine: g, stack });

function findings(events: TraceEvent[], stacks: StackTable): readonly StuckPFinding[] {
  const a = stuckProcs({ stacks, stuckThresholdNs: 500 * MS });
  for (const ev of events) a.onEvent(ev);
  return a.finish().findings;
}

describe('slow stop-the-world', () => {
  const stacks = new StackTable();
  const gcCall = stacks.intern([
    { func: 'runtime.GC', file: 'mgc.go', line: 1, pc: 0 },
    { func: 'main.gcTrigger', file: 'main.go', line: 2, pc: 0 },
  ]);
  const after = stacks.intern([{ func: 'main.loopEnd', file: 'main.go', line: 3, pc: 0 }]);

  test('held up by a P reported stuck: one finding, the stuck P, with the stop-the-world as evidence', () => {
    const got = findings(
      [run(0, 5, 0, 100), run(1 * MS, 6, 1, 101), stw('RangeBegin', 100 * MS, 6, 1, 101, gcCall), block(700 * MS, 5, 0, 100, after), stw('RangeEnd', 710 * MS, 6, 1, 101, 0)],
      stacks,
    );
    expect(got.map((f) => f.cause)).toEqual(['non-preemptible-run']);
    expect(got[0]!.p).toBe(0);
    expect(got[0]!.stwKind).toBe('GC sweep termination');
    expect(got[0]!.stwDelayNs).toBe(600 * MS);
    expect(got[0]!.stackIs).toBe('next-yield');
  });

  test('slow for another reason: its own finding, naming who it waited for and who stopped the world', () => {
    // P0's goroutine stops after 150 ms (not stuck), then P0 stops; the world stays stopped until 800 ms.
    const got = findings(
      [
        run(0, 5, 0, 100),
        run(1 * MS, 6, 1, 101),
        stw('RangeBegin', 100 * MS, 6, 1, 101, gcCall),
        block(150 * MS, 5, 0, 100, after),
        procIdle(151 * MS, 0, 100),
        stw('RangeEnd', 800 * MS, 6, 1, 101, 0),
      ],
      stacks,
    );
    const slow = got.filter((f) => f.cause === 'slow-stop-the-world');
    expect(slow).toHaveLength(1);
    expect(slow[0]!.durationNs).toBe(700 * MS);
    expect(slow[0]!.stwDelayNs).toBe(50 * MS);
    expect(slow[0]!.p).toBe(0);
    // The stack is the goroutine it names (where it yielded); who stopped the world is evidence.
    expect(slow[0]!.goroutine).toBe(5);
    expect(slow[0]!.stack).toBe(after);
    expect(slow[0]!.stackIs).toBe('next-yield');
    expect(slow[0]!.stwGoroutine).toBe(6);
    expect(slow[0]!.stwStack).toBe(gcCall);
    expect(got.filter((f) => f.cause !== 'slow-stop-the-world').map((f) => f.cause)).toEqual([]);
  });
});
