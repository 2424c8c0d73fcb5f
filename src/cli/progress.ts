/**
 * A one-line progress indicator on stderr for long reads, only when stderr is
 * a terminal (never in pipes, CI logs or tests).
 */
import { fmtBytes } from '../util/units.js';
import { CR, ESC } from '../render/terminal.js';

export class Progress {
  private last = 0;
  private shown = false;
  constructor(
    private readonly stderr: { write(s: string): unknown; isTTY?: boolean },
    private readonly label: string,
    private readonly total: number | undefined,
  ) {}

  /** Call often; it redraws at most ten times a second. */
  update(done: number): void {
    if (!this.stderr.isTTY) return;
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    const pct = this.total ? ` ${Math.min(100, Math.floor((done / this.total) * 100))}%` : '';
    this.stderr.write(`${CR}${this.label}:${pct} ${fmtBytes(done)}${this.total ? ` of ${fmtBytes(this.total)}` : ''}${ESC}[K`);
    this.shown = true;
  }

  done(): void {
    if (this.shown) this.stderr.write(`${CR}${ESC}[K`); // stand-ins: stderr goes through terminalText (main.ts)
    this.shown = false;
  }
}
