/**
 * Whether a frame is the program's own code rather than Go's standard library:
 * one rule for every analyzer and report that names "the program's frame".
 */

/**
 * The top-level packages of Go's standard library (Go 1.11–1.27), and `vendor`
 * (its vendored golang.org/x copies). Anything else, `main` included, is the
 * program's: github.com/…, golang.org/x/…, and module paths without a dot
 * (`myservice/internal/db`).
 */
const STD_ROOTS: ReadonlySet<string> = new Set([
  'archive', 'bufio', 'builtin', 'bytes', 'cmp', 'compress', 'container', 'context', 'crypto', 'database', 'debug', 'embed', 'encoding',
  'errors', 'expvar', 'flag', 'fmt', 'go', 'hash', 'html', 'image', 'index', 'internal', 'io', 'iter', 'log', 'maps', 'math', 'mime', 'net',
  'os', 'path', 'plugin', 'reflect', 'regexp', 'runtime', 'slices', 'sort', 'strconv', 'strings', 'structs', 'sync', 'syscall', 'testing',
  'text', 'time', 'unicode', 'unique', 'unsafe', 'vendor', 'weak',
]);

export function isProgramCode(func: string): boolean {
  if (func === '') return false;
  const paren = func.indexOf('(');
  const slash = func.lastIndexOf('/', paren >= 0 ? paren : func.length);
  const pkgEnd = func.indexOf('.', slash + 1);
  const pkg = pkgEnd < 0 ? func : func.slice(0, pkgEnd);
  const root = pkg.split('/')[0]!;
  return !STD_ROOTS.has(root);
}
