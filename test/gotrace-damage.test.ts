/**
 * Damaged traces: cut at every offset, bytes flipped at random. The only
 * outcomes allowed are events plus a warning, or a clean ParseError: never a
 * TypeError or RangeError, never a hang. A truncated trace keeps every event
 * of its complete generations.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ParseError, ToolkitError } from '../src/errors.js';
import { formatGoEvent } from '../src/parsers/gotrace/format-go.js';
import { FIXTURES } from './helpers/go.js';
import { readAll } from './helpers/read.js';

const traceDir = join(FIXTURES, 'traces');
const small = readdirSync(traceDir)
  .filter((f) => f.endsWith('.trace'))
  .map((f) => ({ name: f, bytes: readFileSync(join(traceDir, f)) }))
  .filter((t) => /^go 1\.2[2-9] trace/.test(t.bytes.subarray(0, 16).toString('latin1')))
  .sort((a, b) => a.bytes.length - b.bytes.length);

function lines(input: Uint8Array, salvage: boolean): { out: string[]; warnings: number; error: Error | undefined } {
  const r = readAll(input, salvage);
  return {
    out: r.events.map((e) => formatGoEvent(e, r.reader!.stacks)),
    warnings: r.reader?.warnings.length ?? 0,
    error: r.error,
  };
}

/** A deterministic PRNG so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('truncation', () => {
  // The tasks program runs for several generations: one recording per format version.
  const byVersion = new Map<string, (typeof small)[number]>();
  for (const t of small) {
    const v = t.bytes.subarray(0, 13).toString('latin1');
    if (t.name.startsWith('tasks.') && !byVersion.has(v)) byVersion.set(v, t);
  }
  test('multi-generation fixtures of every v2 version', () => {
    expect([...byVersion.keys()].sort()).toEqual(['go 1.22 trace', 'go 1.23 trace', 'go 1.26 trace']);
  });
  for (const t of byVersion.values()) {
    test(`${t.name}: cut at every offset`, () => {
      const full = lines(t.bytes, false);
      expect(full.error).toBeUndefined();
      const step = 3;
      for (let cut = 0; cut < t.bytes.length; cut += cut < 64 ? 1 : step) {
        const part = t.bytes.subarray(0, cut);
        const got = lines(part, true);
        if (cut < 16) {
          // Inside the header: nothing to salvage.
          expect(got.error, `cut at ${cut}`).toBeInstanceOf(ParseError);
          continue;
        }
        // A salvaging read of a cut-off trace never fails: it warns.
        expect(got.error?.message, `cut at ${cut}`).toBeUndefined();
        // Everything before the last generation read (whose batches may be partial) is exactly the full trace's.
        const syncs = got.out.flatMap((l, i) => (/ Sync Time=/.test(l) ? [i] : []));
        const endsWithFinalSync = syncs.length > 0 && syncs[syncs.length - 1] === got.out.length - 1;
        const lastGenStart = syncs[syncs.length - (endsWithFinalSync ? 2 : 1)] ?? 0;
        expect(got.out.slice(0, lastGenStart), `cut at ${cut}`).toEqual(full.out.slice(0, lastGenStart));
      }
    });
  }
});

describe('bit flips', () => {
  for (const t of small.slice(0, 4)) {
    test(`${t.name}: 300 random corruptions`, () => {
      const rand = rng(t.bytes.length);
      for (let i = 0; i < 300; i++) {
        const b = Uint8Array.from(t.bytes);
        const flips = 1 + Math.floor(rand() * 4);
        for (let k = 0; k < flips; k++) {
          const at = 16 + Math.floor(rand() * (b.length - 16));
          b[at] = b[at]! ^ (1 << Math.floor(rand() * 8));
        }
        for (const salvage of [true, false]) {
          const started = Date.now();
          const got = lines(b, salvage);
          if (got.error) expect(got.error, `flip round ${i}: ${got.error.stack}`).toBeInstanceOf(ToolkitError);
          expect(Date.now() - started).toBeLessThan(5_000);
        }
      }
    });
  }
});
