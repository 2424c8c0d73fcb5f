/**
 * Every error stallscope reports on purpose is a ToolkitError. The CLI maps
 * them to exit code 2 with one line of text; anything else is a bug (exit 3).
 */
export type InputFormat = 'go-trace' | 'pprof' | 'perf-script' | 'runtime-text' | 'goroutine-dump' | 'input';

export class ToolkitError extends Error {
  override name = 'ToolkitError';
}

/** Input that cannot be read: names the file, the format, where, and what is wrong. */
export class ParseError extends ToolkitError {
  override name = 'ParseError';
  constructor(
    readonly format: InputFormat,
    readonly offset: number | undefined,
    readonly detail: string,
    public file: string = '',
    /** What the offset counts in, when not the file's bytes (e.g. "the gunzipped data"). */
    readonly offsetIn?: string,
  ) {
    super('');
    this.message = this.render();
  }
  /** What does not fit the one-line message (e.g. a reader's state dump), printed with --verbose. */
  details?: string;
  /** Attach the file name once the caller knows it (parsers may not). */
  withFile(file: string): this {
    this.file = file;
    this.message = this.render();
    return this;
  }
  private render(): string {
    const where = this.offset === undefined ? '' : ` at byte ${this.offset}${this.offsetIn ? ` of ${this.offsetIn}` : ''}`;
    const file = this.file ? `${this.file}: ` : '';
    // One line, whatever the input put in the names it quotes (a region named "a\nb" prints as a\nb).
    return `${file}${this.format}${where}: ${this.detail}`.replace(LINE_BREAK, (c) => LINE_BREAK_SHOWN[c] ?? ' ');
  }
}

const LINE_BREAK = /[\n\r\v\f\u0085\u2028\u2029]/g;
const LINE_BREAK_SHOWN: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r' };

/** A well-formed input of a version or kind we do not read. */
export class UnsupportedError extends ParseError {
  override name = 'UnsupportedError';
}

/** An output that cannot be written (no such folder, no permission, disk full): names the path. */
export class OutputError extends ToolkitError {
  override name = 'OutputError';
  constructor(path: string, err: unknown) {
    super(`cannot write ${path}: ${why(err)}`);
  }
}

const ERRNO_WHY: Readonly<Record<string, string>> = {
  ENOENT: 'its folder does not exist',
  ENOTDIR: 'a part of its path is not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EISDIR: 'it is a folder',
};

function why(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return (code && ERRNO_WHY[code]) ?? String((err as Error).message);
}

/** Bad command-line usage that commander itself cannot catch. */
export class UsageError extends ToolkitError {
  override name = 'UsageError';
}

/** Something recoverable the user should know about: a truncated input, skipped lines. */
export interface Warning {
  readonly code: string;
  readonly message: string;
  readonly offset?: number;
}
