/**
 * Analysis on two threads: each reads the whole trace (reading is about a third
 * of the work and needs no coordination), and each runs half of the analyzers.
 * On two cores this takes about the time of one reader plus half the analyzers.
 * The main thread keeps everything else: the hash, the warnings, the progress
 * line, and the stack table both threads build identically from the same bytes.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { HalfAnalysis } from '../analyzers/trace/analyze.js';

/** Below this, starting a thread costs more than it saves. */
export const PARALLEL_MIN_BYTES = 16 << 20;

const WORKER_URL = new URL('./analysis-worker.js', import.meta.url);

export interface HalfRequest {
  readonly path: string;
  /** Bytes to read: the size of the file when the main thread opened it. */
  readonly limit: number;
}

export type HalfReply =
  | { readonly ok: true; readonly events: number; readonly stacks: number; readonly analysis: HalfAnalysis<'worker'> }
  | { readonly ok: false; readonly message: string };

/** The compiled worker is at hand (tests that run the TypeScript sources directly analyze on one thread). */
export function workerAvailable(): boolean {
  return !import.meta.url.endsWith('.ts');
}

/** Unless told, two threads read a file big enough on a machine with two CPUs or more. */
export function parallelByDefault(bytes: number): boolean {
  return bytes >= PARALLEL_MIN_BYTES && availableParallelism() >= 2;
}

/** Starts the worker's half on a worker thread; the promise settles when it is done, and rejects if the thread fails. */
export function startWorkerHalf(req: HalfRequest): { result: Promise<HalfReply>; cancel(): void } {
  let worker: Worker;
  try {
    worker = new Worker(WORKER_URL, { workerData: req });
  } catch (err) {
    // No thread (e.g. out of resources): the caller runs the half itself.
    const result = Promise.reject(err as Error);
    result.catch(() => {});
    return { result, cancel: () => {} };
  }
  const result = new Promise<HalfReply>((resolve, reject) => {
    worker.once('message', (m: HalfReply) => resolve(m));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the analysis thread exited (code ${code}) without a result`)));
  });
  result.catch(() => {}); // settled by the caller's await; a cancelled worker's rejection is not news
  return { result, cancel: () => void worker.terminate() };
}
