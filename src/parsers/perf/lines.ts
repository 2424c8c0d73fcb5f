/**
 * Lines of a text input, read through a fixed-size buffer: `perf script`
 * captures reach gigabytes, so the whole text is never one string. Lines come
 * in batches (one per chunk): a generator step per line costs more than
 * reading the line.
 */
import type { ByteSource } from '../../io/byte-source.js';

const CHUNK = 1 << 20;
/** A longer "line" is not perf text (V8 strings stop near 512 MiB): its excess is dropped and the line reads as damage. */
export const MAX_LINE = 1 << 24;

/** Batches of lines without their "\n" (and "\r"); the last line may lack a newline. */
export function* readLineBatches(src: ByteSource, chunkSize = CHUNK): Generator<string[]> {
  const buf = new Uint8Array(chunkSize);
  const decoder = new TextDecoder('utf-8'); // invalid bytes become U+FFFD, never an exception
  let carry = '';
  for (;;) {
    const n = src.read(buf, 0, buf.length);
    const text = n === 0 ? decoder.decode() : decoder.decode(buf.subarray(0, n), { stream: true });
    const lines: string[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      lines.push(start === 0 && carry !== '' ? carry + text.slice(0, nl) : text.slice(start, nl));
      if (start === 0) carry = '';
      start = nl + 1;
    }
    if (carry.length < MAX_LINE) carry += text.slice(start, start + MAX_LINE - carry.length);
    if (n === 0 && carry !== '') lines.push(carry);
    for (let i = 0; i < lines.length; i++) if (lines[i]!.charCodeAt(lines[i]!.length - 1) === 13) lines[i] = lines[i]!.slice(0, -1);
    if (lines.length > 0) yield lines;
    if (n === 0) return;
  }
}

/** Line by line, for callers that want single lines. */
export function* readLines(src: ByteSource, chunkSize = CHUNK): Generator<string> {
  for (const batch of readLineBatches(src, chunkSize)) yield* batch;
}
