/** Every command's --help says what the README's command table says it reads. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildProgram } from '../src/cli/main.js';
import { ROOT } from './helpers/go.js';
import { runCli } from './helpers/run-cli.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
/** The README's command table: command name → its row. */
const rows = new Map<string, string>();
for (const line of readme.split('\n')) {
  const m = /^\| `stallscope ([a-z\\|]+)/.exec(line); // "analyze\|flame\|folded": one row for three
  if (m) for (const name of m[1]!.split('\\|')) rows.set(name, (rows.get(name) ?? '') + line);
}
const help = async (cmd: string): Promise<string> => {
  const r = await runCli([cmd, '--help']);
  expect(r.code).toBe(0);
  return r.stdout.replace(/\s+/g, ' ');
};

describe('--help and the README agree', () => {
  test('the same commands', () => {
    expect(rows.get('folded')).toMatch(/capture\.perf\.txt/);
    const commands = buildProgram({ stdout: { write: () => true }, stderr: { write: () => true } }).commands.map((c) => c.name());
    expect([...rows.keys()].sort()).toEqual([...commands].sort());
  });
  test("each command's input, as --help describes it, is of the kinds its README row names", async () => {
    for (const [cmd, row] of rows) {
      const args = /Arguments: (.*) Options:/.exec(await help(cmd))![1]!;
      if (/perf/.test(row)) expect(args, cmd).toMatch(/perf/);
      if (/profile/.test(row) && cmd !== 'export') expect(args, cmd).toMatch(/pprof profile/);
    }
  });
  test('analyze names perf captures as input; flame names what it draws of profiles and perf captures', async () => {
    expect(await help('analyze')).toMatch(/<inputs\.\.\.> .*pprof profile, perf script text, goroutine dump/);
    expect(await help('flame')).toMatch(/write a self-contained flame graph .*a pprof profile's value; a perf capture's on-CPU or off-CPU time/);
  });
  test('export: README and help agree that --pprof is optional', async () => {
    expect(rows.get('export')).toMatch(/`stallscope export <trace> -o out\.pb\.gz/);
    expect(await help('export')).toMatch(/--pprof .*the default/);
  });
});
