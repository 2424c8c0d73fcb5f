// The pathology zoo (issue 15): recording its programs with every Go toolchain
// at hand, and judging stallscope's verdict on each recording against the
// case's expected verdict (fixtures/zoo/cases.json) and the run's own truth
// file (<trace>.truth.json). Used by scripts/zoo.mjs (npm run zoo,
// fixtures/zoo/record.sh) and test/zoo.test.ts.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const PROGRAMS = join(ROOT, 'fixtures', 'programs');
export const ZOO = join(ROOT, 'fixtures', 'zoo');
export const CASES = JSON.parse(readFileSync(join(ZOO, 'cases.json'), 'utf8')).cases;
export const MAX_TRACE_BYTES = 1 << 20;
const GO = '/usr/local/go/bin/go';

/** Every toolchain the zoo is recorded with: version, go command, environment. */
export const TOOLCHAINS = [
  { version: '1.26', go: GO, env: { GOTOOLCHAIN: 'local' } },
  { version: '1.27', go: GO, env: { GOTOOLCHAIN: 'go1.27.3' } },
  { version: '1.23', go: '/usr/lib/go-1.23/bin/go', env: { GOTOOLCHAIN: 'local' } },
  { version: '1.22', go: '/usr/lib/go-1.22/bin/go', env: { GOTOOLCHAIN: 'local' } },
  { version: '1.21', go: '/usr/lib/go-1.21/bin/go', env: { GOTOOLCHAIN: 'local' } },
  { version: '1.19', go: '/usr/lib/go-1.19/bin/go', env: { GOTOOLCHAIN: 'local' } },
];

/** Runs a command without blocking the event loop: { status, signal, stdout, stderr }. */
export function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = opts.timeout ? setTimeout(() => child.kill('SIGKILL'), opts.timeout) : undefined;
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ status: null, signal: null, stdout, stderr: stderr + e.message });
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
}

function goEnv(tc, extra = {}) {
  // GOFLAGS=-mod=mod lets the go command take the module as it is; -buildvcs=false: no VCS stamping.
  return { ...process.env, ...tc.env, GOFLAGS: '-buildvcs=false', ...extra };
}

/**
 * The toolchains present, each with its full `go version` line; an absent one
 * is left out with a warning (through warn).
 */
export function presentToolchains(wanted, warn = (m) => process.stderr.write(m + '\n')) {
  const out = [];
  for (const tc of TOOLCHAINS) {
    if (wanted && !wanted.includes(tc.version)) continue;
    const r = existsSync(tc.go) ? spawnSync(tc.go, ['version'], { cwd: PROGRAMS, encoding: 'utf8', env: goEnv(tc) }) : null;
    const m = r?.status === 0 ? /go version go(\d+\.\d+)\S*/.exec(r.stdout) : null;
    if (!m || m[1] !== tc.version) {
      warn(`zoo: WARNING: Go ${tc.version} not available (${tc.go}${tc.env.GOTOOLCHAIN !== 'local' ? ` GOTOOLCHAIN=${tc.env.GOTOOLCHAIN}` : ''}): skipped`);
      continue;
    }
    out.push({ ...tc, line: r.stdout.trim() });
  }
  return out;
}

function minor(version) {
  return Number(version.split('.')[1]);
}

/** Builds every program the cases need with one toolchain into binDir; returns program → binary or error. */
export async function buildPrograms(tc, binDir, caseNames = Object.keys(CASES)) {
  mkdirSync(binDir, { recursive: true });
  const built = {};
  for (const name of caseNames) {
    const c = CASES[name];
    const key = c.program + (c.goexperiment?.[tc.version] ? `+${c.goexperiment[tc.version]}` : '');
    if (built[key]) continue;
    const bin = join(binDir, key.replace(/[/+]/g, '_'));
    const env = goEnv(tc, c.goexperiment?.[tc.version] ? { GOEXPERIMENT: c.goexperiment[tc.version] } : {});
    const r = await run(tc.go, ['build', '-o', bin, './' + c.program], { cwd: PROGRAMS, env });
    built[key] = r.status === 0 ? { bin } : { error: r.stderr.trim().split('\n').slice(-2).join(' | ') };
  }
  return (name) => {
    const c = CASES[name];
    return built[c.program + (c.goexperiment?.[tc.version] ? `+${c.goexperiment[tc.version]}` : '')];
  };
}

