/**
 * The second thread of a parallel analysis (see parallel-analysis.ts): reads
 * the same trace and runs the worker's half of the analyzers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeTraceHalf } from '../analyzers/trace/analyze.js';
import { LimitedSource } from '../io/limited-source.js';
import { openGoTrace, SharedEvents } from '../parsers/gotrace/index.js';
import { openSource } from './build/open.js';
import type { HalfRequest, HalfReply } from './parallel-analysis.js';

const { path, limit } = workerData as HalfRequest;
let reply: HalfReply;
let src: LimitedSource | undefined;
try {
  src = new LimitedSource(openSource(path), limit);
  const reader = openGoTrace(src);
  const events = new SharedEvents(reader);
  const analysis = analyzeTraceHalf('worker', events.next, reader.stacks);
  reply = { ok: true, events: events.count, stacks: reader.stacks.size, analysis };
} catch (err) {
  reply = { ok: false, message: err instanceof Error ? err.message : String(err) };
} finally {
  src?.close();
}
parentPort!.postMessage(reply);
