/** Goroutine dumps analyzed: groups, counts, findings, and two dumps compared. */
import type { ByteSource } from '../../io/byte-source.js';
import { DumpDiagnostics, readGoroutineDump } from '../../parsers/goroutine-dump/index.js';
import { DumpAnalyzer, type DumpAnalysis, type DumpOptions } from './analyze.js';

export { DumpAnalyzer, type Counted, type DumpAnalysis, type DumpOptions, type Place } from './analyze.js';
export { compareDumps, topState, type DumpComparison, type Growth, type StuckGroup } from './compare.js';
export { comparisonFindings, dumpFindings, PILEUP_WARNING } from './findings.js';
export { stackKey, type DumpGroup } from './group.js';
export { programFrame, siteName } from './site.js';
export { isRuntimeGoroutine, waitClass, type WaitClass } from './waits.js';

/** Reads one input to its end: every dump in it, analyzed, and what the reader skipped or found damaged. */
export function analyzeGoroutineDumps(src: ByteSource, opts: DumpOptions = {}): { dumps: DumpAnalysis[]; diagnostics: DumpDiagnostics } {
  const diagnostics = new DumpDiagnostics();
  const a = new DumpAnalyzer(opts);
  for (const ev of readGoroutineDump(src, diagnostics)) a.onEvent(ev);
  return { dumps: a.finish(), diagnostics };
}
export { dumpStacks } from './views.js';
