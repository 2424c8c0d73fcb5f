/**
 * Lines of a text input, read through a fixed-size buffer: `perf script`
 * captures reach gigabytes, so the whole text is never one string. Lines come
 * in batches (one per chunk): a generator step per line costs more than
 * reading the line.
 */
import { Buffer, isAscii } from 'node:buffer';
import type { ByteSource } from '../../io/byte-source.js';

const CHUNK = 1 << 20;
/** A longer "line" is not perf text (V8 strings stop near 512 MiB): its excess is dropped and the line reads as damage. */
export const MAX_LINE = 1 << 24;

const withoutCR = (line: string): string => (line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line);

/** Batches of lines without their "\n" (and "\r"); the last line may lack a newline. */
export function* readLineBatches(src: ByteSource, chunkSize = CHUNK): Generator<string[]> {
  const buf = new Uint8Array(chunkSize);
  const bytes = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  // Invalid bytes become U+FFFD, never an exception. Made at the first non-ASCII chunk: until then
  // every chunk is ASCII, decoded as latin1 (the same text, several times faster), and the decoder
  // has nothing pending; made later, it must keep a U+FEFF it did not see at the start of the input.
  let decoder: InstanceType<typeof TextDecoder> | undefined;
  let first = true;
  let carry = '';
  for (;;) {
    const n = src.read(buf, 0, buf.length);
    let text: string;
    if (decoder === undefined && (n === 0 || isAscii(buf.subarray(0, n)))) text = bytes.toString('latin1', 0, n);
    else {
      decoder ??= new TextDecoder('utf-8', { ignoreBOM: !first });
      text = n === 0 ? decoder.decode() : decoder.decode(buf.subarray(0, n), { stream: true });
    }
    first = false;
    const lines: string[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      if (start === 0 && carry !== '') {
        lines.push(withoutCR(carry + text.slice(0, nl)));
        carry = '';
      } else lines.push(text.slice(start, nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl)); // "\r" dropped in the same pass
      start = nl + 1;
    }
    if (carry.length < MAX_LINE) carry += text.slice(start, start + MAX_LINE - carry.length);
    if (n === 0 && carry !== '') lines.push(withoutCR(carry));
    if (lines.length > 0) yield lines;
    if (n === 0) return;
  }
}

/** Line by line, for callers that want single lines. */
export function* readLines(src: ByteSource, chunkSize = CHUNK): Generator<string> {
  for (const batch of readLineBatches(src, chunkSize)) yield* batch;
}
