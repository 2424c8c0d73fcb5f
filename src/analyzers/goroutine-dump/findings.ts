/**
 * From dump analyses to findings, with the kinds traces use where they mean
 * the same: locked-threads, goroutine-leak, goroutine-pileup, contention; and
 * deadlock and stuck-goroutines, which only dumps tell.
 */
import { sortFindings, type Finding, type Severity } from '../../model/findings.js';
import { fmtDuration } from '../../util/units.js';
import type { DumpAnalysis } from './analyze.js';
import type { DumpComparison } from './compare.js';
import { topState } from './compare.js';
import type { DumpGroup } from './group.js';
import { programFrame, siteName } from './site.js';
import { waitClass, type WaitClass } from './waits.js';

/** This many goroutines on one waiting stack is a pile-up worth a warning (as in goroutine profiles). */
export const PILEUP_WARNING = 100;
/** Fewer on one stack is not a pile-up at all. */
const PILEUP_MIN = 3;
/** Pile-ups reported per dump. */
const TOP = 3;
/** Leak findings per dump, largest groups first (the groups table has the rest). */
const TOP_LEAKS = 5;
/** Goroutines in Mutex.Lock at one site: a lock pile-up from this many. */
const CONTENTION_MIN = 2;
/** Growth between two dumps worth a finding. */
const GROWTH_MIN = 2;
const MINUTE_NS = 60e9;

const DEADLOCK = /^fatal error: all goroutines are asleep - deadlock!/;
/** Waits only another goroutine can end: when every goroutine is in one, nothing can. */
const BLOCKED: ReadonlySet<WaitClass> = new Set(['sync', 'lock', 'forever']);
const PARKED: ReadonlySet<WaitClass> = new Set(['sync', 'lock', 'forever', 'io']);
/** A debug=1 stack that shows no wait (its runtime frames are hidden): a pile-up all the same when many share it. */
const PILED: ReadonlySet<WaitClass> = new Set([...PARKED, 'unknown']);

const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** The program's goroutines in a group (of d.sites): the runtime's own (GC workers…) are left out. */
function programCount(d: DumpAnalysis, g: DumpGroup): number {
  return g.ids.length === 0 ? g.count : g.ids.filter((id) => !d.runtimeIds.has(id)).length;
}

function groupClass(g: DumpGroup): WaitClass {
  return waitClass(topState(g), g.frames);
}

function groupEvidence(g: DumpGroup, n: number): Record<string, unknown> {
  return {
    goroutines: n,
    state: topState(g) || null,
    wait_minutes_max: g.maxMinutes,
    locked: g.locked,
    example_ids: g.ids.slice(0, 10),
    created_by: [...g.creators.keys()].filter((c) => c !== '')[0] ?? null,
  };
}

export function dumpFindings(d: DumpAnalysis): Finding[] {
  const out: Finding[] = [];
  const program = d.sites.map((g) => ({ g, n: programCount(d, g) })).filter((x) => x.n > 0);
  const total = program.reduce((s, x) => s + x.n, 0);

  // Deadlock: the runtime's own verdict, or every goroutine of the program blocked on another.
  const fatal = DEADLOCK.test(d.dump.preamble[0] ?? '');
  const allBlocked = d.dump.form !== 'profile' && total > 0 && program.every(({ g }) => BLOCKED.has(groupClass(g)));
  if (fatal || allBlocked) {
    const main = program.find(({ g }) => g.ids.includes(1)) ?? program[0];
    out.push({
      kind: 'deadlock',
      severity: fatal ? 'critical' : 'warning',
      title: fatal
        ? `fatal error: all goroutines are asleep - deadlock! (${plural(total, 'goroutine')}, each waiting on another)`
        : `every goroutine of the program waits on another (${plural(total, 'goroutine')}): a deadlock the runtime did not declare`,
      detail: fatal
        ? 'the runtime found no goroutine that could run and no timer or I/O that could wake one: every wait below is on a channel, lock or WaitGroup that only another waiting goroutine could release'
        : 'no goroutine is running, runnable, sleeping, or waiting on I/O; something outside the Go scheduler (a timer, the network poller, cgo) kept the runtime from declaring the deadlock',
      ...(main ? { goroutine: main.g.ids.includes(1) ? 1 : main.g.ids[0] } : {}),
      stack: main?.g.frames ?? [],
      evidence: { goroutines: total, by_state: Object.fromEntries(d.byState.map((s) => [s.name, s.count])), sites: program.slice(0, 5).map(({ g, n }) => `${n} × ${topState(g)} at ${siteName(g.frames)}`) },
    });
  }

  // Goroutines locked to their threads while they wait: each holds an OS thread doing nothing.
  const locked = program.filter(({ g }) => g.locked > 0 && groupClass(g) !== 'running');
  const lockedTotal = locked.reduce((s, { g }) => s + g.locked, 0);
  if (lockedTotal >= 2) {
    for (const { g } of locked) {
      const site = programFrame(g.frames);
      out.push({
        kind: 'locked-threads',
        severity: 'warning',
        title: `${plural(g.locked, 'goroutine')} locked to ${g.locked === 1 ? 'its OS thread' : 'their OS threads'} while in ${topState(g)}, in ${site?.func ?? '(no stack)'}`,
        detail:
          `runtime.LockOSThread: each of these goroutines keeps an OS thread of its own while it waits, and that thread runs nothing else (${plural(lockedTotal, 'locked goroutine')} in the dump). ` +
          'Look for LockOSThread on this stack or in the code that started it, and for the UnlockOSThread that never came',
        goroutine: g.ids[0]!,
        stack: g.frames,
        evidence: { ...groupEvidence(g, g.locked), locked_in_dump: lockedTotal },
      });
    }
  }

  // Lock pile-ups: goroutines in Mutex.Lock on one stack.
  for (const { g, n } of program) {
    if (groupClass(g) !== 'lock' || n < CONTENTION_MIN) continue;
    out.push({
      kind: 'contention',
      severity: 'warning',
      title: `${plural(n, 'goroutine')} wait in ${topState(g)} at ${siteName(g.frames)}`,
      detail: 'queued on one lock when the dump was taken; the goroutine holding it is elsewhere in the dump (often in a wait of its own, or in a long critical section)',
      goroutine: g.ids[0]!,
      stack: g.frames,
      evidence: groupEvidence(g, n),
      ...(g.maxMinutes > 0 ? { durationNs: g.maxMinutes * MINUTE_NS } : {}),
    });
  }

  // Leaks and pile-ups: parked goroutines on one stack.
  let pileups = 0;
  let leaks = 0;
  for (const { g, n } of program) {
    const cls = groupClass(g);
    if (!PILED.has(cls) || cls === 'lock') continue;
    const leaked = cls === 'forever' || (g.maxMinutes >= 1 && cls !== 'io');
    if (leaked) {
      if (leaks++ >= TOP_LEAKS) continue;
      out.push({
        kind: 'goroutine-leak',
        severity: 'warning',
        title: `${plural(n, 'goroutine')} blocked in ${topState(g)} at ${siteName(g.frames)}${cls === 'forever' ? ', a wait nothing can end' : ` for ${g.minMinutes === g.maxMinutes ? '' : `${g.minMinutes}–`}${plural(g.maxMinutes, 'minute')}`}`,
        detail:
          cls === 'forever'
            ? 'a receive or send on a nil channel, or a select with no cases, never returns: these goroutines are leaked'
            : 'parked on a channel or sync wait for minutes (the runtime\'s count): a leak suspect, or a wait on something that never comes. Compare with a later dump: if they are still there, they are stuck',
        goroutine: g.ids[0]!,
        stack: g.frames,
        ...(g.maxMinutes > 0 ? { durationNs: g.maxMinutes * MINUTE_NS } : {}),
        evidence: groupEvidence(g, n),
      });
    } else if (n >= PILEUP_MIN && pileups < TOP) {
      pileups++;
      const many = n >= PILEUP_WARNING;
      out.push({
        kind: 'goroutine-pileup',
        severity: many ? 'warning' : 'info',
        title: `${plural(n, 'goroutine')} waiting in ${topState(g) || 'one stack'} at ${siteName(g.frames)}`,
        detail: many
          ? `${n} goroutines parked on one stack: a pile-up behind one resource, or a leak; a later dump tells which`
          : 'parked on this stack when the dump was taken; a stuck-goroutine suspect if they are still there in a later dump',
        ...(g.ids[0] !== undefined ? { goroutine: g.ids[0] } : {}),
        stack: g.frames,
        evidence: groupEvidence(g, n),
      });
    }
  }
  return sortFindings(out);
}

