/**
 * Inputs an attacker or an unlucky program could hand us, made by the tests
 * themselves: deep stacks, labelled samples, padded trace generations,
 * control characters in symbols. Byte-level writers, no library, so a test can
 * make what no real writer would.
 */
import { gzipSync } from 'node:zlib';

/** A protobuf message under construction: varints and length-delimited fields. */
export class Proto {
  private readonly parts: number[] = [];
  varint(v: number | bigint): this {
    let x = BigInt(v);
    do {
      const b = Number(x & 0x7fn);
      x >>= 7n;
      this.parts.push(x > 0n ? b | 0x80 : b);
    } while (x > 0n);
    return this;
  }
  /** A varint field. */
  int(field: number, v: number | bigint): this {
    return this.varint(field * 8).varint(v);
  }
  /** A length-delimited field (a nested message, a string or a packed list). */
  bytes(field: number, body: Uint8Array | string | Proto): this {
    const b = typeof body === 'string' ? new TextEncoder().encode(body) : body instanceof Proto ? body.finish() : body;
    this.varint(field * 8 + 2).varint(b.length);
    for (const x of b) this.parts.push(x);
    return this;
  }
  /** A packed repeated varint field. */
  packed(field: number, values: readonly number[]): this {
    const p = new Proto();
    for (const v of values) p.varint(v);
    return this.bytes(field, p);
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/**
 * A pprof profile (sample type "samples/count"): `funcs` functions named
 * main.f0…, one location each; every sample has the stack `stack` (location
 * ids, leaf first) and `labels` labels ("k" = "v").
 */
export function pprofBytes(opts: { funcs: number; stack: readonly number[]; samples: number; labels?: number; names?: (i: number) => string }): Uint8Array {
  const names = opts.names ?? ((i: number) => `main.f${i}`);
  // Strings: 0 "", 1 samples, 2 count, 3 k, 4 v, 5.. function names.
  const p = new Proto().bytes(1, new Proto().int(1, 1).int(2, 2));
  const label = new Proto().int(1, 3).int(2, 4).finish();
  for (let s = 0; s < opts.samples; s++) {
    const sample = new Proto().packed(1, opts.stack).packed(2, [1]);
    for (let l = 0; l < (opts.labels ?? 0); l++) sample.bytes(3, label);
    p.bytes(2, sample);
  }
  for (let i = 1; i <= opts.funcs; i++) {
    p.bytes(4, new Proto().int(1, i).int(3, 0x1000 + i).bytes(4, new Proto().int(1, i).int(2, i)));
    p.bytes(5, new Proto().int(1, i).int(2, 4 + i));
  }
  for (const s of ['', 'samples', 'count', 'k', 'v']) p.bytes(6, s);
  for (let i = 1; i <= opts.funcs; i++) p.bytes(6, names(i));
  return p.finish();
}

export const gzip = (b: Uint8Array): Uint8Array => new Uint8Array(gzipSync(b));

/** A deep pprof stack: `depth` distinct functions, one sample. */
export function deepPprof(depth: number): Uint8Array {
  return gzip(pprofBytes({ funcs: depth, stack: Array.from({ length: depth }, (_, i) => i + 1), samples: 1 }));
}

/** One perf script sample whose stack has `depth` frames. */
export function deepPerfScript(depth: number): string {
  let s = 'deep 100 1.000000: 1 cpu-clock:\n';
  for (let i = 0; i < depth; i++) s += `\t${(0x1000 + i).toString(16)} main.f${i}+0x1 (/bin/deep)\n`;
  return s + '\n';
}

/**
 * A pprof profile of `samples` samples, each with one label and the same
 * one-frame stack, gzipped: a few hundred KB that unpack to 14 bytes a sample
 * (the shape of the 3 MB profile that grew to 4.9 GB).
 */
export function labelledProfile(samples: number): Uint8Array {
  const head = pprofBytes({ funcs: 1, stack: [1], samples: 0 });
  const one = new Proto().bytes(2, new Proto().packed(1, [1]).packed(2, [1]).bytes(3, new Proto().int(1, 3).int(2, 4))).finish();
  const body = new Uint8Array(head.length + one.length * samples);
  body.set(head, 0);
  for (let i = 0; i < samples; i++) body.set(one, head.length + i * one.length);
  return gzip(body);
}

/** A Go 1.26 trace whose one generation is `batches` empty event batches (01 01 4d 01 00) and its end. */
export function paddedTrace(batches: number): Uint8Array {
  const head = new TextEncoder().encode('go 1.26 trace\0\0\0');
  const out = new Uint8Array(head.length + 5 * batches + 1);
  out.set(head, 0);
  for (let i = 0; i < batches; i++) out.set([0x01, 0x01, 0x4d, 0x01, 0x00], head.length + 5 * i);
  out[out.length - 1] = 0x34; // EndOfGeneration
  return out;
}
