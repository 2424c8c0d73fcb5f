/** How reports say that --pid/--comm narrowed a perf capture, and that nothing was left. */
import { selectionFlags, type SelectionCount } from '../../analyzers/perf/selection.js';
import { fmtCount } from '../../util/units.js';

/** "only --comm app: 12 of 1,194 cpu-clock samples". */
export function selectionLine(s: SelectionCount): string {
  return `only ${selectionFlags(s)}: ${fmtCount(s.kept)} of ${fmtCount(s.total)} ${s.unit}`;
}

/** Said in place of the report body when the selection kept nothing: an empty report is not an all-clear. */
export function selectionEmpty(s: SelectionCount): string {
  return `nothing to analyze: no ${s.unit} match ${selectionFlags(s)} (the capture has ${fmtCount(s.total)}); check the pid or command name`;
}
