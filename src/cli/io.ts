import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';

/** A place to write text: process.stdout, or a test's fake. */
export interface OutStream {
  write(s: string): unknown;
  readonly isTTY?: boolean;
}

/** What the CLI touches of the outside world; tests pass fakes. */
export interface CliIO {
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  readonly stdin?: Readable;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Buffered text output that respects backpressure, so printing millions of
 * events to a pipe neither floods memory nor slows to one write per line.
 */
export class Output {
  private buf: string[] = [];
  private size = 0;
  constructor(private readonly stream: CliIO['stdout'], private readonly limit = 1 << 16) {}

  /** Adds text; returns a promise only when the buffer was flushed and the stream wants a pause. */
  write(s: string): Promise<void> | undefined {
    this.buf.push(s);
    this.size += s.length;
    if (this.size >= this.limit) return this.flush();
    return undefined;
  }

  async flush(): Promise<void> {
    if (this.size === 0) return;
    const chunk = this.buf.join('');
    this.buf = [];
    this.size = 0;
    const ok = this.stream.write(chunk);
    if (ok === false && 'once' in this.stream) await once(this.stream as Writable, 'drain');
  }
}