/** The command line a case runs with (for the provenance table), without paths of the output folder. */
export function commandLine(tc, name, base) {
  const c = CASES[name];
  const env = [
    tc.env.GOTOOLCHAIN !== 'local' ? `GOTOOLCHAIN=${tc.env.GOTOOLCHAIN}` : 'GOTOOLCHAIN=local',
    c.goexperiment?.[tc.version] ? `GOEXPERIMENT=${c.goexperiment[tc.version]}` : '',
  ].filter(Boolean);
  const run = [c.godebug ? `GODEBUG=${c.godebug}` : '', `./${c.program.split('/').pop()}`, ...c.args, '-trace', `${base}.trace`,
    ...(c.outputs ?? []).flatMap((o) => [o.flag, `${base}.${o.suffix}`])].filter(Boolean);
  return `${env.join(' ')} go build ./${c.program} && ${run.join(' ')}`;
}

/**
 * Runs one case with its built binary into outDir: <case>.go<V>.trace, its
 * truth file and outputs, and (snapshots, Go 1.25+) a second run writing
 * <case>-snapshot.go<V>.<n>.trace files. A trace over 1 MB is recorded again
 * (3 attempts): the cap is for committed fixtures; fresh recordings (the
 * test's) pass maxBytes to keep whatever a loaded machine made. Returns
 * { traces: [...], error }.
 */
export async function runCase(tc, name, bin, outDir, maxBytes = MAX_TRACE_BYTES) {
  const c = CASES[name];
  const base = join(outDir, `${name}.go${tc.version}`);
  const env = { ...process.env };
  delete env.GODEBUG;
  if (c.godebug) env.GODEBUG = c.godebug;
  const args = [...c.args, '-trace', `${base}.trace`, ...(c.outputs ?? []).flatMap((o) => [o.flag, `${base}.${o.suffix}`])];
  let error;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const r = await run(bin, args, { cwd: outDir, env, timeout: 60_000 });
    if (r.status !== 0) {
      error = `${name} with Go ${tc.version} exited ${r.status ?? r.signal}: ${(r.stderr || '').trim().split('\n').slice(-2).join(' | ')}`;
      continue;
    }
    const size = statSync(`${base}.trace`).size;
    error = size > maxBytes ? `${name} with Go ${tc.version}: trace of ${size} bytes (> ${maxBytes})` : undefined;
    if (!error) break;
  }
  if (error) rmSync(`${base}.trace`, { force: true }); // no corrupt or oversized recording left behind
  const traces = error ? [] : [`${base}.trace`];
  if (!error && c.snapshots && minor(tc.version) >= 25) {
    const prefix = join(outDir, `${name}-snapshot.go${tc.version}`);
    const r = await run(bin, [...c.args, '-snapshots', prefix], { cwd: outDir, env, timeout: 60_000 });
    if (r.status !== 0) error = `${name} snapshots with Go ${tc.version} exited ${r.status ?? r.signal}: ${(r.stderr || '').trim().split('\n').pop()}`;
    const snaps = readdirSync(outDir).filter((f) => f.startsWith(`${name}-snapshot.go${tc.version}.`) && f.endsWith('.trace'));
    traces.push(...snaps.sort(byNumber).map((f) => join(outDir, f)));
    for (const f of snaps) {
      const size = statSync(join(outDir, f)).size;
      if (size > MAX_TRACE_BYTES) error = `${f}: snapshot of ${size} bytes (> ${MAX_TRACE_BYTES})`;
    }
  }
  return { traces, error };
}

