/**
 * The JSON report for a profile: the same schema as for traces
 * (stallscope.report/v1, findings alike), with input.format "pprof" and a
 * "profile" section in place of the trace sections.
 */
import { profileEmptiness } from '../../analyzers/profile/empty.js';
import { PROFILE_KIND_ABOUT } from '../../analyzers/profile/kind.js';
import { findingJson, frameJson, REPORT_SCHEMA } from '../finding-json.js';
import { profileTime, type ProfileReport } from './report.js';

export function profileReportJson(r: ProfileReport, version: string, top = 50): Record<string, unknown> {
  const { profile: p, analysis: a } = r;
  const types = p.sampleTypes.map((t) => t.type);
  return {
    schema: REPORT_SCHEMA,
    tool: { name: 'stallscope', version },
    input: r.input,
    profile: {
      kind: a.kind,
      about: PROFILE_KIND_ABOUT[a.kind],
      sample_types: p.sampleTypes,
      sample_type: a.index >= 0 ? p.sampleTypes[a.index] : null,
      period_type: p.periodType ?? null,
      period: p.period,
      duration_ns: p.durationNs,
      time: profileTime(p),
      samples: p.samples.length,
      stacks: p.stacks.size,
      total: a.total,
      // Why there is nothing to rank (no samples, or all 0 for this sample type); null otherwise.
      empty: profileEmptiness(p, a),
    },
    findings: r.findings.map(findingJson),
    top_stacks: a.stacks.slice(0, top).map((s) => ({
      value: s.values[a.index],
      share: a.total ? s.values[a.index]! / a.total : 0,
      values: Object.fromEntries(types.map((t, i) => [t, s.values[i]])),
      samples: s.samples,
      stack: p.stacks.frames(s.stack).map(frameJson),
    })),
    functions: a.functions.slice(0, top).map((f) => ({ name: f.name, flat: f.flat, cum: f.cum })),
  };
}
