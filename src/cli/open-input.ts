/**
 * Opening what the user named: a path or "-" for stdin. Errors name the file.
 */
import { FileSource, type ByteSource } from '../io/byte-source.js';
import { ParseError, ToolkitError } from '../errors.js';

export class InputError extends ToolkitError {
  override name = 'InputError';
}

export function openSource(path: string): ByteSource {
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
