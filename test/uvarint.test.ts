/**
 * io/uvarint.ts, the trace readers' one varint decoder, against its contract:
 * values exact below 2^53, 2^64-1 → NONE, a cut varint → UVARINT_SHORT, more
 * than 64 bits → UVARINT_BAD, the end in uvarintEnd. The bytes come from a
 * BigInt encoder (encoding/binary's PutUvarint, written out), so every length
 * from 1 to 10 bytes is exercised.
 */
import { describe, expect, it } from 'vitest';
import { NONE, uvarint, uvarintEnd, UVARINT_BAD, UVARINT_SHORT } from '../src/io/uvarint.js';

function putUvarint(v: bigint): number[] {
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

const U64_MAX = 2n ** 64n - 1n;
const values = [0n, 1n, 127n, 128n, 300n, 16383n, 16384n, 2n ** 21n, 2n ** 28n, 2n ** 31n - 1n, 2n ** 32n, 2n ** 35n + 7n, 2n ** 49n, 2n ** 53n - 1n];

describe('uvarint', () => {
  it('decodes every length exactly below 2^53 and leaves the end in uvarintEnd', () => {
    for (const v of values) {
      const bytes = [0xaa, ...putUvarint(v), 0x05]; // a byte before and after
      expect(uvarint(Uint8Array.from(bytes), 1)).toBe(Number(v));
      expect(uvarintEnd).toBe(bytes.length - 1);
    }
  });

  it('gives NONE for 2^64-1 only; other values above 2^53 are the nearest double', () => {
    expect(putUvarint(U64_MAX)).toHaveLength(10);
    expect(uvarint(Uint8Array.from(putUvarint(U64_MAX)), 0)).toBe(NONE);
    expect(uvarintEnd).toBe(10);
    for (const v of [2n ** 53n + 2n, 2n ** 63n, U64_MAX - 1n]) expect(uvarint(Uint8Array.from(putUvarint(v)), 0)).toBe(Number(v));
  });

  it('gives UVARINT_SHORT when the data ends inside the varint, at every cut', () => {
    for (const v of [128n, 2n ** 40n, U64_MAX]) {
      const bytes = putUvarint(v);
      for (let cut = 0; cut < bytes.length; cut++) expect(uvarint(Uint8Array.from(bytes.slice(0, cut)), 0)).toBe(UVARINT_SHORT);
    }
  });

  it('gives UVARINT_BAD past 64 bits: a 10th byte above 1, or an 11th byte', () => {
    const nine = new Array(9).fill(0xff);
    expect(uvarint(Uint8Array.from([...nine, 0x02]), 0)).toBe(UVARINT_BAD);
    expect(uvarint(Uint8Array.from([...nine, 0x81, 0x00]), 0)).toBe(UVARINT_BAD);
    expect(NONE).toBeGreaterThan(UVARINT_SHORT); // `v < NONE` is the one error test
    expect(NONE).toBeGreaterThan(UVARINT_BAD);
  });
});
