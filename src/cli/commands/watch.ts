/**
 * `stallscope watch <dir|pattern>`: the scanner behind the usual production
 * rule "capture a trace every N seconds, alert when a P was stuck ≥ 500 ms".
 * Every --every it looks for new or changed files, waits until a file stops
 * growing, analyzes each content once (remembered by sha256 in a state file,
 * across restarts), prints one JSON line per finding and, with
 * --alertmanager, posts them to Prometheus Alertmanager, retrying until they
 * are accepted. Bad files get one line on stderr; the rest are still scanned.
 */
import type { Command } from 'commander';
import { createHash } from 'node:crypto';
import { openSync, readSync, closeSync, statSync } from 'node:fs';
import { basename, join, dirname } from 'node:path';
import { ToolkitError, UsageError } from '../../errors.js';
import type { Finding } from '../../model/findings.js';
import { FINDING_KINDS } from '../../model/findings.js';
import { postWithRetry, toAlert } from '../../watch/alertmanager.js';
import { listCandidates, SettleTracker } from '../../watch/scan.js';
import { loadState, saveState } from '../../watch/state.js';
import { Exit, ExitWith } from '../exit.js';
import type { CliIO } from '../io.js';
import { parseDuration } from '../options.js';
import { buildTraceReport, failPredicate } from '../trace-report-builder.js';
import { frameWhere } from '../../render/frame-where.js';

interface WatchFlags {
  every: string;
  settle: string;
  once?: boolean;
  state?: string;
  stuckThreshold: string;
  findings: string;
  failOn?: string;
  alertmanager?: string;
  program?: string;
}

function sha256File(path: string): string {
  const h = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const buf = new Uint8Array(1 << 20);
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) h.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}

const sleep = (ms: number, stopped: () => boolean): Promise<void> =>
  new Promise((resolve) => {
    const end = Date.now() + ms;
    const tick = (): void => {
      if (stopped() || Date.now() >= end) resolve();
      else setTimeout(tick, Math.min(100, end - Date.now()));
    };
    tick();
  });

