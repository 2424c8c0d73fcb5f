/**
 * From a profile analysis to findings: the few stacks or functions that carry
 * most of the ranked value, said in the words of the profile's kind.
 */
import { fmtBytes, fmtDuration } from '../../util/units.js';
import { sortFindings, type Finding } from '../../model/findings.js';
import type { Profile } from '../../model/profile.js';
import type { Frame } from '../../model/stacks.js';
import { waitReason } from '../goroutine-waits.js';
import { isRuntimeStack } from '../runtime-goroutine.js';
import { SORTED_PREFIX, type ProfileAnalysis, type StackRow } from './analyze.js';

/** Findings per profile, and the share of the total a stack or function needs to be one. */
const TOP = 3;
const MIN_SHARE = 0.05;
/** This many goroutines on one waiting stack is a pile-up worth a warning. */
export const PILEUP_GOROUTINES = 100;

/** A value in the unit of its sample type. */
export function fmtValue(v: number, unit: string): string {
  if (unit === 'nanoseconds') return fmtDuration(v);
  if (unit === 'bytes') return fmtBytes(v);
  return v.toLocaleString('en-US');
}

/** The first frame that is not the runtime's or the allocator's own (where user code called in). */
export function siteOf(frames: readonly Frame[]): string {
  const user = frames.find((f) => !f.func.startsWith('runtime.') && !f.func.startsWith('internal/') && !f.func.startsWith('sync.'));
  return (user ?? frames[0])?.func ?? '(no stack)';
}

const pct = (v: number, total: number): string => `${total ? ((v / total) * 100).toFixed(1) : '0'}%`;

export function profileFindings(p: Profile, a: ProfileAnalysis): Finding[] {
  if (a.index < 0) return [];
  const t = p.sampleTypes[a.index]!;
  const v = (r: StackRow): number => r.values[a.index]!;
  const big = (x: number): boolean => a.total > 0 && x / a.total >= MIN_SHARE;
  // Findings come from the largest stacks, which lead the list.
  const userStacks = a.stacks.slice(0, SORTED_PREFIX).filter((r) => !isRuntimeStack(p.stacks.frames(r.stack)));
  const contentions = p.sampleTypes.findIndex((x) => x.type === 'contentions');
  const out: Finding[] = [];
  const evidence = (r: StackRow): Record<string, unknown> => ({
    sample_type: t.type,
    unit: t.unit,
    value: v(r),
    share: a.total ? v(r) / a.total : 0,
    ...(contentions >= 0 ? { contentions: r.values[contentions] } : {}),
  });

  switch (a.kind) {
    case 'block':
    case 'mutex':
    case 'contention':
      for (const r of userStacks.slice(0, TOP).filter((r) => big(v(r)))) {
        const frames = p.stacks.frames(r.stack);
        const n = contentions >= 0 ? ` in ${r.values[contentions]!.toLocaleString('en-US')} contentions` : '';
        const mutex = a.kind === 'mutex';
        out.push({
          kind: mutex ? 'contention' : 'blocking',
          severity: 'info',
          title: `${fmtValue(v(r), t.unit)} of ${mutex ? 'lock contention' : 'waiting'}${n} (${pct(v(r), a.total)}) at ${siteOf(frames)}`,
          detail: mutex
            ? 'mutex profiles attribute the delay to the Unlock: the code on this stack held the lock while others waited; shorten or split that critical section'
            : 'block profiles attribute the delay to the call that waited (Lock, chan send/receive, select, Wait): this is where goroutines sat blocked',
          ...(t.unit === 'nanoseconds' ? { durationNs: v(r) } : {}),
          stack: frames,
          evidence: evidence(r),
        });
      }
      break;
    case 'goroutine': {
      const waiting = userStacks.filter((r) => waitReason(p.stacks.frames(r.stack)) !== undefined);
      for (const r of waiting.slice(0, TOP)) {
        const frames = p.stacks.frames(r.stack);
        const reason = waitReason(frames)!;
        const many = v(r) >= PILEUP_GOROUTINES;
        out.push({
          kind: 'goroutine-pileup',
          severity: many ? 'warning' : 'info',
          title: `${v(r).toLocaleString('en-US')} goroutine(s) waiting on ${reason} at ${siteOf(frames)}`,
          detail: many
            ? `${v(r)} goroutines parked on one stack: a pile-up behind one resource, or a leak; compare with a later profile to see if it grows`
            : 'parked on this stack when the profile was taken; a stuck-goroutine suspect if it is still there in a later profile',
          stack: frames,
          evidence: { ...evidence(r), goroutines: v(r), wait: reason },
        });
      }
      break;
    }
    case 'cpu':
      for (const f of a.functions.slice(0, TOP).filter((f) => big(f.flat))) {
        const where = a.stacks.slice(0, SORTED_PREFIX).find((r) => p.stacks.frames(r.stack)[0]?.func === f.name) ?? a.stacks.find((r) => p.stacks.frames(r.stack)[0]?.func === f.name);
        out.push({
          kind: 'cpu-hotspot',
          severity: 'info',
          title: `${f.name}: ${pct(f.flat, a.total)} of CPU time (flat ${fmtValue(f.flat, t.unit)}, cumulative ${fmtValue(f.cum, t.unit)})`,
          detail: 'time spent in this function itself (flat); the stack is its hottest call path',
          stack: where ? p.stacks.frames(where.stack) : [],
          evidence: { sample_type: t.type, unit: t.unit, function: f.name, flat: f.flat, cum: f.cum, share: f.flat / a.total },
        });
      }
      break;
    case 'heap':
      for (const r of userStacks.slice(0, TOP).filter((r) => big(v(r)))) {
        const frames = p.stacks.frames(r.stack);
        out.push({
          kind: 'alloc-hotspot',
          severity: 'info',
          title: `${fmtValue(v(r), t.unit)} ${t.type} (${pct(v(r), a.total)}) allocated at ${siteOf(frames)}`,
          detail: `${t.type.startsWith('inuse') ? 'still live when the profile was taken' : 'allocated since the program started'} (sampled, scaled by the runtime)`,
          stack: frames,
          evidence: evidence(r),
        });
      }
      break;
    case 'other':
      break;
  }
  return sortFindings(out);
}
