/**
 * The second thread of a parallel analysis (see parallel-analysis.ts): reads
 * the same trace and runs the worker's half of the analyzers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeTraceHalf } from '../analyzers/analyze-trace.js';
import { LimitedSource } from '../io/limited-source.js';
import { openGoTrace } from '../parsers/gotrace/index.js';
import { openSource } from './open-input.js';
import type { HalfRequest, HalfReply } from './parallel-analysis.js';

const { path, limit, thresholdNs } = workerData as HalfRequest;
let reply: HalfReply;
const src = new LimitedSource(openSource(path), limit);
try {
  const reader = openGoTrace(src);
  let events = 0;
  const next = () => {
    // The analyzers copy what they keep from an event: the reader may refill one record.
    const r = reader.nextShared();
    if (r === null) return null;
    events++;
    return r.asEvent();
  };
  const analysis = analyzeTraceHalf('worker', next, reader.stacks, { stuckThresholdNs: thresholdNs });
  reply = { ok: true, events, stacks: reader.stacks.size, analysis };
} catch (err) {
  reply = { ok: false, message: err instanceof Error ? err.message : String(err) };
} finally {
  src.close();
}
parentPort!.postMessage(reply);
