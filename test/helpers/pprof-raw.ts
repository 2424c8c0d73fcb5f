/**
 * Reads `go tool pprof -raw` output: per sample, its values and its stack as
 * function names, leaf first (inlined frames expanded). For oracle comparisons.
 */
export interface RawSample {
  readonly values: number[];
  readonly funcs: string[];
}

export function parsePprofRaw(text: string): { sampleTypes: string[]; samples: RawSample[] } {
  const lines = text.split('\n');
  let i = lines.findIndex((l) => l.startsWith('Samples:'));
  const sampleTypes = (lines[++i] ?? '').trim().split(/\s+/);
  const rawSamples: { values: number[]; locs: number[] }[] = [];
  for (i++; i < lines.length && !lines[i]!.startsWith('Locations'); i++) {
    const m = /^\s*([\d\s]+):\s*([\d\s]*)$/.exec(lines[i]!);
    if (!m) continue;
    rawSamples.push({ values: m[1]!.trim().split(/\s+/).map(Number), locs: m[2]!.trim().split(/\s+/).filter(Boolean).map(Number) });
  }
  const locs = new Map<number, string[]>();
  let cur: string[] | undefined;
  for (i++; i < lines.length && !lines[i]!.startsWith('Mappings'); i++) {
    const l = lines[i]!;
    const head = /^\s*(\d+): 0x[0-9a-f]+ M=\d+ (\S+) .* s=\d+$/.exec(l);
    if (head) {
      cur = [head[2]!];
      locs.set(Number(head[1]), cur);
      continue;
    }
    const more = /^\s+(\S+) .* s=\d+$/.exec(l);
    if (more && cur) cur.push(more[1]!);
  }
  return {
    sampleTypes,
    samples: rawSamples.map((s) => ({ values: s.values, funcs: s.locs.flatMap((id) => locs.get(id) ?? [`?${id}`]) })),
  };
}
