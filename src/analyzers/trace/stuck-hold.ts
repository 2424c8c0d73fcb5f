/**
 * The stuck-P analyzer's record of each P's current hold (Hold) and the table
 * of them by P ID (HoldTable). Detection is stuck-procs.ts; this file only
 * keeps the state, shaped for the per-event code.
 */

/** Another goroutine's system call made just before a long gap ended: what may have released the call that held the P (a write to the pipe it read). */
export interface ReleasedAfter {
  readonly goroutine: number;
  readonly name: string;
  readonly stack: number;
  readonly atNs: number;
}

/**
 * One P held from one scheduling point to the next. A class: one shape for the
 * per-event code. Each P reuses its Hold from one hold to the next (holds
 * last microseconds; a new object for each was most of this analyzer's garbage).
 */
export class Hold {
  kind: 'goroutine' | 'syscall' | 'scheduler' = 'scheduler';
  p = -1;
  thread = -1;
  g = -1;
  start = 0;
  beganBeforeTrace = false;
  entryStack = 0;
  runnableMax = 0;
  areaAtStart = 0;
  samples: Map<number, number> | null = null;
  sampleCount = 0;
  stwKind = '';
  stwStart = -1;
  stwDelayNs = 0;
  /** Time inside a stop-the-world this hold's own goroutine started: it was stopping the world, not stuck. */
  ownStwNs = 0;
  ownStwStart = -1;
  /** Who stopped the world this hold held up: goroutine and stack of the range's begin. */
  stwG = -1;
  stwStack = 0;
  /**
   * The goroutine's own events inside the hold, and the longest gap between two of them:
   * the call or loop that held the P sits in that gap, and the stacks on either side of it
   * are the nearest the trace comes to it when it has no stack from inside.
   */
  lastT = 0;
  lastStack = 0;
  gapNs = 0;
  gapBeforeStack = 0;
  gapAfterStack = 0;
  gapAfterT = 0;
  releasedAfter: ReleasedAfter | null = null;
  /** False once the hold has ended (the object waits to be reused). */
  isOpen = false;

  /** Starts a hold at `start`, when the runnable area was `areaAtStart`. */
  begin(kind: Hold['kind'], p: number, thread: number, g: number, beganBeforeTrace: boolean, entryStack: number, runnableMax: number, start: number, areaAtStart: number): void {
    this.kind = kind;
    this.p = p;
    this.thread = thread;
    this.g = g;
    this.start = start;
    this.beganBeforeTrace = beganBeforeTrace;
    this.entryStack = entryStack;
    this.runnableMax = runnableMax;
    this.areaAtStart = areaAtStart;
    this.samples = null;
    this.sampleCount = 0;
    this.stwKind = '';
    this.stwStart = -1;
    this.stwDelayNs = 0;
    this.ownStwNs = 0;
    this.ownStwStart = -1;
    this.stwG = -1;
    this.stwStack = 0;
    this.lastT = start;
    this.lastStack = entryStack;
    this.gapNs = 0;
    this.gapBeforeStack = 0;
    this.gapAfterStack = 0;
    this.gapAfterT = 0;
    this.releasedAfter = null;
    this.isOpen = true;
  }
}

/**
 * The open hold of each P, in an array (P IDs are small and dense). A P keeps
 * its Hold object after the hold ends, to reuse for its next one.
 */
export class HoldTable {
  /** Every P's Hold, open or not. */
  private readonly slots: (Hold | undefined)[] = [];
  /** Open holds of P IDs past the array (not seen in practice): fresh objects, dropped when they end. */
  private readonly big = new Map<number, Hold>();
  get(p: number): Hold | undefined {
    const h = p >= 0 && p < 4096 ? this.slots[p] : this.big.get(p);
    // `=== true`, not a truthiness test: V8 does not know the field holds a boolean, and tests its truth generically (map load included).
    return h !== undefined && h.isOpen === true ? h : undefined;
  }
  /** The Hold object to begin p's next hold in. */
  open(p: number): Hold {
    if (p >= 0 && p < 4096) {
      while (this.slots.length <= p) this.slots.push(undefined);
      return (this.slots[p] ??= new Hold());
    }
    const h = new Hold();
    this.big.set(p, h);
    return h;
  }
  delete(p: number): void {
    if (p >= 0 && p < 4096) {
      const h = this.slots[p];
      if (h !== undefined) h.isOpen = false;
    } else this.big.delete(p);
  }
  /** Notes that n goroutines are runnable now, in every open hold (closed ones are reset when reused). */
  raiseRunnableMax(n: number): void {
    const slots = this.slots;
    for (let i = 0; i < slots.length; i++) {
      const h = slots[i];
      if (h !== undefined && n > h.runnableMax) h.runnableMax = n;
    }
    if (this.big.size) for (const h of this.big.values()) if (n > h.runnableMax) h.runnableMax = n;
  }
  entries(): [number, Hold][] {
    const out: [number, Hold][] = [];
    this.slots.forEach((h, p) => h !== undefined && h.isOpen && out.push([p, h]));
    for (const e of this.big) out.push(e);
    return out;
  }
  keys(): number[] {
    return this.entries().map(([p]) => p);
  }
}
