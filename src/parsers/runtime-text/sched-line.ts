/**
 * The lines of GODEBUG=schedtrace (proc.go schedtrace(), the same from Go 1.11
 * to 1.27 but for fields added over time: needspinning in 1.21, timerslen in
 * 1.14, `schedticks=[ … ]` in 1.26; the per-P run queue list went from "[0 0]"
 * to "[ 0 0 ]" in 1.26).
 */
import { bool, fields, idOrNil, int } from './fields.js';
import type { GDetail, MDetail, ProcDetail } from './types.js';

const SCHED = /^SCHED (\d+)ms: (gomaxprocs=.*)$/;
/** A bracketed list of numbers: the per-P run queues or, after "schedticks=", the per-P ticks. */
const LIST = /(schedticks=)?\[ ?((?:\d+ ?)*)\]/g;

export type SchedHead = {
  timeNs: number;
  gomaxprocs: number; idleprocs: number; threads: number; spinningthreads: number; needspinning?: number; idlethreads: number; runqueue: number;
  runqsizes?: number[]; schedticks?: number[];
  gcwaiting?: boolean; nmidlelocked?: number; stopwait?: number; sysmonwait?: boolean;
};

/** A SCHED line, or undefined when the line is not one; null when it starts like one but is damaged. */
export function parseSchedLine(line: string): SchedHead | undefined | null {
  if (!line.startsWith('SCHED ')) return undefined;
  const m = SCHED.exec(line);
  if (!m) return null;
  let rest = m[2]!;
  let runqsizes: number[] | undefined;
  let schedticks: number[] | undefined;
  for (const l of rest.matchAll(LIST)) {
    const nums = l[2]!.trim() === '' ? [] : l[2]!.trim().split(' ').map(Number);
    if (l[1]) schedticks = nums;
    else runqsizes = nums;
  }
  rest = rest.replace(LIST, '');
  const f = fields(rest);
  const need = (k: string): number | undefined => int(f.get(k)?.trim());
  const [gomaxprocs, idleprocs, threads, spinningthreads, idlethreads, runqueue] = ['gomaxprocs', 'idleprocs', 'threads', 'spinningthreads', 'idlethreads', 'runqueue'].map(need);
  if (gomaxprocs === undefined || idleprocs === undefined || threads === undefined || spinningthreads === undefined || idlethreads === undefined || runqueue === undefined) return null;
  const head: SchedHead = { timeNs: Number(m[1]) * 1e6, gomaxprocs, idleprocs, threads, spinningthreads, idlethreads, runqueue };
  const opt = <K extends keyof SchedHead>(k: K, v: SchedHead[K] | undefined): void => { if (v !== undefined) head[k] = v; };
  opt('needspinning', need('needspinning'));
  opt('runqsizes', runqsizes);
  opt('schedticks', schedticks);
  opt('gcwaiting', bool(f.get('gcwaiting')?.trim()));
  opt('nmidlelocked', need('nmidlelocked'));
  opt('stopwait', need('stopwait'));
  opt('sysmonwait', bool(f.get('sysmonwait')?.trim()));
  return head;
}

/** Indented by two spaces as printed; logs pasted elsewhere may have lost the indent. */
const DETAIL = /^ *([PMG])(\d+): (.*)$/s;
/** The field a detail line must have to be one (other text may start "P1: "). */
const KEY_FIELD = { P: 'schedtick', M: 'curg', G: 'lockedm' } as const;

export type Detail = { kind: 'P'; p: ProcDetail } | { kind: 'M'; m: MDetail } | { kind: 'G'; g: GDetail };

/** A scheddetail=1 line ("  P0: …", "  M3: …", "  G17: …"), undefined when not one, null when damaged. */
export function parseDetailLine(line: string): Detail | undefined | null {
  const d = DETAIL.exec(line);
  if (!d) return undefined;
  const id = Number(d[2]);
  const f = fields(d[3]!);
  if (!f.has(KEY_FIELD[d[1] as 'P' | 'M' | 'G'])) return undefined;
  if (d[1] === 'P') {
    const status = int(f.get('status'));
    const schedtick = int(f.get('schedtick'));
    const syscalltick = int(f.get('syscalltick'));
    const m = idOrNil(f.get('m'));
    const runqsize = int(f.get('runqsize'));
    const gfreecnt = int(f.get('gfreecnt'));
    if (status === undefined || schedtick === undefined || syscalltick === undefined || m === null || runqsize === undefined || gfreecnt === undefined) return null;
    const p: ProcDetail = { id, status, schedtick, syscalltick, runqsize, gfreecnt, ...(m !== undefined && { m }), ...(f.has('timerslen') && { timerslen: int(f.get('timerslen')) ?? 0 }) };
    return { kind: 'P', p };
  }
  if (d[1] === 'M') {
    const p = idOrNil(f.get('p'));
    const curg = idOrNil(f.get('curg'));
    const lockedg = idOrNil(f.get('lockedg'));
    const spinning = bool(f.get('spinning'));
    const blocked = bool(f.get('blocked'));
    if (p === null || curg === null || lockedg === null || spinning === undefined || blocked === undefined) return null;
    const m: MDetail = { id, spinning, blocked, preemptoff: f.get('preemptoff') ?? '', locks: int(f.get('locks')) ?? 0, ...(p !== undefined && { p }), ...(curg !== undefined && { curg }), ...(lockedg !== undefined && { lockedg }) };
    return { kind: 'M', m };
  }
  const st = /^(\d+)\((.*)\) ?$/s.exec(f.get('status') ?? '');
  const m = idOrNil(f.get('m'));
  const lockedm = idOrNil(f.get('lockedm'));
  if (!st || m === null || lockedm === null) return null;
  const g: GDetail = { id, status: Number(st[1]), waitReason: st[2]!, ...(m !== undefined && { m }), ...(lockedm !== undefined && { lockedm }) };
  return { kind: 'G', g };
}
