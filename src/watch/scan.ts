/**
 * Which files to look at, and whether each is complete: a file is ready once
 * its size and modification time have not changed for the settle time.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface Candidate {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/** A directory (every regular file in it not starting with ".") or a pattern with * and ? in its last part. */
export function listCandidates(target: string): Candidate[] {
  let dir = target;
  let match: (name: string) => boolean = (n) => !n.startsWith('.');
  let isDir = false;
  try {
    isDir = statSync(target).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) {
    dir = dirname(target);
    const re = new RegExp(
      '^' +
        basename(target)
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.') +
        '$',
    );
    match = (n) => !n.startsWith('.') && re.test(n);
  }
  const out: Candidate[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names.sort()) {
    if (!match(name)) continue;
    const path = join(dir, name);
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
