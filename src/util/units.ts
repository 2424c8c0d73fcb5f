/** Human units for terminal and Markdown output. */
export function fmtDuration(ns: number): string {
  const a = Math.abs(ns);
  if (a < 1e3) return `${ns}ns`;
  if (a < 1e6) return `${(ns / 1e3).toFixed(a < 1e4 ? 2 : 1)}µs`;
  if (a < 1e9) return `${(ns / 1e6).toFixed(a < 1e7 ? 2 : 1)}ms`;
  if (a < 60e9) return `${(ns / 1e9).toFixed(2)}s`;
  const m = Math.floor(a / 60e9);
  return `${ns < 0 ? '-' : ''}${m}m${((a - m * 60e9) / 1e9).toFixed(1)}s`;
}

export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[i]}`;
}

export function fmtCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** "1 goroutine", "3 goroutines": a count with its noun, plural when it is not one. */
export function fmtCountOf(n: number, noun: string): string {
  return `${fmtCount(n)} ${n === 1 ? noun : `${noun}s`}`;
}
