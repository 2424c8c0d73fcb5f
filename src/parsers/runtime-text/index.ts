export { parseGcLine } from './gc-line.js';
export { FORMAT, newStats, readRuntimeText, type RuntimeTextStats } from './read.js';
export { parseDetailLine, parseSchedLine } from './sched-line.js';
export { looksLikeRuntimeText } from './sniff.js';
export * from './types.js';
