/**
 * Streaming reader for Go 1.22+ execution traces (formats 1.22, 1.23, 1.25,
 * 1.26). It holds one generation (about a second of the program) in memory,
 * merges the per-thread batches with the ordering state machine, and emits
 * events in exactly the order, with exactly the timestamps, that Go's own
 * reader (golang.org/x/exp/trace) does. A port of internal/trace/reader.go.
 */
import { ParseError, type Warning } from '../../../errors.js';
import type { ChunkReader } from '../../../io/byte-source.js';
import { EventRecord } from '../../../model/events.js';
import type { StackTable } from '../../../model/stacks.js';
import { BatchReadError, END_OF_GENERATION, readBatch, type Batch } from './batch.js';
import { toRecord, syncRecord } from './convert.js';
import { Generation, GenerationError, type CpuSample } from './generation.js';
import { OrderError, Ordering, RawEvent } from './order.js';
import { eventName, MAX_BATCH_SIZE, SPECS } from './spec.js';
import { NONE, uvarint, uvarintEnd } from '../../../io/uvarint.js';

/**
 * Reads one thread's events across its batches in file order (Go's batchCursor).
 * The cursor is its own current event (a RawEvent): the heap and the ordering
 * read the fields without a hop through another object.
 */
class BatchCursor extends RawEvent {
  lastTs = 0;
  /** Index of the batch being decoded, its payload and its length. */
  private idx = -1;
  private data: Uint8Array | null = null;
  private end = 0;
  private dataOff = 0;
  /** File offset of the current event. */
  offset = 0;
  /** Reused buffer for payloads read back from the file. */
  private buf: Uint8Array | null = null;
  constructor(
    m: number,
    private readonly batches: Batch[],
    private readonly gen: Generation,
    private readonly load: (b: Batch, into: Uint8Array) => Uint8Array,
  ) {
    super();
    this.m = m;
  }

  /** Moves to the next non-empty batch and loads it; false when there is none. */
  private nextBatch(): boolean {
    const batches = this.batches;
    do {
      if (++this.idx >= batches.length) {
        this.data = this.buf = null;
        return false;
      }
      this.dataOff = 0;
    } while (batches[this.idx]!.size === 0);
    const b = batches[this.idx]!;
    this.lastTs = this.gen.ns(b.time);
    this.data = b.data ?? this.load(b, (this.buf ??= new Uint8Array(MAX_BATCH_SIZE)));
    // A size is at most MAX_BATCH_SIZE, but the header's varint decoder hands it over as a
    // double; `| 0` keeps this field a small integer for the per-event end-of-batch test.
    this.end = b.size | 0;
    return true;
  }

  /** Decodes the next event into this cursor's RawEvent fields; false when this thread has no more. */
  next(): boolean {
    if (this.dataOff === this.end && !this.nextBatch()) return false;
    const gen = this.gen;
    // A time that came out as 0 restarts from the batch's base time, as Go's lastTs == 0 test does.
    if (this.lastTs === 0) this.lastTs = gen.ns(this.batches[this.idx]!.time);
    const data = this.data!;
    let pos = this.dataOff;
    this.offset = this.batches[this.idx]!.dataOffset + pos;
    const type = data[pos]!;
    const n = TIMED_ARGS[type]!;
    if (n < 0) {
      if (type >= SPECS.length) throw new OrderError(`found invalid event type: ${type}`);
      throw new OrderError(`found event without a timestamp: type=${type}`);
    }
    pos++;
    const dt = uvarint(data, pos);
    if (dt < NONE) throw new OrderError('found invalid uvarint for timestamp');
    pos = uvarintEnd;
    this.type = type;
    // At most 4 args after dt; below NONE is a decode error (see uvarint.ts).
    if (n > 0) {
      if ((this.a0 = uvarint(data, pos)) < NONE) throw new OrderError('found invalid uvarint');
      pos = uvarintEnd;
      if (n > 1) {
        if ((this.a1 = uvarint(data, pos)) < NONE) throw new OrderError('found invalid uvarint');
        pos = uvarintEnd;
        if (n > 2) {
          if ((this.a2 = uvarint(data, pos)) < NONE) throw new OrderError('found invalid uvarint');
          pos = uvarintEnd;
          if (n > 3) {
            if ((this.a3 = uvarint(data, pos)) < NONE) throw new OrderError('found invalid uvarint');
            pos = uvarintEnd;
          }
        }
      }
    }
    this.time = gen.ns(dt) + this.lastTs;
    this.lastTs = this.time;
    this.dataOff = pos;
    return true;
  }
}

