import type { ChunkReader } from '../../../io/byte-source.js';
import { Ev, MAX_BATCH_SIZE } from './spec.js';

/** One batch of a v2 trace: a header and an opaque payload. */
export interface Batch {
  readonly gen: number;
  /** OS thread that wrote it; -1 for structural batches. */
  readonly m: number;
  /** Base timestamp in ticks. */
  readonly time: number;
  /** Payload length in bytes. */
  readonly size: number;
  /** First payload byte (what kind of batch it is), -1 when empty. */
  readonly first: number;
  /**
   * The payload, or null for an event batch left in the file: when the input can
   * be read again, a generation keeps where its event batches are, not their bytes.
   */
  readonly data: Uint8Array | null;
  /** 0 for ordinary batches, else the experiment number. */
  readonly exp: number;
  /** Byte offset of the batch header in the file, and of its payload. */
  readonly offset: number;
  readonly dataOffset: number;
}

export const END_OF_GENERATION = 'end-of-generation' as const;

/**
 * A batch could not be read. `truncated` means the input ended inside it: the
 * bytes before it are intact, which matters for salvaging a crashed program's trace.
 */
export class BatchReadError extends Error {
  constructor(message: string, readonly offset: number, readonly truncated: boolean) {
    super(message);
  }
}

/** Reads the next top-level item: a batch, an EndOfGeneration marker, or null at a clean end of input. */
export function readBatch(r: ChunkReader): Batch | typeof END_OF_GENERATION | null {
  const offset = r.offset;
  const b = r.readByte();
  if (b < 0) return null;
  if (b === Ev.EndOfGeneration) return END_OF_GENERATION;
  if (b !== Ev.EventBatch && b !== Ev.ExperimentalBatch) {
    throw new BatchReadError(`expected batch event, got event ${b}`, offset, false);
  }
  let exp = 0;
  if (b === Ev.ExperimentalBatch) {
    exp = r.readByte();
    if (exp < 0) throw new BatchReadError('input ends inside a batch header', offset, true);
  }
  const field = (what: string): number => {
    let v: number | undefined;
    try {
      v = r.readUvarint();
    } catch (e) {
      throw new BatchReadError(`error reading batch ${what}: ${String(e)}`, offset, false);
    }
    if (v === undefined) throw new BatchReadError(`input ends inside a batch header (reading ${what})`, offset, true);
    return v;
  };
  const gen = field('gen');
  const m = field('M ID');
  const time = field('timestamp');
  const size = field('size');
  if (size < 0 || size > MAX_BATCH_SIZE) {
    const exact = Number.isSafeInteger(size) && size >= 0 ? size : r.lastBig; // 2^62 prints as 4611686018427387904
    throw new BatchReadError(`invalid batch size ${exact}, maximum is ${MAX_BATCH_SIZE}`, offset, false);
  }
  const dataOffset = r.offset;
  const first = size > 0 ? r.peekByte() : -1;
  if (exp === 0 && !STRUCTURAL.has(first) && r.canReadAgain) {
    const got = r.skip(size);
    if (got !== size) throw new BatchReadError(`failed to read full batch: read ${got} but wanted ${size}`, offset, true);
    return { gen, m, time, size, first, data: null, exp, offset, dataOffset };
  }
  const data = r.take(size);
  if (data.length !== size) {
    throw new BatchReadError(`failed to read full batch: read ${data.length} but wanted ${size}`, offset, true);
  }
  return { gen, m, time, size, first, data, exp, offset, dataOffset };
}

/** Batch kinds a generation decodes when it loads (the rest are per-thread event batches). */
const STRUCTURAL = new Set<number>([Ev.Strings, Ev.Stacks, Ev.CPUSamples, Ev.Frequency, Ev.Sync, Ev.EndOfGeneration]);
