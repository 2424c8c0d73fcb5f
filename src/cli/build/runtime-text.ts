/**
 * A GODEBUG schedtrace/gctrace log opened for a command: streamed line by
 * line through the parser into the analyzers (a log of days never sits in
 * memory whole), hashed on the way, errors naming the file.
 */
import { analyzeRuntimeText } from '../../analyzers/runtime-text/index.js';
import type { ByteSource } from '../../io/byte-source.js';
import { HashingSource } from '../../io/hashing-source.js';
import { readLines } from '../../parsers/perf/lines.js';
import { newStats, readRuntimeText } from '../../parsers/runtime-text/index.js';
import { logWarnings, type RuntimeTextReport } from '../../render/runtime-text/index.js';
import { displayName, nameErrors } from './open.js';

export function buildRuntimeTextReport(path: string, src: ByteSource, opts: { stuckThresholdNs?: number }): RuntimeTextReport {
  return nameErrors(path, () => {
    const hashing = new HashingSource(src);
    try {
      const stats = newStats();
      const analysis = analyzeRuntimeText(readRuntimeText(readLines(hashing), stats), stats, opts);
      const sha256 = hashing.finish();
      return {
        input: { file: displayName(path), sha256, bytes: hashing.bytes, format: 'runtime-text', warnings: logWarnings(analysis) },
        analysis,
        findings: analysis.findings,
      };
    } finally {
      hashing.close();
    }
  });
}
