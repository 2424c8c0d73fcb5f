/**
 * The pprof reader on crafted profiles (built with protobufjs from the vendored
 * profile.proto): packed and unpacked repeated fields, inlined frames, labels,
 * big int64s, and clear errors for dangling references and hostile lengths.
 * Plus a differential check: protobufjs's own decoder and ours agree on every fixture.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import protobuf from 'protobufjs';
import { describe, expect, test } from 'vitest';
import { ParseError, UnsupportedError } from '../src/errors.js';
import { readPprof } from '../src/parsers/pprof/index.js';
import { FIXTURES, ROOT } from './helpers/go.js';

const root = protobuf.loadSync(join(ROOT, 'src', 'parsers', 'pprof', 'profile.proto'));
const ProfileType = root.lookupType('perftools.profiles.Profile');

/** A small profile: two samples, one location with an inlined frame, labels of both kinds. */
function crafted(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sampleType: [{ type: 1, unit: 2 }, { type: 3, unit: 4 }],
    sample: [
      { locationId: [1, 2], value: [5, 5000], label: [{ key: 9, str: 10 }, { key: 11, num: 4096, numUnit: 12 }] },
      { locationId: [2], value: [1, 100] },
    ],
    mapping: [{ id: 1, memoryStart: 0x400000, memoryLimit: 0x500000, filename: 13 }],
    location: [
      { id: 1, mappingId: 1, address: 0x401000, line: [{ functionId: 1, line: 10 }, { functionId: 2, line: 20 }] },
      { id: 2, mappingId: 1, address: 0x402000, line: [{ functionId: 3, line: 30 }] },
    ],
    function: [
      { id: 1, name: 5, filename: 8 },
      { id: 2, name: 6, filename: 8 },
      { id: 3, name: 7, filename: 8 },
    ],
    stringTable: ['', 'contentions', 'count', 'delay', 'nanoseconds', 'sync.(*Mutex).Lock', 'main.worker', 'main.main', 'main.go', 'who', 'me', 'bytes', 'B', '/bin/app'],
    timeNanos: '1795618989476435163',
    durationNanos: 1_000_000,
    periodType: { type: 1, unit: 2 },
    period: 1,
    ...overrides,
  };
}

const encode = (o: Record<string, unknown>): Uint8Array => ProfileType.encode(ProfileType.fromObject(o)).finish();

function parseError(data: Uint8Array): ParseError {
  try {
    readPprof(data);
  } catch (err) {
    expect(err).toBeInstanceOf(ParseError);
    return err as ParseError;
  }
  throw new Error('expected a ParseError');
}

describe('decoding', () => {
  test('inlined frames innermost first, labels, period, time above 2^53', () => {
    const p = readPprof(encode(crafted()));
    expect(p.sampleTypes).toEqual([{ type: 'contentions', unit: 'count' }, { type: 'delay', unit: 'nanoseconds' }]);
    expect(p.stacks.frames(p.samples[0]!.stack).map((f) => `${f.func}:${f.line}`)).toEqual(['sync.(*Mutex).Lock:10', 'main.worker:20', 'main.main:30']);
    expect(p.samples[0]!.values).toEqual([5, 5000]);
    expect(p.samples[0]!.labels).toEqual([{ key: 'who', str: 'me' }, { key: 'bytes', num: 4096, unit: 'B' }]);
    expect(p.samples[1]!.labels).toEqual([]);
    expect(p.timeNs).toBe(1795618989476435163n);
    expect(p.periodType).toEqual({ type: 'contentions', unit: 'count' });
    expect(p.mappings[0]).toMatchObject({ start: 0x400000n, file: '/bin/app' });
  });

  test('packed and unpacked location_id and value in one file give the same profile', () => {
    const packed = encode(crafted());
    // Re-write sample 0 with unpacked fields by hand: tag (1<<3|0) per location id, (2<<3|0) per value.
    const w = protobuf.Writer.create();
    w.uint32((1 << 3) | 0).uint64(1).uint32((1 << 3) | 0).uint64(2).uint32((2 << 3) | 0).int64(5).uint32((2 << 3) | 0).int64(5000);
    const labels = crafted().sample as { label?: unknown[] }[];
    const Label = root.lookupType('perftools.profiles.Label');
    for (const l of labels[0]!.label!) w.uint32((3 << 3) | 2).bytes(Label.encode(Label.fromObject(l as object)).finish());
    const sample0 = w.finish();
    const rest = ProfileType.decode(packed) as unknown as { sample: unknown[] };
    rest.sample = rest.sample.slice(1);
    const body = ProfileType.encode(rest as unknown as protobuf.Message).finish();
    const mixed = new Uint8Array([0x12, sample0.length, ...sample0, ...body]);
    const a = readPprof(packed);
    const b = readPprof(mixed);
    const view = (p: typeof a) => p.samples.map((s) => ({ v: s.values, f: p.stacks.frames(s.stack).map((x) => x.func), l: s.labels })).sort((x, y) => x.v[0]! - y.v[0]!);
    expect(view(b)).toEqual(view(a));
  });

  test('negative int64 values (diff profiles) read exactly', () => {
    const p = readPprof(encode(crafted({ sample: [{ locationId: [2], value: [-1, -123456789] }] })));
    expect(p.samples[0]!.values).toEqual([-1, -123456789]);
  });

  test('gzipped and raw give the same profile', () => {
    const raw = encode(crafted());
    expect(readPprof(gzipSync(raw)).samples).toEqual(readPprof(raw).samples);
  });
});

