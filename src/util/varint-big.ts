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
