#!/usr/bin/env node
// The pprof benchmark (not a test): generates a large synthetic profile at
// bench time (bench/pprofgen, with github.com/google/pprof/profile: many
// functions, inlined frames, a million samples with unique deep stacks), then
// reads it with `stallscope analyze --json` (decode + aggregate + report) and
// with `go tool pprof -raw` (decode + print) in the same run, under
// /usr/bin/time for wall time and peak RSS. Needs Go; writes into bench-out/.
//
//   npm run bench:pprof
//   npm run bench:pprof -- --samples 2000000
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { measure, out, root, run } from './bench-lib.mjs';

const args = process.argv.slice(2);
const samples = Number(args[args.indexOf('--samples') + 1] ?? 1_000_000) || 1_000_000;
const go = existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : 'go';
const env = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' };

run('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root });
run(go, ['build', '-o', join(out, 'pprofgen'), '.'], { cwd: join(root, 'bench', 'pprofgen'), env });
const file = join(out, 'big.pb.gz');
run(join(out, 'pprofgen'), ['-o', file, '-samples', String(samples)], { env });
const mb = statSync(file).size / 1e6;

const ours = measure(process.execPath, [join(root, 'bin', 'stallscope.js'), 'analyze', '--json', file], { env, discard: true });
const theirs = measure(go, ['tool', 'pprof', '-raw', file], { env, discard: true });
const f = (n, d = 1) => n.toFixed(d);
console.log(`\npprof reading: ${f(mb)} MB gzipped, ${samples.toLocaleString('en-US')} samples (wall time of the whole process, peak RSS)`);
console.log('| tool | wall | peak RSS |\n|---|---|---|');
console.log(`| stallscope analyze --json | ${f(ours.wall, 2)} s | ${f(ours.rssMB, 0)} MB |`);
console.log(`| go tool pprof -raw | ${f(theirs.wall, 2)} s | ${f(theirs.rssMB, 0)} MB |`);
console.log(`| ratio stallscope / Go | ${f(ours.wall / theirs.wall, 2)}× | ${f(ours.rssMB / theirs.rssMB, 2)}× |`);
writeFileSync(join(out, 'pprof-results.json'), JSON.stringify({ date: new Date().toISOString(), mb, samples, ours, theirs }, null, 2));
