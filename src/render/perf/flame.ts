/** A perf capture's on-CPU or off-CPU view as a flame-graph page, with its provenance. */
import type { PerfCapture, PerfView } from '../../analyzers/perf/capture.js';
import { perfViewStacks } from '../../analyzers/perf/views.js';
import { fmtDuration } from '../../util/units.js';
import { buildFlameTree, flameTreeWarnings } from '../flame/tree.js';
import { renderFlameHtml } from '../flame/html.js';
import { provenanceLines } from '../flame/provenance.js';

/** Off-CPU states keep one colour each across pages: waiting for a CPU warm, sleeping cool, disk/uninterruptible red. */
const STATE_PALETTE: Readonly<Record<string, string>> = {
  'R running, preempted': '#f28e2b',
  'S sleeping': '#4e79a7',
  'D uninterruptible': '#e15759',
  'I idle': '#9c9c9c',
};

const VIEW_TITLE: Record<PerfView, string> = {
  cpu: 'perf samples by stack',
  offcpu: 'Off-CPU time by state and stack (sched_switch)',
};

export function perfFlameHtml(c: PerfCapture, view: PerfView, warnings: readonly string[], maxNodes: number, toolVersion: string): { html: string; stacks: number; warnings: string[] } {
  const { stacks, unit, countLabel } = perfViewStacks(c, view);
  const tree = buildFlameTree(stacks, 'all', maxNodes);
  const total = unit === 'ns' ? fmtDuration(tree.total) : `${tree.total.toLocaleString('en-US')} ${unit === 'samples' ? 'samples' : countLabel}`;
  const version = c.comments.find((l) => l.startsWith('perf version'));
  const meta = provenanceLines({
    file: c.file,
    bytes: c.bytes,
    sha256: c.sha256,
    format: 'perf script',
    about: [
      `events: ${[...c.eventCounts].map(([e, n]) => `${e} ×${n}`).join(', ')}${version ? `; ${version}` : ''}`,
      `view: ${view}${view === 'cpu' ? ` (${c.folder.event ?? 'no events'})` : ''}, total ${total} in ${stacks.length} stacks`,
    ],
    warnings,
    toolVersion,
  });
  const html = renderFlameHtml({ title: `${VIEW_TITLE[view]}: ${c.file}`, meta, unit, countLabel, tree, palette: STATE_PALETTE });
  return { html, stacks: stacks.length, warnings: flameTreeWarnings(tree) };
}
