/**
 * Memory bounded by the input (issue 18): a profile of labelled samples and a
 * trace generation padded with empty batches are refused with one line naming
 * the memory budget, at a peak RSS measured in the child process; the whole
 * input is never read past a cap on stdin either.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { ByteSource } from '../src/io/byte-source.js';
import { readAllBytes } from '../src/io/replay-source.js';
import { readPprof } from '../src/parsers/pprof/index.js';
import { gzip, labelledProfile, paddedTrace, pprofBytes } from './helpers/crafted-inputs.js';
import { ROOT } from './helpers/go.js';

const tmp = mkdtempSync(join(tmpdir(), 'stallscope-memory-'));
const TIME = '/usr/bin/time';

/** Runs the built CLI under /usr/bin/time: exit code, stderr without time's line, and peak RSS in MB. */
function measured(args: string[], env: Record<string, string>): { code: number; stderr: string; rssMb: number } {
  const r = spawnSync(TIME, ['-f', 'peak-rss-kb %M', process.execPath, join(ROOT, 'bin', 'stallscope.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  const m = /peak-rss-kb (\d+)\s*$/.exec(r.stderr);
  return { code: r.status ?? -1, stderr: r.stderr.replace(/(Command exited.*\n)?peak-rss-kb \d+\s*$/, ''), rssMb: Number(m?.[1]) / 1024 };
}

/** The one line of an error (and nothing else on stderr). */
function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  expect(lines, stderr).toHaveLength(1);
  return lines[0]!;
}

describe.skipIf(!existsSync(TIME))('memory budget, peak RSS measured in the child', () => {
  test('a profile of 1.5M labelled samples: refused at the budget, peak RSS bounded', () => {
    const file = join(tmp, 'labels.pb.gz');
    writeFileSync(file, labelledProfile(1_500_000)); // 130 KB that unpack to 21 MB
    const r = measured(['analyze', file], { STALLSCOPE_MEMORY_BUDGET_MB: '64' });
    expect(r.code, r.stderr).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/^stallscope: .*labels\.pb\.gz: pprof at byte \d+ of the gunzipped data: holding the profile would take more than the memory budget of 64 MiB \(at sample [\d,]+; set STALLSCOPE_MEMORY_BUDGET_MB to allow more\)$/);
    // Node's own base is about 60 MB; the budget's charges are live bytes, and the heap runs ahead of them.
    expect(r.rssMb).toBeLessThan(64 * 2 + 200);
  }, 120_000);

  test('a trace generation padded with 400,000 empty batches (01 01 4d 01 00): refused, peak RSS bounded', () => {
    const file = join(tmp, 'padded.trace');
    writeFileSync(file, paddedTrace(400_000));
    const r = measured(['analyze', file], { STALLSCOPE_MEMORY_BUDGET_MB: '64' });
    expect(r.code, r.stderr).toBe(2);
    // Half the budget per generation: two threads may each hold one.
    expect(oneLine(r.stderr)).toMatch(/^stallscope: .*padded\.trace: go-trace at byte \d+: holding this generation would take more than the memory budget of 32 MiB \(at batch [\d,]+;/);
    expect(r.rssMb).toBeLessThan(32 * 2 + 200);
  }, 120_000);
});

describe('what fits the budget is read', () => {
  test('labelled samples share their label list', () => {
    const p = readPprof(gzip(pprofBytes({ funcs: 1, stack: [1], samples: 1000, labels: 1 })));
    expect(p.samples).toHaveLength(1000);
    expect(p.samples[0]!.labels).toEqual([{ key: 'k', str: 'v' }]);
    expect(p.samples[999]!.labels).toBe(p.samples[0]!.labels);
  });
});

describe('stdin has the caps files have', () => {
  test('an endless input (a line with no newline) is read to one byte past the cap, no further', () => {
    let read = 0;
    const endless: ByteSource = {
      size: undefined,
      read(into, offset, length) {
        into.fill(0x61, offset, offset + length);
        read += length;
        return length;
      },
      close() {},
    } as ByteSource;
    expect(() => readAllBytes(endless, 3_000_000, 'pprof')).toThrow(/^pprof at byte 3000000: the input is over the limit of 3,000,000 bytes$/);
    expect(read).toBe(3_000_001);
  });
});
