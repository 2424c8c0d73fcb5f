/**
 * The line GODEBUG=gctrace=1 prints at the end of each collection (mgc.go
 * gcMarkTermination), Go 1.11 to 1.27:
 *
 *   gc 12 @3.456s 2%: 0.015+1.2+0.003 ms clock, 0.12+0.3/1.1/2.0+0.024 ms cpu, 4->4->2 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 8 P (forced)
 *
 * "MB stacks" and "MB globals" came in Go 1.18; Go 1.26 may add
 * " (checking for goroutine leaks)" after the percentage. Times under 10 ms
 * carry two significant digits, longer ones whole milliseconds (fmtNSAsMS).
 */
import type { GcCycle } from './types.js';

const MS = String.raw`(\d+(?:\.\d+)?)`;
const GC = new RegExp(
  String.raw`^gc (\d+) @(\d+(?:\.\d+)?)s (\d+)%(?: \([^)]*\))?: ` +
    String.raw`${MS}\+${MS}\+${MS} ms clock, ` +
    String.raw`${MS}\+${MS}/${MS}/${MS}\+${MS} ms cpu, ` +
    String.raw`(\d+)->(\d+)->(\d+) MB, (\d+) MB goal, ` +
    String.raw`(?:(\d+) MB stacks, (\d+) MB globals, )?` +
    String.raw`(\d+) P( \(forced\))?$`,
);
const MIB = 1 << 20;
const ns = (ms: string): number => Math.round(Number(ms) * 1e6);

/** A gctrace line, undefined when the line is not one, null when it starts like one but is damaged. */
export function parseGcLine(line: string): GcCycle | undefined | null {
  if (!/^gc \d+ @/.test(line)) return undefined;
  const m = GC.exec(line);
  if (!m) return null;
  const g = (i: number): string => m[i]!;
  const gc: GcCycle = {
    line: 0,
    n: Number(g(1)),
    atNs: ns(g(2)) * 1e3,
    cpuPercent: Number(g(3)),
    sweepTermNs: ns(g(4)),
    markNs: ns(g(5)),
    markTermNs: ns(g(6)),
    pauseNs: ns(g(4)) + ns(g(6)),
    cpuNs: [7, 8, 9, 10, 11].map((i) => ns(g(i))),
    heapStartBytes: Number(g(12)) * MIB,
    heapEndBytes: Number(g(13)) * MIB,
    heapLiveBytes: Number(g(14)) * MIB,
    heapGoalBytes: Number(g(15)) * MIB,
    ...(m[16] !== undefined && { stacksBytes: Number(m[16]) * MIB, globalsBytes: Number(m[17]) * MIB }),
    procs: Number(g(18)),
    forced: m[19] !== undefined,
  };
  return gc;
}
