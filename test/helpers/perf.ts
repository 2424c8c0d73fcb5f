/** Reading perf script text in tests: from strings (hand-made cases) or fixture files. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { BufferSource } from '../../src/io/byte-source.js';
import { PerfDiagnostics, readLineBatches, readPerfScript, type PerfEvent } from '../../src/parsers/perf/index.js';
import { FIXTURES } from './go.js';

export const PERF_FIXTURES = join(FIXTURES, 'perf');

export function readText(text: string, chunkSize?: number): { events: PerfEvent[]; diag: PerfDiagnostics; comments: string[] } {
  const diag = new PerfDiagnostics();
  const header = { comments: [] as string[] };
  const src = new BufferSource(new TextEncoder().encode(text));
  const events = [...readPerfScript(readLineBatches(src, chunkSize), diag, header)];
  return { events, diag, comments: header.comments };
}

/** inferno-collapse-perf (cargo install inferno), or undefined. */
export const INFERNO = [join(homedir(), '.cargo', 'bin', 'inferno-collapse-perf'), '/usr/local/bin/inferno-collapse-perf'].find((p) => existsSync(p)) ??
  (() => {
    try {
      return execFileSync('sh', ['-c', 'command -v inferno-collapse-perf'], { encoding: 'utf8' }).trim() || undefined;
    } catch {
      return undefined;
    }
  })();
