/**
 * Damaged perf captures: every fixture cut at random points and with random
 * lines corrupted (bytes flipped, lines dropped, duplicated, joined, chopped).
 * Reading and analyzing must finish with events and counted diagnostics; any
 * exception is a bug.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { PerfFolder } from '../src/analyzers/perf/fold.js';
import { OffCpuAnalyzer } from '../src/analyzers/perf/offcpu.js';
import { PerfProfileBuilder } from '../src/analyzers/perf/profile.js';
import { BufferSource } from '../src/io/byte-source.js';
import { PerfDiagnostics, readLineBatches, readPerfScript } from '../src/parsers/perf/index.js';
import { MAX_LINE } from '../src/parsers/perf/lines.js';
import { PERF_FIXTURES } from './helpers/perf.js';

function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function readAll(bytes: Uint8Array): { events: number; diagnostics: number } {
  const diag = new PerfDiagnostics();
  const folder = new PerfFolder();
  const offcpu = new OffCpuAnalyzer(diag);
  const profile = new PerfProfileBuilder('cpu-clock');
  let events = 0;
  for (const ev of readPerfScript(readLineBatches(new BufferSource(bytes), 4096), diag)) {
    events++;
    folder.add(ev);
    offcpu.add(ev);
    profile.add(ev);
  }
  folder.toFolded();
  offcpu.finish();
  profile.finish([]);
  // NO_TRACE is how sched-notrace is meant to read; the line diagnostics are what damage shows up as.
  return { events, diagnostics: (diag.counts.get('EVENT_LINE') ?? 0) + (diag.counts.get('STACK_LINE') ?? 0) };
}

const fixtures = readdirSync(PERF_FIXTURES).filter((f) => f.endsWith('.perf.txt')).sort();

for (const name of fixtures) {
  test(`${name}: truncated and corrupted`, () => {
    const data = readFileSync(join(PERF_FIXTURES, name));
    const clean = readAll(data);
    expect(clean.diagnostics).toBe(0);
    const rand = rng(name.length * 7919);
    let damagedSeen = 0;
    for (let i = 0; i < 20; i++) {
      const cut = data.subarray(0, Math.floor(rand() * data.length));
      const r = readAll(cut);
      expect(r.events).toBeLessThanOrEqual(clean.events);
    }
    for (let i = 0; i < 20; i++) {
      const lines = data.toString('latin1').split('\n');
      for (let k = 0; k < 30; k++) {
        const at = Math.floor(rand() * lines.length);
        const line = lines[at] ?? '';
        switch (Math.floor(rand() * 5)) {
          case 0: { // flip a byte
            const p = Math.floor(rand() * Math.max(1, line.length));
            lines[at] = line.slice(0, p) + String.fromCharCode(Math.floor(rand() * 256)) + line.slice(p + 1);
            break;
          }
          case 1: lines.splice(at, 1); break;
          case 2: lines.splice(at, 0, line, line); break;
          case 3: lines[at] = line + (lines[at + 1] ?? ''); break;
          default: lines[at] = line.slice(0, Math.floor(rand() * line.length));
        }
      }
      const r = readAll(Buffer.from(lines.join('\n'), 'latin1'));
      if (r.diagnostics > 0) damagedSeen++;
    }
    expect(damagedSeen, 'corruption that is never noticed means the checks are too lax').toBeGreaterThan(0);
  });
}

test('a huge line without a newline, NUL bytes, binary garbage', () => {
  const junk = new Uint8Array(300_000).map((_, i) => (i * 7919) % 256);
  expect(() => readAll(junk)).not.toThrow();
  const long = new TextEncoder().encode('perfload 1 1.0: cpu-clock:\n\t' + 'x'.repeat(2_000_000));
  expect(readAll(long).diagnostics).toBe(1);
  // Past MAX_LINE a line is cut (a whole-file "line" could exceed V8's string limit); the next line still reads.
  const huge = new Uint8Array(MAX_LINE + 3_000_000).fill(0x78);
  const tail = new TextEncoder().encode('\nperfload 1 1.0: cpu-clock:\n\t 10 f (/x)\n');
  const r = readAll(Buffer.concat([huge, tail]));
  expect(r).toEqual({ events: 1, diagnostics: 1 });
});
