/**
 * What the watcher remembers across runs and restarts: every input it has
 * analyzed (by sha256, so a renamed or re-copied file is not analyzed twice),
 * the alerts Alertmanager has not accepted yet (so none is lost), and the last
 * goroutine dump (so the next is compared with it).
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../io/atomic-write.js';
import type { AlertmanagerAlert } from './alertmanager.js';

export interface WatchState {
  readonly version: 1;
  /** sha256 → when it was analyzed, which file, how many findings (or the error, or the format of a skipped non-trace). */
  analyzed: Record<string, { file: string; at: string; findings: number; error?: string; skipped?: string }>;
  /** Alerts printed but not yet accepted by Alertmanager. */
  pendingAlerts: AlertmanagerAlert[];
  /** The last goroutine dump analyzed: the next one is compared with it (stuck goroutines, growth). */
  lastDump?: { file: string; sha256: string };
}

export function loadState(path: string): WatchState {
  try {
    const s = JSON.parse(readFileSync(path, 'utf8')) as Partial<WatchState>;
    if (s.version === 1 && s.analyzed && Array.isArray(s.pendingAlerts)) return s as WatchState;
  } catch {
    // missing or unreadable: start afresh (a broken state file must not stop the watcher)
  }
  return { version: 1, analyzed: {}, pendingAlerts: [] };
}

export function saveState(path: string, state: WatchState): void {
  writeFileAtomic(path, JSON.stringify(state, null, 1) + '\n');
}