function byNumber(a, b) {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** The zoo recordings in a folder: [{ trace, name (case), version, snapshot }]. */
export function recordingsIn(dir) {
  const out = [];
  for (const f of readdirSync(dir).sort(byNumber)) {
    const m = /^(.+?)(-snapshot)?\.go(\d+\.\d+)(?:\.(\d+))?\.trace$/.exec(f);
    if (!m || !CASES[m[1]]) continue;
    out.push({ trace: join(dir, f), name: m[1], version: m[3], snapshot: m[4] ? Number(m[4]) : null });
  }
  return out;
}

/** stallscope analyze --json on a trace, through the built bin, as a user runs it. */
export async function analyze(trace, extra = []) {
  const r = await run(process.execPath, [join(ROOT, 'bin', 'stallscope.js'), 'analyze', '--json', ...extra, trace], {
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (r.status !== 0 && r.status !== 1) throw new Error(`stallscope analyze ${trace} exited ${r.status}: ${r.stderr.trim()}`);
  return JSON.parse(r.stdout);
}

// ---- judging ----

function resolve(v, truth) {
  if (typeof v === 'string' && v.startsWith('truth:')) {
    const key = v.slice('truth:'.length);
    if (!(key in truth)) throw new Error(`the truth file has no ${key}`);
    return truth[key];
  }
  return v;
}

function matches(f, match, truth) {
  return Object.entries(match).every(([k, want]) => {
    const w = Array.isArray(want) ? want.map((x) => resolve(x, truth)) : [resolve(want, truth)];
    return w.includes(f[k]);
  });
}

function describeMatch(match) {
  return Object.entries(match)
    .map(([k, v]) => (k === 'kind' ? v : `${k}=${Array.isArray(v) ? v.join('|') : String(v).replace('truth:', '')}`))
    .join(' ');
}

/** What a check expects, in a few words (for the table). */
export function describeCheck(check) {
  if (check.no_finding) return `no ${describeMatch(check.no_finding)} finding`;
  if (check.report) return `${check.report} > ${check.greater_than}`;
  if (check.pattern) return `cross-check fits ${check.pattern.join('|')}`;
  const parts = [describeMatch(check.finding)];
  if (check.title_has) parts.push(`title~"${check.title_has}"`);
  if (check.within) parts.push(...Object.entries(check.within).map(([k, [t, tol]]) => `${k}≈${t.replace('truth:', '')}±${tol * 100}%`));
  if (check.at_least) parts.push(...Object.entries(check.at_least).map(([k, [t, f]]) => `${k}≥${f === 1 ? '' : f + '×'}${String(t).replace('truth:', '')}`));
  if (check.nonempty) parts.push(...check.nonempty.map((k) => `${k} set`));
  if (check.stack_has) parts.push(`stack∋${check.stack_has.replace('truth:', '')}`);
  return parts.join(', ');
}

function getPath(obj, path) {
  return path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

/** Why one finding fails a finding check ([] when it passes). */
function findingMisses(f, check, truth) {
  const miss = [];
  if (check.title_has && !String(f.title ?? '').includes(check.title_has)) miss.push(`title "${f.title}" lacks "${check.title_has}"`);
  for (const [k, [t, tol]] of Object.entries(check.within ?? {})) {
    const want = resolve(t, truth);
    if (typeof f[k] !== 'number' || Math.abs(f[k] - want) > tol * want) miss.push(`${k} ${f[k]} not within ${tol * 100}% of ${want}`);
  }
  for (const [k, [t, factor]] of Object.entries(check.at_least ?? {})) {
    const want = resolve(t, truth) * factor;
    if (typeof f[k] !== 'number' || f[k] < want) miss.push(`${k} ${f[k]} < ${want}`);
  }
  for (const k of check.nonempty ?? []) if (f[k] == null || f[k] === '' || (Array.isArray(f[k]) && f[k].length === 0)) miss.push(`${k} empty`);
  if (check.stack_has) {
    const fn = resolve(check.stack_has, truth);
    if (!(f.stack ?? []).some((fr) => fr.func === fn)) miss.push(`stack lacks ${fn} (${ownFrame(f) ?? 'empty'})`);
  }
  return miss;
}

/** The program's own frame of a finding's stack (main.*), else its first frame. */
export function ownFrame(f) {
  const stack = f.stack ?? [];
  return (stack.find((fr) => fr.func.startsWith('main.')) ?? stack[0])?.func;
}

/** A finding in a few words: kind/cause-or-why/severity@frame. */
export function describeFinding(f) {
  const detail = f.cause ?? f.why ?? f.reason;
  return `${f.kind}${detail ? '/' + detail : ''} ${f.severity}${ownFrame(f) ? ' @' + ownFrame(f) : ''}`;
}

/**
 * Judges one report against a case's checks and the run's truth:
 * { ok, misses: [reason...], said: stallscope's verdict in a few words }.
 */
/**
 * A check with `older: {below: "1.23", finding: {…}}` asks for those finding fields instead in traces
 * of Go versions below that one (which cannot say as much: before Go 1.23 a goroutine blocked since
 * before the trace has no stack, so nothing places it).
 */
function forVersion(check, version) {
  const m = /go 1\.(\d+)/.exec(version ?? '');
  if (!check.older || !m || Number(m[1]) >= Number(check.older.below.split('.')[1])) return check;
  return { ...check, finding: { ...check.finding, ...check.older.finding } };
}

export function judge(report, truth, checks) {
  const misses = [];
  const said = [];
  const findings = report.findings ?? [];
  for (let check of checks) {
    if (check.no_finding) {
      // A scheduler-latency warning is the truth when the program's own runtime measured such waits
      // (runtime/metrics /sched/latencies:seconds): a loaded machine makes any program wait.
      const measured = (f) => f.kind === 'sched-latency' && check.unless_measured && typeof truth.sched_latency_p99_ns === 'number' && truth.sched_latency_p99_ns >= f.p99_ns / 2;
      const bad = findings.filter((f) => matches(f, check.no_finding, truth) && !measured(f));
      if (bad.length) misses.push(`unwanted: ${bad.map(describeFinding).join('; ')}`);
      said.push(bad.length ? bad.map(describeFinding).join('; ') : `no ${describeMatch(check.no_finding)} finding`);
    } else if (check.pattern) {
      // The cross-check's verdict: the pattern the signals fit (signals.pattern.id).
      const id = report.signals?.pattern?.id;
      if (!check.pattern.includes(id)) misses.push(`cross-check fits ${id} (want ${check.pattern.join('|')})`);
      said.push(`fits ${id}`);
    } else if (check.report) {
      const v = getPath(report, check.report);
      if (!(typeof v === 'number' && v > check.greater_than)) misses.push(`${check.report} = ${v}`);
      said.push(`${check.report}=${v}`);
    } else {
      check = forVersion(check, report.input?.version);
      const candidates = findings.filter((f) => f.kind === check.finding.kind);
      const full = candidates.filter((f) => matches(f, check.finding, truth) && findingMisses(f, check, truth).length === 0);
      if (full.length) {
        said.push(describeFinding(full[0]));
        continue;
      }
      if (!candidates.length) {
        misses.push(`no ${check.finding.kind} finding`);
        const worst = findings.filter((f) => f.severity !== 'info');
        said.push(worst.length ? worst.slice(0, 2).map(describeFinding).join('; ') : `no ${check.finding.kind}`);
        continue;
      }
      // The nearest candidate: say what it lacks.
      const f = candidates[0];
      const why = Object.entries(check.finding)
        .filter(([k, want]) => !(Array.isArray(want) ? want.map((x) => resolve(x, truth)) : [resolve(want, truth)]).includes(f[k]))
        .map(([k, want]) => `${k}=${JSON.stringify(f[k])} (want ${Array.isArray(want) ? want.join('|') : resolve(want, truth)})`);
      misses.push(...why, ...findingMisses(f, check, truth));
      said.push(describeFinding(f));
    }
  }
  return { ok: misses.length === 0, misses, said: said.join('; ') };
}

/** The truth file of a trace. */
export function readTruth(trace) {
  return JSON.parse(readFileSync(trace + '.truth.json', 'utf8'));
}

/** Judges one recording: { name, version, snapshot, expected, said, ok, misses }. */
export async function judgeRecording(rec) {
  const c = CASES[rec.name];
  const truth = readTruth(rec.trace);
  // A case may analyze with other options (stuck_threshold: its spin is shorter than the default threshold on some toolchains).
  const report = await analyze(rec.trace, c.stuck_threshold ? ['--stuck-threshold', c.stuck_threshold] : []);
  const j = judge(report, truth, c.expect);
  return { ...rec, expected: c.expect.map(describeCheck).join('; '), ...j };
}