describe('clear errors', () => {
  test('a sample pointing at a missing location', () => {
    const e = parseError(encode(crafted({ sample: [{ locationId: [7], value: [1, 1] }] })));
    expect(e.message).toMatch(/^pprof at byte \d+: sample points at location 7, which is not in the profile$/);
  });
  test('a location pointing at a missing function, a missing mapping', () => {
    const locs = (crafted().location as object[]).slice();
    expect(parseError(encode(crafted({ location: [...locs, { id: 3, line: [{ functionId: 42 }] }] }))).message).toMatch(/location 3 points at function 42/);
    expect(parseError(encode(crafted({ location: [...locs, { id: 3, mappingId: 9 }] }))).message).toMatch(/location 3 points at mapping 9/);
  });
  test('values that do not match the sample types; strings out of range; string_table[0]', () => {
    expect(parseError(encode(crafted({ sample: [{ locationId: [1], value: [1] }] }))).message).toMatch(/sample has 1 values for 2 sample types/);
    expect(parseError(encode(crafted({ sampleType: [{ type: 99, unit: 2 }, { type: 3, unit: 4 }] }))).message).toMatch(/sample type type is string 99, but the string table has 14/);
    expect(parseError(encode(crafted({ stringTable: ['x', ...(crafted().stringTable as string[]).slice(1)] }))).message).toMatch(/string_table\[0\] must be ""/);
  });
  test('a 2^60 length prefix is rejected at once, with its offset', () => {
    // field 2 (sample), wire type 2, length 2^60 as a varint.
    const len = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10];
    const e = parseError(new Uint8Array([0x12, ...len, 1, 2, 3]));
    expect(e.message).toBe(`pprof at byte 1: length ${2n ** 60n} runs past the end of the data (3 bytes left)`);
    // protobufjs's Reader, for contrast, keeps the low 32 bits: it sees length 0.
    expect(protobuf.Reader.create(new Uint8Array(len)).uint32()).toBe(0);
  });
  test('empty input, text, zstd, truncated gzip', () => {
    expect(parseError(new Uint8Array()).message).toBe('pprof at byte 0: empty input file');
    expect(parseError(new TextEncoder().encode('goroutine profile: total 5\n5 @ 0x43a1 0x43b2\n')).message).toMatch(/the file is text/);
    const z = parseError(new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0]));
    expect(z).toBeInstanceOf(UnsupportedError);
    expect(z.message).toMatch(/zstd-compressed/);
    const gz = gzipSync(encode(crafted()));
    expect(parseError(gz.subarray(0, gz.length - 12)).message).toMatch(/^pprof at byte \d+: gzip data ends early/);
  });
});

describe('protobufjs and our decoder agree on every fixture', () => {
  const dir = join(FIXTURES, 'pprof');
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.pb.gz'))) {
    test(name, () => {
      const data = readFileSync(join(dir, name));
      const ref = ProfileType.toObject(ProfileType.decode(gunzipSync(data)), { longs: String, arrays: true, defaults: true }) as {
        sample: { locationId: string[]; value: string[] }[];
        location: { id: string; line: { functionId: string }[] }[];
        function: { id: string; name: string }[];
        stringTable: string[];
      };
      const funcName = new Map(ref.function.map((f) => [f.id, ref.stringTable[Number(f.name)]!]));
      const locFuncs = new Map(ref.location.map((l) => [l.id, l.line.map((x) => funcName.get(x.functionId)!)]));
      const p = readPprof(data);
      expect(p.samples.map((s) => [s.values.join(' '), p.stacks.frames(s.stack).map((f) => f.func).join(';')])).toEqual(
        ref.sample.map((s) => [s.value.join(' '), s.locationId.flatMap((id) => locFuncs.get(id)!).join(';')]),
      );
    });
  }
});
