/**
 * The Go team's own conformance tests for trace readers: text-form traces with
 * an expected outcome (x/exp/trace testdata/tests/*.test), and the fuzz corpus
 * of inputs that once crashed Go's reader. Read from the Go module cache at
 * test time, never copied into this repository.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ToolkitError } from '../src/errors.js';
import { parseTxtar, textToWire } from './helpers/rawtext.js';
import { goTraceTestdata, notice } from './helpers/go.js';
import { BufferSource } from '../src/io/byte-source.js';
import { openGoTrace } from '../src/parsers/gotrace/index.js';
import { readAll } from './helpers/read.js';
import { validateStream } from './helpers/validate.js';

const testdata = goTraceTestdata();
if (!testdata) notice('Go (and the x/exp module) not found: the Go conformance traces are skipped');

/** Go's strconv.Unquote of the FAILURE pattern. */
function goUnquote(s: string): string {
  s = s.trim();
  if (s.startsWith('`')) return s.slice(1, -1);
  return JSON.parse(s) as string;
}

describe.skipIf(!testdata)('Go conformance traces (testdata/tests)', () => {
  const dir = testdata ? join(testdata, 'tests') : '';
  const files = testdata ? readdirSync(dir).filter((f) => f.endsWith('.test')) : [];
  test('the suite is there', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });
  for (const file of files) {
    test(file, () => {
      const archive = parseTxtar(readFileSync(join(dir, file), 'utf8'));
      const expect_ = archive.get('expect')!.split('\n')[0]!.trim();
      const wire = textToWire(archive.get('trace')!);
      const { events, error } = readAll(wire, false);
      if (expect_ === 'SUCCESS') {
        expect(error?.message).toBeUndefined();
        expect(validateStream(events)).toEqual([]);
        expect(events.length).toBeGreaterThan(0);
        // nextShared() may refill one record: copied as it comes, it says what next() says.
        const reader = openGoTrace(new BufferSource(wire), { salvage: false });
        const shared: object[] = [];
        for (let e = reader.nextShared(); e; e = reader.nextShared()) shared.push({ ...e });
        expect(shared).toEqual(events.map((e) => ({ ...e })));
      } else {
        const m = /^FAILURE (.*)$/.exec(expect_);
        expect(m).not.toBeNull();
        const pattern = new RegExp(goUnquote(m![1]!));
        expect(error, 'expected the reader to fail').toBeInstanceOf(ToolkitError);
        expect(error!.message).toMatch(pattern);
      }
    });
  }
});

/** Decodes a Go fuzz corpus file: "go test fuzz v1" then []byte("...") with Go escapes. */
function fuzzCorpusBytes(text: string): Uint8Array {
  const m = /\[\]byte\(("(?:[^"\\]|\\.)*")\)/s.exec(text);
  if (!m) throw new Error('not a []byte corpus entry');
  const body = m[1]!.slice(1, -1);
  const out: number[] = [];
  const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34, "'": 39 };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out.push(...new TextEncoder().encode(c));
      continue;
    }
    const e = body[++i]!;
    if (e in simple) out.push(simple[e]!);
    else if (e === 'x') {
      out.push(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (e >= '0' && e <= '7') {
      out.push(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else throw new Error(`unsupported escape \\${e}`);
  }
  return Uint8Array.from(out);
}

describe.skipIf(!testdata)('Go fuzz corpus (testdata/fuzz/FuzzReader)', () => {
  const dir = testdata ? join(testdata, 'fuzz', 'FuzzReader') : '';
  const files = testdata ? readdirSync(dir) : [];
  test('the corpus is there', () => expect(files.length).toBeGreaterThan(0));
  for (const file of files) {
    test(file, () => {
      const bytes = fuzzCorpusBytes(readFileSync(join(dir, file), 'latin1'));
      for (const salvage of [false, true]) {
        const { error } = readAll(bytes, salvage);
        // Success or a clean, typed error: never a TypeError, RangeError or hang.
        if (error) expect(error).toBeInstanceOf(ToolkitError);
      }
    });
  }
});
