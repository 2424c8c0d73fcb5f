import { describe, expect, test } from 'vitest';
import { LocationStacks } from '../src/model/location-stacks.js';
import { NO_STACK, StackTable, type Frame } from '../src/model/stacks.js';

const frame = (func: string, line = 1): Frame => ({ func, file: `${func}.go`, line, pc: line });
// Location 1 is an inlined pair: inner first, then its caller.
const locations = [[frame('leaf')], [frame('inlined', 2), frame('caller', 3)], [frame('main.main')], [frame('leaf', 9)]];

describe('LocationStacks', () => {
  test('the same location list gives the same id, another list a new one', () => {
    const t = new LocationStacks(locations);
    const a = t.intern([0, 1, 2], 3);
    expect(t.intern(Int32Array.of(0, 1, 2, 7), 3)).toBe(a); // only the first n count
    const b = t.intern([3, 1, 2], 3);
    expect(b).not.toBe(a);
    expect(t.intern([], 0)).toBe(NO_STACK);
    expect(t.size).toBe(2);
  });

  test('frames expand each location, inlined frames innermost first; leaf stops early', () => {
    const t = new LocationStacks(locations);
    const id = t.intern([0, 1, 2], 3);
    expect(t.frames(id).map((f) => f.func)).toEqual(['leaf', 'inlined', 'caller', 'main.main']);
    expect(t.leaf(id, 2).map((f) => f.func)).toEqual(['leaf', 'inlined']);
    expect(t.frames(NO_STACK)).toEqual([]);
    expect(t.depth([0, 1, 2], 3)).toBe(4);
  });

  test('function numbers follow the frames, one per name (two locations of one function share it)', () => {
    const t = new LocationStacks(locations);
    const a = t.intern([0, 1, 2], 3);
    const b = t.intern([3, 2], 2);
    const names = (id: number): string[] => Array.from(t.functionIds(id), (fn) => t.functionName(fn));
    expect(names(a)).toEqual(['leaf', 'inlined', 'caller', 'main.main']);
    expect(names(b)).toEqual(['leaf', 'main.main']);
    expect(t.functionCount).toBe(4);
  });

  test('many stacks with colliding prefixes stay distinct and grow the storage', () => {
    const t = new LocationStacks(locations);
    const ids = new Set<number>();
    for (let i = 0; i < 5000; i++) {
      const list = Array.from({ length: 8 + (i % 40) }, (_, k) => (i >> (k % 12)) & 3);
      const id = t.intern(list, list.length);
      expect(t.intern(list, list.length)).toBe(id);
      ids.add(id);
    }
    expect(t.size).toBe(ids.size);
  });
});

test('StackTable numbers functions by name for its interned stacks', () => {
  const t = new StackTable();
  const id = t.intern([frame('a'), frame('b'), frame('a', 5)]);
  expect(Array.from(t.functionIds(id), (fn) => t.functionName(fn))).toEqual(['a', 'b', 'a']);
  expect(t.leaf(id, 1).map((f) => f.func)).toEqual(['a']);
});
