/**
 * Reading a trace into a report: one pass with every analyzer, the input's
 * sha256, warnings named after the file. Shared by analyze, flame and report.
 */
import { readFileSync } from 'node:fs';
import { analyzeTrace } from '../analyzers/analyze-trace.js';
import { traceFindings } from '../analyzers/trace-findings.js';
import { UsageError } from '../errors.js';
import type { ByteSource } from '../io/byte-source.js';
import { HashingSource } from '../io/hashing-source.js';
import { FINDING_KINDS, type Finding } from '../model/findings.js';
import { openGoTrace } from '../parsers/gotrace/index.js';
import type { TraceReport } from '../render/trace-report.js';
import type { CliIO } from './io.js';
import { displayName, nameErrors, openSource } from './open-input.js';
import { Progress } from './progress.js';

export const TOOL_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Which findings make the exit code 1: kinds, severities, or "any". */
export function failPredicate(spec: string | undefined): (f: Finding) => boolean {
  if (!spec) return () => false;
  const parts = spec.split(',').map((p) => p.trim()).filter(Boolean);
  for (const p of parts) {
    if (p !== 'any' && p !== 'critical' && p !== 'warning' && p !== 'info' && !(p in FINDING_KINDS)) {
      throw new UsageError(`--fail-on: unknown "${p}"; use any, critical, warning, or a finding kind: ${Object.keys(FINDING_KINDS).join(', ')}`);
    }
  }
  return (f) =>
    parts.some((p) => p === 'any' || p === f.kind || (p === 'critical' && f.severity === 'critical') || (p === 'warning' && f.severity !== 'info') || p === 'info');
}

export function buildTraceReport(path: string, io: CliIO, thresholdNs: number, source?: ByteSource): TraceReport {
  const src = new HashingSource(source ?? openSource(path));
  const name = displayName(path);
  try {
    const reader = nameErrors(path, () => openGoTrace(src));
    const progress = new Progress(io.stderr, `analyzing ${name}`, src.size);
    let n = 0;
    const next = () => {
      if ((++n & 0xffff) === 0) progress.update(reader.offset);
      return reader.next()?.asEvent() ?? null;
    };
    const analysis = nameErrors(path, () => analyzeTrace(next, reader.stacks, { stuckThresholdNs: thresholdNs }));
    progress.done();
    const sha256 = src.finish();
    return {
      input: {
        file: name,
        sha256,
        bytes: src.bytes,
        format: 'go-trace',
        version: `go 1.${reader.header.version}`,
        generations: reader.generations,
        warnings: reader.warnings.map((w) => `${name}: go-trace: ${w.message}`),
      },
      thresholdNs,
      analysis,
      findings: traceFindings(analysis, reader.stacks, sha256),
      stacks: reader.stacks,
    };
  } finally {
    src.close();
  }
}

