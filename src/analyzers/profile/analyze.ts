/**
 * One pass over a profile's samples: values summed by stack (the hottest
 * stacks) and by function (flat: as the leaf; cumulative: anywhere on the
 * stack, once per stack), ranked by one sample type.
 */
import { UsageError } from '../../errors.js';
import type { Profile } from '../../model/profile.js';
import type { StackID } from '../../model/stacks.js';
import { defaultSampleType, profileKind, type ProfileKind } from './kind.js';

export interface StackRow {
  readonly stack: StackID;
  /** Every sample type's sum over the samples with this stack. */
  readonly values: number[];
  /** Samples merged into this row. */
  samples: number;
}

export interface FunctionRow {
  readonly name: string;
  flat: number;
  cum: number;
}

export interface ProfileAnalysis {
  readonly kind: ProfileKind;
  /** Index into profile.sampleTypes of the ranking value. */
  readonly index: number;
  readonly total: number;
  /**
   * By the ranking value, largest first. In profiles with very many stacks only
   * the first SORTED_PREFIX rows are in order (the rest follow, unsorted):
   * reports show the top rows and flame graphs take them all in any order.
   */
  readonly stacks: StackRow[];
  /** By flat, then cumulative, largest first. */
  readonly functions: FunctionRow[];
}

export function analyzeProfile(p: Profile, sampleType?: string): ProfileAnalysis {
  const kind = profileKind(p);
  const type = sampleType ?? defaultSampleType(p, kind);
  const index = p.sampleTypes.findIndex((t) => t.type === type);
  if (index < 0) {
    if (sampleType !== undefined) {
      throw new UsageError(`--sample-type: the profile has no "${sampleType}"; it has ${p.sampleTypes.map((t) => t.type).join(', ') || 'no sample types'}`);
    }
    return { kind, index: -1, total: 0, stacks: [], functions: [] };
  }

  // Stack ids are dense (1..size), so an array finds the row; `rows` keeps them in order of first sight.
  const byStack: (StackRow | undefined)[] = new Array<StackRow | undefined>(p.stacks.size + 1);
  const rows: StackRow[] = [];
  for (const s of p.samples) {
    const row = byStack[s.stack];
    if (row) {
      for (let i = 0; i < s.values.length; i++) row.values[i]! += s.values[i]!;
      row.samples++;
    } else rows.push((byStack[s.stack] = { stack: s.stack, values: s.values.slice(), samples: 1 }));
  }

  let total = 0;
  // Sums by function number. `seen` holds the last stack that counted the function, so recursion counts once per stack.
  const n = p.stacks.functionCount;
  const flat = new Float64Array(n);
  const cum = new Float64Array(n);
  const seen = new Int32Array(n).fill(-1);
  for (const r of rows) {
    const v = r.values[index]!;
    total += v;
    const fns = p.stacks.functionIds(r.stack);
    if (fns.length > 0) flat[fns[0]!]! += v;
    for (let i = 0; i < fns.length; i++) {
      const fn = fns[i]!;
      if (seen[fn] === r.stack) continue;
      seen[fn] = r.stack;
      cum[fn]! += v;
    }
  }
  const functions: FunctionRow[] = [];
  for (let fn = 0; fn < n; fn++) if (cum[fn] !== 0) functions.push({ name: p.stacks.functionName(fn), flat: flat[fn]!, cum: cum[fn]! });
  functions.sort((a, b) => b.flat - a.flat || b.cum - a.cum || (a.name < b.name ? -1 : 1));
  const stacks = largestFirst(rows.filter((r) => r.values[index] !== 0), index);
  return { kind, index, total, stacks, functions };
}

/** How many of the largest stacks are sorted when a profile has very many. */
export const SORTED_PREFIX = 2000;

/** Rows by value, largest first; past 4×SORTED_PREFIX rows, only the largest SORTED_PREFIX are sorted (sorting a million rows costs seconds). */
function largestFirst(rows: StackRow[], index: number): StackRow[] {
  const cmp = (a: StackRow, b: StackRow): number => b.values[index]! - a.values[index]! || a.stack - b.stack;
  if (rows.length <= 4 * SORTED_PREFIX) return rows.sort(cmp);
  const values = Float64Array.from(rows, (r) => r.values[index]!).sort();
  const cut = values[values.length - SORTED_PREFIX]!;
  const top = rows.filter((r) => r.values[index]! >= cut).sort(cmp);
  const rest = rows.filter((r) => r.values[index]! < cut);
  return top.concat(rest);
}
