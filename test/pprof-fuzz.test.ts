/**
 * Damaged profiles: every fixture truncated at many offsets and with random
 * bit flips, gzipped and raw. The only allowed outcomes are a profile or a
 * ParseError (a ToolkitError); a TypeError, a RangeError or a hang is a bug.
 * And gzip bombs are rejected fast, without unpacking them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGzip, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { ParseError, ToolkitError } from '../src/errors.js';
import { readPprof } from '../src/parsers/pprof/index.js';
import { FIXTURES } from './helpers/go.js';

const dir = join(FIXTURES, 'pprof');
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.pb.gz')).sort();

/** A small seeded PRNG (mulberry32), so failures reproduce. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Reads damaged bytes; returns 'ok' or 'error', and fails the test on anything but a ToolkitError. */
function outcome(data: Uint8Array, what: string): 'ok' | 'error' {
  const t0 = performance.now();
  try {
    readPprof(data);
    return 'ok';
  } catch (err) {
    if (!(err instanceof ToolkitError)) throw new Error(`${what}: ${(err as Error).name}: ${(err as Error).message}`, { cause: err });
    expect((err as Error).message).not.toMatch(/\n/);
    return 'error';
  } finally {
    expect(performance.now() - t0, `${what}: slow`).toBeLessThan(2000);
  }
}

describe('truncation and bit flips', () => {
  for (const name of fixtures) {
    test(name, () => {
      const gz = new Uint8Array(readFileSync(join(dir, name)));
      const raw = new Uint8Array(gunzipSync(gz));
      const rand = rng(name.length * 7919 + gz.length);
      const counts = { ok: 0, error: 0 };
      for (const [label, data] of [['gz', gz], ['raw', raw]] as const) {
        // Every offset of the first 256 bytes, then about 300 spread over the rest.
        const step = Math.max(1, Math.floor(data.length / 300));
        for (let n = 0; n < data.length; n += n < 256 ? 1 : step) counts[outcome(data.subarray(0, n), `${label} cut at ${n}`)]++;
        for (let i = 0; i < 300; i++) {
          const copy = data.slice();
          const flips = 1 + Math.floor(rand() * 4);
          for (let k = 0; k < flips; k++) copy[Math.floor(rand() * copy.length)]! ^= 1 << Math.floor(rand() * 8);
          counts[outcome(copy, `${label} flip #${i}`)]++;
        }
      }
      // Cutting a profile must not go unnoticed every time: most cuts are errors.
      expect(counts.error).toBeGreaterThan(counts.ok);
    });
  }
});

/** 1 GB of zeros, gzipped without ever holding them (one 1 MiB buffer written 1000 times). */
async function zerosBomb(prefix: Uint8Array, mib: number): Promise<Buffer> {
  const gz = createGzip({ level: 1 });
  const out: Buffer[] = [];
  gz.on('data', (d: Buffer) => out.push(d));
  const done = new Promise((r) => gz.on('end', r));
  gz.write(prefix);
  const zeros = Buffer.alloc(1 << 20);
  for (let i = 0; i < mib; i++) if (!gz.write(zeros)) await new Promise((r) => gz.once('drain', r));
  gz.end();
  await done;
  return Buffer.concat(out);
}

describe('gzip bombs', () => {
  test('1 GB of zeros: rejected fast, in bounded memory, saying it is not a profile', async () => {
    const bomb = await zerosBomb(new Uint8Array(), 1000);
    const rss0 = process.memoryUsage().rss;
    const t0 = performance.now();
    expect(() => readPprof(bomb)).toThrow(/^pprof at byte 0: not a pprof profile: the gzipped data does not start like a profile.proto message$/);
    // Unpacking it all would take ~0.6 s and over 512 MB; the message above shows it was stopped at its first bytes.
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(process.memoryUsage().rss - rss0).toBeLessThan(128 << 20);
  });
  test('concatenated gzip members of zeros: the same', () => {
    const member = gzipSync(Buffer.alloc(1 << 20));
    const bomb = Buffer.concat(Array.from({ length: 1024 }, () => member));
    expect(() => readPprof(bomb)).toThrow(ParseError);
  });
  test('a bomb that starts like a profile: stopped at the size cap', async () => {
    const start = new Uint8Array([0x32, 0x00]); // string_table: ""
    const bomb = await zerosBomb(start, 16);
    const t0 = performance.now();
    expect(() => readPprof(bomb, { limits: { decompressedBytes: 4 << 20 } })).toThrow(/unpacks to more than 4,194,304 bytes/);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
