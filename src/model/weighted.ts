/**
 * The pivot of every flame graph and folded-stacks export: a stack (root
 * first) with a value, and the category that colours it (a blocking reason,
 * on-CPU, …).
 */
export interface WeightedStack {
  /** Function names, outermost (root) first. */
  readonly frames: readonly string[];
  readonly value: number;
  readonly category: string;
}

/** What the values mean, for labels: nanoseconds, samples, bytes, or a plain count. */
export type ValueUnit = 'ns' | 'samples' | 'bytes' | 'count';
