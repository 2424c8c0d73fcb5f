/** `perf script` text: a streaming reader of events and call chains. */
export { PerfDiagnostics, type PerfDiagnosticCode } from './diagnostics.js';
export { isTracepoint, parseEventLine } from './event-line.js';
export { readLineBatches, readLines } from './lines.js';
export { readPerfScript, type ScriptHeader } from './script.js';
export { looksLikePerfScript } from './sniff.js';
export { parseStackLine } from './stack-line.js';
export type { PerfEvent, PerfFrame } from './types.js';
