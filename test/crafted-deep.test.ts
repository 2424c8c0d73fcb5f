/**
 * Stacks as deep as an input cares to make them (issue 18): 10,000 frames
 * through perf flame and folded, pprof flame and folded, and report beside a
 * good input. No command may crash (exit 3); the flame page cuts the stack with
 * a marker frame and says so; folded keeps every frame.
 */
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildFlameTree, MAX_DRAWN_DEPTH } from '../src/render/flame/tree.js';
import { flameNodeJson } from '../src/render/flame/html.js';
import { deepPerfScript, deepPprof } from './helpers/crafted-inputs.js';
import { FIXTURES } from './helpers/go.js';
import { runCli } from './helpers/run-cli.js';

const DEPTH = 10_000;
const tmp = mkdtempSync(join(tmpdir(), 'stallscope-deep-'));
const perf = join(tmp, 'deep.perf.txt');
writeFileSync(perf, deepPerfScript(DEPTH));
const pprof = join(tmp, 'deep.pb.gz');
// The pprof reader refuses stacks above 8,192 frames (its own cap): the deepest it takes.
writeFileSync(pprof, deepPprof(8_000));

/** The flame page's data, as the page reads it. */
function pageData(html: string): { root: { name: string; children: unknown[] }; meta: string[] } {
  const m = /<script type="application\/json" id="flame-data">(.*?)<\/script>/s.exec(html);
  return JSON.parse(m![1]!);
}

function depthOf(root: { name: string; children: unknown[] }): { depth: number; leaf: string } {
  let n = root;
  let depth = 0;
  while (n.children.length > 0) {
    n = n.children[0] as typeof root;
    depth++;
  }
  return { depth, leaf: n.name };
}

describe('deep stacks', () => {
  test('perf flame: the page holds the first frames and a marker, with a warning', async () => {
    const out = join(tmp, 'perf.html');
    const r = await runCli(['flame', perf, '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^stallscope: warning: 1 stack\(s\) deeper than 1,024 frames: .*\n/m);
    const data = pageData(readFileSync(out, 'utf8'));
    const { depth, leaf } = depthOf(data.root);
    expect(depth).toBe(MAX_DRAWN_DEPTH);
    // The comm is the root frame of a perf stack: 10,001 frames, 1,023 drawn.
    expect(leaf).toBe(`[${(DEPTH + 1 - (MAX_DRAWN_DEPTH - 1)).toLocaleString('en-US')} deeper frames not drawn]`);
    expect(data.meta.some((l) => l.startsWith('warning: 1 stack(s) deeper'))).toBe(true);
  });

  test('perf folded keeps all 10,000 frames', async () => {
    const r = await runCli(['folded', perf]);
    expect(r.code, r.stderr).toBe(0);
    const line = r.stdout.trim();
    expect(line.split(';')).toHaveLength(DEPTH + 1);
    expect(line.startsWith('deep;main.f9999;')).toBe(true);
    expect(line.endsWith(';main.f0 1')).toBe(true);
  });

  test('perf analyze reads it', async () => {
    expect((await runCli(['analyze', '--json', perf])).code).toBe(0);
  });

  test('pprof flame and folded on an 8,000-frame stack', async () => {
    const out = join(tmp, 'pprof.html');
    const r = await runCli(['flame', pprof, '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('warning: 1 stack(s) deeper than 1,024 frames');
    expect(depthOf(pageData(readFileSync(out, 'utf8')).root).depth).toBe(MAX_DRAWN_DEPTH);
    const f = await runCli(['folded', pprof]);
    expect(f.code, f.stderr).toBe(0);
    expect(f.stdout.trim().split(';')).toHaveLength(8_000);
  });

  test('report: deep inputs beside a good one, the bundle is written with every input', async () => {
    const dir = join(tmp, 'bundle');
    const good = join(FIXTURES, 'pprof', 'blocking.go1.26.block.pb.gz');
    const r = await runCli(['report', '-o', dir, perf, pprof, good]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/wrote .*index\.html \(3 input\(s\)\)/);
    for (const f of ['index.html', 'report.md', 'report.json', 'deep.perf.txt.cpu.html', 'deep.pb.gz.html', 'blocking.go1.26.block.pb.gz.html']) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain('deeper than 1,024 frames');
  });

  test('the tree and its JSON are built without recursion (100,000 frames)', () => {
    const frames = Array.from({ length: 100_000 }, (_, i) => `f${i}`);
    const t = buildFlameTree([{ frames, value: 1, category: 'x' }], 'all', 10);
    expect(t.cutStacks).toBe(1);
    // A tree deeper than any page is still written as JSON by flameNodeJson.
    let deep = { name: 'leaf', value: 1, k: 0, children: [] as unknown[] };
    for (let i = 0; i < 50_000; i++) deep = { name: `n${i}`, value: 0, k: 0, children: [deep] };
    const json = flameNodeJson(deep as never);
    expect(json.length).toBeGreaterThan(50_000 * 40);
    const small = buildFlameTree([{ frames: ['a', 'b'], value: 2, category: 'x' }, { frames: ['a', 'c'], value: 1, category: 'y' }], 'all').root;
    expect(flameNodeJson(small)).toBe(JSON.stringify(small));
  });
});
