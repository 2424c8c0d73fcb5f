/** Opening an input whose kind is told by its first bytes (a trace, a pprof profile, …). */
import type { ByteSource } from '../io/byte-source.js';
import { readHead, ReplaySource } from '../io/replay-source.js';
import { detectFormat, SNIFF_BYTES, type DetectedFormat } from '../parsers/detect.js';
import { openSource } from './open-input.js';

export interface SniffedInput {
  readonly format: DetectedFormat;
  /** The whole input, the sniffed bytes included (works for stdin too). */
  readonly source: ByteSource;
}

export function openSniffed(path: string): SniffedInput {
  const src = openSource(path);
  try {
    const head = readHead(src, SNIFF_BYTES);
    return { format: detectFormat(head), source: new ReplaySource(head, src) };
  } catch (err) {
    src.close();
    throw err;
  }
}
