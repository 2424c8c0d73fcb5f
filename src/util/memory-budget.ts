/**
 * How much memory a reader may commit to one input, and its accounting.
 *
 * The readers hold what they must (a pprof profile whole, a trace one
 * generation at a time), and what they hold is charged here as it is made, at
 * what it costs in V8's heap: a sample, a label, a string, an empty trace
 * batch each cost their object headers and fields, whatever few bytes they
 * took in the file. An input that would need more than the budget is refused
 * with a one-line error naming it, at the byte where it went over, instead of
 * growing until the process dies.
 *
 * The budget (docs/memory.md): peak RSS stays below the process's base
 * (about 150 MB) plus the input's bytes in memory (a pprof file and its
 * unpacked data) plus the budget, so below 1.5 GB for any input inside the
 * readers' caps. STALLSCOPE_MEMORY_BUDGET_MB sets another budget.
 */
import { ParseError, type InputFormat } from '../errors.js';

/**
 * The default budget: 512 MiB of model per input (pprof unpacked data counts in it too). The charges
 * are live bytes; the heap runs up to about 1.7 times that before V8 collects (measured: a profile
 * refused at a 768 MiB budget peaked at 1.39 GB RSS), so 512 MiB keeps the peak well under 1.5 GB.
 */
export const DEFAULT_MEMORY_BUDGET = 512 * 1024 * 1024;

/** The budget in bytes: STALLSCOPE_MEMORY_BUDGET_MB when set to a positive number, else the default. */
export function memoryBudget(): number {
  const mb = Number(process.env.STALLSCOPE_MEMORY_BUDGET_MB);
  return Number.isFinite(mb) && mb > 0 ? Math.floor(mb * 1024 * 1024) : DEFAULT_MEMORY_BUDGET;
}

const mib = (n: number): string => `${Math.round(n / (1024 * 1024)).toLocaleString('en-US')} MiB`;

export class MemoryBudget {
  used = 0;
  constructor(
    private readonly format: InputFormat,
    readonly limit: number = memoryBudget(),
    /** What the budget is for, in the error ("this generation", "the profile"). */
    private readonly what = 'the input',
  ) {}

  /** Charges `bytes` for something made from the input at `offset`; throws once the total passes the budget. */
  charge(bytes: number, offset: number | undefined, item: string): void {
    this.used += bytes;
    if (this.used > this.limit) {
      throw new ParseError(
        this.format,
        offset,
        `holding ${this.what} would take more than the memory budget of ${mib(this.limit)} (at ${item}; set STALLSCOPE_MEMORY_BUDGET_MB to allow more)`,
      );
    }
  }
}

/**
 * What things cost in V8's heap (64-bit, no pointer compression, as Node 20
 * runs), rounded up: an object is a 24-byte header and 8 bytes a field; an
 * array a 32-byte object and a 16-byte backing store header plus 8 bytes an item.
 */
export const HEAP_COST = {
  object: (fields: number): number => 24 + 8 * fields,
  array: (items: number): number => 48 + 8 * items,
  /** A one-byte string of n characters (two-byte strings are rarer in names; this leans high for ASCII). */
  string: (chars: number): number => 24 + chars,
} as const;
