/**
 * What the dump reader could not use: lines of the log around the dumps
 * (skipped and counted, a few kept as examples) and damage (a cut goroutine,
 * a stack line out of place), as warnings. Memory stays flat however long the log.
 */
const MAX_EXAMPLES = 3;

export class DumpDiagnostics {
  /** Non-blank lines that are not part of any dump. */
  skippedLines = 0;
  readonly skippedExamples: { line: number; text: string }[] = [];
  readonly warnings: string[] = [];

  skip(line: number, text: string): void {
    this.skippedLines++;
    if (this.skippedExamples.length < MAX_EXAMPLES) this.skippedExamples.push({ line, text: text.slice(0, 120) });
  }

  warn(message: string): void {
    if (this.warnings.length < 20) this.warnings.push(message);
  }
}
