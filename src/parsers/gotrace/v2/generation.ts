/**
 * One generation of a v2 trace: its batches grouped by thread, and the tables
 * that only mean something inside it (strings, stacks, frequency, clock
 * snapshot, CPU samples). Mirrors Go's internal/trace/generation.go.
 */
import type { Batch } from './batch.js';
import { DenseMap } from '../../../util/dense-map.js';
import { Ev, MAX_FRAMES_PER_STACK, MAX_STRING_SIZE } from './spec.js';
import { TraceTables, type PcFrame } from './tables.js';
import { HEAP_COST, MemoryBudget, memoryBudget } from '../../../util/memory-budget.js';
import { NONE, uvarint, uvarintEnd, uvarintText, UVARINT_SHORT } from '../../../io/uvarint.js';

/** A problem in one generation's content (not in the framing). */
export class GenerationError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}


export interface CpuSample {
  time: number;
  readonly m: number;
  readonly p: number;
  readonly g: number;
  readonly stack: number;
}

export interface ClockSnapshot {
  /** Trace-clock ticks at the snapshot. */
  readonly ticks: number;
  readonly mono: number;
  readonly sec: number;
  readonly nsec: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

export class Generation extends TraceTables {
  /** Event batches by thread, in file order, and the threads in first-seen order. */
  readonly batches = new Map<number, Batch[]>();
  readonly batchMs: number[] = [];
  cpuSamples: CpuSample[] = [];
  /** Smallest batch time, in ticks (0 = none yet). */
  minTs = 0;
  /** Nanoseconds per tick (Go's `frequency`); 0 until the frequency event is read. */
  nsPerTick = 0;
  clock: ClockSnapshot | undefined;
  readonly expBatches = new Map<number, { thread: number; data: Uint8Array }[]>();
  /** Byte offsets of the generation's first batch and of the end of its last. */
  startOffset = -1;
  endOffset = -1;

  // IDs are dense small integers in practice (huge ones fall back to a Map).
  protected declare readonly strings: DenseMap<string>;
  protected declare readonly stacks: DenseMap<number[]>;

  /**
   * What the generation holds, charged batch by batch: a batch costs its object and its bytes (twice:
   * structural batches are decoded into tables), so 5-byte empty batches cost what they cost. Half the
   * budget: two threads may each hold the same generation (cli/parallel-analysis.ts).
   */
  private readonly budget = new MemoryBudget('go-trace', Math.floor(memoryBudget() / 2), 'this generation');
  private batchCount = 0;

  constructor() {
    super(0, new DenseMap<string>(), new DenseMap<number[]>(), new Map<number, PcFrame>());
  }

  /** Go's frequency.mul: float64 multiply, truncated toward zero. */
  ns(ticks: number): number {
    return Math.trunc(ticks * this.nsPerTick);
  }

  /** Sorts a batch into its table or its thread's list (Go's processBatch). */
  add(b: Batch, version: number): void {
    if (this.startOffset < 0) this.startOffset = b.offset;
    this.batchCount++;
    this.budget.charge(HEAP_COST.object(10) + 16 + (b.data ? 2 * b.data.length + 64 : 0), b.offset, `batch ${this.batchCount.toLocaleString('en-US')}`);
    this.endOffset = b.dataOffset + b.size;
    const first = b.first;
    if (b.exp !== 0) {
      let list = this.expBatches.get(b.exp);
      if (!list) this.expBatches.set(b.exp, (list = []));
      list.push({ thread: b.m, data: b.data ?? new Uint8Array(0) });
    } else if (first === Ev.Strings) {
      this.addStrings(b);
    } else if (first === Ev.Stacks) {
      this.addStacks(b);
    } else if (first === Ev.CPUSamples) {
      this.addCpuSamples(b);
    } else if ((first === Ev.Frequency && version < 25) || (first === Ev.Sync && version >= 25)) {
      this.addSync(b, version);
    } else if (first === Ev.EndOfGeneration) {
      throw new GenerationError('unexpected EndOfGeneration inside a batch; broken trace?', b.dataOffset);
    } else {
      let list = this.batches.get(b.m);
      if (!list) {
        this.batches.set(b.m, (list = []));
        this.batchMs.push(b.m);
      }
      list.push(b);
    }
  }

  /** Checks done once every batch is in (Go's end of readGeneration). */
  finish(version: number): void {
    if (this.nsPerTick === 0) throw new GenerationError('no frequency event found', this.startOffset);
    if (version >= 25 && !this.clock) throw new GenerationError('no clock snapshot event found', this.startOffset);
    for (const [id, pcs] of this.stacks.entries()) {
      for (const pc of pcs) {
        const f = this.pcs.get(pc)!;
        if (!this.hasString(f.fn)) throw new GenerationError(`found invalid func string ID ${f.fn} for stack ${id}`, this.startOffset);
        if (!this.hasString(f.file)) throw new GenerationError(`found invalid file string ID ${f.file} for stack ${id}`, this.startOffset);
      }
    }
    for (const s of this.cpuSamples) s.time = this.ns(s.time);
    // Go sorts with a non-stable sort on time; equal times keep file order here.
    this.cpuSamples.sort((a, b) => a.time - b.time);
  }

