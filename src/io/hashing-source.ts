import { createHash, type Hash } from 'node:crypto';
import type { ByteSource } from './byte-source.js';

/** Passes bytes through and hashes them (sha256), so reports can name their input exactly. */
export class HashingSource implements ByteSource {
  private readonly hash: Hash = createHash('sha256');
  bytes = 0;
  readonly readAt: ByteSource['readAt'];
  constructor(private readonly inner: ByteSource) {
    // Re-reads do not pass through the hash: every byte is hashed once, in order, by read().
    this.readAt = inner.readAt?.bind(inner);
  }
  get size(): number | undefined {
    return this.inner.size;
  }
  read(into: Uint8Array, offset: number, length: number): number {
    const n = this.inner.read(into, offset, length);
    if (n > 0) {
      this.hash.update(into.subarray(offset, offset + n));
      this.bytes += n;
    }
    return n;
  }
  /** Reads what is left (a reader may stop early) and returns the hex digest. */
  finish(): string {
    const buf = new Uint8Array(1 << 16);
    while (this.read(buf, 0, buf.length) > 0);
    return this.hash.digest('hex');
  }
  close(): void {
    this.inner.close();
  }
}
