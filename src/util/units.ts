/** Human units for terminal and Markdown output. A value that rounds up to the next unit is written in it ("1.00s", never "1000.0ms"; "4m0.0s", never "3m60.0s"). */
export function fmtDuration(ns: number): string {
  const a = Math.abs(ns);
  const sign = ns < 0 ? '-' : '';
  if (a < 1e3) return `${ns}ns`;
  for (const [limit, div, unit] of DURATION_UNITS) {
    if (a >= limit) continue;
    const digits = a < div * 10 ? 2 : 1;
    const text = (a / div).toFixed(digits);
    if (Number(text) * div < limit) return `${sign}${text}${unit}`;
  }
  const tenths = Math.round(a / 1e8);
  const m = Math.floor(tenths / 600);
  return `${sign}${m}m${((tenths - m * 600) / 10).toFixed(1)}s`;
}

/** Upper limit (ns), divisor and unit of each unit below minutes. */
const DURATION_UNITS: readonly (readonly [number, number, string])[] = [
  [1e6, 1e3, 'µs'],
  [1e9, 1e6, 'ms'],
  [60e9, 1e9, 's'],
];

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
