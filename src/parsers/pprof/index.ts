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
import { MemoryBudget } from '../../util/memory-budget.js';

export { LIMITS, type Limits } from './limits.js';

export interface PprofOptions {
  readonly limits?: Partial<Limits>;
}

export function readPprof(data: Uint8Array, opts: PprofOptions = {}): Profile {
  const limits: Limits = { ...LIMITS, ...opts.limits };
  // The unpacked data and everything made from it share one budget.
  const budget = new MemoryBudget('pprof', undefined, 'the profile');
  if (data.length === 0) throw new ParseError('pprof', 0, 'empty input file');
  if (isZstd(data)) throw new UnsupportedError('pprof', 0, 'the profile is zstd-compressed; decompress it first (zstd -d) or write it gzipped');
  if (!isGzip(data)) return decode(data, limits, '', budget);

  let head: Uint8Array;
  let raw: Uint8Array;
  try {
    head = gunzipHead(data);
    // Reject what is not a profile before unpacking it all (a bomb of zeros is rejected here, at once).
    if (head.length > 0 && !looksLikeProfile(head)) {
      throw new ParseError('pprof', 0, `not a pprof profile: the gzipped data ${isText(head) ? 'is text' : 'does not start like a profile.proto message'}`);
    }
    const cap = Math.min(limits.decompressedBytes, budget.limit);
    raw = gunzipBounded(data, cap);
  } catch (err) {
    if (err instanceof GunzipError) throw new ParseError('pprof', err.offset, err.detail);
    throw err;
  }
  if (raw.length === 0) throw new ParseError('pprof', 0, 'empty profile (the gzip stream holds no data)');
  budget.charge(raw.length, 0, 'the gunzipped data');
  return decode(raw, limits, 'the gunzipped data', budget);
}

function decode(buf: Uint8Array, limits: Limits, where: string, budget: MemoryBudget): Profile {
  try {
    return resolveProfile(buf, decodeProfile(buf, limits, budget), limits, budget);
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
    // Text is a common mistake (debug=1 profiles): say so rather than where the protobuf broke.
    if (isText(buf)) {
      throw new ParseError('pprof', 0, `not a pprof profile: ${where ? 'the gzipped data' : 'the file'} is text (legacy text profiles, e.g. debug=1, are not read; write them with debug=0)`);
    }
    // Offsets into unpacked data say so: "at byte 123 of the gunzipped data".
    throw where ? new ParseError('pprof', err.offset, err.detail, '', where) : err;
  }
}
