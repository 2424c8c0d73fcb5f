/**
 * watch against a hostile or just very full folder (issue 18): a symbolic
 * link out of the folder is not read (unless --follow-symlinks); 10,000 files
 * cost O(1) state writes each, measured as bytes written by the child; a file
 * seen before with the same size and mtime is not hashed again, measured as
 * bytes read by the child.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FIXTURES, ROOT } from './helpers/go.js';

const tmp = mkdtempSync(join(tmpdir(), 'stallscope-watch-crafted-'));
const TRACE = join(FIXTURES, 'traces', 'stuckloop.go1.23.trace');
const hasProcIo = existsSync('/proc/self/io');

/** Runs the built CLI in a child that prints its own I/O counters (/proc/self/io) as its last stderr line. */
function run(args: string[]): { code: number; stdout: string; stderr: string; rchar: number; wchar: number } {
  const script = `
    import { readFileSync } from 'node:fs';
    import { main } from ${JSON.stringify(join(ROOT, 'dist', 'cli', 'main.js'))};
    const code = await main(${JSON.stringify(args)}, process);
    process.stderr.write('\\nIO ' + readFileSync('/proc/self/io', 'utf8').replace(/\\n/g, ' ') + '\\n');
    process.exitCode = code;`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const io = /IO (.*)\n$/.exec(r.stderr)?.[1] ?? '';
  const n = (k: string): number => Number(new RegExp(`${k}: (\\d+)`).exec(io)?.[1]);
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr.replace(/\nIO .*\n$/, ''), rchar: n('rchar'), wchar: n('wchar') };
}

describe('symbolic links', () => {
  const outside = join(tmp, 'outside');
  const dir = join(tmp, 'drop');
  mkdirSync(outside);
  mkdirSync(dir);
  // The "secret" is a trace, so following it would show: a finding line naming its hash.
  copyFileSync(join(FIXTURES, 'traces', 'blocking.go1.23.trace'), join(outside, 'secret.trace'));
  symlinkSync(join(outside, 'secret.trace'), join(dir, 'link-out.trace'));
  copyFileSync(TRACE, join(dir, 'real.trace'));
  symlinkSync(join(dir, 'real.trace'), join(dir, 'link-in.trace'));

  test('a link out of the folder is skipped with one notice; a link inside it is read', () => {
    const r = run(['watch', '--once', '--settle', '0s', dir]);
    expect(r.stderr).toContain(`${join(dir, 'link-out.trace')}: skipped: a symbolic link out of the folder (to ${join(outside, 'secret.trace')}); --follow-symlinks reads it`);
    expect(r.stdout).not.toContain('link-out.trace');
    const state = readFileSync(join(dir, '.stallscope-watch.json'), 'utf8');
    expect(state).not.toContain('link-out.trace');
    // real.trace and link-in.trace have one content: analyzed once, under whichever came first.
    expect(Object.keys(JSON.parse(state).analyzed)).toHaveLength(1);
  });

  test('--follow-symlinks reads it', () => {
    const state = join(tmp, 'follow-state.json');
    const r = run(['watch', '--once', '--settle', '0s', '--follow-symlinks', '--state', state, '--findings', 'any', dir]);
    expect(r.stderr).not.toContain('symbolic link out of the folder');
    const files = Object.values(JSON.parse(readFileSync(state, 'utf8')).analyzed).map((e) => (e as { file: string }).file);
    expect(files.sort()).toEqual([join(dir, 'link-in.trace'), join(dir, 'link-out.trace')]);
  });
});

describe.skipIf(!hasProcIo)('writes and reads measured in the child', () => {
  const SAMPLE = 'prog 1 1.0: 1 cpu-clock:\n\t1000 main.f+0x1 (/bin/prog)\n\n';

  test('10,000 files: the state is written O(1) per file (append), and is whole at the end', () => {
    const dir = join(tmp, 'many');
    mkdirSync(dir);
    for (let i = 0; i < 10_000; i++) writeFileSync(join(dir, `f${String(i).padStart(5, '0')}.perf.txt`), `# capture ${i}\n${SAMPLE}`);
    const r = run(['watch', '--once', '--settle', '0s', dir]);
    expect(r.code, r.stderr.slice(-500)).toBe(0);
    const state = JSON.parse(readFileSync(join(dir, '.stallscope-watch.json'), 'utf8'));
    expect(Object.keys(state.analyzed)).toHaveLength(10_000);
    expect(existsSync(join(dir, '.stallscope-watch.json.journal'))).toBe(false);
    // Rewriting the state after every file wrote about 10,000 × 1 MB; appending writes a line per file,
    // a stderr notice per file and one state file at the end: a few MB.
    const stateBytes = readFileSync(join(dir, '.stallscope-watch.json')).length;
    expect(r.wchar).toBeLessThan(stateBytes * 5 + 5e6);
  }, 300_000);

  test('a state cut by a crash: the journal lines before the cut count, the torn one is ignored', () => {
    const dir = join(tmp, 'crash');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.perf.txt'), SAMPLE);
    writeFileSync(join(dir, 'b.perf.txt'), `# b\n${SAMPLE}`);
    const first = run(['watch', '--once', '--settle', '0s', dir]);
    expect(first.code).toBe(0);
    const state = JSON.parse(readFileSync(join(dir, '.stallscope-watch.json'), 'utf8'));
    // As if the watcher died after journaling one more file and while writing another.
    const [sha, entry] = Object.entries(state.analyzed)[0]!;
    delete state.analyzed[sha];
    writeFileSync(join(dir, '.stallscope-watch.json'), JSON.stringify(state));
    writeFileSync(join(dir, '.stallscope-watch.json.journal'), JSON.stringify({ sha, ...(entry as object) }) + '\n{"sha":"ab');
    const again = run(['watch', '--once', '--settle', '0s', dir]);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe(''); // nothing analyzed again: both files are known
    expect(Object.keys(JSON.parse(readFileSync(join(dir, '.stallscope-watch.json'), 'utf8')).analyzed)).toHaveLength(2);
  });

  test('an unchanged 32 MB file is not hashed again on the next scan', () => {
    const dir = join(tmp, 'big');
    mkdirSync(dir);
    writeFileSync(join(dir, 'big.perf.txt'), SAMPLE.repeat(Math.ceil((32 << 20) / SAMPLE.length)));
    const first = run(['watch', '--once', '--settle', '0s', dir]);
    expect(first.rchar).toBeGreaterThan(32 << 20);
    const second = run(['watch', '--once', '--settle', '0s', dir]);
    expect(second.code).toBe(0);
    // Node and the CLI's own files are read either way (a few MB); the capture is not.
    expect(second.rchar).toBeLessThan(first.rchar - (30 << 20));
  }, 120_000);
});
