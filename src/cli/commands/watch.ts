/**
 * `stallscope watch <dir|pattern>`: the scanner behind the usual production
 * rule "capture a trace every N seconds, alert when a P was stuck ≥ 500 ms".
 * Every --every it looks for new or changed files, waits until a file stops
 * growing, analyzes each content once (remembered by sha256 in a state file,
 * across restarts), prints one JSON line per finding and one per trace it
 * could not analyze and, with --alertmanager, posts the findings to Prometheus
 * Alertmanager, retrying until they are accepted. It reads traces, goroutine
 * dumps (each compared with the one before: stuck goroutines, growth) and logs
 * with GODEBUG schedtrace/gctrace lines (one per run or rotated: a log still
 * growing is analyzed again once it settles, as a new content): pprof
 * profiles and perf captures in the folder are skipped with one notice each.
 */
import type { Command } from 'commander';
import { createHash } from 'node:crypto';
import { constants, existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ToolkitError, UsageError } from '../../errors.js';
import type { Finding } from '../../model/findings.js';
import { FINDING_KINDS } from '../../model/findings.js';
import { postWithRetry, toAlert } from '../../watch/alertmanager.js';
import { analysisErrorLine, findingLine } from '../../watch/lines.js';
import { listCandidates, SettleTracker, type Candidate } from '../../watch/scan.js';
import { journalPath, StateStore } from '../../watch/state.js';
import { resolveTarget, WatchTargetError } from '../../watch/target.js';
import { isRuntimeText, notATrace } from '../../watch/not-a-trace.js';
import { buildRuntimeTextReport } from '../build/runtime-text.js';
import { openSource } from '../build/open.js';
import { jsonText } from '../../render/terminal.js';
import { Exit, ExitWith } from '../exit.js';
import { buildDumpsReport, isGoroutineDump } from '../build/input.js';
import type { CliIO } from '../io.js';
import { parseDuration, stuckThresholdOption } from '../options.js';
import { buildTraceReport } from '../build/trace.js';
import { failPredicate, failsOnUnreadInputs } from '../fail-on.js';

interface WatchFlags {
  every: string;
  settle: string;
  once?: boolean;
  state?: string;
  /** --stuck-threshold, in ns. */
  stuckThreshold: number;
  findings: string;
  failOn?: string;
  alertmanager?: string;
  program?: string;
  followSymlinks?: boolean;
}

