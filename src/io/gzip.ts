/**
 * Compressed inputs: gzip is unpacked here with node:zlib, under a size cap;
 * other compressions are only recognised, so errors can name them.
 */
import { constants, gunzipSync } from 'node:zlib';

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
    throw toGunzipError(err, data.length);
  }
}

/** Unpacks a whole gzip stream (members may be concatenated), failing once it passes `limit` bytes. */
export function gunzipBounded(data: Uint8Array, limit: number): Uint8Array {
  try {
    return gunzipSync(data, { maxOutputLength: limit });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new GunzipError(`unpacks to more than ${limit.toLocaleString('en-US')} bytes (a gzip bomb, or raise the limit)`, undefined);
    }
    throw toGunzipError(err, data.length);
  }
}

function toGunzipError(err: unknown, size: number): GunzipError {
  const code = (err as NodeJS.ErrnoException).code;
  const msg = (err as Error).message;
  if (code === 'Z_BUF_ERROR') return new GunzipError('gzip data ends early (the file is truncated)', size);
  if (code === 'Z_DATA_ERROR') return new GunzipError(`corrupt gzip data (${msg})`, undefined);
  return new GunzipError(`cannot gunzip (${msg})`, undefined);
}
