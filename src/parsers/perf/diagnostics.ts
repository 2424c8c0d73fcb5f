/**
 * Lines a reader could not use, counted by kind with the first few kept as
 * examples: memory stays flat however damaged a gigabyte capture is.
 */
export type PerfDiagnosticCode =
  | 'EVENT_LINE' // a line where an event header was expected
  | 'STACK_LINE' // an indented line that is not a frame
  | 'NO_TRACE' // a sched tracepoint without its arguments (-F without `trace`)
  | 'TRACE_ARGS' // tracepoint arguments of an unexpected shape
  | 'NO_PERIOD'; // an offcpu-time sample without its period (-F without `period`)

const ABOUT: Record<PerfDiagnosticCode, string> = {
  EVENT_LINE: 'lines that are not perf script event headers',
  STACK_LINE: 'stack lines that are not frames',
  NO_TRACE: 'sched events without their arguments (record the script with -F …,trace)',
  TRACE_ARGS: 'tracepoint arguments that could not be read',
  NO_PERIOD: 'offcpu-time samples without their period, the time off the CPU (record the script with -F …,period)',
};

const MAX_EXAMPLES = 10;

export class PerfDiagnostics {
  readonly counts = new Map<PerfDiagnosticCode, number>();
  readonly examples: { code: PerfDiagnosticCode; line: number; text: string }[] = [];

  add(code: PerfDiagnosticCode, line: number, text: string): void {
    this.counts.set(code, (this.counts.get(code) ?? 0) + 1);
    if (this.examples.length < MAX_EXAMPLES) this.examples.push({ code, line, text: text.slice(0, 200) });
  }

  get total(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c;
    return n;
  }

  /** One warning per kind, with the first example: "3 lines that are not … (first at line 12: "…")". */
  warnings(): string[] {
    return [...this.counts].map(([code, n]) => {
      const first = this.examples.find((e) => e.code === code);
      return `${n.toLocaleString('en-US')} ${ABOUT[code]}${first ? ` (first at line ${first.line}: ${JSON.stringify(first.text)})` : ''}`;
    });
  }
}
