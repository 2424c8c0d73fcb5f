#!/usr/bin/env node
// The perf folding benchmark (not a test): builds a large `perf script` text at
// bench time by repeating a real capture (fixtures/perf/cpu.perf.txt), then folds
// it with `stallscope folded` and with `inferno-collapse-perf --nthreads 1` (when
// installed: cargo install inferno) in the same run, under /usr/bin/time for wall
// time and peak RSS, at two sizes to show memory stays flat. Checks both outputs
// are equal. The machine is shared, so each tool runs --runs times (default 3),
// alternating, and the median wall time is reported. Writes into bench-out/.
//
//   npm run bench:perf
//   npm run bench:perf -- --mb 400 --runs 5
import { closeSync, existsSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { measure, out, root, run } from './bench-lib.mjs';

const args = process.argv.slice(2);
const arg = (name, dflt) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) || dflt : dflt);
const bigMB = arg('--mb', 200);
const runs = arg('--runs', 3);
const inferno = [join(homedir(), '.cargo', 'bin', 'inferno-collapse-perf'), '/usr/local/bin/inferno-collapse-perf', '/usr/bin/inferno-collapse-perf'].find((p) => existsSync(p));

/** The capture repeated until the file reaches `mb` MB. */
function makeInput(mb) {
  const file = join(out, `perf-${mb}mb.perf.txt`);
  const unit = readFileSync(join(root, 'fixtures', 'perf', 'cpu.perf.txt'));
  const copies = Math.ceil((mb * 1e6) / unit.length);
  if (!existsSync(file) || statSync(file).size !== copies * unit.length) {
    const fd = openSync(file, 'w');
    for (let i = 0; i < copies; i++) writeSync(fd, unit);
    closeSync(fd);
  }
  return file;
}

run('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root });
if (!inferno) console.log('NOTICE: inferno-collapse-perf is not installed (cargo install inferno): stallscope alone');

/** The run with the median wall time, and every wall time. */
function median(results) {
  const sorted = [...results].sort((a, b) => a.wall - b.wall);
  return { ...sorted[Math.floor(sorted.length / 2)], walls: results.map((r) => r.wall), rssMB: Math.max(...results.map((r) => r.rssMB)) };
}

const rows = [];
for (const mb of [Math.round(bigMB / 4), bigMB]) {
  const file = makeInput(mb);
  const size = statSync(file).size / 1e6;
  const ourRuns = [];
  const theirRuns = [];
  for (let i = 0; i < runs; i++) {
    ourRuns.push(measure(process.execPath, [join(root, 'bin', 'stallscope.js'), 'folded', file], { stdoutFile: join(out, 'perf-ours.folded') }));
    if (inferno) theirRuns.push(measure(inferno, ['--nthreads', '1', file], { stdoutFile: join(out, 'perf-inferno.folded') }));
  }
  rows.push({ tool: 'stallscope folded', mb: size, ...median(ourRuns) });
  if (inferno) {
    rows.push({ tool: 'inferno-collapse-perf --nthreads 1', mb: size, ...median(theirRuns) });
    const same = readFileSync(join(out, 'perf-ours.folded'), 'utf8') === readFileSync(join(out, 'perf-inferno.folded'), 'utf8');
    if (!same) throw new Error('stallscope and inferno folded the input differently');
  }
}
const f = (n, d = 1) => n.toFixed(d);
console.log(`\nfolding perf script text (the real capture fixtures/perf/cpu.perf.txt repeated; median wall time of ${runs} runs of the whole process, peak RSS)`);
console.log('| tool | input | wall (median) | all runs | MB/s | peak RSS |\n|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.tool} | ${f(r.mb, 0)} MB | ${f(r.wall, 2)} s | ${r.walls.map((w) => f(w, 2)).join(', ')} | ${f(r.mb / r.wall, 0)} | ${f(r.rssMB, 0)} MB |`);
if (inferno) {
  const big = rows.slice(-2);
  console.log(`\nat ${f(big[0].mb, 0)} MB: stallscope runs at ${f(big[1].wall / big[0].wall, 2)}× inferno's speed (goal ≥ 0.5×); outputs identical`);
}
writeFileSync(join(out, 'perf-results.json'), JSON.stringify({ date: new Date().toISOString(), rows }, null, 2));
