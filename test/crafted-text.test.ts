/**
 * Names from a capture in every output (issue 18): a symbol with carriage
 * returns and a backtick fence cannot break out of report.md's code blocks;
 * ESC, BEL and bidirectional controls reach no terminal raw, on stdout or on
 * stderr; our own colours still work.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { codeFence, mdText } from '../src/render/markdown.js';
import { terminalText } from '../src/render/terminal.js';
import { FIXTURES } from './helpers/go.js';
import { runCli } from './helpers/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'stallscope-text-'));
const HOSTILE_CR = 'x\r```\r<img src=x onerror=alert(1)>\r';
const HOSTILE_ESC = 'main.\x1b[2J\x1b]0;pwned\x07hash\u202eLoop';

/** The sched fixture with runtime.futex renamed to a symbol that closes a ``` fence at a CR (perf splits lines on \n only). */
const crCapture = join(tmp, 'cr.perf.txt');
writeFileSync(crCapture, readFileSync(join(FIXTURES, 'perf', 'sched.perf.txt'), 'latin1').replaceAll('runtime.futex.abi0', HOSTILE_CR), 'latin1');
/** The CPU fixture with its hot function renamed to clear the screen, retitle the window, ring and reverse the text. */
const escCapture = join(tmp, 'esc.perf.txt');
writeFileSync(escCapture, readFileSync(join(FIXTURES, 'perf', 'cpu.perf.txt'), 'utf8').replaceAll('main.hashLoop', HOSTILE_ESC));

/**
 * Lines of Markdown outside and inside fenced code, by CommonMark's rules: lines
 * end at \n, \r\n or \r; a fence of n ≥ 3 backticks is closed by a line of at least n.
 */
function fencedLines(md: string): { inside: string[]; outside: string[]; open: boolean } {
  const inside: string[] = [];
  const outside: string[] = [];
  let fence = 0;
  for (const line of md.split(/\r\n|\r|\n/)) {
    const run = /^ {0,3}(`{3,})\s*$/.exec(line)?.[1]?.length ?? /^ {0,3}(`{3,})/.exec(line)?.[1]?.length ?? 0;
    if (fence === 0 && run >= 3) fence = run;
    else if (fence > 0 && run >= fence && /^ {0,3}`+\s*$/.test(line)) fence = 0;
    else (fence > 0 ? inside : outside).push(line);
  }
  return { inside, outside, open: fence > 0 };
}

describe('Markdown', () => {
  test('a CR symbol in the off-CPU report stays inside its code block (analyze --markdown)', async () => {
    const r = await runCli(['analyze', '--markdown', crCapture]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('\r');
    const { inside, outside, open } = fencedLines(r.stdout);
    expect(open).toBe(false);
    expect(inside.some((l) => l.includes('<img'))).toBe(true);
    expect(outside.filter((l) => l.includes('<img'))).toEqual([]);
  });

  test('report.md: the other input\'s section is still outside any code block', async () => {
    const out = join(tmp, 'bundle');
    const r = await runCli(['report', '-o', out, crCapture, join(FIXTURES, 'pprof', 'blocking.go1.26.block.pb.gz')]);
    expect(r.code, r.stderr).toBe(0);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).not.toContain('\r');
    const { inside, outside, open } = fencedLines(md);
    expect(open).toBe(false);
    expect(outside.filter((l) => l.includes('<img'))).toEqual([]);
    expect(outside.some((l) => l.startsWith('## stallscope: ') && l.endsWith('blocking.go1.26.block.pb.gz'))).toBe(true);
    expect(inside.some((l) => l.startsWith('## '))).toBe(false);
  });

  test('codeFence: longer than any backtick run, line breaks normalised; mdText: one line', () => {
    expect(codeFence('a\n```\nb\n')).toBe('````\na\n```\nb\n````\n');
    expect(codeFence('`````')).toBe('``````\n`````\n``````\n');
    expect(codeFence('a\r\nb\rc\u2028d')).toBe('```\na\nb\nc\nd\n```\n');
    expect(mdText('a\rb\n# c')).toBe('a b \\# c');
  });
});

describe('terminal', () => {
  const rawControls = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

  test('ESC, BEL and a bidi override in a symbol are shown as escapes in the text report', async () => {
    const r = await runCli(['analyze', escCapture]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(rawControls);
    expect(r.stdout).toContain('main.\\x1b[2J\\x1b]0');
    expect(r.stdout).toContain('\\x07hash\\u202eLoop');
  });

  test('with --color, the only ESCs are our own SGR colours', async () => {
    const r = await runCli(['analyze', '--color', escCapture]);
    expect(r.stdout).toContain('\x1b[');
    expect(r.stdout.replace(/\x1b\[[\d;]*m/g, '')).not.toMatch(rawControls);
    expect(r.stdout).toContain('\\x1b[2J');
  });

  test('stderr: a file name with control characters is shown, not obeyed', async () => {
    const name = join(tmp, 'evil\x1b]0;title\x07.perf.txt');
    writeFileSync(name, '');
    const r = await runCli(['analyze', name]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(rawControls);
    expect(r.stderr).toContain('evil\\x1b]0;title\\x07.perf.txt');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  test('terminalText keeps newlines and tabs, escapes the rest', () => {
    expect(terminalText('a\tb\nc\rd\x1be\x9bf\u2066')).toBe('a\tb\nc\\x0dd\\x1be\\x9bf\\u2066');
  });
});

describe('JSON on a terminal', () => {
  test('analyze --json: C1 controls and bidi overrides are \\u escapes, the value unchanged', async () => {
    const name = 'main.\u009b2J\u202eevil';
    const file = join(tmp, 'c1.perf.txt');
    writeFileSync(file, readFileSync(join(FIXTURES, 'perf', 'cpu.perf.txt'), 'utf8').replaceAll('main.hashLoop', name));
    const r = await runCli(['analyze', '--json', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/[\x7f-\x9f\u202a-\u202e]/);
    expect(r.stdout).toContain('main.\\u009b2J\\u202eevil');
    expect(JSON.stringify(JSON.parse(r.stdout))).toContain(name);
  });
});
