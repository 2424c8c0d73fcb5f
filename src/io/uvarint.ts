/**
 * The one unsigned LEB128 decoder of the trace readers (the v1 parser, v2
 * batch headers through ChunkReader, v2 payloads and the v2 event loop): Go's
 * binary.Uvarint on a double. (pprof's wire.ts reads protobuf varints as
 * bigints and int64s: another contract.)
 *
 * uvarint(data, pos) returns
 *   - the value: exact below 2^53, the nearest double above (IDs and times in
 *     real traces stay far below 2^53);
 *   - NONE (-1) for 2^64-1, all 64 bits set: Go writes -1 and "no ID" so, and
 *     keeping it -1 keeps uint64 wrap-around arithmetic (+1 → 0) true;
 *   - UVARINT_SHORT (-2) when the data ends inside it;
 *   - UVARINT_BAD (-3) when it overflows 64 bits (a 10th byte above 1, or more
 *     than 10 bytes), as binary.Uvarint's overflow.
 * So `v < NONE` is the one test for a decoding error. The position after the
 * varint is left in `uvarintEnd` (a module variable: cheaper than a pair).
 */

export const NONE = -1;
export const UVARINT_SHORT = -2;
export const UVARINT_BAD = -3;

/** Position after the varint uvarint() decoded last. */
export let uvarintEnd = 0;

export function uvarint(data: Uint8Array, pos: number): number {
  // One- and two-byte varints (most event types, small IDs and time deltas) without the loop.
  let b = data[pos];
  if (b === undefined) return UVARINT_SHORT;
  if (b < 0x80) {
    uvarintEnd = pos + 1;
    return b;
  }
  let result = b & 0x7f;
  b = data[pos + 1];
  if (b === undefined) return UVARINT_SHORT;
  if (b < 0x80) {
    uvarintEnd = pos + 2;
    return result | (b << 7);
  }
  result |= (b & 0x7f) << 7;
  let mul = 16384;
  for (let i = 2; i < 10; i++) {
    b = data[pos + i];
    if (b === undefined) return UVARINT_SHORT;
    if (b < 0x80) {
      if (i === 9 && b > 1) return UVARINT_BAD;
      uvarintEnd = pos + i + 1;
      return i === 9 && b === 1 && allOnes(data, pos) ? NONE : result + b * mul;
    }
    result += (b & 0x7f) * mul;
    mul *= 128;
  }
  return UVARINT_BAD;
}

/** Are the first nine bytes at pos all 0xff (with a 10th byte of 1: 2^64-1)? Only 10-byte varints ask. */
function allOnes(data: Uint8Array, pos: number): boolean {
  for (let i = 0; i < 9; i++) if (data[pos + i] !== 0xff) return false;
  return true;
}

/**
 * A varint's exact value, for error messages: the readers decode to doubles,
 * exact below 2^53, and a length of 2^62 must print as 4611686018427387904,
 * not as the nearest double (4611686018427388000).
 */
export function uvarintBig(data: Uint8Array, pos: number): bigint {
  let v = 0n;
  for (let shift = 0n, i = pos; i < data.length && shift < 70n; i++, shift += 7n) {
    const b = data[i]!;
    v |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) break;
  }
  return BigInt.asUintN(64, v);
}

/** A decoded varint as text: the double when it is exact, else the exact value read again from its bytes. */
export function uvarintText(v: number, data: Uint8Array, pos: number): string {
  return Number.isSafeInteger(v) && v >= 0 ? String(v) : String(uvarintBig(data, pos));
}
