/**
 * Opening what the user named: a path or "-" for stdin. Errors name the file.
 */
import { statSync } from 'node:fs';
import { FileSource, type ByteSource } from '../../io/byte-source.js';
import { ParseError, ToolkitError } from '../../errors.js';
import { readHead, ReplaySource } from '../../io/replay-source.js';
import { detectFormat, detectLongText, mayReadOn, SNIFF_BYTES, TEXT_SNIFF_BYTES, type DetectedFormat } from '../../parsers/detect.js';
import { isText } from '../../parsers/pprof/sniff.js';

export class InputError extends ToolkitError {
  override name = 'InputError';
}

export function openSource(path: string): ByteSource {
  if (path !== '-') {
    let st;
    try {
      st = statSync(path);
    } catch {
      st = undefined; // reported by the open below, with its reason
    }
    if (st?.isDirectory()) throw new InputError(`${path}: cannot read: is a directory (name a trace, profile or perf capture)`);
  }
  try {
    return FileSource.open(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String((err as Error).message);
    throw new InputError(`${path}: cannot open: ${why}`);
  }
}

/** Adds the input's name to a parse error raised while reading it. */
export function nameErrors<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ParseError) throw err.withFile(displayName(path));
    if ((err as NodeJS.ErrnoException).code === 'EISDIR') throw new InputError(`${path}: cannot read: is a directory`);
    throw err;
  }
}

export function displayName(path: string): string {
  return path === '-' ? '<stdin>' : path;
}

/** Opens an input and reads enough of it to tell its format; the returned source replays those bytes. */
export function openSniffed(path: string): { format: DetectedFormat; src: ByteSource } {
  const src = openSource(path);
  try {
    let head = readHead(src, SNIFF_BYTES);
    let format = detectFormat(head);
    if (mayReadOn(head, format)) {
      const more = readHead(src, TEXT_SNIFF_BYTES - SNIFF_BYTES);
      head = Buffer.concat([head, more]);
      format = detectLongText(head, format);
    }
    if (format === 'unknown' && !isText(head)) throw new ParseError('input', 0, unrecognised(head)).withFile(displayName(path));
    // Text goes on to the pprof reader, whose error explains legacy text profiles.
    return { format, src: new ReplaySource(head, src) };
  } catch (err) {
    src.close();
    throw err;
  }
}

/** Why an input is none of the formats stallscope reads (empty, or binary data of some other kind). */
function unrecognised(head: Uint8Array): string {
  const what = 'not a Go execution trace, a pprof profile (gzipped or raw), perf script output or a goroutine dump';
  if (head.length === 0) return `the file is empty: ${what}`;
  const hex = Array.from(head.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return `${what} (binary data starting ${hex})`;
}
