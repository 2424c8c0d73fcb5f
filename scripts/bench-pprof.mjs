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
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'bench-out');
mkdirSync(out, { recursive: true });
const args = process.argv.slice(2);
const samples = Number(args[args.indexOf('--samples') + 1] ?? 1_000_000) || 1_000_000;
const go = existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : 'go';
const env = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' };

function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 26, env, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

/** Wall seconds and peak RSS (MB) of a command, its stdout thrown away. */
function measure(cmd, argv) {
  const r = spawnSync('/usr/bin/time', ['-f', '__time %e %M', cmd, ...argv], { encoding: 'utf8', env, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  const m = /__time ([\d.]+) (\d+)/.exec(r.stderr);
  return { wall: Number(m[1]), rssMB: Number(m[2]) / 1024 };
}

if (!existsSync('/usr/bin/time')) throw new Error('needs GNU time (apt-get install time)');
run('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root });
run(go, ['build', '-o', join(out, 'pprofgen'), '.'], { cwd: join(root, 'bench', 'pprofgen') });
const file = join(out, 'big.pb.gz');
run(join(out, 'pprofgen'), ['-o', file, '-samples', String(samples)]);
const mb = statSync(file).size / 1e6;

const ours = measure(process.execPath, [join(root, 'bin', 'stallscope.js'), 'analyze', '--json', file]);
const theirs = measure(go, ['tool', 'pprof', '-raw', file]);
const f = (n, d = 1) => n.toFixed(d);
console.log(`\npprof reading: ${f(mb)} MB gzipped, ${samples.toLocaleString('en-US')} samples (wall time of the whole process, peak RSS)`);
console.log('| tool | wall | peak RSS |\n|---|---|---|');
console.log(`| stallscope analyze --json | ${f(ours.wall, 2)} s | ${f(ours.rssMB, 0)} MB |`);
console.log(`| go tool pprof -raw | ${f(theirs.wall, 2)} s | ${f(theirs.rssMB, 0)} MB |`);
console.log(`| ratio stallscope / Go | ${f(ours.wall / theirs.wall, 2)}× | ${f(ours.rssMB / theirs.rssMB, 2)}× |`);
writeFileSync(join(out, 'pprof-results.json'), JSON.stringify({ date: new Date().toISOString(), mb, samples, ours, theirs }, null, 2));
