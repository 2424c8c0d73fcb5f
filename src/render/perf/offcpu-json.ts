/**
 * The JSON report for a perf sched capture: the same schema as every report,
 * with "offcpu" in place of the profile sections, and the findings drawn from
 * off-CPU time (threads parked for goroutines locked to them).
 */
import type { OffCpuResult } from '../../analyzers/perf/offcpu.js';
import { offCpuSummary } from './offcpu-text.js';
import type { ProfileInputInfo } from '../profile/report.js';
import { findingJson, REPORT_SCHEMA } from '../finding-json.js';
import type { Finding } from '../../model/findings.js';

export function offCpuReportJson(input: ProfileInputInfo, o: OffCpuResult, version: string, findings: readonly Finding[]): Record<string, unknown> {
  return { schema: REPORT_SCHEMA, tool: { name: 'stallscope', version }, input, findings: findings.map(findingJson), offcpu: offCpuSummary(o) };
}
