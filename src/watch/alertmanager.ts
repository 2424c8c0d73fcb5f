/**
 * Findings as Prometheus Alertmanager alerts (API v2), posted with retries.
 * An alert stays in the watcher's state until Alertmanager accepts it.
 */
import type { Finding } from '../model/findings.js';
import { frameWhere } from '../render/frame-where.js';
import { cutStackLines } from '../render/stack-cut.js';

export interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt?: string;
}

export interface AlertContext {
  readonly file: string;
  readonly traceHash: string;
  readonly program: string;
  /** Wall-clock time of a finding's start, when the trace has a clock snapshot; else undefined. */
  readonly wallTime: (f: Finding) => string | undefined;
  /** Wall-clock time of a moment on the trace clock, when the trace has a clock snapshot; else undefined. */
  readonly wallAt: (ns: number) => string | undefined;
  /** Fallback start time (the file's modification time). */
  readonly fileTime: string;
}

const ALERT_NAME: Record<string, string> = {
  'stuck-p': 'GoStuckP',
  'goroutine-leak': 'GoGoroutineLeak',
  'locked-threads': 'GoLockedThreads',
  'thread-growth': 'GoThreadGrowth',
  'sched-latency': 'GoSchedulerLatency',
  blocking: 'GoBlocking',
  'stuck-goroutines': 'GoStuckGoroutines',
  deadlock: 'GoDeadlock',
};

/**
 * When an incident happened, on the wall clock, rounded to the second: the same stuck hold seen in
 * overlapping flight-recorder snapshots has one start (or, when it began before a snapshot did,
 * one end), so its alerts share their labels and Alertmanager keeps one. Undefined without a
 * clock snapshot (Go 1.25+ traces have one).
 */
export function incidentTime(f: Finding, wallAt: (ns: number) => string | undefined): string | undefined {
  if (f.startNs === undefined) return undefined;
  const fromBefore = f.evidence['began_before_trace'] === true && f.evidence['open_at_end'] !== true && f.durationNs !== undefined;
  const wall = wallAt(fromBefore ? f.startNs + f.durationNs! : f.startNs);
  if (wall === undefined) return undefined;
  return new Date(Math.round(Date.parse(wall) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function toAlert(f: Finding, ctx: AlertContext): AlertmanagerAlert {
  const ev = f.evidence;
  // An alert's identity is the incident (program, kind, P, goroutine, when), not the file that showed it.
  const labels: Record<string, string> = {
    alertname: ALERT_NAME[f.kind] ?? 'GoStall',
    severity: f.severity,
    program: ctx.program,
  };
  if (typeof ev['cause'] === 'string') labels.cause = ev['cause'];
  if (f.p !== undefined && f.p >= 0) labels.p_id = String(f.p);
  if (f.goroutine !== undefined && f.goroutine >= 0) labels.goroutine = String(f.goroutine);
  const when = incidentTime(f, ctx.wallAt);
  // Without a wall clock the file is all that tells two incidents apart.
  if (when !== undefined) labels.incident_at = when;
  else labels.trace_hash = ctx.traceHash;
  const annotations: Record<string, string> = {
    summary: f.title,
    description: f.detail,
    file: ctx.file,
    trace_hash: ctx.traceHash,
    ...(f.stackNote ? { stack_note: f.stackNote } : {}),
    stack: cutStackLines(f.stack, 12, (fr) => `${fr.func} ${frameWhere(fr)}`).join('\n'),
  };
  if (f.durationNs !== undefined) annotations.duration_ns = String(f.durationNs);
  if (f.goroutineName) annotations.goroutine_name = f.goroutineName;
  return { labels, annotations, startsAt: ctx.wallTime(f) ?? ctx.fileTime };
}

export class AlertmanagerError extends Error {}

/** Posts alerts; throws AlertmanagerError when Alertmanager is down or refuses them. */
export async function postAlerts(baseUrl: string, alerts: readonly AlertmanagerAlert[], timeoutMs = 5000): Promise<void> {
  if (alerts.length === 0) return;
  const url = baseUrl.replace(/\/+$/, '') + '/api/v2/alerts';
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alerts),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new AlertmanagerError(`Alertmanager at ${url} is unreachable: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`);
  }
  if (!res.ok) {
    const body = (await res.text().catch(() => '')).slice(0, 200);
    throw new AlertmanagerError(`Alertmanager at ${url} answered ${res.status}: ${body}`);
  }
}

/** Posts with exponential backoff; returns false (alerts kept for later) after the attempts run out. */
export async function postWithRetry(
  baseUrl: string,
  alerts: readonly AlertmanagerAlert[],
  log: (msg: string) => void,
  attempts = 4,
  firstDelayMs = 500,
  stopped: () => boolean = () => false,
): Promise<boolean> {
  let delay = firstDelayMs;
  for (let i = 1; i <= attempts; i++) {
    try {
      await postAlerts(baseUrl, alerts);
      return true;
    } catch (err) {
      log(`${(err as Error).message} (attempt ${i}/${attempts}${i < attempts ? `, retrying in ${delay} ms` : '; kept for the next scan'})`);
      if (i === attempts || stopped()) return false;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 30_000);
    }
  }
  return false;
}
