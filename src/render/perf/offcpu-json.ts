/**
 * The JSON report for a perf sched capture: the same schema as every report,
 * with "offcpu" in place of the profile sections. stallscope draws no findings
 * from off-CPU time yet; `findings` is there, empty, so that `.findings` reads
 * the same in every report and --fail-on has one place to look.
 */
import type { OffCpuResult } from '../../analyzers/perf/offcpu.js';
import { offCpuSummary } from './offcpu-text.js';
import type { ProfileInputInfo } from '../profile/report.js';
import { REPORT_SCHEMA } from '../finding-json.js';

export function offCpuReportJson(input: ProfileInputInfo, o: OffCpuResult, version: string): Record<string, unknown> {
  return { schema: REPORT_SCHEMA, tool: { name: 'stallscope', version }, input, findings: [], offcpu: offCpuSummary(o) };
}
