#!/usr/bin/env node
// Benchmark (not a test) for v1 traces (Go 1.11–1.21): records bench/load with
// Go 1.21 (format "go 1.21") at bench time, then reads the trace with
// stallscope and with Go's own parser (golang.org/x/exp/trace, test/oracle
// `count`) and prints events/s and peak RSS. A v1 trace is read whole (clock
// and stacks are in its footer), so memory grows with the file, for both.
//
//   npm run bench:v1                  # a ~30 MB trace (2 s of load)
//   npm run bench:v1 -- --seconds 4   # longer recording
//   GO121=/path/to/go1.21 npm run bench:v1
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { measure, out, root, run } from './bench-lib.mjs';

const args = process.argv.slice(2);
const seconds = Number(args[args.indexOf('--seconds') + 1] ?? 2) || 2;
const go121 = process.env.GO121 ?? '/usr/lib/go-1.21/bin/go';
const go = process.env.GO ?? 'go';

if (!existsSync(go121)) throw new Error(`needs Go 1.21 at ${go121} (scripts/install-go-toolchains.sh, or set GO121)`);
run('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root });
// bench/load's go.mod says go 1.22; build it with Go 1.21 through a go.mod of our own (the code is 1.21-clean).
const modfile = join(out, 'load-go121.mod');
writeFileSync(modfile, 'module stallscope/bench/load\n\ngo 1.21\n');
const env = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-buildvcs=false' };
run(go121, ['build', `-modfile=${modfile}`, '-o', join(out, 'load-go121'), '.'], { cwd: join(root, 'bench', 'load'), env });
run(go, ['build', '-o', join(out, 'oracle'), '.'], { cwd: join(root, 'test', 'oracle') });

const file = join(out, 'load-v1.trace');
run(join(out, 'load-go121'), ['-trace', file, '-seconds', String(seconds)]);
const mb = statSync(file).size / 1e6;

const ours = measure(process.execPath, [join(root, 'scripts', 'bench-count.mjs'), file]);
const o = JSON.parse(ours.stdout);
const theirs = measure(join(out, 'oracle'), ['count', file]);
const goEvents = Number(/events=(\d+)/.exec(theirs.stdout)[1]);
if (goEvents !== o.events) console.warn(`event counts differ: ours ${o.events}, Go ${goEvents}`);

const f = (n, d = 1) => n.toFixed(d);
console.log('\nv1 (go 1.21) trace reading: stallscope vs golang.org/x/exp/trace (wall time of the whole process, peak RSS)');
console.log('| trace | events | stallscope ev/s | Go ev/s | ratio | stallscope RSS | Go RSS | stallscope s | Go s |');
console.log('|---|---|---|---|---|---|---|---|---|');
console.log(
  `| load, Go 1.21 (${f(mb)} MB) | ${o.events.toLocaleString('en-US')} | ${f(o.events / ours.wall / 1e6, 2)}M | ${f(goEvents / theirs.wall / 1e6, 2)}M | ${f(theirs.wall / ours.wall, 2)}× | ${f(ours.rssMB, 0)} MB | ${f(theirs.rssMB, 0)} MB | ${f(ours.wall, 2)} | ${f(theirs.wall, 2)} |`,
);
writeFileSync(
  join(out, 'results-v1.json'),
  JSON.stringify({ date: new Date().toISOString(), mb, events: o.events, goEvents, ours, theirs: { wall: theirs.wall, rssMB: theirs.rssMB } }, null, 2),
);
