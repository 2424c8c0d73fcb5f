export { analyzeRuntimeText, type RuntimeTextAnalysis, type RuntimeTextOptions } from './analyze.js';
export type { GcResult } from './gc.js';
export { RUNTIME_TEXT_LIMITS } from './limits.js';
export { merge as mergeCountPoints, type CountPoint } from './series.js';
export type { StuckRun } from './stuck-ps.js';
export type { LockedPeak, ThreadPeak, ThreadsResult } from './threads.js';
