/** flame without -o: the file it writes in the current folder is named on stderr, for `-` (stdin) as for a named input. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FIXTURES, ROOT } from './helpers/go.js';
import { runCli } from './helpers/run-cli.js';

/** The real bin in a fresh folder, the input on stdin. */
function flameFromStdin(input: string): { code: number | null; stderr: string; cwd: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'stallscope-flame-stdin-'));
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'stallscope.js'), 'flame', '-'], { cwd, input: readFileSync(input), encoding: 'utf8' });
  return { code: r.status, stderr: r.stderr, cwd };
}

describe('flame - (stdin) without -o', () => {
  for (const [kind, input, file, what] of [
    ['trace', join(FIXTURES, 'traces', 'blocking.go1.26.trace'), 'stdin.blocking.html', /\(blocking, \d+ stacks\)/],
    ['pprof profile', join(FIXTURES, 'pprof', 'blocking.go1.26.block.pb.gz'), 'stdin.html', /\(block profile, \d+ stacks\)/],
    ['perf capture', join(FIXTURES, 'perf', 'cpu.perf.txt'), 'stdin.cpu.html', /\(cpu, \d+ stacks\)/],
  ] as const) {
    test(`${kind}: writes ${file} and says so`, () => {
      const r = flameFromStdin(input);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`^stallscope: wrote ${file.replaceAll('.', '\\.')} ${what.source}\\n$`));
      expect(existsSync(join(r.cwd, file))).toBe(true);
    });
  }
  test('the same line as for a named input', async () => {
    const r = await runCli(['flame', join(FIXTURES, 'traces', 'blocking.go1.26.trace'), '-o', join(mkdtempSync(join(tmpdir(), 'stallscope-flame-')), 'b.html')]);
    expect(r.stderr).toMatch(/^stallscope: wrote \S+b\.html \(blocking, \d+ stacks\)\n$/);
  });
  test('--help says where the file goes without -o', async () => {
    const h = (await runCli(['flame', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(h).toMatch(/-o, --output <file> HTML file to write \(default: in the current folder, .*stdin\.… for -; its name is printed on stderr\)/);
  });
});
