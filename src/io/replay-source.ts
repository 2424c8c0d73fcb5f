import { ParseError, type InputFormat } from '../errors.js';
import type { ByteSource } from './byte-source.js';

/**
 * A source whose first bytes were already read (to sniff the format), played
 * back before the rest: works for stdin too, which cannot be reopened.
 */
export class ReplaySource implements ByteSource {
  private pos = 0;
  /** The head was read from the start of the input, so positions are the input's own. */
  readonly readAt: ByteSource['readAt'];
  constructor(private readonly head: Uint8Array, private readonly rest: ByteSource) {
    this.readAt = rest.readAt?.bind(rest);
  }
  get size(): number | undefined {
    return this.rest.size;
  }
  read(into: Uint8Array, offset: number, length: number): number {
    if (this.pos < this.head.length) {
      const n = Math.min(length, this.head.length - this.pos);
      into.set(this.head.subarray(this.pos, this.pos + n), offset);
      this.pos += n;
      return n;
    }
    return this.rest.read(into, offset, length);
  }
  close(): void {
    this.rest.close();
  }
}

/** Reads up to n bytes (fewer only at the end of input). */
export function readHead(src: ByteSource, n: number): Uint8Array {
  const buf = new Uint8Array(n);
  let got = 0;
  for (let k = 1; got < n && k > 0; got += k) k = src.read(buf, got, n - got);
  return buf.subarray(0, got);
}

/** Reads a whole input into memory, refusing inputs over `limit` bytes before holding them. */
export function readAllBytes(src: ByteSource, limit: number, format: InputFormat): Uint8Array {
  if (src.size !== undefined && src.size > limit) throw new ParseError(format, undefined, `the file is ${src.size.toLocaleString('en-US')} bytes, over the limit of ${limit.toLocaleString('en-US')}`);
  let buf = new Uint8Array(src.size !== undefined ? src.size + 1 : Math.min(1 << 20, limit + 1));
  let len = 0;
  for (;;) {
    if (len === buf.length) {
      // Never more than one byte past the limit (stdin has no size to check first): that byte is the proof.
      if (len > limit) throw new ParseError(format, limit, `the input is over the limit of ${limit.toLocaleString('en-US')} bytes`);
      const bigger = new Uint8Array(Math.min(buf.length * 2, limit + 1));
      bigger.set(buf);
      buf = bigger;
    }
    const n = src.read(buf, len, buf.length - len);
    if (n === 0) return buf.subarray(0, len);
    len += n;
  }
}
