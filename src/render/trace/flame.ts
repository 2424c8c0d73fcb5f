/** A trace report's view as a flame-graph page, with its provenance. */
import { runtimeLeftOut, traceView, viewUnit, type TraceView, type ViewOptions } from '../../analyzers/trace/views.js';
import { fmtDuration } from '../../util/units.js';
import { buildFlameTree, flameTreeWarnings } from '../flame/tree.js';
import { renderFlameHtml } from '../flame/html.js';
import { provenanceLines } from '../flame/provenance.js';
import type { TraceReport } from './report.js';

const VIEW_TITLE: Record<TraceView, string> = {
  blocking: 'Blocking time by reason and stack',
  sched: 'Scheduler wait (runnable → running) by the stack that made goroutines runnable',
  cpu: 'CPU samples by stack',
  wall: 'Wall clock: on-CPU (CPU samples) and off-CPU (blocked) time',
};

export interface FlameOptions extends ViewOptions {
  readonly maxNodes?: number;
  readonly toolVersion: string;
}

export function traceFlameHtml(r: TraceReport, view: TraceView, opts: FlameOptions): { html: string; total: number; stacks: number; warnings: string[] } {
  const stacks = traceView(r.analysis, r.stacks, view, opts);
  const unit = viewUnit(view);
  const tree = buildFlameTree(stacks, 'all', opts.maxNodes ?? 4000);
  const s = r.analysis.summary;
  const leftOut = runtimeLeftOut(r.analysis, r.stacks, view, opts);
  const total = unit === 'ns' ? fmtDuration(tree.total) : `${tree.total.toLocaleString('en-US')} samples`;
  const meta = provenanceLines({
    file: r.input.file,
    bytes: r.input.bytes,
    sha256: r.input.sha256,
    warnings: r.input.warnings,
    about: [
      `Go trace format ${r.input.version}, ${r.input.generations} generation(s)`,
      `time window: ${s.startNs} … ${s.endNs} ns on the trace clock (${fmtDuration(s.durationNs)})${s.wallStart ? `, starting ${s.wallStart}` : ''}`,
      `view: ${view}${opts.reasons?.length ? ` (reasons: ${opts.reasons.join(', ')})` : ''}, total ${total} in ${stacks.length} stacks`,
      ...(leftOut > 0 ? [`left out: ${fmtDuration(leftOut)} of the runtime's own waits (GC workers, sweeper, scavenger, tracer; --include-runtime keeps them)`] : []),
    ],
    toolVersion: opts.toolVersion,
  });
  const html = renderFlameHtml({ title: `${VIEW_TITLE[view]}: ${r.input.file}`, meta, unit, tree });
  return { html, total: tree.total, stacks: stacks.length, warnings: flameTreeWarnings(tree) };
}
