/** The stallscope library: parsers, the event model, analyzers and renderers. */
export * from './errors.js';
export * from './model/events.js';
export * from './model/stacks.js';
export { BufferSource, FileSource, type ByteSource } from './io/byte-source.js';
export { openGoTrace, type GoTraceReader, type GoTraceOptions } from './parsers/gotrace/index.js';
export { formatGoEvent } from './parsers/gotrace/format-go.js';
export { runAnalyzers, type Analyzer } from './analyzers/analyzer.js';
export { traceSummary, type TraceSummary } from './analyzers/trace-summary.js';
