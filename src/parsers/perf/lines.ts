/**
 * Lines of a text input, read through a fixed-size buffer: `perf script`
 * captures reach gigabytes, so the whole text is never one string.
 */
import type { ByteSource } from '../../io/byte-source.js';

const CHUNK = 1 << 20;

/** Yields lines without their "\n" (and "\r"); the last line may lack a newline. */
export function* readLines(src: ByteSource, chunkSize = CHUNK): Generator<string> {
  const buf = new Uint8Array(chunkSize);
  const decoder = new TextDecoder('utf-8'); // invalid bytes become U+FFFD, never an exception
  let carry = '';
  for (;;) {
    const n = src.read(buf, 0, buf.length);
    const text = n === 0 ? decoder.decode() : decoder.decode(buf.subarray(0, n), { stream: true });
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const line = carry + text.slice(start, nl);
      carry = '';
      yield line.endsWith('\r') ? line.slice(0, -1) : line;
      start = nl + 1;
    }
    carry += text.slice(start);
    if (n === 0) break;
  }
  if (carry !== '') yield carry;
}
