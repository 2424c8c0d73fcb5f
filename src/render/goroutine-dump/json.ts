/**
 * The JSON report for goroutine dumps: schema stallscope.report/v1 like
 * traces and profiles, findings alike, input.format "goroutine-dump", and a
 * "dump" section: dump.goroutines is the goroutine count, dump.groups the
 * goroutines grouped by stack. Two dumps add a "comparison" section.
 */
import type { DumpAnalysis, DumpComparison, DumpGroup } from '../../analyzers/goroutine-dump/index.js';
import { topState } from '../../analyzers/goroutine-dump/index.js';
import type { DumpFrame } from '../../parsers/goroutine-dump/types.js';
import { findingJson, REPORT_SCHEMA } from '../finding-json.js';
import type { DumpInputInfo, DumpReport } from './report.js';

/** Goroutine ids listed per group: enough to find them in the dump. */
const MAX_IDS = 50;

const frameJson = (f: DumpFrame | { func: string; file: string; line: number }) => ({ func: f.func, file: f.file, line: f.line, ...('args' in f ? { args: f.args } : {}) });

const counts = (m: ReadonlyMap<string, number>): Record<string, number> => Object.fromEntries([...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));

function groupJson(g: DumpGroup): Record<string, unknown> {
  return {
    count: g.count,
    state: topState(g) || null,
    by_state: counts(g.states),
    ids: g.ids.slice(0, MAX_IDS),
    locked: g.locked,
    wait_minutes_min: g.minMinutes,
    wait_minutes_max: g.maxMinutes,
    created_by: [...g.creators.keys()].filter((c) => c !== '')[0] ?? null,
    labels: g.labels,
    elided: g.elided,
    stack: g.frames.map(frameJson),
  };
}

function inputJson(i: DumpInputInfo): Record<string, unknown> {
  return { file: i.file, sha256: i.sha256, bytes: i.bytes, format: 'goroutine-dump', warnings: i.warnings, skipped_lines: i.skippedLines, dumps: i.dumps };
}

export function dumpJson(d: DumpAnalysis, top: number): Record<string, unknown> {
  return {
    form: d.dump.form,
    preamble: d.dump.preamble.filter((l) => l.trim() !== ''),
    declared_total: d.dump.declaredTotal ?? null,
    goroutines: d.goroutines,
    runtime_goroutines: d.runtimeGoroutines,
    system_stacks: d.systemStacks,
    locked: d.locked,
    by_state: Object.fromEntries(d.byState.map((s) => [s.name, s.count])),
    by_creator: d.byCreator.slice(0, top).map((c) => ({ func: c.name || null, goroutines: c.count })),
    by_wait_minutes: d.byWaitMinutes.map((w) => ({ minutes: Number(w.name), goroutines: w.count })),
    group_count: d.groups.length,
    groups: d.groups.slice(0, top).map(groupJson),
  };
}

function comparisonJson(c: DumpComparison): Record<string, unknown> {
  return {
    earlier_goroutines: c.earlier.goroutines,
    later_goroutines: c.later.goroutines,
    interval_ns: c.intervalNs ?? null,
    stuck_goroutines: c.stuckGoroutines,
    stuck: c.stuck.map((s) => ({ goroutines: s.ids.length, state: s.state, ids: s.ids.slice(0, MAX_IDS), wait_minutes_max: s.maxMinutes, stack: s.group.frames.map(frameJson) })),
    growth: c.growth.map((g) => ({ before: g.before, after: g.after, growth: g.after - g.before, state: g.state || null, stack: g.frames.map(frameJson) })),
  };
}

export function dumpReportJson(r: DumpReport, version: string, top = 50): Record<string, unknown> {
  return {
    schema: REPORT_SCHEMA,
    tool: { name: 'stallscope', version },
    input: inputJson(r.inputs[r.inputs.length - 1]!),
    inputs: r.inputs.map(inputJson),
    merge_args: r.mergeArgs,
    dump: dumpJson(r.latest, top),
    comparison: r.comparison ? comparisonJson(r.comparison) : null,
    findings: r.findings.map(findingJson),
  };
}
