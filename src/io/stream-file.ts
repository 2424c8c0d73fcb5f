/**
 * An output file written as it is made, in chunks, gzipped on the way when its
 * name ends in .gz: memory stays flat however much is written. Written beside
 * its final name and renamed at the end, so a failure leaves no half file.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Deflate } from 'pako';
import { OutputError } from '../errors.js';

/** Text is gathered into chunks of about this many characters before each write. */
const CHUNK = 1 << 16;

export class StreamFile {
  private readonly tmp: string;
  private readonly fd: number;
  private readonly gzip: Deflate | undefined;
  private pending: string[] = [];
  private pendingLength = 0;
  /** Bytes written to the file (after compression). */
  bytes = 0;

  constructor(readonly path: string) {
    this.tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
    try {
      this.fd = openSync(this.tmp, 'w');
    } catch (err) {
      throw new OutputError(path, err);
    }
    if (path.endsWith('.gz')) {
      // Level 1: the JSON is repetitive enough that the fastest level still shrinks it about twentyfold.
      this.gzip = new Deflate({ gzip: true, level: 1 });
      this.gzip.onData = (chunk: Uint8Array) => this.writeBytes(chunk);
    }
  }

  write(text: string): void {
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= CHUNK) this.flush();
  }

  private flush(): void {
    if (this.pendingLength === 0) return;
    const data = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingLength = 0;
    if (this.gzip) this.gzip.push(data, false);
    else this.writeBytes(data);
  }

  private writeBytes(data: Uint8Array): void {
    try {
      for (let off = 0; off < data.length; ) off += writeSync(this.fd, data, off);
    } catch (err) {
      this.abort();
      throw new OutputError(this.path, err);
    }
    this.bytes += data.length;
  }

  /** Writes what is left and puts the file in place. */
  close(): void {
    this.flush();
    this.gzip?.push(new Uint8Array(0), true);
    try {
      closeSync(this.fd);
      renameSync(this.tmp, this.path);
    } catch (err) {
      rmSync(this.tmp, { force: true });
      throw new OutputError(this.path, err);
    }
  }

  /** Drops the half-written file. */
  abort(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    rmSync(this.tmp, { force: true });
  }
}
