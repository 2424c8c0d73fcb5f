/**
 * Every parse error names a real byte offset, prints its numbers exactly and
 * is one readable line (issue 18). Each input is made here from a fixture or
 * from bytes.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ParseError } from '../src/errors.js';
import { BufferSource } from '../src/io/byte-source.js';
import { openGoTrace } from '../src/parsers/gotrace/index.js';
import { readPprof } from '../src/parsers/pprof/index.js';
import { gzip, Proto } from './helpers/crafted-inputs.js';
import { FIXTURES } from './helpers/go.js';
import { runCli } from './helpers/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'stallscope-messages-'));
const HEADER_126 = new TextEncoder().encode('go 1.26 trace\0\0\0');

function file(name: string, bytes: Uint8Array): string {
  const p = join(tmp, name);
  writeFileSync(p, bytes);
  return p;
}

/** The CLI's error: exit 2 and one line on stderr. */
async function error(args: string[]): Promise<string> {
  const r = await runCli(args);
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  return lines[0]!;
}

const pprofError = (bytes: Uint8Array): string => {
  try {
    readPprof(bytes);
  } catch (err) {
    expect(err).toBeInstanceOf(ParseError);
    return (err as Error).message;
  }
  throw new Error('read without an error');
};

describe('go traces', () => {
  test('a generation with no batches: the offset of the generation, not -1', async () => {
    const msg = await error(['analyze', file('empty-gen.trace', new Uint8Array([...HEADER_126, 0x34]))]);
    expect(msg).toMatch(/go-trace at byte 16: no frequency event found$/);
  });

  test('a batch size of 2^62 prints exactly', async () => {
    // EventBatch gen=1 m=0 time=1 size=2^62 (a ten-byte varint).
    const big = new Proto().varint(2n ** 62n).finish();
    const msg = await error(['analyze', file('big-size.trace', new Uint8Array([...HEADER_126, 0x01, 0x01, 0x00, 0x01, ...big]))]);
    expect(msg).toContain('invalid batch size 4611686018427387904, maximum is');
  });

  test("Go's long ordering error is summarised on one line; the state goes to details (--verbose)", async () => {
    // One byte of a real 1.23 trace changed: a ProcStart no thread can take.
    const b = new Uint8Array(readFileSync(join(FIXTURES, 'traces', 'blocking.go1.23.trace')));
    b[1638] = 0x40;
    let err: ParseError | undefined;
    try {
      const r = openGoTrace(new BufferSource(b), { salvage: false });
      while (r.next() !== null);
    } catch (e) {
      err = e as ParseError;
    }
    expect(err).toBeInstanceOf(ParseError);
    expect(err!.message).toMatch(/^go-trace at byte \d+: generation 1: broken trace: failed to advance: no thread's next event can happen \(M \d+ \[\w+ time=\d+\], .*, and \d+ more\)$/);
    expect(err!.message.length).toBeLessThan(300);
    expect(err!.details).toMatch(/^next events: .*\nstate: /);
    // The CLI reads the same trace as damaged at its end: the warning is one line too.
    const r = await runCli(['analyze', '--json', file('order.trace', b)]);
    const warning = JSON.parse(r.stdout).input.warnings.find((w: string) => w.includes('failed to advance'));
    expect(warning.length).toBeLessThan(600);
    expect(warning).not.toContain('state:');
  });

  describe('v1 semantic errors carry the offset of the event', () => {
    const v1 = readFileSync(join(FIXTURES, 'traces', 'blocking.go1.21.trace'));
    for (const [at, value, want] of [
      [44, 0, 'no consistent ordering of events possible'],
      [23, 0, 'time stamps out of order'],
      [1955, 0, 'p 0 is running a goroutine 25 during stop'],
    ] as const) {
      test(want, async () => {
        const b = new Uint8Array(v1);
        b[at] = value;
        const msg = await error(['analyze', file(`v1-${at}.trace`, b)]);
        expect(msg).toMatch(new RegExp(`go-trace at byte \\d+: ${want}`));
      });
    }
  });
});

// Offsets of a field are where its length prefix starts (right after the tag), as for every pprof error.
describe('pprof', () => {
  const sampleType = new Proto().int(1, 1).int(2, 2);
  const strings = (p: Proto, list: string[]): Proto => {
    for (const s of list) p.bytes(6, s);
    return p;
  };

  test('two mappings with one id: the offset of the second', () => {
    const p = strings(new Proto().bytes(1, sampleType).bytes(3, new Proto().int(1, 7)).bytes(3, new Proto().int(1, 7)), ['', 's', 'c']);
    const raw = p.finish();
    expect(pprofError(raw)).toMatch(/^pprof at byte 11: two mappings with id 7$/);
    // Gzipped, the offset is of the unpacked data, and says so.
    expect(pprofError(gzip(raw))).toBe('pprof at byte 11 of the gunzipped data: two mappings with id 7');
  });

  test('a string table not starting with "": the offset of its first string', () => {
    expect(pprofError(strings(new Proto().bytes(1, sampleType), ['x', 's', 'c']).finish())).toMatch(/^pprof at byte 7: string_table\[0\] must be ""/);
  });

  test('a sample type naming a missing string: the offset of the sample type', () => {
    expect(pprofError(strings(new Proto().bytes(1, new Proto().int(1, 9).int(2, 2)), ['', 's', 'c']).finish())).toMatch(/^pprof at byte 1: sample type type is string 9/);
  });

  test('a period type naming a missing string: its offset', () => {
    const p = strings(new Proto().bytes(1, sampleType).bytes(11, new Proto().int(1, 1).int(2, 9)), ['', 's', 'c']);
    expect(pprofError(p.finish())).toMatch(/^pprof at byte 7: period unit is string 9/);
  });

  test('a string length of 2^62 prints exactly', () => {
    const raw = new Uint8Array([0x32, ...new Proto().varint(2n ** 62n).finish(), 1, 2, 3]);
    expect(pprofError(raw)).toBe('pprof at byte 1: length 4611686018427387904 runs past the end of the data (3 bytes left)');
  });

  test('corrupt gzip data: the offset where gunzip finds it', async () => {
    const gz = new Uint8Array(readFileSync(join(FIXTURES, 'pprof', 'blocking.go1.26.block.pb.gz')));
    gz[200]! ^= 0xff;
    expect(await error(['analyze', file('corrupt.pb.gz', gz)])).toMatch(/pprof at byte \d+: corrupt gzip data \(/);
    // A stream cut off in its middle: the offset is the end of the file.
    const cut = gz.subarray(0, 1000);
    expect(await error(['analyze', file('cut.pb.gz', cut)])).toMatch(/pprof at byte 1000: gzip data ends early/);
  });
});

describe('one line', () => {
  test('a name with line breaks quoted in an error stays on its line (found by the fuzzer: a region named across a newline)', () => {
    const e = new ParseError('go-trace', 9093, 'generation 2: misuse of region in goroutine 24: region end {18 s\n$path} when the inner-most active region start event is {18 slowpath}\r');
    expect(e.message).toBe('go-trace at byte 9093: generation 2: misuse of region in goroutine 24: region end {18 s\\n$path} when the inner-most active region start event is {18 slowpath}\\r');
  });
});
