/**
 * A semantic check of an event stream, after Go's testtrace.Validator: times
 * strictly increase, Syncs count up, every state transition starts from the
 * state the resource was left in, ranges and tasks pair up. Returns the
 * problems found (empty when the stream is consistent).
 */
import type { TraceEvent } from '../../src/model/events.js';

export function validateStream(events: readonly TraceEvent[]): string[] {
  const errs: string[] = [];
  let lastTs = -Infinity;
  let lastSync = 0;
  const gs = new Map<number, string>();
  const ps = new Map<number, string>();
  const ranges = new Set<string>();
  const tasks = new Map<number, string>();
  for (const ev of events) {
    if (errs.length > 20) break;
    if (!(ev.time > lastTs)) errs.push(`timestamp out of order at ${ev.time} (after ${lastTs})`);
    lastTs = ev.time;
    switch (ev.kind) {
      case 'Sync':
        if (ev.id !== lastSync + 1) errs.push(`sync count is not sequential: expected ${lastSync + 1}, got ${ev.id}`);
        lastSync = ev.id;
        break;
      case 'StateTransition': {
        const table = ev.resource === 'Goroutine' ? gs : ps;
        const what = ev.resource === 'Goroutine' ? 'goroutine' : 'proc';
        if (ev.to === 'Undetermined') errs.push(`transition to undetermined state for ${what} ${ev.id}`);
        if (ev.from === 'Undetermined' && lastSync > 1) errs.push(`undetermined ${what} ${ev.id} after first global sync`);
        const prev = table.get(ev.id);
        if (ev.from !== 'Undetermined') {
          if (prev !== undefined && prev !== ev.from) errs.push(`bad old state for ${what} ${ev.id}: got ${ev.from}, want ${prev}`);
          if (prev === undefined && ev.from !== 'NotExist') errs.push(`bad old state for unregistered ${what} ${ev.id}: ${ev.from}`);
        }
        if (ev.to === 'NotExist') table.delete(ev.id);
        else table.set(ev.id, ev.to);
        break;
      }
      case 'RangeBegin':
      case 'RangeActive':
      case 'RangeEnd': {
        const key = `${ev.name}@${ev.scope}(${ev.id})`;
        if (ev.kind === 'RangeEnd') {
          // A range that began before the trace may end without a begin only through an Active event.
          if (!ranges.delete(key)) errs.push(`inactive range ${key} ended`);
        } else {
          if (ev.kind === 'RangeBegin' && ranges.has(key)) errs.push(`already active range ${key} begun again`);
          ranges.add(key);
        }
        break;
      }
      case 'TaskBegin':
        if (ev.id === 0) errs.push(`found background task as task ${ev.name}`);
        tasks.set(ev.id, ev.name);
        break;
      case 'TaskEnd': {
        const typ = tasks.get(ev.id);
        if (typ !== undefined && ev.name !== typ) errs.push(`task end type ${ev.name} doesn't match task start type ${typ} for task ${ev.id}`);
        tasks.delete(ev.id);
        break;
      }
      default:
        break;
    }
  }
  return errs;
}
