/** A pprof profile's ranking value as a flame-graph page, with its provenance. */
import { profileView } from '../../analyzers/profile/views.js';
import { fmtBytes, fmtDuration } from '../../util/units.js';
import { buildFlameTree, flameTreeWarnings } from '../flame/tree.js';
import { renderFlameHtml } from '../flame/html.js';
import { provenanceLines } from '../flame/provenance.js';
import { profileTime, type ProfileReport } from './report.js';

export function profileFlameHtml(r: ProfileReport, opts: { maxNodes?: number; toolVersion: string }): { html: string; total: number; stacks: number; unit: string; warnings: string[] } {
  const { stacks, unit, sampleType } = profileView(r);
  const tree = buildFlameTree(stacks, 'all', opts.maxNodes ?? 4000);
  const total = unit === 'ns' ? fmtDuration(tree.total) : unit === 'bytes' ? fmtBytes(tree.total) : tree.total.toLocaleString('en-US');
  const when = profileTime(r.profile);
  const meta = provenanceLines({
    file: r.input.file,
    bytes: r.input.bytes,
    sha256: r.input.sha256,
    about: [
      `pprof ${r.analysis.kind} profile${when ? ` taken ${when}` : ''}${r.profile.durationNs ? `, covering ${fmtDuration(r.profile.durationNs)}` : ''}`,
      `value: ${sampleType}, total ${total} in ${stacks.length} stacks`,
    ],
    toolVersion: opts.toolVersion,
  });
  const html = renderFlameHtml({ title: `${r.analysis.kind} profile by stack (${sampleType}): ${r.input.file}`, meta, unit, tree });
  return { html, total: tree.total, stacks: stacks.length, unit: total, warnings: flameTreeWarnings(tree) };
}
