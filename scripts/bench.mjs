#!/usr/bin/env node
// The benchmark (not a test): records Go traces from a busy program at bench
// time, then reads each with stallscope and with Go's own parser
// (golang.org/x/exp/trace, test/oracle) in the same run, and prints events/s,
// MB/s, peak RSS and the ratios. Needs Go; writes into bench-out/.
//
//   npm run bench                 # 10 MB and 100 MB traces
//   npm run bench -- --seconds 2.2  # length of the big recording (the small one is 1/10)
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { measure, out, root, run } from './bench-lib.mjs';

const args = process.argv.slice(2);
// 2.2 s: the big trace lands above 100 MB (2 s gave 97–103 MB).
const bigSeconds = Number(args[args.indexOf('--seconds') + 1] ?? 2.2) || 2.2;

run('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root });
const go = 'go';
run(go, ['build', '-o', join(out, 'load'), '.'], { cwd: join(root, 'bench', 'load') });
run(go, ['build', '-o', join(out, 'oracle'), '.'], { cwd: join(root, 'test', 'oracle') });

const traces = [
  ['small', bigSeconds / 10],
  ['big', bigSeconds],
].map(([name, seconds]) => {
  const file = join(out, `load-${name}.trace`);
  run(join(out, 'load'), ['-trace', file, '-seconds', String(seconds)]);
  return { name, file, mb: statSync(file).size / 1e6 };
});

const rows = [];
for (const t of traces) {
  const ours = measure(process.execPath, [join(root, 'scripts', 'bench-count.mjs'), t.file]);
  const o = JSON.parse(ours.stdout);
  const theirs = measure(join(out, 'oracle'), ['count', t.file]);
  const m = /events=(\d+) seconds=([\d.]+)/.exec(theirs.stdout);
  const goEvents = Number(m[1]);
  if (goEvents !== o.events) console.warn(`event counts differ on ${t.name}: ours ${o.events}, Go ${goEvents}`);
  rows.push({
    trace: `${t.name} (${t.mb.toFixed(1)} MB)`,
    events: o.events,
    oursEvPerSec: o.events / ours.wall,
    goEvPerSec: goEvents / theirs.wall,
    oursMBps: t.mb / ours.wall,
    goMBps: t.mb / theirs.wall,
    oursRss: ours.rssMB,
    goRss: theirs.rssMB,
    oursWall: ours.wall,
    goWall: theirs.wall,
  });
}

// stallscope analyze (every analyzer; by default two threads from 16 MiB, and one
// thread for comparison) vs go tool trace -pprof=sync (blocking profile only).
const analyzeRows = [];
for (const t of traces) {
  const analyze = (...flags) => measure(process.execPath, [join(root, 'bin', 'stallscope.js'), 'analyze', '--json', ...flags, '-o', join(out, 'analysis.json'), t.file]);
  const ours = analyze();
  const one = analyze('--no-parallel');
  const theirs = measure(go, ['tool', 'trace', '-pprof=sync', t.file]);
  analyzeRows.push({ trace: `${t.name} (${t.mb.toFixed(1)} MB)`, oursWall: ours.wall, oneWall: one.wall, goWall: theirs.wall, oursRss: ours.rssMB, goRss: theirs.rssMB });
}

const f = (n, d = 1) => n.toFixed(d);
console.log('\nGo trace reading: stallscope vs golang.org/x/exp/trace (wall time of the whole process, peak RSS)');
console.log('| trace | events | stallscope ev/s | Go ev/s | ratio | stallscope MB/s | Go MB/s | stallscope RSS | Go RSS |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| ${r.trace} | ${r.events.toLocaleString('en-US')} | ${f(r.oursEvPerSec / 1e6, 2)}M | ${f(r.goEvPerSec / 1e6, 2)}M | ${f(r.oursEvPerSec / r.goEvPerSec, 2)}× | ${f(r.oursMBps)} | ${f(r.goMBps)} | ${f(r.oursRss, 0)} MB | ${f(r.goRss, 0)} MB |`,
  );
}
const [small, big] = rows;
console.log(`\npeak RSS growth for ${f(traces[1].mb / traces[0].mb)}× the trace: stallscope ${f(big.oursRss / small.oursRss, 2)}×, Go ${f(big.goRss / small.goRss, 2)}×`);
console.log('\nstallscope analyze (all analyzers) vs go tool trace -pprof=sync (wall time, peak RSS)');
console.log('| trace | stallscope | go tool trace | time ratio | one thread (--no-parallel) | its ratio | stallscope RSS | go tool trace RSS | RSS ratio |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of analyzeRows) {
  console.log(
    `| ${r.trace} | ${f(r.oursWall, 2)} s | ${f(r.goWall, 2)} s | ${f(r.oursWall / r.goWall, 2)}× | ${f(r.oneWall, 2)} s | ${f(r.oneWall / r.goWall, 2)}× | ${f(r.oursRss, 0)} MB | ${f(r.goRss, 0)} MB | ${f(r.oursRss / r.goRss, 3)}× |`,
  );
}
writeFileSync(join(out, 'results.json'), JSON.stringify({ date: new Date().toISOString(), rows, analyzeRows }, null, 2));
