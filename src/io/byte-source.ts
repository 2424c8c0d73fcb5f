import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { NONE, uvarint, uvarintBig, uvarintEnd, UVARINT_SHORT } from './uvarint.js';

/**
 * A pull-based source of bytes. Parsers read what they need and no more, so a
 * trace of any size streams through a fixed-size buffer.
 */
export interface ByteSource {
  /** Copies up to `length` bytes into `into` at `offset`; returns 0 only at end of input. */
  read(into: Uint8Array, offset: number, length: number): number;
  /** Size in bytes when known (regular files and buffers), else undefined. */
  readonly size: number | undefined;
  /**
   * Random access, for sources that can read the same bytes again (files, buffers).
   * Lets a parser keep where a record is instead of the record itself.
   */
  readAt?(into: Uint8Array, offset: number, length: number, position: number): number;
  close(): void;
}

export class BufferSource implements ByteSource {
  private pos = 0;
  constructor(private readonly data: Uint8Array) {}
  get size(): number {
    return this.data.length;
  }
  read(into: Uint8Array, offset: number, length: number): number {
    const n = this.readAt(into, offset, length, this.pos);
    this.pos += n;
    return n;
  }
  readAt(into: Uint8Array, offset: number, length: number, position: number): number {
    const n = Math.max(0, Math.min(length, this.data.length - position));
    into.set(this.data.subarray(position, position + n), offset);
    return n;
  }
  close(): void {}
}

/** A file (or stdin, fd 0) read synchronously: the parsers are synchronous state machines. */
export class FileSource implements ByteSource {
  readonly size: number | undefined;
  readonly readAt: ByteSource['readAt'];
  private constructor(private fd: number, private readonly owned: boolean) {
    const st = fstatSync(fd);
    this.size = st.isFile() ? st.size : undefined;
    // Only regular files can be read again at an offset; pipes and terminals stream once.
    this.readAt = st.isFile()
      ? (into, offset, length, position) => {
          let done = 0;
          while (done < length) {
            const n = readSync(this.fd, into, offset + done, length - done, position + done);
            if (n === 0) break;
            done += n;
          }
          return done;
        }
      : undefined;
  }
  static open(path: string): FileSource {
    return path === '-' ? new FileSource(0, false) : new FileSource(openSync(path, 'r'), true);
  }
  read(into: Uint8Array, offset: number, length: number): number {
    for (;;) {
      try {
        return readSync(this.fd, into, offset, length, null);
      } catch (err) {
        // A non-blocking stdin pipe says EAGAIN until the writer catches up.
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
          continue;
        }
        if ((err as NodeJS.ErrnoException).code === 'EOF') return 0;
        throw err;
      }
    }
  }
  close(): void {
    if (this.owned && this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

/**
 * Buffered reading on top of a ByteSource, with an absolute offset for error
 * messages. Holds one chunk; `take` copies out exactly what a caller keeps.
 */
export class ChunkReader {
  private buf: Uint8Array;
  private start = 0;
  private end = 0;
  private consumed = 0; // bytes before buf[start]
  private eof = false;

  constructor(private readonly src: ByteSource, chunkSize = 1 << 20) {
    this.buf = new Uint8Array(chunkSize);
  }

  /** Absolute offset of the next unread byte. */
  get offset(): number {
    return this.consumed;
  }

  /** Ensures at least n bytes are buffered, unless the input ends first; returns how many are. */
  fill(n: number): number {
    if (this.end - this.start >= n || this.eof) return this.end - this.start;
    if (this.start > 0) {
      this.buf.copyWithin(0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
    }
    if (n > this.buf.length) {
      const bigger = new Uint8Array(Math.max(n, this.buf.length * 2));
      bigger.set(this.buf.subarray(0, this.end));
      this.buf = bigger;
    }
    while (this.end < n) {
      const got = this.src.read(this.buf, this.end, this.buf.length - this.end);
      if (got === 0) {
        this.eof = true;
        break;
      }
      this.end += got;
    }
    return this.end - this.start;
  }

  /** The next byte without consuming it, or -1 at end of input. */
  peekByte(): number {
    if (this.fill(1) < 1) return -1;
    return this.buf[this.start]!;
  }

  /** Reads one byte, or -1 at end of input. */
  readByte(): number {
    if (this.fill(1) < 1) return -1;
    this.consumed++;
    return this.buf[this.start++]!;
  }

  /**
   * Reads an unsigned LEB128 varint (io/uvarint.ts: 2^64-1, the wire's "none",
   * is -1). Returns undefined at end of input and throws a string describing
   * malformed input.
   */
  readUvarint(): number | undefined {
    this.fill(10);
    const at = this.start;
    const v = uvarint(this.buf.subarray(this.start, this.end), 0);
    if (v === UVARINT_SHORT) return undefined;
    if (v < NONE) throw 'varint overflows a 64-bit integer';
    this.start += uvarintEnd;
    this.consumed += uvarintEnd;
    // Past 2^53 a number is not exact: keep the exact value for messages (the bytes are still in the buffer: fill(10) above).
    if (v === NONE || v > Number.MAX_SAFE_INTEGER) this.lastBig = uvarintBig(this.buf, at);
    return v >= 9223372036854775808 ? NONE : v; // int64 view: 2^63 and above read as "none", as before
  }

  /** The exact value of the last varint read above 2^53 (for error messages). */
  lastBig: bigint | undefined;

  /** Whether bytes already passed can be read again with readAt. */
  get canReadAgain(): boolean {
    return this.src.readAt !== undefined;
  }

  /** Reads bytes at an absolute offset of the input (only when canReadAgain). */
  readAt(into: Uint8Array, length: number, position: number): number {
    return this.src.readAt!(into, 0, length, position);
  }

  /** Consumes up to n bytes without keeping them (fewer only at end of input); returns how many. */
  skip(n: number): number {
    let left = n;
    while (left > 0) {
      const have = this.fill(Math.min(left, this.buf.length));
      if (have === 0) break;
      const k = Math.min(left, have);
      this.start += k;
      this.consumed += k;
      left -= k;
    }
    return n - left;
  }

  /** Copies out up to n bytes (fewer only at end of input). */
  take(n: number): Uint8Array {
    const have = this.fill(n);
    const k = Math.min(n, have);
    const out = this.buf.slice(this.start, this.start + k);
    this.start += k;
    this.consumed += k;
    return out;
  }
}
