/**
 * Strings in UTF-8 byte order, the order Rust's and Perl's sorts give (and
 * so inferno's and flamegraph.pl's folded output). JavaScript compares UTF-16
 * code units, which differs only where a character above U+FFFF (a surrogate
 * pair, 0xD800–0xDFFF) meets one in U+E000–U+FFFF.
 */
export function byUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const surrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdfff;
    if (surrogate(x) !== surrogate(y) && Math.max(x, y) >= 0xe000) return surrogate(x) ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
