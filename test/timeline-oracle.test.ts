/**
 * The Chrome export against Go's own proc view: for every Go 1.22+ fixture,
 * `go tool trace` of the trace's own Go version serves /jsontrace?view=proc on
 * loopback, and per P our goroutine slices must be the same runs (same count,
 * same total time within 1%, same goroutines). The test starts and kills the
 * servers itself.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, test } from 'vitest';
import { FileSource } from '../src/io/byte-source.js';
import { openGoTrace } from '../src/parsers/gotrace/index.js';
import { FIXTURES, goBinary, notice } from './helpers/go.js';
import { runCli } from './helpers/run-cli.js';

/** The go command whose `go tool trace` reads a trace of Go 1.<minor>. */
const TOOLCHAIN: Record<string, string | undefined> = { '22': '1.22', '23': '1.23', '26': undefined };

const traces = readdirSync(join(FIXTURES, 'traces'))
  .map((f) => ({ file: f, minor: /\.go1\.(\d+)\.trace$/.exec(f)?.[1] ?? '' }))
  .filter((t) => t.minor in TOOLCHAIN);

/** The trace tool's binary (built on demand by Go 1.24+), or undefined. */
function traceTool(minor: string): string | undefined {
  const go = goBinary(TOOLCHAIN[minor]);
  if (!go) return undefined;
  const r = spawnSync(go, ['tool', '-n', 'trace'], { encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: 'local' }, timeout: 120_000 });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

interface Slice {
  readonly name: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly dur: number;
}

interface PRuns {
  goroutines: Set<number>;
  count: number;
  /** µs */
  total: number;
  /** Runs that begin at the trace's start (going when it began). */
  atStart: number;
}

/** Per P (tid below Go's own special tracks), the goroutine slices: "G<id>" or "G<id> <name>". */
function runsByP(doc: { traceEvents: Slice[] }): Map<number, PRuns> {
  const out = new Map<number, PRuns>();
  for (const e of doc.traceEvents) {
    const m = e.ph === 'X' && e.pid === 0 && e.tid < 1_000_000 ? /^G(\d+)(?: |$)/.exec(e.name) : null;
    if (!m) continue;
    let p = out.get(e.tid);
    if (!p) out.set(e.tid, (p = { goroutines: new Set(), count: 0, total: 0, atStart: 0 }));
    p.goroutines.add(Number(m[1]));
    p.count++;
    p.total += e.dur;
    if (e.ts === 0) p.atStart++;
  }
  return out;
}

/**
 * How much earlier our trace starts than Go 1.22's and 1.23's proc view does, in µs.
 * Their parser emits no Sync event before the first generation (only after each), so
 * their trace starts at its first real event; Go 1.24+ (and stallscope) start it at the
 * first generation's Sync. Runs going when the trace began are back-dated to the start:
 * in ours, by this much more.
 */
function startGapUs(path: string, minor: string): number {
  if (Number(minor) >= 24) return 0;
  const src = FileSource.open(path);
  try {
    const reader = openGoTrace(src);
    const first = reader.next()!;
    let ev = first;
    while (ev.kind === 'Sync') ev = reader.next()!;
    return (ev.time - first.time) / 1e3;
  } finally {
    src.close();
  }
}

const servers = new Set<ChildProcess>();
afterAll(() => {
  for (const s of servers) s.kill('SIGKILL');
});

/** Starts `go tool trace` on a free loopback port, fetches the proc view, stops the server. */
async function goProcView(tool: string, trace: string): Promise<{ traceEvents: Slice[] }> {
  const server = spawn(tool, ['-http=127.0.0.1:0', trace], { stdio: ['ignore', 'pipe', 'pipe'] });
  servers.add(server);
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let log = '';
      const timer = setTimeout(() => reject(new Error(`go tool trace did not start: ${log}`)), 120_000);
      const onData = (b: Buffer): void => {
        log += b.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      };
      server.stdout!.on('data', onData);
      server.stderr!.on('data', onData);
      server.on('exit', (code) => reject(new Error(`go tool trace exited (${code}): ${log}`)));
    });
    const res = await fetch(`${url}/jsontrace?view=proc`);
    expect(res.status).toBe(200);
    return (await res.json()) as { traceEvents: Slice[] };
  } finally {
    server.kill('SIGKILL');
    servers.delete(server);
  }
}

const tools = new Map<string, string | undefined>();
for (const minor of Object.keys(TOOLCHAIN)) {
  tools.set(minor, traceTool(minor));
  if (!tools.get(minor)) notice(`no go tool trace for Go 1.${minor}: its fixtures are not compared with Go's proc view`);
}

describe('export --format chrome against go tool trace /jsontrace?view=proc', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stallscope-chrome-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('every Go version with a proc view has fixtures here', () => {
    expect(new Set(traces.map((t) => t.minor))).toEqual(new Set(Object.keys(TOOLCHAIN)));
  });

  for (const t of traces) {
    test.skipIf(!tools.get(t.minor))(`${t.file}: per P, the same goroutine runs`, async () => {
      const path = join(FIXTURES, 'traces', t.file);
      const out = join(dir, `${t.file}.json.gz`);
      const r = await runCli(['export', '--format', 'chrome', path, '-o', out]);
      expect(r.stderr).toMatch(/wrote .*goroutine runs/);
      expect(r.code).toBe(0);
      const ours = runsByP(JSON.parse(gunzipSync(readFileSync(out)).toString('utf8')));
      const theirs = runsByP(await goProcView(tools.get(t.minor)!, path));
      expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
      expect(theirs.size).toBeGreaterThan(0);
      const gap = startGapUs(path, t.minor);
      for (const [p, g] of theirs) {
        const o = ours.get(p)!;
        expect(o.count, `P${p} runs`).toBe(g.count);
        const total = o.total - gap * o.atStart;
        expect(Math.abs(total - g.total), `P${p} total time ${total} µs (${o.total} less ${o.atStart} × ${gap} back-dated) vs Go's ${g.total} µs`).toBeLessThanOrEqual(g.total * 0.01);
        expect([...o.goroutines].sort((a, b) => a - b), `P${p} goroutines`).toEqual([...g.goroutines].sort((a, b) => a - b));
      }
    }, 180_000);
  }
});
