/** A runtime-text log's entry in a postmortem bundle's index.html (no flame graphs: this text has no stacks). */
import { RUNTIME_TEXT_LIMITS } from '../../analyzers/runtime-text/index.js';
import { fmtBytes, fmtCountOf, fmtDuration } from '../../util/units.js';
import type { BundleEntry } from '../bundle/index-html.js';
import { visible, type RuntimeTextReport } from './report.js';

export function runtimeTextBundleEntry(r: RuntimeTextReport): BundleEntry {
  const a = r.analysis;
  const st = a.stats;
  return {
    file: visible(r.input.file),
    about: [
      `GODEBUG runtime text, ${fmtBytes(r.input.bytes)}, sha256 ${r.input.sha256}`,
      `${fmtCountOf(st.schedLines, 'SCHED sample')}${a.scheddetail ? ' with scheddetail' : ''}` +
        `${a.firstNs !== undefined ? ` from ${fmtDuration(a.firstNs)} to ${fmtDuration(a.lastNs!)}` : ''}, ${fmtCountOf(st.gcLines, 'gc line')}, ${fmtCountOf(st.otherLines, 'other line')} skipped`,
    ],
    warnings: r.input.warnings,
    findings: a.findings,
    noFindings: `No findings: no P stuck for ${fmtDuration(a.stuckThresholdNs)} or more, no GC pause of ${fmtDuration(RUNTIME_TEXT_LIMITS.longGcPauseNs)} or more, no thread pile-up.`,
    flames: [],
  };
}
