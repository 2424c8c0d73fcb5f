import fc from 'fast-check';
import { expect, test } from 'vitest';
import { DurationHistogram } from '../src/analyzers/histogram.js';

test('quantiles are within 2% of the exact ones, exact at the ends', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: 4e12 }), { minLength: 1, maxLength: 300 }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), (xs, q) => {
      const h = new DurationHistogram();
      for (const x of xs) h.add(x);
      const sorted = [...xs].sort((a, b) => a - b);
      const exact = sorted[Math.max(0, Math.ceil(q * xs.length) - 1)]!;
      const got = h.quantile(q);
      expect(Math.abs(got - exact)).toBeLessThanOrEqual(exact * 0.021 + 1);
      expect(h.quantile(1)).toBe(sorted[sorted.length - 1]);
      expect(h.count).toBe(xs.length);
    }),
  );
});
