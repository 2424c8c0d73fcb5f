/**
 * Event text in exactly the form of Go's Event.String() (internal/trace,
 * golang.org/x/exp/trace). It is how we compare our reader with Go's, event
 * for event, and `stallscope events --format go` prints it.
 */
import type { TraceEvent } from '../../model/events.js';
import type { StackTable } from '../../model/stacks.js';

/** Go prints uint64 task IDs; our -1 ("none") is 2^64-1 there. */
const u64 = (v: number): string => (v === -1 ? '18446744073709551615' : String(v));

export function formatGoEvent(ev: TraceEvent, stacks: StackTable): string {
  let s = `M=${ev.thread} P=${ev.proc} G=${ev.goroutine} ${ev.kind} Time=${ev.time}`;
  switch (ev.kind) {
    case 'Metric':
      s += ` Name=${goQuote(ev.name)} Value=Value{Uint64(${u64(ev.value)})}`;
      break;
    case 'Label':
      s += ` Label=${goQuote(ev.name)} Resource=Goroutine(${ev.id})`;
      break;
    case 'RangeBegin':
    case 'RangeActive':
    case 'RangeEnd':
      s += ` Name=${goQuote(ev.name)} Scope=${ev.scope === 'None' ? 'None' : `${ev.scope}(${ev.id})`}`;
      if (ev.kind === 'RangeEnd') {
        s += ' Attributes=[';
        if (ev.value !== -1) s += `"bytes swept"=Value{Uint64(${ev.value})} "bytes reclaimed"=Value{Uint64(${ev.value2})}`;
        s += ']';
      }
      break;
    case 'TaskBegin':
    case 'TaskEnd':
      s += ` ID=${u64(ev.id)} Parent=${u64(ev.parent)} Type=${goQuote(ev.name)}`;
      break;
    case 'RegionBegin':
    case 'RegionEnd':
      s += ` Task=${u64(ev.parent)} Type=${goQuote(ev.name)}`;
      break;
    case 'Log':
      s += ` Task=${u64(ev.parent)} Category=${goQuote(ev.name)} Message=${goQuote(ev.message)}`;
      break;
    case 'StateTransition':
      s += ev.resource === 'Goroutine' ? ` GoID=${ev.id} ${ev.from}->${ev.to}` : ` ProcID=${ev.id} ${ev.from}->${ev.to}`;
      s += ` Reason=${goQuote(ev.reason)}`;
      if (ev.transitionStack !== 0) s += '\nTransitionStack=\n' + formatGoStack(stacks, ev.transitionStack, '\t');
      break;
    case 'Experimental':
      s += ` Name=${ev.name} Args=[${ev.args.map((a, i) => `${a}=Value{Uint64(${u64(ev.values[i] ?? 0)})}`).join(', ')}]`;
      break;
    case 'Sync':
      s += ` N=${ev.id}`;
      if (ev.name !== '') s += ` Trace=${ev.value} Mono=${ev.value2} Wall=${rfc3339Nano(ev.name)}`;
      break;
    case 'StackSample':
      break;
  }
  if (ev.stack !== 0) s += '\nStack=\n' + formatGoStack(stacks, ev.stack, '\t');
  return s;
}

export function formatGoStack(stacks: StackTable, id: number, prefix: string): string {
  let s = '';
  for (const f of stacks.frames(id)) {
    s += `${prefix}${f.func} @ 0x${f.pc.toString(16)}\n${prefix}\t${f.file}:${f.line}\n`;
  }
  return s;
}

/** "sec.nsec" → Go's time.Format(time.RFC3339Nano) in UTC. */
function rfc3339Nano(secDotNsec: string): string {
  const [sec, nsec] = secDotNsec.split('.') as [string, string];
  const d = new Date(Number(sec) * 1000);
  const frac = nsec.replace(/0+$/, '');
  return d.toISOString().replace(/\.\d{3}Z$/, frac ? `.${frac}Z` : 'Z');
}

/** Go's strconv.Quote (for the characters trace strings contain in practice). */
export function goQuote(str: string): string {
  let out = '"';
  for (const ch of str) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c === 11) out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c >= 0x80 && c < 0xa0) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}
