/**
 * Which files `watch` leaves alone: the other inputs stallscope reads (pprof
 * profiles, perf captures), told by content. They are not damaged traces, so
 * they get one notice instead of an analysis error. Anything else goes to the
 * trace reader, whose error says what is wrong with it.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { isGzip, isZstd } from '../io/gzip.js';
import { detectFormat, detectLongText, mayReadOn, SNIFF_BYTES, TEXT_SNIFF_BYTES } from '../parsers/detect.js';
import { readPprof } from '../parsers/pprof/index.js';
import { isText } from '../parsers/pprof/sniff.js';

/** The file's first bytes; none when it cannot be opened (the trace reader then says why). */
function readHead(path: string, n = SNIFF_BYTES): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return new Uint8Array(0);
  }
  try {
    const buf = new Uint8Array(n);
    return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0));
  } finally {
    closeSync(fd);
  }
}

/** Whether the whole file reads as a pprof profile (its first bytes alone pass for one too easily). */
function readsAsProfile(path: string): boolean {
  try {
    readPprof(readFileSync(path));
    return true;
  } catch {
    return false;
  }
}

/** GODEBUG schedtrace/gctrace text, which watch analyzes as it does traces. */
export function isRuntimeText(path: string): boolean {
  const head = readHead(path);
  const format = detectFormat(head);
  return format === 'runtime-text' || (mayReadOn(head, format) && detectLongText(readHead(path, TEXT_SNIFF_BYTES), format) === 'runtime-text');
}

/** What the file is when it is a profile or a perf capture; undefined otherwise. */
export function notATrace(path: string): string | undefined {
  const head = readHead(path);
  const format = detectFormat(head);
  if (format === 'perf-script') return 'a perf script capture';
  if (isZstd(head)) return 'zstd-compressed data';
  // A raw profile is told by its first byte only, so random bytes or text such as "hi" can look like one:
  // it is skipped only if it reads as one; anything else goes to the trace reader, whose error is a JSON line.
  if ((isGzip(head) || (format === 'pprof' && !isText(head))) && readsAsProfile(path)) return 'a pprof profile';
  return undefined;
}
