/** A goroutine dump as a flame-graph page: goroutines by stack, counted, as a goroutine profile is drawn. */
import { dumpStacks } from '../../analyzers/goroutine-dump/index.js';
import { renderFlameHtml } from '../flame/html.js';
import { provenanceLines } from '../flame/provenance.js';
import { buildFlameTree } from '../flame/tree.js';
import { FORM_ABOUT, type DumpReport } from './report.js';

export function dumpFlameHtml(r: DumpReport, opts: { maxNodes?: number; toolVersion: string }): { html: string; total: number; stacks: number } {
  const d = r.latest;
  const stacks = dumpStacks(d);
  const tree = buildFlameTree(stacks, 'all', opts.maxNodes ?? 4000);
  const input = r.inputs[r.inputs.length - 1]!;
  const meta = provenanceLines({
    file: input.file,
    bytes: input.bytes,
    sha256: input.sha256,
    about: [
      `${FORM_ABOUT[d.dump.form]}${input.dumps > 1 ? `, the last of ${input.dumps} dumps in the input` : ''}`,
      `value: goroutines, ${tree.total.toLocaleString('en-US')} in ${stacks.length} stacks`,
    ],
    warnings: input.warnings,
    toolVersion: opts.toolVersion,
  });
  const html = renderFlameHtml({ title: `goroutines by stack: ${input.file}`, meta, unit: 'count', tree });
  return { html, total: tree.total, stacks: stacks.length };
}
