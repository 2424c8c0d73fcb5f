/**
 * Which files to look at, and whether each is complete: a file is ready once
 * its size and modification time have not changed for the settle time.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { readFolder, type WatchTarget } from './target.js';

export interface Candidate {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/** The target's files now; throws WatchTargetError when its folder cannot be read (it went away, lost permission). */
export function listCandidates(target: WatchTarget): Candidate[] {
  const out: Candidate[] = [];
  for (const name of readFolder(target.folder).sort()) {
    if (!target.match(name)) continue;
    const path = join(target.folder, name);
    try {
      const st = statSync(path);
      if (st.isFile()) out.push({ path, size: st.size, mtimeMs: st.mtimeMs });
    } catch {
      // deleted between listing and stat: next scan
    }
  }
  return out;
}

/** Remembers what each file looked like and since when, to tell a finished file from one still being written. */
export class SettleTracker {
  private readonly seen = new Map<string, { size: number; mtimeMs: number; since: number }>();
  constructor(private readonly settleMs: number) {}

  /** True when the file has looked the same for at least the settle time. */
  ready(c: Candidate, now: number): boolean {
    const prev = this.seen.get(c.path);
    if (!prev || prev.size !== c.size || prev.mtimeMs !== c.mtimeMs) {
      this.seen.set(c.path, { size: c.size, mtimeMs: c.mtimeMs, since: now });
      return this.settleMs === 0 && c.size > 0;
    }
    return c.size > 0 && now - prev.since >= this.settleMs;
  }

  forget(path: string): void {
    this.seen.delete(path);
  }
}
