/**
 * Folded stacks ("root;caller;leaf value"), the format flamegraph.pl, inferno
 * and speedscope read. Lines are sorted so the output is deterministic.
 */
import type { WeightedStack } from '../../model/weighted.js';

/** ";" separates frames and a newline ends a line: neither may appear inside a name. */
const clean = (name: string): string => name.replace(/;/g, ':').replace(/[\r\n]/g, ' ');

export function toFolded(stacks: readonly WeightedStack[]): string {
  const merged = new Map<string, number>();
  for (const s of stacks) {
    if (s.value <= 0 || s.frames.length === 0) continue;
    const key = s.frames.map(clean).join(';');
    merged.set(key, (merged.get(key) ?? 0) + s.value);
  }
  return [...merged]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([k, v]) => `${k} ${Math.round(v)}\n`)
    .join('');
}

/** Parses folded text back (for tests and for re-rendering folded files). */
export function parseFolded(text: string): WeightedStack[] {
  const out: WeightedStack[] = [];
  for (const line of text.split('\n')) {
    const m = /^(.*) (\d+(?:\.\d+)?)$/.exec(line.trimEnd());
    if (!m) continue;
    out.push({ frames: m[1]!.split(';'), value: Number(m[2]), category: '' });
  }
  return out;
}
