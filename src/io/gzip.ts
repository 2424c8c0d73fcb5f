/**
 * Compressed inputs: gzip is unpacked here with node:zlib, under a size cap;
 * other compressions are only recognised, so errors can name them.
 */
import { constants, gunzipSync } from 'node:zlib';
import { Inflate } from 'pako';

export const isGzip = (b: Uint8Array): boolean => b[0] === 0x1f && b[1] === 0x8b;
export const isZstd = (b: Uint8Array): boolean => b[0] === 0x28 && b[1] === 0xb5 && b[2] === 0x2f && b[3] === 0xfd;

/** Why gunzip failed, in words, and where when that is known. */
export class GunzipError extends Error {
  constructor(readonly detail: string, readonly offset: number | undefined) {
    super(detail);
  }
}

/**
 * The first bytes the stream unpacks to (at most about 4 MB, however the input
 * was made): lets a caller reject a bomb of zeros or a non-profile before
 * committing memory to the whole thing.
 */
export function gunzipHead(data: Uint8Array): Uint8Array {
  try {
    return gunzipSync(data.subarray(0, 4096), { finishFlush: constants.Z_SYNC_FLUSH });
  } catch (err) {
    throw toGunzipError(err, data, Infinity);
  }
}

/** Unpacks a whole gzip stream (members may be concatenated), failing once it passes `limit` bytes. */
export function gunzipBounded(data: Uint8Array, limit: number): Uint8Array {
  try {
    return gunzipSync(data, { maxOutputLength: limit });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new GunzipError(`the gzipped data unpacks to more than ${limit.toLocaleString('en-US')} bytes, the cap (a gzip bomb, or raise the cap)`, locate(data, limit));
    }
    throw toGunzipError(err, data, limit);
  }
}

/**
 * Where a gzip stream goes wrong: the offset in the compressed bytes at which
 * it turns out corrupt or its output passes `limit`. node:zlib does not say;
 * only called once it has failed, this unpacks again with pako, 1 KiB of input
 * at a time, counting the output instead of keeping it.
 */
function locate(data: Uint8Array, limit: number): number | undefined {
  const inflate = new Inflate();
  let out = 0;
  inflate.onData = (chunk: Uint8Array): void => void (out += chunk.length);
  const STEP = 1024;
  for (let fed = 0; fed < data.length; fed += STEP) {
    const chunk = data.subarray(fed, fed + STEP);
    inflate.push(chunk, false);
    // strm is private in the typings, public in pako: what is left of this chunk unread.
    const left = (inflate as unknown as { strm: { avail_in: number } }).strm.avail_in;
    if (inflate.err || out > limit) return fed + chunk.length - left;
  }
  return undefined;
}

function toGunzipError(err: unknown, data: Uint8Array, limit: number): GunzipError {
  const code = (err as NodeJS.ErrnoException).code;
  const msg = (err as Error).message;
  if (code === 'Z_BUF_ERROR') return new GunzipError('gzip data ends early (the file is truncated)', data.length);
  if (code === 'Z_DATA_ERROR') return new GunzipError(`corrupt gzip data (${msg})`, locate(data, limit));
  return new GunzipError(`cannot gunzip (${msg})`, locate(data, limit));
}
