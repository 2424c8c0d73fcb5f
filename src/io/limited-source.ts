import type { ByteSource } from './byte-source.js';

/**
 * The first `limit` bytes of a source. Two threads that read one file each read
 * exactly the bytes it had when the first opened it, even if it grows meanwhile.
 */
export class LimitedSource implements ByteSource {
  private pos = 0;
  readonly readAt: ByteSource['readAt'];
  constructor(private readonly inner: ByteSource, private readonly limit: number) {
    const at = inner.readAt?.bind(inner);
    this.readAt = at && ((into, offset, length, position) => at(into, offset, Math.max(0, Math.min(length, limit - position)), position));
  }
  get size(): number {
    return Math.min(this.limit, this.inner.size ?? this.limit);
  }
  read(into: Uint8Array, offset: number, length: number): number {
    const want = Math.min(length, this.limit - this.pos);
    if (want <= 0) return 0;
    const n = this.inner.read(into, offset, want);
    this.pos += n;
    return n;
  }
  close(): void {
    this.inner.close();
  }
}
