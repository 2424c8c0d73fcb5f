import { closeSync, openSync, readSync } from 'node:fs';

/** A file's first `n` bytes (fewer when it is shorter); none when it cannot be opened (its reader then says why). */
export function readHead(path: string, n: number): Uint8Array {
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
