/**
 * A trace's two clocks: its own (ns, the times of its events) and the wall
 * clock, which Go 1.25+ traces tie together with a snapshot in each Sync event
 * ("sec.nsec" Unix time taken at a trace-clock time).
 */
export interface WallSnapshot {
  /** "sec.nsec" */
  readonly wall: string;
  /** The trace-clock time of the snapshot (ns). */
  readonly traceNs: number;
}

/** The wall-clock time (Unix ms, fractional) at trace-clock time `t`. */
export function wallMsAt(snap: WallSnapshot, t: number): number {
  const [sec, nsec] = snap.wall.split('.').map(Number) as [number, number];
  return sec * 1000 + (nsec ?? 0) / 1e6 + (t - snap.traceNs) / 1e6;
}

/** The trace-clock time (ns) at wall-clock time `ms` (Unix ms). */
export function traceNsAtWall(snap: WallSnapshot, ms: number): number {
  return Math.round(snap.traceNs + (ms - wallMsAt(snap, snap.traceNs)) * 1e6);
}
