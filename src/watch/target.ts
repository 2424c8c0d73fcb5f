/**
 * What `watch` was asked to look at: a folder, one file, or a pattern (* and ?
 * in the last part of the path). A folder that is missing or unreadable is an
 * error, never an empty list: under cron, a typo or an unmounted volume would
 * otherwise read as "no incidents" forever.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { ToolkitError } from '../errors.js';

export class WatchTargetError extends ToolkitError {
  override name = 'WatchTargetError';
}

export interface WatchTarget {
  /** The folder that is listed at each scan. */
  readonly folder: string;
  /** Which names in it to take (files starting with "." never are). */
  readonly match: (name: string) => boolean;
  /** The pattern or file name, when the target is not a whole folder. */
  readonly pattern?: string;
}

const hasWildcard = (s: string): boolean => /[*?]/.test(s);

function globRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** Why a folder cannot be listed, in words. */
function whyNot(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such folder';
  if (code === 'ENOTDIR') return 'not a folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? String((err as Error).message);
}

/** Lists the folder's names; throws WatchTargetError when it cannot be read. */
export function readFolder(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch (err) {
    throw new WatchTargetError(`cannot read the folder ${folder}: ${whyNot(err)}`);
  }
}

/** Resolves the command-line target and checks that its folder can be read now. */
export function resolveTarget(target: string): WatchTarget {
  let isDir = false;
  let exists = false;
  try {
    const st = statSync(target);
    exists = true;
    isDir = st.isDirectory();
  } catch {
    // missing: only a pattern may name files that do not exist yet
  }
  if (isDir) {
    readFolder(target);
    return { folder: target, match: (n) => !n.startsWith('.') };
  }
  const name = basename(target);
  if (!exists && !hasWildcard(name)) throw new WatchTargetError(`${target}: no such folder or file`);
  const folder = dirname(target);
  readFolder(folder);
  const re = globRegExp(name);
  return { folder, match: (n) => !n.startsWith('.') && re.test(n), pattern: name };
}