/** Number of args after dt for each timed event type; -1 for types that cannot be in an event batch. */
const TIMED_ARGS = new Int8Array(256).fill(-1);
SPECS.forEach((spec, t) => {
  if (spec?.timed && spec.args.length > 0) TIMED_ARGS[t] = spec.args.length - 1;
});

// A binary min-heap of cursors by next-event time, operated exactly as Go's.
function heapSiftUp(h: BatchCursor[], i: number): number {
  while (i > 0 && h[(i - 1) >> 1]!.time > h[i]!.time) {
    const p = (i - 1) >> 1;
    { const tmp = h[p]!; h[p] = h[i]!; h[i] = tmp; }
    i = p;
  }
  return i;
}
function heapSiftDown(h: BatchCursor[], i: number): void {
  // Go's min3(i, l, r) keeps i on ties and prefers l over r on ties; picking the
  // earlier child first and then comparing it with i decides the same with one
  // data-dependent branch fewer (those are what a shuffled frontier mispredicts).
  const n = h.length;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) return;
    const r = l + 1;
    const c = r < n && h[r]!.time < h[l]!.time ? r : l;
    if (!(h[c]!.time < h[i]!.time)) return;
    { const tmp = h[i]!; h[i] = h[c]!; h[c] = tmp; }
    i = c;
  }
}
function heapUpdate(h: BatchCursor[], i: number): void {
  if (heapSiftUp(h, i) !== i) return;
  heapSiftDown(h, i);
}
function heapRemove(h: BatchCursor[], i: number): void {
  while (i > 0) {
    const p = (i - 1) >> 1;
    { const tmp = h[p]!; h[p] = h[i]!; h[i] = tmp; }
    i = p;
  }
  h[0] = h[h.length - 1]!;
  h.pop();
  heapSiftDown(h, 0);
}
/** Go sorts the frontier with pdqsort, which is an insertion sort (stable) up to 12 elements. */
function sortFrontier(h: BatchCursor[]): void {
  for (let i = 1; i < h.length; i++) {
    for (let j = i; j > 0 && h[j]!.time < h[j - 1]!.time; j--) {
      const tmp = h[j]!;
      h[j] = h[j - 1]!;
      h[j - 1] = tmp;
    }
  }
}

export interface V2Options {
  readonly version: number;
  readonly stacks: StackTable;
  /** Turn damage at the end of the input into a warning instead of an error. */
  readonly salvage: boolean;
}

export class V2Reader {
  private readonly version: number;
  private readonly stacks: StackTable;
  private readonly salvage: boolean;
  private lastTs = 0;
  private gen: Generation | null = null;
  private frontier: BatchCursor[] = [];
  private cpuSamples: CpuSample[] = [];
  private cpuIdx = 0;
  /** Time of cpuSamples[cpuIdx], Infinity when none is left: step() compares it once per event. */
  private sampleTime = Infinity;
  private readonly order = new Ordering();
  private syncs = 0;
  private done = false;
  private spill: { gen: number; batch: Batch } | null = null;
  private spillErr: Error | null = null;
  private spillErrSync = false;
  private readGenErr: Error | null = null;
  /** The input ended (or was cut off inside a batch) while reading the current generation. */
  private eofSeen = false;
  /** A batch was malformed (not merely cut off). */
  private corrupt = false;
  /** Byte offset where the generation being read (or last read) starts. */
  private lastGenStart = -1;
  readonly warnings: Warning[] = [];
  generations = 0;

