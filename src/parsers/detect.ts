/**
 * Which reader an input needs, from its first bytes (never its name): Go
 * execution traces start "go 1."; pprof profiles are gzip (1f 8b), zstd (which
 * the pprof reader names in its error), or a bare profile.proto message.
 */
import { isGzip, isZstd } from '../io/gzip.js';
import { looksLikeProfile } from './pprof/sniff.js';

export type DetectedFormat = 'go-trace' | 'pprof' | 'unknown';

/** Bytes enough to decide. */
export const SNIFF_BYTES = 16;

const TRACE_MAGIC = new TextEncoder().encode('go 1.');

export function detectFormat(head: Uint8Array): DetectedFormat {
  if (head.length >= 3 && TRACE_MAGIC.subarray(0, Math.min(head.length, TRACE_MAGIC.length)).every((b, i) => head[i] === b)) return 'go-trace';
  if (isGzip(head) || isZstd(head) || looksLikeProfile(head)) return 'pprof';
  return 'unknown';
}
