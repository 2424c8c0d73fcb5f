/** The one-line blocking site of report tables: the leaf and the program's own frame. */
import { describe, expect, test } from 'vitest';
import type { Frame } from '../src/model/stacks.js';
import { isProgramCode, stackSite } from '../src/render/stack-site.js';

const f = (func: string, line = 0): Frame => ({ func, file: 'x.go', line, pc: 0 });

describe('isProgramCode', () => {
  test.each([
    ['main.main', true],
    ['main.(*server).handle', true],
    ['github.com/acme/svc/store.(*DB).Get', true],
    ['golang.org/x/sync/errgroup.(*Group).Wait', true],
    ['net/http.(*conn).serve', false],
    ['internal/poll.(*FD).Read', false],
    ['sync.(*Mutex).Lock', false],
    ['runtime.gopark', false],
    ['syscall.read', false],
    ['time.Sleep', false],
  ])('%s: %s', (func, want) => expect(isProgramCode(func)).toBe(want));
});

describe('stackSite', () => {
  test('the leaf and the first frame of the program, with its line; the library between is elided', () => {
    expect(stackSite([f('internal/poll.(*FD).Read', 165), f('net.(*netFD).Read', 68), f('net.(*conn).Read', 196), f('main.netRead', 238)])).toBe(
      'internal/poll.(*FD).Read ← … ← main.netRead:238',
    );
  });
  test('the caller directly when it is the program', () => {
    expect(stackSite([f('sync.(*Mutex).Lock', 12), f('main.contender', 124)])).toBe('sync.(*Mutex).Lock ← main.contender:124');
  });
  test('no program frame: the leaf and its caller', () => {
    expect(stackSite([f('runtime.chanrecv1', 1), f('runtime.bgscavenge', 658)])).toBe('runtime.chanrecv1 ← runtime.bgscavenge:658');
  });
  test('one frame, or none', () => {
    expect(stackSite([f('main.main', 9)])).toBe('main.main:9');
    expect(stackSite([])).toBe('(no stack)');
  });
});
