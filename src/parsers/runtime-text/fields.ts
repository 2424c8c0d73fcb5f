/**
 * The runtime prints its scheduler state as ` key=value` pairs. A value may
 * hold spaces (an M's preemptoff is a stop-the-world reason such as "GC sweep
 * termination"; a G's status carries its wait reason in parentheses), so a
 * value runs to the next " key=" rather than to the next space.
 */
const KEY = /(?:^| )([a-z]+)=/g;

export function fields(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const keys = [...text.matchAll(KEY)];
  keys.forEach((k, i) => {
    const end = i + 1 < keys.length ? keys[i + 1]!.index : text.length;
    out.set(k[1]!, text.slice(k.index + k[0].length, end));
  });
  return out;
}

/** A whole decimal number (negative allowed: an M's locks can be), or undefined. */
export function int(v: string | undefined): number | undefined {
  return v !== undefined && /^-?\d+$/.test(v) ? Number(v) : undefined;
}

/** An id, which the runtime prints as "nil" when there is none (as -1 before Go 1.21). */
export function idOrNil(v: string | undefined): number | undefined | null {
  if (v === 'nil' || v === '-1') return undefined;
  const n = int(v);
  return n === undefined ? null : n; // null: not an id at all
}

/** A flag: "true"/"false", or 1/0 where the runtime prints an integer (gcwaiting, sysmonwait before Go 1.21). */
export function bool(v: string | undefined): boolean | undefined {
  return v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : undefined;
}
