/**
 * Which files `watch` leaves alone: the other inputs stallscope reads (pprof
 * profiles, perf captures), told by content. They are not damaged traces, so
 * they get one notice instead of an analysis error. Anything else goes to the
 * trace reader, whose error says what is wrong with it.
 */
import { readFileSync } from 'node:fs';
import { readHead } from '../io/read-head.js';
import { isGzip, isZstd } from '../io/gzip.js';
import { detectFormat, detectLongText, mayReadOn, SNIFF_BYTES, TEXT_SNIFF_BYTES } from '../parsers/detect.js';
import { readPprof } from '../parsers/pprof/index.js';
import { isText } from '../parsers/pprof/sniff.js';

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
  const head = readHead(path, SNIFF_BYTES);
  const format = detectFormat(head);
  return format === 'runtime-text' || (mayReadOn(head, format) && detectLongText(readHead(path, TEXT_SNIFF_BYTES), format) === 'runtime-text');
}

/** What the file is when it is a profile or a perf capture; undefined otherwise. */
export function notATrace(path: string): string | undefined {
  const head = readHead(path, SNIFF_BYTES);
  const format = detectFormat(head);
  if (format === 'perf-script') return 'a perf script capture';
  if (isZstd(head)) return 'zstd-compressed data';
  // A raw profile is told by its first byte only, so random bytes or text such as "hi" can look like one:
  // it is skipped only if it reads as one; anything else goes to the trace reader, whose error is a JSON line.
  if ((isGzip(head) || (format === 'pprof' && !isText(head))) && readsAsProfile(path)) return 'a pprof profile';
  return undefined;
}
