/**
 * Colours of a timeline, one table for the page and the static SVG: a
 * goroutine run takes the colour of its start function (a stable hash of
 * the name), so the same function looks the same in every picture.
 */
import { isRuntimeFunc } from '../../analyzers/runtime-goroutine.js';

export const RUN_COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#ff9da7', '#9c755f', '#86bcb6', '#d37295', '#a0cbe8', '#8cd17d'];

export const LANE_COLOURS = {
  /** Time of runs too narrow to draw one by one. */
  density: '#7f7f7f',
  syscall: '#e15759',
  sample: '#222222',
  gc: '#8cd17d',
  stw: '#e15759',
  alive: '#bab0ac',
  runnable: '#e15759',
  netWaiting: '#59a14f',
  threadsRunning: '#4e79a7',
  inSyscall: '#f28e2b',
  heap: '#b07aa1',
  heapGoal: '#555555',
  finding: '#c62828',
} as const;

/** The colour of a start function: the runtime's own goroutines in grey, others by a hash of the name. */
export function runColour(fn: string): string {
  if (fn === '') return '#bbbbbb';
  if (isRuntimeFunc(fn)) return '#c7c7c7';
  let h = 0;
  for (let i = 0; i < fn.length; i++) h = (Math.imul(h, 31) + fn.charCodeAt(i)) | 0;
  return RUN_COLOURS[(h >>> 0) % RUN_COLOURS.length]!;
}
