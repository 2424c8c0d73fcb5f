import { expect, test } from 'vitest';
import { analyzeProfile, SORTED_PREFIX } from '../src/analyzers/profile/analyze.js';
import type { Profile } from '../src/model/profile.js';
import { StackTable } from '../src/model/stacks.js';

test('a profile with very many stacks: the largest come first, in order, and none is lost', () => {
  const stacks = new StackTable();
  const samples = [];
  let seed = 7;
  const rnd = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
  for (let i = 0; i < 5 * 4 * SORTED_PREFIX; i++) {
    const stack = stacks.intern([{ func: `f${i}`, file: 'x.go', line: 1, pc: i }, { func: 'main.main', file: 'main.go', line: 2, pc: 1 << 30 }]);
    samples.push({ values: [1, Math.floor(rnd() * 1e6) + 1], stack, labels: [] });
  }
  const p: Profile = {
    sampleTypes: [{ type: 'samples', unit: 'count' }, { type: 'cpu', unit: 'nanoseconds' }],
    samples,
    stacks,
    defaultSampleType: 'cpu',
    periodType: undefined,
    period: 1,
    durationNs: 0,
    timeNs: 0n,
    mappings: [],
    comments: [],
  };
  const a = analyzeProfile(p);
  expect(a.stacks).toHaveLength(samples.length);
  const all = samples.map((s) => s.values[1]!).sort((x, y) => y - x);
  const head = a.stacks.slice(0, SORTED_PREFIX).map((r) => r.values[a.index]!);
  expect(head).toEqual(all.slice(0, SORTED_PREFIX));
  expect(a.total).toBe(all.reduce((x, y) => x + y, 0));
  expect(a.functions.find((f) => f.name === 'main.main')!.cum).toBe(a.total);
});
