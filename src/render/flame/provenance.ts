/**
 * The provenance lines at the top of every flame page: which input (name,
 * size, sha256), what of it is drawn, its warnings, and which stallscope drew it.
 */
import { fmtBytes } from '../../util/units.js';

export interface Provenance {
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
  /** Named before the size when the page's title does not say it (e.g. "perf script"). */
  readonly format?: string;
  /** The family's own lines: format, time window, view and total. */
  readonly about: readonly string[];
  readonly warnings?: readonly string[];
  readonly toolVersion: string;
}

export function provenanceLines(p: Provenance): string[] {
  return [
    `input: ${p.file} (${p.format ? `${p.format}, ` : ''}${fmtBytes(p.bytes)}, sha256 ${p.sha256})`,
    ...p.about,
    ...(p.warnings ?? []).map((w) => `warning: ${w}`),
    `made by stallscope ${p.toolVersion}`,
  ];
}
