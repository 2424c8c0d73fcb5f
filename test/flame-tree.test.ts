import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { WeightedStack } from '../src/model/weighted.js';
import { buildFlameTree, type FlameNode } from '../src/render/flame/tree.js';
import { parseFolded, toFolded } from '../src/render/flame/folded.js';

function sumSelf(n: FlameNode): number {
  return n.value + n.children.reduce((s, c) => s + sumSelf(c), 0);
}
function count(n: FlameNode): number {
  return 1 + n.children.reduce((s, c) => s + count(c), 0);
}

const stackArb = fc.record({
  frames: fc.array(fc.constantFrom('a', 'b', 'c', 'main.f', 'runtime.g', 'x;y'), { minLength: 1, maxLength: 6 }),
  value: fc.integer({ min: 1, max: 1e6 }),
  category: fc.constantFrom('sync', 'net', 'sleep'),
});

describe('flame tree', () => {
  test('the drawn tree keeps every unit of value, pruned or not', () => {
    fc.assert(
      fc.property(fc.array(stackArb, { maxLength: 60 }), fc.integer({ min: 10, max: 50 }), (stacks, budget) => {
        const t = buildFlameTree(stacks, 'all', budget);
        const total = stacks.reduce((s, x) => s + x.value, 0);
        expect(t.total).toBe(total);
        expect(sumSelf(t.root)).toBe(total);
        expect(t.drawnNodes).toBe(count(t.root));
      }),
    );
  });
  test('a large input is pruned to about the budget, and says what it folded', () => {
    const stacks: WeightedStack[] = [];
    for (let i = 0; i < 20000; i++) stacks.push({ frames: ['main', `f${i % 2000}`, `g${i}`], value: 1 + (i % 7), category: 'sync' });
    const t = buildFlameTree(stacks, 'all', 500);
    expect(t.fullNodes).toBe(1 + 1 + 2000 + 20000);
    expect(t.drawnNodes).toBeLessThanOrEqual(1000);
    expect(t.foldedValue).toBeGreaterThan(0);
    const other = JSON.stringify(t.root).match(/\[\d+ smaller frames\]/g) ?? [];
    expect(other.length).toBeGreaterThan(0);
  });
  test('categories carry totals for the legend', () => {
    const t = buildFlameTree(
      [
        { frames: ['x'], value: 3, category: 'sync' },
        { frames: ['y'], value: 5, category: 'net' },
        { frames: ['z'], value: 2, category: 'sync' },
      ],
      'all',
    );
    expect(t.categories).toEqual([
      { name: 'sync', total: 5 },
      { name: 'net', total: 5 },
    ]);
  });
});

describe('folded stacks', () => {
  test('write then read gives the same totals per stack', () => {
    fc.assert(
      fc.property(fc.array(stackArb, { maxLength: 40 }), (stacks) => {
        const back = parseFolded(toFolded(stacks));
        const sum = (l: readonly WeightedStack[]): number => l.reduce((s, x) => s + x.value, 0);
        expect(sum(back)).toBe(sum(stacks));
        for (const s of back) for (const f of s.frames) expect(f).not.toContain(';');
      }),
    );
  });
  test('sorted and merged', () => {
    expect(toFolded([
      { frames: ['b', 'c'], value: 2, category: '' },
      { frames: ['a'], value: 1, category: '' },
      { frames: ['b', 'c'], value: 3, category: '' },
    ])).toBe('a 1\nb;c 5\n');
  });
});
