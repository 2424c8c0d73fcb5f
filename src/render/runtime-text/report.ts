/** Everything a report about one runtime-text log needs, whatever its output format. */
import type { RuntimeTextAnalysis } from '../../analyzers/runtime-text/index.js';
import type { Finding } from '../../model/findings.js';

export interface RuntimeTextInputInfo {
  readonly file: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly format: 'runtime-text';
  readonly warnings: readonly string[];
}

export interface RuntimeTextReport {
  readonly input: RuntimeTextInputInfo;
  readonly analysis: RuntimeTextAnalysis;
  /** The analysis's findings, as every report has them. */
  readonly findings: readonly Finding[];
}

/**
 * Text from the log shown as it is, except control characters: a wait reason
 * or a file name must not reach a terminal as an escape sequence or a line
 * break, so each becomes a visible \xNN (or \u{…}).
 */
export function visible(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    const n = c.codePointAt(0)!;
    return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u{${n.toString(16)}}`;
  });
}

/** The warnings a log earns: its damaged lines. */
export function logWarnings(a: RuntimeTextAnalysis): string[] {
  const s = a.stats;
  return s.damagedLines > 0
    ? [`${s.damagedLines} line${s.damagedLines === 1 ? '' : 's'} started like the runtime's but did not read as one (cut, or mixed with other output), the first at line ${s.firstDamagedLine}; skipped`]
    : [];
}
