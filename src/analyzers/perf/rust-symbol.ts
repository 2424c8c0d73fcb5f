/**
 * Rust symbols as perf printed them before it knew Rust: demangled as C++, so
 * "_$LT$std..fs..File$u20$as$u20$std..io..Read$GT$::read::h5d84059cf335c8e6".
 * inferno repairs them (collapse/common.rs, fix_partially_demangled_rust_symbol)
 * and so does this, to the byte: the trailing hash goes, ".." becomes "::" and
 * the "$…$" escapes below become their characters. Fully mangled (_ZN…E, _R…)
 * and fully demangled names are left as they are.
 */

/** Rust's legacy-mangling escapes, in the order inferno tries them. */
const ESCAPES: readonly (readonly [string, string])[] = [
  ['$SP$', '@'],
  ['$BP$', '*'],
  ['$RF$', '&'],
  ['$LT$', '<'],
  ['$GT$', '>'],
  ['$LP$', '('],
  ['$RP$', ')'],
  ['$C$', ','],
  ['$u7e$', '~'],
  ['$u20$', ' '],
  ['$u27$', "'"],
  ['$u3d$', '='],
  ['$u5b$', '['],
  ['$u5d$', ']'],
  ['$u7b$', '{'],
  ['$u7d$', '}'],
  ['$u3b$', ';'],
  ['$u2b$', '+'],
  ['$u21$', '!'],
  ['$u22$', '"'],
];

/** "::h" and 16 hex digits: the hash rustc appends to every legacy symbol. */
const HASH = /h[0-9a-fA-F]{16}$/;
const HASH_LENGTH = 17;

export function fixRustSymbol(symbol: string): string {
  if (symbol.length < HASH_LENGTH || !HASH.test(symbol)) return symbol;
  let rest = symbol.slice(0, -HASH_LENGTH);
  if (rest.endsWith('::')) rest = rest.slice(0, -2);
  if (rest.startsWith('_$')) rest = rest.slice(1);
  let out = '';
  let i = 0;
  while (i < rest.length) {
    const c = rest[i];
    if (c === '.') {
      const two = rest[i + 1] === '.';
      out += two ? '::' : '.';
      i += two ? 2 : 1;
    } else if (c === '$') {
      const esc = ESCAPES.find(([code]) => rest.startsWith(code, i));
      if (esc === undefined) return out + rest.slice(i); // an unknown escape: the rest as it is
      out += esc[1];
      i += esc[0].length;
    } else {
      let end = i + 1;
      while (end < rest.length && rest[end] !== '$' && rest[end] !== '.') end++;
      out += rest.slice(i, end);
      i = end;
    }
  }
  return out;
}
