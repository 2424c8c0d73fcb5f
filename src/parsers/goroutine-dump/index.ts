/** Goroutine dumps: pprof debug=2 and debug=1, runtime.Stack, SIGQUIT, panic and fatal-error tracebacks (Go 1.11 to 1.27). */
export { DumpDiagnostics } from './diagnostics.js';
export { parseCallLine, parseCreatorLine, parseProfileFrameLine, parseWhereLine } from './frame-line.js';
export { parseHeader, parseLabels } from './header.js';
export { readGoroutineDump } from './reader.js';
export { looksLikeGoroutineDump } from './sniff.js';
export type { DumpEvent, DumpForm, DumpFrame, DumpGoroutine, DumpStackRecord, DumpStart } from './types.js';