  constructor(private readonly input: ChunkReader, opts: V2Options) {
    this.version = opts.version;
    this.stacks = opts.stacks;
    this.salvage = opts.salvage;
  }

  /** The next event, or null at the end of the trace. Throws ParseError on a broken trace. */
  next(): EventRecord | null {
    return this.read(null);
  }

  /**
   * Like next(), but the record may be one the reader refills on its next call
   * (of either method): valid until then. Saves allocating (and collecting) one
   * record per event, for loops that copy what they keep.
   */
  nextShared(): EventRecord | null {
    return this.read(this.shared);
  }
  private readonly shared = new EventRecord();

  private read(into: EventRecord | null): EventRecord | null {
    if (this.done) return null;
    try {
      const rec = this.step(into);
      if (rec === null) return null;
      if (rec.time <= this.lastTs) rec.time = this.lastTs + 1;
      this.lastTs = rec.time;
      return rec;
    } catch (err) {
      return this.fail(err);
    }
  }

  /** The next event, into `into` when given (Sync events and CPU samples are always new records). */
  private step(into: EventRecord | null): EventRecord | null {
    const queued = this.order.next();
    if (queued) return toRecord(queued, this.stacks, into);

    // Tested first, the common case: a thread's event is next, no later than the next CPU sample.
    const frontier = this.frontier;
    if (frontier.length === 0 || !(frontier[0]!.time <= this.sampleTime)) return this.sampleOrGeneration();
    if (!this.tryAdvance(0)) this.advanceOther();
    const ev = this.order.next();
    if (!ev) throw new Error('invariant violation: advance successful, but queue is empty');
    return toRecord(ev, this.stacks, into);
  }

  /** A CPU sample that is earlier than every thread's next event, or the next generation. */
  private sampleOrGeneration(): EventRecord | null {
    if (this.cpuIdx >= this.cpuSamples.length) return this.nextGeneration();
    const s = this.cpuSamples[this.cpuIdx++]!;
    this.sampleTime = this.cpuIdx < this.cpuSamples.length ? this.cpuSamples[this.cpuIdx]!.time : Infinity;
    return sampleRecord(s, this.gen!, this.stacks);
  }

  /**
   * Rare: the earliest event must wait for another thread. Tries the others in
   * time order. Kept out of step(), whose size limits how much V8 inlines into it.
   */
  private advanceOther(): void {
    sortFrontier(this.frontier);
    for (let i = 1; i < this.frontier.length; i++) {
      if (this.tryAdvance(i)) return;
    }
    // Go prints every thread's next event and the whole state (about 1,000 characters): one line
    // names the first three; the rest goes to the error's details, which --verbose prints.
    const all = this.frontier.map((bc) => `M ${bc.m} [${eventName(bc.type)} time=${bc.time}]`);
    const more = all.length > 3 ? `, and ${all.length - 3} more` : '';
    throw this.located(
      new OrderError(
        `broken trace: failed to advance: no thread's next event can happen (${all.slice(0, 3).join(', ')}${more})`,
        `next events: ${all.join(', ')}\nstate: ${this.order.dump().split('; ').join('\n  ')}`,
      ),
      this.frontier[0]?.offset,
    );
  }

  private tryAdvance(i: number): boolean {
    const frontier = this.frontier;
    const bc = frontier[i]!;
    const order = this.order;
    order.offset = bc.offset;
    // One handler for both calls: an error is located at the cursor's offset when it is thrown.
    try {
      if (!order.advance(bc, this.gen!)) return false;
      if (bc.next()) heapUpdate(frontier, i);
      else heapRemove(frontier, i);
    } catch (err) {
      throw this.located(err, bc.offset);
    }
    return true;
  }

  private located(err: unknown, offset: number | undefined): unknown {
    if (err instanceof OrderError || err instanceof GenerationError) {
      const where = offset ?? (err instanceof GenerationError ? err.offset : undefined);
      const e = new ParseError('go-trace', where, `generation ${this.gen?.gen ?? '?'}: ${err.message}`);
      if (err instanceof OrderError && err.details) e.details = err.details;
      return e;
    }
    return err;
  }