  private addStrings(b: Batch): void {
    const r = new PayloadReader(b, 1);
    while (!r.done) {
      const t = r.byte();
      if (t !== Ev.String) throw r.error(`expected string event, got ${t}`);
      const id = r.uv();
      const lenAt = r.pos;
      const len = r.uv();
      if (len > MAX_STRING_SIZE || len < 0) throw r.error(`invalid string size ${r.text(len, lenAt)}, maximum is ${MAX_STRING_SIZE}`);
      const bytes = r.bytes(len);
      // ID 0 is the implicit empty string, so defining it counts as a duplicate (as in Go).
      if (id === 0 || this.strings.has(id)) throw r.error(`multiple strings with the same ID: id=${id}`);
      this.strings.set(id, utf8.decode(bytes));
    }
  }

  private addStacks(b: Batch): void {
    const r = new PayloadReader(b, 1);
    while (!r.done) {
      const t = r.byte();
      if (t !== Ev.Stack) throw r.error(`expected stack event, got ${t}`);
      const id = r.uv();
      const nAt = r.pos;
      const n = r.uv();
      if (n > MAX_FRAMES_PER_STACK || n < 0) throw r.error(`invalid stack size ${r.text(n, nAt)}, maximum is ${MAX_FRAMES_PER_STACK}`);
      const pcs: number[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const pc = r.uv();
        const funcID = r.uv();
        const fileID = r.uv();
        const line = r.uv();
        pcs[i] = pc;
        if (!this.pcs.has(pc)) this.pcs.set(pc, { pc, fn: funcID, file: fileID, line });
      }
      if (id === 0 || this.stacks.has(id)) throw r.error(`multiple stacks with the same ID: id=${id}`);
      this.stacks.set(id, pcs);
    }
  }

  private addCpuSamples(b: Batch): void {
    const r = new PayloadReader(b, 1);
    while (!r.done) {
      const t = r.byte();
      if (t !== Ev.CPUSample) throw r.error(`expected CPU sample event, got ${t}`);
      const time = r.uv();
      const m = r.uv();
      const p = r.uv();
      const g = r.uv();
      const stack = r.uv();
      this.cpuSamples.push({ time, m, p, g: g === 0 ? -1 : g, stack });
    }
  }

  private addSync(b: Batch, version: number): void {
    const r = new PayloadReader(b, version >= 25 ? 1 : 0);
    let lastTs = b.time;
    while (!r.done) {
      const t = r.byte();
      if (t === Ev.Frequency) {
        if (this.nsPerTick !== 0) throw r.error('found multiple frequency events');
        const f = r.uv();
        this.nsPerTick = 1 / (f / 1e9);
        // Go keeps a zero or absurd frequency as a number and fails later; a 0 here means "none".
        if (!Number.isFinite(this.nsPerTick) || f <= 0) throw r.error(`invalid frequency ${f}`);
      } else if (t === Ev.ClockSnapshot && version >= 25) {
        if (this.clock) throw r.error('found multiple clock snapshot events');
        lastTs += r.uv();
        const mono = r.uv();
        const sec = r.uv();
        const nsec = r.uv();
        this.clock = { ticks: lastTs, mono, sec, nsec };
      } else {
        throw r.error(`expected frequency or clock snapshot event, got ${t}`);
      }
    }
  }
}

/** Reads varints out of one batch payload; errors carry the file offset. */
export class PayloadReader {
  pos: number;
  private readonly data: Uint8Array;
  constructor(private readonly b: Batch, start: number) {
    this.data = b.data ?? new Uint8Array(0);
    this.pos = start;
  }
  get done(): boolean {
    return this.pos >= this.data.length;
  }
  error(msg: string): GenerationError {
    return new GenerationError(msg, this.b.dataOffset + this.pos);
  }
  byte(): number {
    if (this.pos >= this.data.length) throw this.error('unexpected end of batch');
    return this.data[this.pos++]!;
  }
  uv(): number {
    const v = uvarint(this.data, this.pos);
    if (v < NONE) throw this.error(v === UVARINT_SHORT ? 'unexpected end of batch inside a varint' : 'malformed varint (overflows 64 bits)');
    this.pos = uvarintEnd;
    return v;
  }
  /** A varint read at `at`, exactly (for messages). */
  text(v: number, at: number): string {
    return uvarintText(v, this.data, at);
  }
  bytes(n: number): Uint8Array {
    if (this.pos + n > this.data.length) throw this.error(`failed to read full string: wanted ${n} bytes`);
    const out = this.data.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}
