/**
 * GC ranges that cross a generation boundary: the runtime repeats an open range
 * as RangeActive at the start of each generation; the range goes on.
 */
import { describe, expect, test } from 'vitest';
import { gcAnalysis } from '../src/analyzers/trace/gc.js';
import { EventRecord, type TraceEvent } from '../src/model/events.js';

const range = (kind: 'RangeBegin' | 'RangeActive' | 'RangeEnd', name: string, time: number, id = -1): TraceEvent =>
  Object.assign(new EventRecord(), { kind, name, time, id, scope: id >= 0 ? 'Goroutine' : 'None' }).asEvent();

function run(events: TraceEvent[]): ReturnType<ReturnType<typeof gcAnalysis>['finish']> {
  const a = gcAnalysis();
  for (const ev of events) a.onEvent(ev);
  return a.finish();
}

const MARK = 'GC concurrent mark phase';
const ASSIST = 'GC mark assist';

describe('GC ranges across generations', () => {
  test('a cycle that a new generation repeats as RangeActive is counted whole, once', () => {
    const r = run([range('RangeBegin', MARK, 1000), range('RangeActive', MARK, 1100), range('RangeEnd', MARK, 1300)]);
    expect(r.cycles).toBe(1);
    expect(r.markNs).toBe(300);
    expect(r.inProgressAtStart).toBe(false);
  });
  test('a cycle already running when the trace began: from its first RangeActive, not counted as begun', () => {
    const r = run([range('RangeActive', MARK, 50), range('RangeActive', MARK, 100), range('RangeEnd', MARK, 150)]);
    expect(r.cycles).toBe(0);
    expect(r.inProgressAtStart).toBe(true);
    expect(r.markNs).toBe(100);
  });
  test('a mark assist repeated at a generation start is one assist', () => {
    const r = run([range('RangeBegin', ASSIST, 10, 7), range('RangeActive', ASSIST, 20, 7), range('RangeEnd', ASSIST, 40, 7)]);
    expect(r.markAssist.count).toBe(1);
    expect(r.markAssist.totalNs).toBe(30);
  });
});
