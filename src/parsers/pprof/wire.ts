/**
 * The protobuf wire format, read straight from bytes: varints as exact
 * numbers (or bigint above 2^53), length-delimited fields checked against the
 * bytes that are really there before anything is sliced. Every malformed input
 * becomes a ParseError with the byte offset.
 *
 * Why not protobufjs's Reader here: its uint32() silently keeps the low 32
 * bits of a longer varint (a 2^60 length prefix reads as 0) and its int64()
 * allocates a Long per value; this reader is exact, checked and allocation-free.
 */
import { ParseError } from '../../errors.js';

export const WIRE = { varint: 0, fixed64: 1, bytes: 2, startGroup: 3, endGroup: 4, fixed32: 5 } as const;

export class WireReader {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    start: number,
    /** End of the message being read (exclusive). */
    readonly end: number,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  fail(detail: string, at = this.pos): never {
    throw new ParseError('pprof', at, detail);
  }

  /** A varint as a bigint (all 64 bits). */
  big(): bigint {
    const at = this.pos;
    let v = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.end) this.fail('message ends inside a varint', at);
      const b = this.buf[this.pos++]!;
      v |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asUintN(64, v);
    }
    return this.fail('varint longer than 10 bytes', at);
  }

  /** An unsigned varint that must be an exact number (below 2^53): ids, indexes. */
  uint(): number {
    const at = this.pos;
    const v = this.uintOrBig();
    if (typeof v === 'bigint') this.fail(`value ${v} is too large`, at);
    return v;
  }

  /** An unsigned varint: a number when exact (below 2^53), else a bigint. */
  private uintOrBig(): number | bigint {
    const buf = this.buf;
    let v = 0;
    let mul = 1;
    // Seven bytes hold 49 bits: always exact in a double. Longer ones go the bigint way.
    for (let i = 0; i < 7; i++) {
      if (this.pos >= this.end) this.fail('message ends inside a varint');
      const b = buf[this.pos++]!;
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 128;
    }
    this.pos -= 7;
    const big = this.big();
    return big > BigInt(Number.MAX_SAFE_INTEGER) ? big : Number(big);
  }

  /** A signed int64 varint (two's complement) that must fit a double exactly: sample values, line numbers. */
  int(): number {
    const start = this.pos;
    // Fast path: short non-negative varints.
    for (let i = 0; i < 7 && this.pos < this.end; i++) {
      if (this.buf[this.pos++]! < 0x80) {
        this.pos = start;
        return this.uint();
      }
    }
    this.pos = start;
    const v = BigInt.asIntN(64, this.big());
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) this.fail(`value ${v} is too large`, start);
    return Number(v);
  }

  /** A tag: field number and wire type. */
  tag(): { field: number; wire: number } {
    const at = this.pos;
    const t = this.uint();
    const field = Math.floor(t / 8);
    const wire = t % 8;
    if (field === 0) this.fail('field number 0 (not a protobuf message)', at);
    return { field, wire };
  }

  /** A length-delimited field: returns [start, end) of its bytes, checked against what is left. */
  bytes(): [number, number] {
    const at = this.pos;
    const len = this.uintOrBig();
    if (typeof len === 'bigint' || len > this.end - this.pos) this.fail(`length ${len} runs past the end of the data (${this.end - this.pos} bytes left)`, at);
    const s = this.pos;
    this.pos += len as number;
    return [s, this.pos];
  }

  /** A nested message: a reader over its bytes. */
  message(): WireReader {
    const [s, e] = this.bytes();
    return new WireReader(this.buf, s, e);
  }

  /** Skips a field of an unknown number (protobuf allows them). */
  skip(wire: number): void {
    const at = this.pos;
    switch (wire) {
      case WIRE.varint:
        this.big();
        return;
      case WIRE.fixed64:
        this.advance(8, at);
        return;
      case WIRE.bytes:
        this.bytes();
        return;
      case WIRE.fixed32:
        this.advance(4, at);
        return;
      default:
        this.fail(`invalid wire type ${wire}`, at);
    }
  }

  /**
   * One value or a packed run of a repeated scalar: Go writes lists of more than
   * two packed and shorter ones unpacked, even in one file, so both must work.
   */
  repeated(wire: number, read: (r: WireReader) => number, into: number[]): void {
    if (wire === WIRE.varint) {
      into.push(read(this));
      return;
    }
    if (wire !== WIRE.bytes) this.fail(`wire type ${wire} for a repeated integer field`);
    const [s, e] = this.bytes();
    const r = new WireReader(this.buf, s, e);
    while (!r.done) into.push(read(r));
  }

  /** Checks the wire type of a scalar field. */
  expect(wire: number, want: number, name: string): void {
    if (wire !== want) this.fail(`${name}: wire type ${wire}, expected ${want}`);
  }

  private advance(n: number, at: number): void {
    if (n > this.end - this.pos) this.fail('message ends inside a fixed-size field', at);
    this.pos += n;
  }
}
