/**
 * Wait reasons as goroutine headers spell them (Go 1.11 to 1.27), sorted into
 * what they mean for a diagnosis: a wait only another goroutine can end
 * (channels, select, sync), a lock, a wait nothing can end, or the rest.
 */
export type WaitClass = 'sync' | 'lock' | 'forever' | 'io' | 'sleep' | 'syscall' | 'running' | 'runtime' | 'other' | 'unknown';

const BY_STATE: Readonly<Record<string, WaitClass>> = {
  'chan receive': 'sync',
  'chan send': 'sync',
  select: 'sync',
  'sync.WaitGroup.Wait': 'sync',
  'sync.Cond.Wait': 'sync',
  'sync.Mutex.Lock': 'lock',
  'sync.RWMutex.Lock': 'lock',
  'sync.RWMutex.RLock': 'lock',
  semacquire: 'lock', // before Go 1.20 every sync wait said this; the stack tells Mutex.Lock from WaitGroup.Wait
  'chan receive (nil chan)': 'forever',
  'chan send (nil chan)': 'forever',
  'select (no cases)': 'forever',
  'IO wait': 'io',
  sleep: 'sleep',
  syscall: 'syscall',
  running: 'running',
  runnable: 'running',
  idle: 'runtime',
  'GC worker (idle)': 'runtime',
  'GC sweep wait': 'runtime',
  'GC scavenge wait': 'runtime',
  'finalizer wait': 'runtime',
  'force gc (idle)': 'runtime',
  'trace reader (blocked)': 'runtime',
  'timer goroutine (idle)': 'runtime',
  'cleanup wait': 'runtime',
};

/** A debug=1 profile prints no states: what its stack shows, when it shows a wait ("" when it does not: its runtime frames are hidden). */
const STACK_STATES: readonly (readonly [RegExp, string])[] = [
  [/^sync\.\(\*Mutex\)\.Lock$/, 'sync.Mutex.Lock'],
  [/^sync\.\(\*RWMutex\)\.Lock$/, 'sync.RWMutex.Lock'],
  [/^sync\.\(\*RWMutex\)\.RLock$/, 'sync.RWMutex.RLock'],
  [/^sync\.\(\*WaitGroup\)\.Wait$/, 'sync.WaitGroup.Wait'],
  [/^sync\.\(\*Cond\)\.Wait$/, 'sync.Cond.Wait'],
  [/^time\.Sleep$/, 'sleep'],
  [/^internal\/poll\.runtime_pollWait$/, 'IO wait'],
  [/^runtime\/pprof\./, 'running'],
];

export function stateFromStack(frames: readonly { func: string }[]): string {
  for (const f of frames.slice(0, 8)) for (const [re, state] of STACK_STATES) if (re.test(f.func)) return state;
  return '';
}

export function waitClass(state: string, frames: readonly { func: string }[]): WaitClass {
  const cls = state === '' ? 'unknown' : (BY_STATE[state] ?? 'other');
  if (state !== 'semacquire') return cls;
  // Go ≤ 1.19: the Lock frames say whether the semaphore is a mutex's.
  return frames.some((f) => /^sync\.\(\*(RW)?Mutex\)\.R?Lock$/.test(f.func)) ? 'lock' : 'sync';
}

/** A goroutine of the runtime itself (GC workers, the finalizer, the scavenger), as its stack shows. */
export function isRuntimeGoroutine(frames: readonly { func: string }[], creator: string | undefined): boolean {
  if (creator !== undefined && (creator.startsWith('runtime.') || creator.startsWith('runtime/'))) return frames.every((f) => f.func.startsWith('runtime.') || f.func.startsWith('runtime/'));
  return frames.length > 0 && frames.every((f) => f.func.startsWith('runtime.'));
}
