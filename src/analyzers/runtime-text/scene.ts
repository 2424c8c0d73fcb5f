/**
 * Who is where in one scheddetail=1 sample: the M holding a P, the goroutine
 * on that M, and that goroutine's status and wait reason.
 */
import { gStatusName, type GDetail, type MDetail, type SchedSample } from '../../parsers/runtime-text/index.js';

export interface Scene {
  readonly ms: ReadonlyMap<number, MDetail>;
  readonly gs: ReadonlyMap<number, GDetail>;
}

export function scene(s: SchedSample): Scene {
  return { ms: new Map(s.ms.map((m) => [m.id, m])), gs: new Map(s.gs.map((g) => [g.id, g])) };
}

/** "running", "waiting (sleep)": a goroutine's status as the runtime printed it. */
export function gState(g: GDetail | undefined): string | undefined {
  if (!g) return undefined;
  return g.waitReason ? `${gStatusName(g.status)} (${g.waitReason})` : gStatusName(g.status);
}

/** Runnable goroutines queued in a sample: the global run queue plus every P's local one. */
export function queued(s: SchedSample): number {
  const local = s.procs.length > 0 ? s.procs.reduce((n, p) => n + p.runqsize, 0) : (s.runqsizes ?? []).reduce((n, q) => n + q, 0);
  return s.runqueue + local;
}
