/** An empty profile, or an empty sample type, says so in every report: "no findings" would read like an all-clear. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readPprof } from '../src/parsers/pprof/index.js';
import { encodePprof } from '../src/parsers/pprof/encode.js';
import { FIXTURES } from './helpers/go.js';
import { runCli } from './helpers/run-cli.js';

const prof = (f: string): string => join(FIXTURES, 'pprof', f);
/** A real CPU profile with its samples taken out: empty by construction, whatever a recording caught. */
const emptyCpu = join(mkdtempSync(join(tmpdir(), 'stallscope-empty-cpu-')), 'empty.cpu.pb');
writeFileSync(emptyCpu, encodePprof({ ...readPprof(readFileSync(prof('cpubound.go1.26.cpu.pb.gz'))), samples: [] }));
const cases = [
  { name: 'a CPU profile with no samples', args: [emptyCpu], says: /the profile is empty: it holds no samples/ },
  {
    name: 'a heap profile ranked by a sample type that is 0 throughout',
    args: [prof('gcpressure.go1.26.heap.pb.gz'), '--sample-type', 'inuse_space'],
    says: /the inuse_space values are all 0 in its \d+ sample\(s\): nothing to rank by inuse_space; --sample-type alloc_objects or alloc_space has values/,
  },
];

describe('empty profiles', () => {
  for (const c of cases) {
    test(`${c.name}: text, Markdown and JSON say so; exit 0`, async () => {
      const text = await runCli(['analyze', ...c.args]);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(c.says);
      expect(text.stdout).not.toMatch(/no stack or function carries a large share/);
      const md = await runCli(['analyze', '--markdown', ...c.args]);
      expect(md.stdout.replace(/\\/g, '')).toMatch(c.says);
      expect(md.stdout).not.toMatch(/No stack or function carries a large share/);
      const json = JSON.parse((await runCli(['analyze', '--json', ...c.args])).stdout);
      expect(json.profile.empty).toMatch(c.says);
      expect(json.findings).toEqual([]);
    });
  }
  test('a profile with values has empty: null', async () => {
    expect(JSON.parse((await runCli(['analyze', '--json', prof('blocking.go1.26.block.pb.gz')])).stdout).profile.empty).toBeNull();
  });
  test('the bundle index says so too', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'stallscope-empty-')), 'b');
    expect((await runCli(['report', emptyCpu, '-o', dir])).code).toBe(0);
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain('Nothing to tell: the profile is empty: it holds no samples');
  });
});
