/**
 * The text form of the v2 wire format that Go's trace tests are written in
 * (internal/trace/raw): one wire event per line, "Name arg=value …", with stack
 * frames and string data on following lines. textToWire turns it into the
 * bytes of a trace file, exactly as Go's raw.Writer does (minimal varints, no
 * framing added: EventBatch lines carry their own size).
 */
import { SPECS, specsFor } from '../../src/parsers/gotrace/v2/spec.js';

export class RawTextError extends Error {}

const isSpace = (c: string): boolean => /\s/u.test(c);

/** Go's readToken: the next whitespace-separated token; "#" starts a comment. */
function readToken(s: string): [string, string] {
  let i = 0;
  for (; i < s.length; i++) {
    if (s[i] === '#') return ['', ''];
    if (!isSpace(s[i]!)) break;
  }
  if (i === s.length) return ['', ''];
  let j = i;
  for (; j < s.length; j++) if (isSpace(s[j]!) || s[j] === '#') break;
  return [s.slice(i, j), s.slice(j)];
}

function readArgs(s: string, names: readonly string[]): bigint[] {
  const out: bigint[] = [];
  let rest = s;
  for (const name of names) {
    const [tok, r] = readToken(rest);
    if (tok === '') throw new RawTextError('no argument');
    const eq = tok.indexOf('=');
    if (eq < 0) throw new RawTextError(`malformed argument: "${tok}"`);
    const arg = tok.slice(0, eq);
    const val = tok.slice(eq + 1);
    if (!/^\d+$/.test(val) || BigInt(val) > 0xffffffffffffffffn) {
      throw new RawTextError(`failed to parse argument value "${val}" for arg "${arg}"`);
    }
    if (arg !== name) throw new RawTextError(`expected argument "${name}", but got "${arg}"`);
    out.push(BigInt(val));
    rest = r;
  }
  if (rest.trim() !== '') throw new RawTextError(`encountered unexpected non-space at the end of an event: "${rest}"`);
  return out;
}

function pushUvarint(out: number[], v: bigint): void {
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
}

/** Go's strconv.Unquote for the double-quoted strings test data uses. */
function unquote(s: string): Uint8Array {
  if (s.startsWith('`') && s.endsWith('`') && s.length >= 2) return new TextEncoder().encode(s.slice(1, -1));
  if (!s.startsWith('"') || !s.endsWith('"') || s.length < 2) throw new RawTextError(`failed to parse data: ${s}`);
  const bytes: number[] = [];
  const body = s.slice(1, -1);
  const enc = new TextEncoder();
  const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34, "'": 39 };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      bytes.push(...enc.encode(c));
      continue;
    }
    const e = body[++i];
    if (e === undefined) throw new RawTextError('failed to parse data: trailing backslash');
    if (e in simple) bytes.push(simple[e]!);
    else if (e === 'x') {
      bytes.push(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (e >= '0' && e <= '7') {
      bytes.push(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      bytes.push(...enc.encode(String.fromCodePoint(parseInt(body.slice(i + 1, i + 1 + n), 16))));
      i += n;
    } else throw new RawTextError(`failed to parse data: bad escape \\${e}`);
  }
  return Uint8Array.from(bytes);
}

/** Converts a text-form trace ("Trace Go1.22" then events) into trace-file bytes. */
export function textToWire(text: string): Uint8Array {
  const lines = text.split('\n');
  let li = 0;
  const nextLine = (): string | undefined => {
    while (li < lines.length) {
      const l = lines[li++]!;
      if (readToken(l)[0] !== '') return l;
    }
    return undefined;
  };
  const first = nextLine();
  if (first === undefined) throw new RawTextError('failed to parse header');
  const [word, r1] = readToken(first);
  if (word !== 'Trace') throw new RawTextError('failed to parse header');
  const [gover, r2] = readToken(r1);
  if (!gover.startsWith('Go1.')) throw new RawTextError('failed to parse header Go version');
  const version = Number(gover.slice(4));
  if (![22, 23, 25, 26].includes(version)) throw new RawTextError(`unknown or unsupported Go version 1.${version}`);
  if (r2.trim() !== '') throw new RawTextError(`encountered unexpected non-space at the end of the header: "${r2}"`);
  const names = specsFor(version);
  const out: number[] = [...new TextEncoder().encode(`go 1.${version} trace`)];
  while (out.length < 16) out.push(0);
  for (let line = nextLine(); line !== undefined; line = nextLine()) {
    const [name, rest] = readToken(line);
    const type = names.get(name);
    if (type === undefined) throw new RawTextError(`unidentified event: ${name}`);
    const spec = SPECS[type]!;
    let args: bigint[];
    try {
      args = readArgs(rest, spec.args);
    } catch (e) {
      throw new RawTextError(`reading args for ${name}: ${(e as Error).message}`);
    }
    out.push(type);
    for (const a of args) pushUvarint(out, a);
    if (name === 'Stack') {
      const n = Number(args[1]);
      for (let i = 0; i < n; i++) {
        const fl = nextLine();
        if (fl === undefined) throw new RawTextError('unexpected EOF while reading stack');
        for (const a of readArgs(fl, ['pc', 'func', 'file', 'line'])) pushUvarint(out, a);
      }
    }
    if (name === 'String' || name === 'ExperimentalBatch') {
      const dl = nextLine();
      if (dl === undefined) throw new RawTextError(`unexpected EOF while reading data for ${name}`);
      const eq = dl.indexOf('=');
      if (eq < 0 || dl.slice(0, eq).trim() !== 'data') throw new RawTextError(`malformed data: ${dl}`);
      const data = unquote(dl.slice(eq + 1).trim());
      pushUvarint(out, BigInt(data.length));
      out.push(...data);
    }
  }
  return Uint8Array.from(out);
}

/** Splits a txtar archive ("-- name --" lines) into its files. */
export function parseTxtar(text: string): Map<string, string> {
  const files = new Map<string, string>();
  let name: string | undefined;
  let body: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^-- (.+) --$/.exec(line);
    if (m) {
      if (name !== undefined) files.set(name, body.join('\n'));
      name = m[1]!;
      body = [];
    } else if (name !== undefined) body.push(line);
  }
  if (name !== undefined) files.set(name, body.join('\n'));
  return files;
}
