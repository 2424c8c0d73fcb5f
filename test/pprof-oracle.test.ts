/**
 * The pprof reader against `go tool pprof -raw` on every fixture profile: the
 * same sample types, and per stack (leaf-first function names, inlined frames
 * expanded) the same values, summed over samples with that stack.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readPprof } from '../src/parsers/pprof/index.js';
import { FIXTURES, goBinary, notice } from './helpers/go.js';
import { parsePprofRaw } from './helpers/pprof-raw.js';

const go = goBinary();
if (!go) notice('Go is not installed: pprof profiles are not compared with go tool pprof -raw');
const dir = join(FIXTURES, 'pprof');
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.pb.gz')).sort();

/** Values summed per stack key, for the given samples. */
function byStack(samples: { funcs: string[]; values: readonly number[] }[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const s of samples) {
    const key = s.funcs.join(';');
    const acc = out.get(key);
    if (acc) s.values.forEach((v, i) => (acc[i]! += v));
    else out.set(key, [...s.values]);
  }
  return out;
}

test('there are fixtures of every profile kind from Go 1.19 and 1.26', () => {
  for (const kind of ['block', 'mutex', 'goroutine', 'heap', 'cpu']) {
    for (const v of ['go1.19', 'go1.26']) expect(fixtures.some((f) => f.includes(`.${v}.${kind}.`)), `${v} ${kind}`).toBe(true);
  }
});

describe.skipIf(!go)('pprof reader vs go tool pprof -raw', () => {
  for (const name of fixtures) {
    test(name, () => {
      const file = join(dir, name);
      const raw = spawnSync(go!, ['tool', 'pprof', '-raw', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
      expect(raw.status, raw.stderr).toBe(0);
      const theirs = parsePprofRaw(raw.stdout);
      const p = readPprof(readFileSync(file));
      expect(p.sampleTypes.map((t) => `${t.type}/${t.unit}`)).toEqual(theirs.sampleTypes);
      expect(p.samples.length).toBe(theirs.samples.length);
      const ours = byStack(p.samples.map((s) => ({ funcs: p.stacks.frames(s.stack).map((f) => f.func), values: s.values })));
      const want = byStack(theirs.samples);
      expect(new Map([...ours].sort())).toEqual(new Map([...want].sort()));
      // -raw always prints the period (0 included); a missing line means its format changed, not "0".
      const period = /^Period: (\d+)$/m.exec(raw.stdout);
      expect(period, 'go tool pprof -raw printed a Period line').not.toBeNull();
      expect(p.period).toBe(Number(period![1]));
    });
  }
});
