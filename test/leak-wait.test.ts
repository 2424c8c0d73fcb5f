/** Which whole-trace waits make a goroutine a leak suspect (trace-findings.ts leakWait). */
import { describe, expect, test } from 'vitest';
import { leakWait } from '../src/analyzers/trace/findings.js';
import type { Frame } from '../src/model/stacks.js';

const frames = (...funcs: string[]): Frame[] => funcs.map((func) => ({ func, file: 'x.go', line: 1, pc: 0 }));

describe('leakWait', () => {
  test('channel, select and sync waits by their reason', () => {
    expect(leakWait('chan receive', [])).toBe('chan receive');
    expect(leakWait('select', [])).toBe('select');
    expect(leakWait('sync', [])).toBe('sync');
  });
  test('"forever" (a nil channel, an empty select) never wakes', () => {
    expect(leakWait('forever', frames('runtime.gopark', 'runtime.block', 'main.stuck'))).toBe('forever');
  });
  test('an idle listener or a sleeping loop is not a suspect', () => {
    expect(leakWait('network', frames('internal/poll.runtime_pollWait', 'net.(*TCPListener).Accept'))).toBeUndefined();
    expect(leakWait('sleep', frames('time.Sleep', 'main.loop'))).toBeUndefined();
  });
  test('no reason (blocked before the trace began): judged by the stack, when there is one', () => {
    const why = '(blocked before the trace began)';
    expect(leakWait(why, frames('runtime.gopark', 'runtime.chanrecv1', 'main.leakyReceiver'))).toBe('chan receive (from its stack)');
    expect(leakWait(why, frames('runtime.gopark', 'sync.(*Mutex).Lock', 'main.worker'))).toBe('mutex (from its stack)');
    expect(leakWait(why, frames('runtime.gopark', 'runtime.forcegchelper'))).toBeUndefined();
    expect(leakWait(why, [])).toBeUndefined();
  });
});
