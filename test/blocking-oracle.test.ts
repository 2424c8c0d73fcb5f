/**
 * Blocking time by stack against `go tool trace -pprof=sync|net|syscall|sched`
 * (Go 1.26, whose cmd/trace has the fixed interval semantics): the same stacks,
 * the same counts, totals within 0.1%. Also on Go 1.19/1.21 (v1) recordings.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { blocking, pprofView, PPROF_CLASSES } from '../src/analyzers/trace/blocking.js';
import { runAnalyzers } from '../src/analyzers/analyzer.js';
import { FileSource } from '../src/io/byte-source.js';
import { openGoTrace } from '../src/parsers/gotrace/index.js';
import { FIXTURES, goBinary, notice } from './helpers/go.js';
import { parsePprofRaw } from './helpers/pprof-raw.js';

const go = goBinary();
if (!go) notice('Go not installed: blocking totals are not compared with go tool trace -pprof');
const tmp = mkdtempSync(join(tmpdir(), 'stallscope-pprof-'));

function goToolProfile(trace: string, cls: string): Map<string, { count: number; ns: number }> {
  const pb = join(tmp, `${cls}.pb`);
  const r = spawnSync(go!, ['tool', 'trace', `-pprof=${cls}`, trace], { maxBuffer: 1 << 28 });
  expect(r.status, String(r.stderr)).toBe(0);
  writeFileSync(pb, r.stdout);
  const raw = spawnSync(go!, ['tool', 'pprof', '-raw', pb], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const out = new Map<string, { count: number; ns: number }>();
  for (const s of parsePprofRaw(raw.stdout).samples) {
    const key = s.funcs.join(';');
    const e = out.get(key) ?? { count: 0, ns: 0 };
    e.count += s.values[0]!;
    e.ns += s.values[1]!;
    out.set(key, e);
  }
  return out;
}

function ours(trace: string): Map<string, Map<string, { count: number; ns: number }>> {
  const reader = openGoTrace(FileSource.open(trace));
  const a = blocking();
  runAnalyzers(() => reader.next()?.asEvent() ?? null, [a]);
  const result = a.finish();
  const byClass = new Map<string, Map<string, { count: number; ns: number }>>();
  for (const cls of PPROF_CLASSES) {
    const m = new Map<string, { count: number; ns: number }>();
    for (const r of pprofView(result, cls)) {
      const key = reader.stacks.frames(r.stack).map((f) => f.func).join(';');
      const e = m.get(key) ?? { count: 0, ns: 0 };
      e.count += r.count;
      e.ns += r.totalNs;
      m.set(key, e);
    }
    byClass.set(cls, m);
  }
  return byClass;
}

const traces = [
  ...['blocking', 'mutexheavy', 'netread', 'slowconsumer', 'rawsyscall', 'lockosthread', 'stuckloop', 'gcpressure', 'healthy'].map((p) =>
    join(FIXTURES, 'traces', `${p}.go1.26.trace`),
  ),
  // v1 recordings: go tool trace converts them as our reader does, so the profiles must agree too.
  ...['blocking', 'rawsyscall', 'stuckloop', 'healthy'].flatMap((p) => ['1.19', '1.21'].map((v) => join(FIXTURES, 'traces', `${p}.go${v}.trace`))),
];

describe.skipIf(!go)('blocking profiles vs go tool trace -pprof', () => {
  // Stacks compared per class, over every trace: an equality of two empty profiles proves nothing.
  const compared = new Map<string, number>(PPROF_CLASSES.map((c) => [c, 0]));
  for (const trace of traces) {
    const name = trace.split('/').pop()!;
    test(name, () => {
      const mine = ours(trace);
      for (const cls of PPROF_CLASSES) {
        const theirs = goToolProfile(trace, cls);
        const ourMap = mine.get(cls)!;
        expect([...ourMap.keys()].sort(), `${cls}: stacks`).toEqual([...theirs.keys()].sort());
        compared.set(cls, compared.get(cls)! + theirs.size);
        let ourTotal = 0;
        let theirTotal = 0;
        for (const [k, v] of theirs) {
          const o = ourMap.get(k)!;
          expect(o.count, `${cls} count of ${k}`).toBe(v.count);
          ourTotal += o.ns;
          theirTotal += v.ns;
        }
        expect(Math.abs(ourTotal - theirTotal), `${cls} total`).toBeLessThanOrEqual(theirTotal * 0.001);
      }
    });
  }
  test('every class was compared on real stacks, not only on empty profiles', () => {
    for (const cls of PPROF_CLASSES) expect(compared.get(cls), `${cls}: stacks compared over ${traces.length} traces`).toBeGreaterThanOrEqual(3);
  });
  test('the blocking fixture shows its known sites', () => {
    const sync = ours(traces[0]!).get('sync')!;
    const keys = [...sync.keys()].join('\n');
    for (const f of ['main.mutexContention', 'main.chanSender', 'main.slowConsumer', 'main.selectWait', 'main.condWaiter', 'main.waitGroupWait']) {
      expect(keys).toContain(f);
    }
  });
});
