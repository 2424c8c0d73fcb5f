/**
 * What the watcher remembers across runs and restarts: every input it has
 * analyzed (by sha256, so a renamed or re-copied file is not analyzed twice;
 * with its size and modification time, so a file seen before is not hashed
 * again), the alerts Alertmanager has not accepted yet (so none is lost), and
 * the last goroutine dump (so the next is compared with it).
 *
 * Writes are O(1) per file: each analyzed input is one line appended to a
 * journal beside the state file (<state>.journal); the state file itself is
 * rewritten whole (atomically) only when alerts change and once per scan,
 * which folds the journal in and empties it. After a crash the state file is
 * the last whole snapshot and the journal's complete lines are the rest (a
 * line cut short by the crash is ignored).
 */
import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { OutputError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import type { AlertmanagerAlert } from './alertmanager.js';

export interface AnalyzedEntry {
  file: string;
  at: string;
  findings: number;
  error?: string;
  skipped?: string;
  /** The file's size and modification time when it was hashed. */
  size?: number;
  mtimeMs?: number;
}

export interface WatchState {
  readonly version: 1;
  /** sha256 → when it was analyzed, which file, how many findings (or the error, or the format of a skipped non-trace). */
  analyzed: Record<string, AnalyzedEntry>;
  /** Alerts printed but not yet accepted by Alertmanager. */
  pendingAlerts: AlertmanagerAlert[];
  /** The last goroutine dump analyzed: the next one is compared with it (stuck goroutines, growth). */
  lastDump?: { file: string; sha256: string };
}

export const journalPath = (statePath: string): string => `${statePath}.journal`;

export function loadState(path: string): WatchState {
  return loadWithJournal(path).state;
}

/** The state file with its journal replayed, and how many journal lines there were. */
function loadWithJournal(path: string): { state: WatchState; journalLines: number } {
  let state: WatchState = { version: 1, analyzed: {}, pendingAlerts: [] };
  try {
    const s = JSON.parse(readFileSync(path, 'utf8')) as Partial<WatchState>;
    if (s.version === 1 && s.analyzed && Array.isArray(s.pendingAlerts)) state = s as WatchState;
  } catch {
    // missing or unreadable: start afresh (a broken state file must not stop the watcher)
  }
  let journal = '';
  try {
    journal = readFileSync(journalPath(path), 'utf8');
  } catch {
    // no journal: nothing analyzed since the last snapshot
  }
  let journalLines = 0;
  for (const line of journal.split('\n')) {
    try {
      const { sha, ...entry } = JSON.parse(line) as AnalyzedEntry & { sha: string };
      if (typeof sha === 'string' && typeof entry.file === 'string') state.analyzed[sha] = entry;
      journalLines++;
    } catch {
      // the empty last line, or one a crash cut short
    }
  }
  return { state, journalLines };
}

/** The state, with its journal, and the files already hashed by path. */
export class StateStore {
  readonly state: WatchState;
  /** path → [size, mtime, sha] of what was analyzed there. */
  private readonly byPath = new Map<string, { size: number; mtimeMs: number; sha: string }>();
  private journalLines = 0;

  constructor(readonly path: string) {
    const { state, journalLines } = loadWithJournal(path);
    this.state = state;
    this.journalLines = journalLines; // a journal left by a crash is folded in at the next compaction
    for (const [sha, e] of Object.entries(this.state.analyzed)) this.index(sha, e);
  }

  private index(sha: string, e: AnalyzedEntry): void {
    if (e.size !== undefined && e.mtimeMs !== undefined) this.byPath.set(e.file, { size: e.size, mtimeMs: e.mtimeMs, sha });
  }

  /** The sha256 of a file analyzed before at this path with this size and modification time, if any. */
  unchanged(path: string, size: number, mtimeMs: number): string | undefined {
    const k = this.byPath.get(path);
    return k && k.size === size && k.mtimeMs === mtimeMs && this.state.analyzed[k.sha] ? k.sha : undefined;
  }

  /** Remembers an analyzed input: one line appended to the journal. */
  remember(sha: string, entry: AnalyzedEntry): void {
    this.state.analyzed[sha] = entry;
    this.index(sha, entry);
    try {
      appendFileSync(journalPath(this.path), JSON.stringify({ sha, ...entry }) + '\n');
    } catch (err) {
      throw new OutputError(journalPath(this.path), err);
    }
    this.journalLines++;
  }

  /** Writes the whole state (alerts changed, or the end of a scan) and empties the journal it now holds. */
  save(): void {
    writeFileAtomic(this.path, JSON.stringify(this.state, null, 1) + '\n');
    if (this.journalLines > 0 || existsSync(journalPath(this.path))) rmSync(journalPath(this.path), { force: true });
    this.journalLines = 0;
  }

  /** Folds the journal into the state file when there is anything in it. */
  compact(): void {
    if (this.journalLines > 0) this.save();
  }
}