/** The file's hash; a path that became a symbolic link since the scan is not followed (ELOOP) unless asked. */
function sha256File(path: string, followLinks: boolean): string {
  const h = createHash('sha256');
  const fd = openSync(path, followLinks ? constants.O_RDONLY : constants.O_RDONLY | constants.O_NOFOLLOW);
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
    .description('scan a folder of traces as they arrive; print one JSON line per finding and per trace that cannot be analyzed; optionally alert through Prometheus Alertmanager')
    .argument('<target>', 'a folder (every file in it not starting with "."), one file, or a pattern such as /var/traces/*.trace; the folder must exist')
    .option('--every <duration>', 'how often to scan (a duration: 30s, 5m; units ns, us, ms, s, m, h)', '30s')
    .option('--settle <duration>', 'a file is complete once its size has not changed for this long (0s: at once)', '2s')
    .option('--once', 'scan once and exit (for cron); exit 1 when a finding matches --fail-on, 2 when alerts could not be delivered')
    .option('--state <file>', 'where to remember analyzed traces and unsent alerts (default: <folder>/.stallscope-watch.json)')
    .addOption(stuckThresholdOption())
    .option('--findings <kinds>', `which findings to report: any, or kinds (${Object.keys(FINDING_KINDS).join(', ')})`, 'stuck-p')
    .option('--fail-on <list>', 'with --once: exit 1 when a finding matches (as in analyze); a trace that cannot be analyzed counts as a warning')
    .option('--alertmanager <url>', 'post each new finding to this Alertmanager (API v2), e.g. http://127.0.0.1:9093')
    .option('--program <name>', 'the "program" label of alerts (default: the folder name)')
    .option('--follow-symlinks', 'read symbolic links that lead out of the folder (by default only links to files inside it are read; a file named on the command line is always read)')
    .action(async (targetArg: string, flags: WatchFlags) => {
      const everyMs = parseDuration(flags.every, '--every') / 1e6;
      const settleMs = parseDuration(flags.settle, '--settle', true) / 1e6;
      const fail = failPredicate(flags.failOn);
      const kinds = flags.findings.split(',').map((k) => k.trim());
      for (const k of kinds) if (k !== 'any' && !(k in FINDING_KINDS)) throw new UsageError(`--findings: unknown kind "${k}"`);
      const wanted = (f: Finding): boolean => kinds.includes('any') || kinds.includes(f.kind);
      if (flags.alertmanager && !/^https?:\/\//.test(flags.alertmanager)) throw new UsageError(`--alertmanager: "${flags.alertmanager}" is not an http(s) URL`);
      const target = resolveTarget(targetArg);
      const statePath = flags.state ?? join(target.folder, '.stallscope-watch.json');
      const programName = flags.program ?? basename(target.folder);
      const store = new StateStore(statePath);
      const state = store.state;
      // A file named on the command line is read wherever its link leads: the user chose it.
      const followLinks = Boolean(flags.followSymlinks) || (target.pattern !== undefined && !/[*?]/.test(target.pattern));
      const settle = new SettleTracker(flags.once ? 0 : settleMs);
      const log = (msg: string): void => void io.stderr.write(`stallscope watch: ${msg}\n`);
      const failOnErrors = failsOnUnreadInputs(flags.failOn);

      let stopped = false;
      const stop = (): void => {
        if (!stopped) log('stopping after the file in hand');
        stopped = true;
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      let matched = false;
      // --once: something that had to get out did not (alerts, the state file); exit 2, as for an output that cannot be written.
      let notWritten = false;

      const save = (): void => {
        try {
          store.save();
        } catch (err) {
          log((err as Error).message);
          notWritten = true;
        }
      };

      /** Folds the journal into the state file: once per scan, so writes stay O(1) per file. */
      const compact = (): void => {
        try {
          store.compact();
        } catch (err) {
          log((err as Error).message);
          notWritten = true;
        }
      };

      let noMatchNoted = false;
      /** Links out of the folder, said once each. */
      const linksNoted = new Set<string>();
      /** The target's files, or none when its folder cannot be read now (said at each scan; the watcher keeps going). */
      const list = (): Candidate[] => {
        let found: Candidate[];
        try {
          const listed = listCandidates(target, followLinks);
          for (const l of listed.linksOut) {
            if (linksNoted.has(l.path)) continue;
            linksNoted.add(l.path);
            log(`${l.path}: skipped: a symbolic link out of the folder (to ${l.to}); --follow-symlinks reads it`);
          }
          found = listed.files.filter((c) => c.path !== statePath && c.path !== journalPath(statePath));
        } catch (err) {
          if (!(err instanceof WatchTargetError)) throw err;
          log(err.message);
          return [];
        }
        // A pattern that matches nothing may be a typo: say so once, until it matches again.
        if (target.pattern !== undefined && found.length === 0 && !noMatchNoted) log(`no file in ${target.folder} matches ${target.pattern}`);
        noMatchNoted = found.length === 0;
        return found;
      };

      /** Files that could not be read, already reported (until they can be). */
      const unreadable = new Set<string>();
      const analyze = async (c: Candidate): Promise<void> => {
        const path = c.path;
        // A file seen before with the same size and modification time is not hashed again.
        if (store.unchanged(path, c.size, c.mtimeMs) !== undefined) return;
        let sha: string;
        try {
          sha = sha256File(c.real, followLinks);
          unreadable.delete(path);
        } catch (err) {
          // A file it cannot read is news once (a JSON line, and --fail-on any), not at every scan.
          if (unreadable.has(path)) return;
          unreadable.add(path);
          const msg = `${path}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
          log(msg);
          io.stdout.write(jsonText(JSON.stringify(analysisErrorLine({ file: path, sha256: null }, msg))) + '\n');
          if (failOnErrors) matched = true;
          return;
        }
        if (state.analyzed[sha]) return;
        const input = { file: path, sha256: sha };
        const remember = (entry: { findings: number; error?: string; skipped?: string }): void => {
          try {
            store.remember(sha, { file: path, at: new Date().toISOString(), ...entry, size: c.size, mtimeMs: c.mtimeMs });
          } catch (err) {
            log((err as Error).message);
            notWritten = true;
          }
        };
        // What one input says: its findings, its warnings, and the wall-clock time of a moment on its clock when it has one.
        let read: { findings: readonly Finding[]; warnings: readonly string[]; wallAt: (ns: number) => string | undefined };
        try {
          if (await isGoroutineDump(c.real)) {
            await analyzeDump(path, input);
            return;
          }
          if (isRuntimeText(c.real)) {
            // A schedtrace/gctrace log (one per run, or rotated): its findings as a trace's; its clock has no wall time.
            const r = buildRuntimeTextReport(c.real, openSource(c.real), { stuckThresholdNs: flags.stuckThreshold });
            read = { findings: r.findings, warnings: r.input.warnings, wallAt: () => undefined };
          } else {
            const other = notATrace(c.real);
            if (other !== undefined) {
              log(`${path}: skipped: ${other}; watch reads Go execution traces, goroutine dumps and GODEBUG runtime text only (stallscope analyze reads the rest)`);
              remember({ findings: 0, skipped: other });
              return;
            }
            const report = await buildTraceReport(c.real, io, { stuckThresholdNs: flags.stuckThreshold });
            const s = report.analysis.summary;
            const wallMs = s.wallStart ? Date.parse(s.wallStart) : undefined;
            read = {
              findings: report.findings,
              warnings: report.input.warnings,
              wallAt: (ns) => (wallMs !== undefined ? new Date(wallMs + (ns - s.startNs) / 1e6).toISOString() : undefined),
            };
          }
        } catch (err) {
          const msg = err instanceof ToolkitError ? err.message : `internal error: ${(err as Error).message}`;
          log(msg);
          io.stdout.write(jsonText(JSON.stringify(analysisErrorLine(input, msg))) + '\n');
          if (failOnErrors) matched = true;
          remember({ findings: 0, error: msg });
          return;
        }
        const { warnings, wallAt } = read;
        const findings = read.findings.filter(wanted);
        for (const w of warnings) log(`warning: ${w}`);
        const wallTime = (f: Finding): string | undefined => (f.startNs !== undefined ? wallAt(f.startNs) : undefined);
        const fileTime = new Date(statSync(c.real).mtimeMs).toISOString();
        let alerts = 0;
        for (const f of findings) {
          if (fail(f)) matched = true;
          io.stdout.write(jsonText(JSON.stringify(findingLine(f, input, wallTime(f), warnings))) + '\n');
          if (flags.alertmanager) alerts = state.pendingAlerts.push(toAlert(f, { file: path, traceHash: sha, program: programName, wallTime, wallAt, fileTime }));
        }
        remember({ findings: findings.length });
        if (alerts > 0) save(); // alerts are kept whole in the state file, at once: none may be lost
      };

      /**
       * A goroutine dump, compared with the previous one (a cron drops one a minute): stuck
       * goroutines and growth are its findings. Errors go to the caller's analysis-error line.
       */
      const analyzeDump = async (path: string, input: { file: string; sha256: string }): Promise<void> => {
        const last = state.lastDump;
        const before = last && last.file !== path && existsSync(last.file) && sha256File(last.file, followLinks) === last.sha256 ? [last.file] : [];
        const { report } = await buildDumpsReport([...before, path], {});
        const warnings = report.inputs[report.inputs.length - 1]!.warnings;
        for (const w of warnings) log(`warning: ${w}`);
        const fileTime = new Date(statSync(path).mtimeMs).toISOString();
        const findings = report.findings.filter(wanted);
        for (const f of findings) {
          if (fail(f)) matched = true;
          io.stdout.write(JSON.stringify(findingLine(f, input, undefined, warnings)) + '\n');
          if (flags.alertmanager) state.pendingAlerts.push(toAlert(f, { file: path, traceHash: input.sha256, program: programName, wallTime: () => undefined, wallAt: () => undefined, fileTime }));
        }
        state.lastDump = input;
        state.analyzed[input.sha256] = { file: path, at: new Date().toISOString(), findings: findings.length };
        save();
      };

      /** Posts the alerts not yet accepted; false when some are still pending. */
      const deliver = async (attempts: number): Promise<boolean> => {
        if (!flags.alertmanager || state.pendingAlerts.length === 0) return true;
        const batch = state.pendingAlerts.slice();
        if (!(await postWithRetry(flags.alertmanager, batch, log, attempts, 500, () => stopped))) return false;
        state.pendingAlerts.splice(0, batch.length);
        save();
        return true;
      };

      const scan = async (): Promise<void> => {
        for (const c of list()) {
          if (stopped) return;
          if (!settle.ready(c, Date.now())) continue;
          await analyze(c);
          await new Promise((r) => setImmediate(r)); // let a signal in between files
        }
        await deliver(4);
        compact();
      };

      try {
        if (flags.once) {
          // Files still being written: note their size, wait the settle time, take only those that did not change.
          const first = new Map(list().map((c) => [c.path, `${c.size}:${c.mtimeMs}`]));
          if (settleMs > 0 && first.size > 0) await sleep(settleMs, () => stopped);
          for (const c of first.size > 0 ? list() : []) {
            if (stopped) break;
            if (first.get(c.path) !== `${c.size}:${c.mtimeMs}` || c.size === 0) {
              log(`${c.path}: still being written; left for the next run`);
              continue;
            }
            await analyze(c);
          }
          compact();
          if (!(await deliver(3))) {
            log(`${state.pendingAlerts.length} alert(s) not delivered; kept in ${statePath} for the next run`);
            notWritten = true;
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
      if (flags.once && notWritten) throw new ExitWith(Exit.BadInput);
      if (flags.once && matched) throw new ExitWith(Exit.Findings);
    });
}
