/**
 * Which reader an input needs, from its first bytes (never its name): Go
 * execution traces start "go 1."; pprof profiles are gzip (1f 8b), zstd (which
 * the pprof reader names in its error), or a bare profile.proto message;
 * `perf script` text starts with its --header block or an event line; GODEBUG
 * schedtrace/gctrace text has a SCHED or gc line among its first lines; goroutine
 * dumps have a goroutine header (or a debug=1 profile's first line) at a line start.
 */
import { isGzip, isZstd } from '../io/gzip.js';
import { looksLikeGoroutineDump } from './goroutine-dump/sniff.js';
import { looksLikePerfScript } from './perf/sniff.js';
import { isText, looksLikeProfile } from './pprof/sniff.js';
import { looksLikeRuntimeText } from './runtime-text/sniff.js';

export type DetectedFormat = 'go-trace' | 'pprof' | 'perf-script' | 'runtime-text' | 'goroutine-dump' | 'unknown';

/** Bytes enough to decide: perf's --header block is about 2 KB before the first event line. */
export const SNIFF_BYTES = 8192;

const TRACE_MAGIC = new TextEncoder().encode('go 1.');

export function detectFormat(head: Uint8Array): DetectedFormat {
  if (head.length >= 3 && TRACE_MAGIC.subarray(0, Math.min(head.length, TRACE_MAGIC.length)).every((b, i) => head[i] === b)) return 'go-trace';
  if (isGzip(head) || isZstd(head)) return 'pprof';
  // Before perf: a dump's frame lines ("\tfile:line +0x1f") pass for perf stack lines.
  if (looksLikeGoroutineDump(head)) return 'goroutine-dump';
  // A head shorter than the window is the whole input, so its last line is complete.
  if (looksLikePerfScript(head, head.length < SNIFF_BYTES)) return 'perf-script';
  if (looksLikeRuntimeText(head, head.length < SNIFF_BYTES)) return 'runtime-text';
  if (looksLikeProfile(head)) return 'pprof';
  return 'unknown';
}

/**
 * How far text that is nothing else is searched for the runtime's lines: a
 * service's stderr log may hold pages of its own output before the first
 * gctrace line.
 */
export const TEXT_SNIFF_BYTES = 1 << 20;

/**
 * Whether a full window of text is worth reading on to TEXT_SNIFF_BYTES: it
 * was told as nothing, or as a raw profile (whose sniff is one byte: text
 * passes it; the pprof reader then says it is text).
 */
export function mayReadOn(head: Uint8Array, format: DetectedFormat): boolean {
  return (format === 'unknown' || format === 'pprof') && head.length >= SNIFF_BYTES && isText(head);
}

/** The format of text read on (up to TEXT_SNIFF_BYTES): runtime text, or what it was told as before. */
export function detectLongText(head: Uint8Array, before: DetectedFormat): DetectedFormat {
  return looksLikeRuntimeText(head, head.length < TEXT_SNIFF_BYTES) ? 'runtime-text' : before;
}
