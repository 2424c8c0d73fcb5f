/**
 * The v1 reader re-sorts after moving syscall exits to their real time (Go's
 * sort.Stable). We merge instead of sorting everything; it must give exactly
 * the stable order.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { EventColumns } from '../src/parsers/gotrace/v1/parser.js';

test('merging the moved events back gives exactly sort.Stable by time', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 60 }),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 30 })), { maxLength: 10 }),
      (deltas, moves) => {
        const cols = new EventColumns(deltas.length);
        let t = 0;
        for (const [i, d] of deltas.entries()) {
          t += d;
          cols.push({ ts: t, g: i, a0: i * 2, a1: 0, a2: 0, a3: 0, stk: i, p: i % 3, type: i % 50, off: 100 + i });
        }
        const moved = [...new Set(moves.map(([i]) => i % deltas.length))];
        for (const [i, ts] of moves) cols.ts[i % deltas.length] = ts;
        const want = [...Array(cols.n).keys()].sort((x, y) => cols.ts[x]! - cols.ts[y]! || x - y);
        const wantTs = want.map((i) => cols.ts[i]);
        cols.stableSortByTime(moved);
        expect([...cols.g.subarray(0, cols.n)]).toEqual(want);
        expect([...cols.ts.subarray(0, cols.n)]).toEqual(wantTs);
        expect([...cols.stk.subarray(0, cols.n)]).toEqual(want);
        expect([...cols.a0.subarray(0, cols.n)]).toEqual(want.map((i) => i * 2));
        expect([...cols.off.subarray(0, cols.n)]).toEqual(want.map((i) => 100 + i));
      },
    ),
    { numRuns: 500 },
  );
});
