/**
 * pprof profiles (profile.proto), gzipped or not, as Go's runtime/pprof and
 * every pprof-compatible profiler write them → the model Profile.
 */
import { ParseError, UnsupportedError } from '../../errors.js';
import { GunzipError, gunzipBounded, gunzipHead, isGzip, isZstd } from '../../io/gzip.js';
import type { Profile } from '../../model/profile.js';
import { decodeProfile } from './decode.js';
import { LIMITS, type Limits } from './limits.js';
import { resolveProfile } from './resolve.js';
import { isText, looksLikeProfile } from './sniff.js';

export { LIMITS, type Limits } from './limits.js';

export interface PprofOptions {
  readonly limits?: Partial<Limits>;
}

export function readPprof(data: Uint8Array, opts: PprofOptions = {}): Profile {
  const limits: Limits = { ...LIMITS, ...opts.limits };
  if (data.length === 0) throw new ParseError('pprof', 0, 'empty input file');
  if (isZstd(data)) throw new UnsupportedError('pprof', 0, 'the profile is zstd-compressed; decompress it first (zstd -d) or write it gzipped');
  if (!isGzip(data)) return decode(data, limits, '');

  let head: Uint8Array;
  let raw: Uint8Array;
  try {
    head = gunzipHead(data);
    // Reject what is not a profile before unpacking it all (a bomb of zeros is rejected here, at once).
    if (head.length > 0 && !looksLikeProfile(head)) {
      throw new ParseError('pprof', 0, `not a pprof profile: the gzipped data ${isText(head) ? 'is text' : 'does not start like a profile.proto message'}`);
    }
    raw = gunzipBounded(data, limits.decompressedBytes);
  } catch (err) {
    if (err instanceof GunzipError) throw new ParseError('pprof', err.offset, err.detail);
    throw err;
  }
  if (raw.length === 0) throw new ParseError('pprof', 0, 'empty profile (the gzip stream holds no data)');
  return decode(raw, limits, ' of the gunzipped data');
}

function decode(buf: Uint8Array, limits: Limits, where: string): Profile {
  try {
    return resolveProfile(buf, decodeProfile(buf, limits), limits);
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
    // Text is a common mistake (debug=1 profiles): say so rather than where the protobuf broke.
    if (isText(buf)) {
      throw new ParseError('pprof', 0, `not a pprof profile: ${where ? 'the gzipped data' : 'the file'} is text (legacy text profiles, e.g. debug=1, are not read; write them with debug=0)`);
    }
    throw where ? new ParseError('pprof', err.offset, `${err.detail} (byte offset${where})`) : err;
  }
}
