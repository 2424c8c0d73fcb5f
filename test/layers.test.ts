/**
 * The folder tree is the architecture (docs/architecture.md): imports only go
 * down the layers, no two files import each other round a circle, and every
 * src file is used. This test reads every import of every src file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/go.js';

const SRC = join(ROOT, 'src');

/** Layer of each top folder of src/ (and of the files at its root): a file may import only its own layer or lower. */
const RANK: Record<string, number> = {
  'errors.ts': 0,
  model: 0,
  io: 0,
  util: 0,
  parsers: 1,
  analyzers: 2,
  render: 3,
  cli: 4,
  watch: 4,
  'index.ts': 5,
};

/** Loaded by something outside src/ (bin/, the package's exports, a worker URL), not by an import. */
const ENTRY_POINTS = new Set(['index.ts', 'cli/main.ts', 'cli/analysis-worker.ts']);

function srcFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? srcFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [relative(SRC, join(dir, e.name))] : [],
  );
}

/** The src files a file imports (static, type-only, re-exports and dynamic), as paths relative to src/. */
export function importsOf(file: string, text: string): string[] {
  const out: string[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(?\s*)(['"])(\.\.?\/[^'"]+)\1/g;
  for (const m of text.matchAll(re)) {
    out.push(relative(SRC, resolve(SRC, dirname(file), m[2]!)).replace(/\.js$/, '.ts'));
  }
  return out;
}

const rankOf = (file: string): number => RANK[file.split('/')[0]!] ?? -1;

const files = srcFiles();
const graph = new Map(files.map((f) => [f, importsOf(f, readFileSync(join(SRC, f), 'utf8'))]));

describe('layers', () => {
  it('knows the layer of every src file', () => {
    expect(files.filter((f) => rankOf(f) < 0)).toEqual([]);
  });

  it('every import goes to an existing src file in the same layer or one below', () => {
    const bad: string[] = [];
    for (const [f, deps] of graph) {
      for (const d of deps) {
        if (!graph.has(d)) bad.push(`${f} imports ${d}, which is not a src file`);
        else if (rankOf(d) > rankOf(f)) bad.push(`${f} (layer ${rankOf(f)}) imports ${d} (layer ${rankOf(d)})`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('nothing but the command line imports watch/, and watch/ does not import cli/', () => {
    const bad = [...graph].flatMap(([f, deps]) =>
      deps.filter((d) => (d.startsWith('watch/') && !f.startsWith('watch/') && !f.startsWith('cli/')) || (f.startsWith('watch/') && d.startsWith('cli/'))).map((d) => `${f} imports ${d}`),
    );
    expect(bad).toEqual([]);
  });

  it('no import circles (type-only imports count)', () => {
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const path: string[] = [];
    const visit = (f: string): void => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        circles.push([...path.slice(path.indexOf(f)), f].join(' → '));
        return;
      }
      state.set(f, 'open');
      path.push(f);
      for (const d of graph.get(f) ?? []) visit(d);
      path.pop();
      state.set(f, 'done');
    };
    for (const f of files) visit(f);
    expect(circles).toEqual([]);
  });

  it('every src file is imported by another (entry points aside)', () => {
    const used = new Set([...graph.values()].flat());
    expect(files.filter((f) => !used.has(f) && !ENTRY_POINTS.has(f))).toEqual([]);
  });

  it('reads imports as written: static, type-only, multi-line, re-exports and dynamic', () => {
    const text = "import { a } from '../util/units.js';\nimport type {\n  B,\n} from './b.js';\nexport { c } from '../../model/c.js';\nconst d = await import('./d.js');\nimport './e.js';\nconst s = 'not/an/import.js';\n";
    expect(importsOf('analyzers/trace/x.ts', text)).toEqual([
      'analyzers/util/units.ts',
      'analyzers/trace/b.ts',
      'model/c.ts',
      'analyzers/trace/d.ts',
      'analyzers/trace/e.ts',
    ]);
  });
});