const STUCK_SEVERITY: Readonly<Record<WaitClass, Severity>> = {
  lock: 'critical',
  forever: 'critical',
  syscall: 'critical',
  sync: 'warning',
  other: 'warning',
  io: 'info',
  sleep: 'info',
  running: 'info',
  runtime: 'info',
  unknown: 'warning',
};

/** Two dumps: stuck goroutines first (the headline), then groups that grew, then the later dump's own findings. */
export function comparisonFindings(c: DumpComparison): Finding[] {
  const out: Finding[] = [];
  const apart = c.intervalNs !== undefined ? `, ${fmtDuration(c.intervalNs)} apart` : '';
  for (const s of c.stuck) {
    out.push({
      kind: 'stuck-goroutines',
      severity: STUCK_SEVERITY[s.cls],
      title: `${plural(s.ids.length, 'goroutine')} stuck in ${s.state} at ${siteName(s.group.frames)}: the same wait at the same place in both dumps${apart}`,
      detail:
        s.cls === 'io' || s.cls === 'sleep'
          ? 'still in the same I/O wait or sleep: normal for an idle listener or a timer loop, a hang if this code should have moved on'
          : 'the same goroutines did not move between the two dumps: whatever they wait for did not come. Find who should send, unlock or signal, in the dump',
      goroutine: s.ids[0]!,
      ...(c.intervalNs !== undefined ? { durationNs: c.intervalNs } : s.maxMinutes > 0 ? { durationNs: s.maxMinutes * MINUTE_NS } : {}),
      stack: s.group.frames,
      evidence: { goroutines: s.ids.length, state: s.state, ids: s.ids.slice(0, 20), wait_minutes_max: s.maxMinutes, interval_ns: c.intervalNs ?? null },
    });
  }
  for (const g of c.growth) {
    const grew = g.after - g.before;
    if (grew < GROWTH_MIN || !PILED.has(waitClass(g.state, g.frames))) continue;
    out.push({
      kind: 'goroutine-leak',
      severity: 'warning',
      title: `${g.before} → ${plural(g.after, 'goroutine')} ${g.state ? `in ${g.state}` : 'on one stack'} at ${siteName(g.frames)} between the dumps (+${grew}${apart})`,
      detail: 'more goroutines parked on this stack in the later dump: they start and never finish, a leak if it keeps growing',
      stack: g.frames,
      evidence: { before: g.before, after: g.after, growth: grew, state: g.state, interval_ns: c.intervalNs ?? null },
    });
  }
  const stuckIds = new Set(c.stuck.flatMap((s) => s.ids));
  // The later dump's findings, except what the stuck findings already say about the same goroutines.
  const rest = dumpFindings(c.later).filter((f) => f.kind === 'deadlock' || f.goroutine === undefined || !stuckIds.has(f.goroutine) || f.kind === 'locked-threads');
  return [...sortFindings(out), ...rest];
}
