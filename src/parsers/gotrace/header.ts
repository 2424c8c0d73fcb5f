import { ParseError, UnsupportedError } from '../../errors.js';

/** Header versions of each wire format family ("go 1.N trace"). */
export const V1_VERSIONS = [11, 19, 21] as const;
export const V2_VERSIONS = [22, 23, 25, 26] as const;
const TOO_OLD = new Set([5, 7, 8, 9, 10]);
export const HEADER_SIZE = 16;

export interface TraceHeader {
  /** N of "go 1.N trace": the format version, not always the Go release (Go 1.24 writes 23). */
  readonly version: number;
  readonly family: 'v1' | 'v2';
}

/**
 * Parses the 16-byte header. Stricter than Go's scanf: the padding must be NULs.
 * Errors say what the file looks like instead, when that is easy to tell.
 */
export function parseHeader(head: Uint8Array): TraceHeader {
  const text = new TextDecoder('latin1').decode(head.subarray(0, HEADER_SIZE));
  const m = /^go 1\.(\d{1,3}) trace\0*$/.exec(text);
  if (!m || head.length < HEADER_SIZE) {
    if (head.length < HEADER_SIZE && /^go 1\.\d{0,3}( t?r?a?c?e?)?$/.test(text)) {
      throw new ParseError('go-trace', head.length, 'file ends inside the 16-byte header');
    }
    throw new ParseError('go-trace', 0, `not a Go execution trace (${describeBytes(head)})`);
  }
  const version = Number(m[1]);
  if ((V1_VERSIONS as readonly number[]).includes(version)) return { version, family: 'v1' };
  if ((V2_VERSIONS as readonly number[]).includes(version)) return { version, family: 'v2' };
  if (TOO_OLD.has(version)) {
    throw new UnsupportedError(
      'go-trace',
      0,
      `trace format go 1.${version} (written by Go 1.${version}) is too old; supported: Go 1.11 and newer (formats ${[...V1_VERSIONS, ...V2_VERSIONS].map((v) => '1.' + v).join(', ')})`,
    );
  }
  throw new UnsupportedError(
    'go-trace',
    0,
    `unknown trace format version go 1.${version} (newer Go?); supported formats: ${[...V1_VERSIONS, ...V2_VERSIONS].map((v) => '1.' + v).join(', ')}`,
  );
}

/** A short guess at what a non-trace file is, for error messages. */
export function describeBytes(head: Uint8Array): string {
  if (head.length === 0) return 'the file is empty';
  if (head[0] === 0x1f && head[1] === 0x8b) return 'it is gzip-compressed; a pprof profile?';
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'it is zstd-compressed';
  if (head[0] === 0x0a) return 'it looks like a protobuf; a pprof profile?';
  let printable = 0;
  for (const b of head) if (b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127)) printable++;
  if (printable === head.length) return 'it is text';
  return 'unknown binary data';
}