  /**
   * Loads the next generation and returns its Sync event, or ends the trace.
   * Like Go, a generation that fails to load still gets a Sync first; the error
   * comes with the next call.
   */
  private nextGeneration(): EventRecord | null {
    if (this.version < 26) {
      if (this.spillErr) {
        if (this.spillErrSync || this.salvage) throw this.spillErr;
        this.spillErrSync = true;
        return this.sync(null);
      }
      if (this.gen && !this.spill) return this.finalSync();
      let gen: Generation | null = null;
      try {
        gen = this.readGenerationWithSpill();
      } catch (err) {
        // Go emits a Sync before a load error; a salvaging reader just stops with a warning.
        if (this.salvage) throw err;
        this.spillErr = err as Error;
      }
      if (!gen) {
        this.gen = null;
        this.spillErrSync = true;
        return this.sync(null);
      }
      return this.install(gen);
    }
    if (this.readGenErr) throw this.readGenErr;
    let gen: Generation | null;
    try {
      gen = this.readGeneration126();
    } catch (err) {
      if (this.salvage) throw err;
      this.readGenErr = err as Error;
      this.gen = null;
      return this.sync(null);
    }
    if (!gen) return this.finalSync();
    return this.install(gen);
  }

  private sync(gen: Generation | null): EventRecord {
    this.syncs++;
    return syncRecord(this.syncs, gen ? gen.ns(gen.minTs) : this.lastTs, gen);
  }

  private finalSync(): EventRecord {
    this.done = true;
    this.gen = null;
    return this.sync(null);
  }

  private install(gen: Generation): EventRecord {
    this.gen = gen;
    this.generations++;
    this.cpuSamples = gen.cpuSamples;
    this.cpuIdx = 0;
    this.sampleTime = gen.cpuSamples.length > 0 ? gen.cpuSamples[0]!.time : Infinity;
    for (const m of gen.batchMs) {
      const bc = new BatchCursor(m, gen.batches.get(m)!, gen, this.loadBatch);
      let ok: boolean;
      try {
        ok = bc.next();
      } catch (err) {
        throw this.located(err, bc.offset);
      }
      if (!ok) continue;
      this.frontier.push(bc);
      heapSiftUp(this.frontier, this.frontier.length - 1);
    }
    return this.sync(gen);
  }

  /** Reads an event batch's payload back from the input (batches left in the file). */
  private readonly loadBatch = (b: Batch, into: Uint8Array): Uint8Array => {
    const n = this.input.readAt(into, b.size, b.dataOffset);
    if (n !== b.size) throw new OrderError(`failed to read back batch at byte ${b.offset}: the file changed while being read`);
    return into.subarray(0, n);
  };

  /** Reads a batch; notes when the input ended or broke, for the salvage verdict. */
  private readItem(): Batch | typeof END_OF_GENERATION | null {
    try {
      const item = readBatch(this.input);
      if (item === null) this.eofSeen = true;
      return item;
    } catch (err) {
      if (err instanceof BatchReadError) {
        if (err.truncated) this.eofSeen = true;
        else this.corrupt = true;
      }
      throw err;
    }
  }

  /** Formats 1.22–1.25: a generation ends where a batch of the next one begins (Go's readGenerationWithSpill). */
  private readGenerationWithSpill(): Generation {
    const gen = new Generation();
    this.lastGenStart = this.spill ? this.spill.batch.offset : this.input.offset;
    if (this.spill) {
      gen.gen = this.spill.gen;
      gen.minTs = this.spill.batch.time;
      gen.add(this.spill.batch, this.version);
      this.spill = null;
    }
    for (;;) {
      let item: Batch | typeof END_OF_GENERATION | null;
      try {
        item = this.readItem();
      } catch (err) {
        // With batches in hand, deliver them first and report the bad batch afterwards.
        if (gen.gen !== 0) {
          this.spillErr = err as Error;
          break;
        }
        throw err;
      }
      if (item === null) break;
      if (item === END_OF_GENERATION) {
        const err = new BatchReadError('expected batch event, got event 52', this.input.offset - 1, false);
        this.corrupt = true;
        if (gen.gen !== 0) {
          this.spillErr = err;
          break;
        }
        throw err;
      }
      const b = item;
      if (b.gen === 0) throw new GenerationError(`invalid generation number ${b.gen}`, b.offset);
      if (gen.gen === 0) gen.gen = b.gen;
      if (b.gen === gen.gen + 1) {
        this.spill = { gen: b.gen, batch: b };
        break;
      }
      if (b.gen !== gen.gen) throw new GenerationError('generations out of order', b.offset);
      if (gen.minTs === 0 || b.time < gen.minTs) gen.minTs = b.time;
      gen.add(b, this.version);
    }
    gen.finish(this.version);
    return gen;
  }

