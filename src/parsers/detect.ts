/**
 * Which reader an input needs, from its first bytes (never its name): Go
 * execution traces start "go 1."; pprof profiles are gzip (1f 8b), zstd (which
 * the pprof reader names in its error), or a bare profile.proto message;
 * `perf script` text starts with its --header block or an event line; goroutine
 * dumps have a goroutine header (or a debug=1 profile's first line) at a line start.
 */
import { isGzip, isZstd } from '../io/gzip.js';
import { looksLikeGoroutineDump } from './goroutine-dump/sniff.js';
import { looksLikePerfScript } from './perf/sniff.js';
import { looksLikeProfile } from './pprof/sniff.js';

export type DetectedFormat = 'go-trace' | 'pprof' | 'perf-script' | 'goroutine-dump' | 'unknown';

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
  if (looksLikeProfile(head)) return 'pprof';
  return 'unknown';
}