export function registerWatch(program: Command, io: CliIO): void {
  program
    .command('watch')
    .description('scan a folder of traces as they arrive; print one JSON line per finding; optionally alert through Prometheus Alertmanager')
    .argument('<target>', 'a folder (every file in it not starting with ".") or a pattern such as /var/traces/*.trace')
    .option('--every <duration>', 'how often to scan (a duration: 30s, 5m; units ns, us, ms, s, m, h)', '30s')
    .option('--settle <duration>', 'a file is complete once its size has not changed for this long (0s: at once)', '2s')
    .option('--once', 'scan once and exit (for cron); exit 1 when a finding matches --fail-on')
    .option('--state <file>', 'where to remember analyzed traces and unsent alerts (default: <folder>/.stallscope-watch.json)')
    .option('--stuck-threshold <duration>', 'a P held this long without scheduling progress is stuck (units ns, us, ms, s, m, h: 500ms, 2s, 1m30s)', '500ms')
    .option('--findings <kinds>', `which findings to report: any, or kinds (${Object.keys(FINDING_KINDS).join(', ')})`, 'stuck-p')
    .option('--fail-on <list>', 'with --once: exit 1 when a finding matches (as in analyze)')
    .option('--alertmanager <url>', 'post each new finding to this Alertmanager (API v2), e.g. http://127.0.0.1:9093')
    .option('--program <name>', 'the "program" label of alerts (default: the folder name)')
    .action(async (target: string, flags: WatchFlags) => {
      const everyMs = parseDuration(flags.every, '--every') / 1e6;
      const settleMs = parseDuration(flags.settle, '--settle', true) / 1e6;
      const threshold = parseDuration(flags.stuckThreshold, '--stuck-threshold');
      const fail = failPredicate(flags.failOn);
      const kinds = flags.findings.split(',').map((k) => k.trim());
      for (const k of kinds) if (k !== 'any' && !(k in FINDING_KINDS)) throw new UsageError(`--findings: unknown kind "${k}"`);
      const wanted = (f: Finding): boolean => kinds.includes('any') || kinds.includes(f.kind);
      if (flags.alertmanager && !/^https?:\/\//.test(flags.alertmanager)) throw new UsageError(`--alertmanager: "${flags.alertmanager}" is not an http(s) URL`);
      let folder = target;
      try {
        if (!statSync(target).isDirectory()) folder = dirname(target);
      } catch {
        folder = dirname(target);
      }
      const statePath = flags.state ?? join(folder, '.stallscope-watch.json');
      const programName = flags.program ?? basename(folder);
      const state = loadState(statePath);
      const settle = new SettleTracker(flags.once ? 0 : settleMs);
      const log = (msg: string): void => void io.stderr.write(`stallscope watch: ${msg}\n`);

      let stopped = false;
      const stop = (): void => {
        if (!stopped) log('stopping after the file in hand');
        stopped = true;
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      let matched = false;

      const analyze = async (path: string): Promise<void> => {
        let sha: string;
        try {
          sha = sha256File(path);
        } catch (err) {
          log(`${path}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
          return;
        }
        if (state.analyzed[sha]) return;
        let findings: Finding[];
        let wallTime: (f: Finding) => string | undefined;
        try {
          const report = await buildTraceReport(path, io, { thresholdNs: threshold });
          findings = report.findings.filter(wanted);
          const s = report.analysis.summary;
          const wallMs = s.wallStart ? Date.parse(s.wallStart) : undefined;
          wallTime = (f) => (wallMs !== undefined && f.startNs !== undefined ? new Date(wallMs + (f.startNs - s.startNs) / 1e6).toISOString() : undefined);
          for (const w of report.input.warnings) log(`warning: ${w}`);
        } catch (err) {
          const msg = err instanceof ToolkitError ? err.message : `internal error: ${(err as Error).message}`;
          log(msg);
          state.analyzed[sha] = { file: path, at: new Date().toISOString(), findings: 0, error: msg };
          saveState(statePath, state);
          return;
        }
        const fileTime = new Date(statSync(path).mtimeMs).toISOString();
        for (const f of findings) {
          if (fail(f)) matched = true;
          const ev = f.evidence;
          const line = {
            time: new Date().toISOString(),
            file: path,
            trace_hash: sha,
            kind: f.kind,
            severity: f.severity,
            p_id: f.p !== undefined && f.p >= 0 ? f.p : null,
            stuck_ns: f.kind === 'stuck-p' ? f.durationNs : null,
            cause: ev['cause'] ?? null,
            goroutine: f.goroutine !== undefined && f.goroutine >= 0 ? { id: f.goroutine, name: f.goroutineName ?? '' } : null,
            stack_top: f.stack[0] ? `${f.stack[0].func} ${frameWhere(f.stack[0])}` : null,
            started_at: wallTime(f) ?? null,
            title: f.title,
          };
          io.stdout.write(JSON.stringify(line) + '\n');
          if (flags.alertmanager) state.pendingAlerts.push(toAlert(f, { file: path, traceHash: sha, program: programName, wallTime, fileTime }));
        }
        state.analyzed[sha] = { file: path, at: new Date().toISOString(), findings: findings.length };
        saveState(statePath, state);
      };

      const scan = async (): Promise<void> => {
        for (const c of listCandidates(target)) {
          if (stopped) return;
          if (c.path === statePath) continue;
          if (!settle.ready(c, Date.now())) continue;
          await analyze(c.path);
          await new Promise((r) => setImmediate(r)); // let a signal in between files
        }
        if (flags.alertmanager && state.pendingAlerts.length > 0) {
          const batch = state.pendingAlerts.slice();
          if (await postWithRetry(flags.alertmanager, batch, log, flags.once ? 3 : 4, 500, () => stopped)) {
            state.pendingAlerts.splice(0, batch.length);
            saveState(statePath, state);
          }
        }
      };

      try {
        if (flags.once) {
          // Files still being written: note their size, wait the settle time, take only those that did not change.
          const first = new Map(listCandidates(target).map((c) => [c.path, `${c.size}:${c.mtimeMs}`]));
          if (settleMs > 0 && first.size > 0) await sleep(settleMs, () => stopped);
          for (const c of listCandidates(target)) {
            if (stopped) break;
            if (c.path === statePath || first.get(c.path) !== `${c.size}:${c.mtimeMs}` || c.size === 0) {
              if (c.path !== statePath) log(`${c.path}: still being written; left for the next run`);
              continue;
            }
            await analyze(c.path);
          }
          if (flags.alertmanager && state.pendingAlerts.length > 0) {
            const batch = state.pendingAlerts.slice();
            if (await postWithRetry(flags.alertmanager, batch, log, 3, 500, () => stopped)) {
              state.pendingAlerts.splice(0, batch.length);
              saveState(statePath, state);
            }
          }
        } else {
          while (!stopped) {
            await scan();
            await sleep(everyMs, () => stopped);
          }
        }
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
      if (flags.once && matched) throw new ExitWith(Exit.Findings);
    });
}
