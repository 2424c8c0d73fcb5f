/**
 * Which files to look at, and whether each is complete: a file is ready once
 * its size and modification time have not changed for the settle time.
 */
import { lstatSync, realpathSync, statSync } from 'node:fs';
import { join, relative, isAbsolute } from 'node:path';
import { readFolder, type WatchTarget } from './target.js';

export interface Candidate {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** For a symbolic link, the file it names (read instead of the link); else the path. */
  readonly real: string;
}

/** A symbolic link the scan did not follow: it leads out of the folder. */
export interface LinkOut {
  readonly path: string;
  readonly to: string;
}

const inside = (folder: string, path: string): boolean => {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
};

/**
 * The target's files now; throws WatchTargetError when its folder cannot be
 * read (it went away, lost permission). A symbolic link is followed only to a
 * file inside the folder, unless `followLinks`: a link to /etc/shadow in a
 * drop folder must not make a watcher running as root read it, hash it and
 * print its hash. Links left out are returned, to be said once.
 */
export function listCandidates(target: WatchTarget, followLinks = false): { files: Candidate[]; linksOut: LinkOut[] } {
  const files: Candidate[] = [];
  const linksOut: LinkOut[] = [];
  let folderReal: string | undefined;
  for (const name of readFolder(target.folder).sort()) {
    if (!target.match(name)) continue;
    const path = join(target.folder, name);
    try {
      let real = path;
      if (lstatSync(path).isSymbolicLink()) {
        real = realpathSync(path);
        folderReal ??= realpathSync(target.folder);
        if (!followLinks && !inside(folderReal, real)) {
          linksOut.push({ path, to: real });
          continue;
        }
      }
      const st = statSync(real);
      if (st.isFile()) files.push({ path, size: st.size, mtimeMs: st.mtimeMs, real });
    } catch {
      // deleted between listing and stat, or a dangling link: next scan
    }
  }
  return { files, linksOut };
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