  /** Format 1.26: every generation ends with an EndOfGeneration byte (Go's readGeneration). */
  private readGeneration126(): Generation | null {
    const gen = new Generation();
    this.lastGenStart = this.input.offset;
    // Where its errors point, even when it has no batch at all (was "byte -1").
    gen.startOffset = this.lastGenStart;
    let batches = 0;
    for (;;) {
      const item = this.readItem();
      if (item === null) {
        if (batches !== 0) {
          throw new BatchReadError('incomplete generation found; trace likely truncated', this.input.offset, true);
        }
        return null;
      }
      if (item === END_OF_GENERATION) break;
      batches++;
      const b = item;
      if (gen.gen === 0) gen.gen = b.gen;
      if (b.gen === 0) throw new GenerationError(`invalid generation number ${b.gen}`, b.offset);
      if (b.gen !== gen.gen) {
        throw new GenerationError('broken trace: missing end-of-generation event, or generations are interleaved', b.offset);
      }
      if (gen.minTs === 0 || b.time < gen.minTs) gen.minTs = b.time;
      gen.add(b, this.version);
    }
    gen.finish(this.version);
    return gen;
  }

  /**
   * Turns an error into the reader's verdict: in salvage mode, damage after the
   * input ended (a truncated file) is a warning and the events before it stand;
   * everything else is a ParseError with the byte offset.
   */
  private fail(err: unknown): null {
    this.done = true;
    const detail = err instanceof Error ? err.message.replace(/^go-trace at byte \d+: /, '') : String(err);
    let offset: number | undefined;
    if (err instanceof ParseError) offset = err.offset;
    else if (err instanceof BatchReadError || err instanceof GenerationError) offset = err.offset;
    if (this.salvage && this.eofSeen && !this.corrupt) {
      const end = this.input.offset;
      const start = this.lastGenStart >= 0 ? this.lastGenStart : (offset ?? end);
      if (this.generations === 0) {
        // Nothing before the damage: an empty result would read as "all clear".
        throw new ParseError(
          'go-trace',
          offset ?? end,
          `trace is truncated inside its first generation (it ends at byte ${end}; the generation starts at byte ${start}): ` +
            `no complete generation, so there are no events to read: ${detail}`,
        );
      }
      this.warnings.push({
        code: 'TRUNCATED',
        offset: offset ?? end,
        message:
          `trace is truncated (it ends at byte ${end}; the damage shows at byte ${offset ?? end}): ` +
          `events of the complete generations are all here, the last generation's ${end - start} bytes ` +
          `(from byte ${start}) could not be used in full: ${detail}`,
      });
      return null;
    }
    if (err instanceof ParseError) throw err;
    if (err instanceof BatchReadError || err instanceof GenerationError || err instanceof OrderError) {
      throw new ParseError('go-trace', offset, detail);
    }
    throw err;
  }
}

function sampleRecord(s: CpuSample, gen: Generation, stacks: StackTable): EventRecord {
  return toRecord(
    { type: 7, time: s.time, a0: s.stack, a1: 0, a2: 0, a3: 0, x0: 0, xs: '', g: s.g, p: s.p, m: s.m, gen, offset: gen.startOffset },
    stacks,
  );
}

