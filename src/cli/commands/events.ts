/** `stallscope events <trace>`: every event, one per line (or JSON lines, or Go's own text form). */
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import type { TraceEvent } from '../../model/events.js';
import type { StackTable } from '../../model/stacks.js';
import { formatGoEvent } from '../../parsers/gotrace/format-go.js';
import { Output, type CliIO } from '../io.js';
import { openTraceInput, printWarnings } from '../build/trace-stream.js';
import { jsonText, terminalText } from '../../render/terminal.js';

export function registerEvents(program: Command, io: CliIO): void {
  program
    .command('events')
    .description('print every event of a Go execution trace, one per line')
    .argument('<trace>', 'trace file (runtime/trace or flight recorder output); - for stdin')
    .option('--json', 'one JSON object per line')
    .option('--format <form>', 'text form: "line" or "go" (exactly as Go\'s Event.String())', 'line')
    .action(async (path: string, opts: { json?: boolean; format: string }) => {
      if (opts.format !== 'line' && opts.format !== 'go') throw new UsageError(`--format: "${opts.format}" must be "line" or "go"`);
      const input = openTraceInput(path, io);
      const out = new Output(io.stdout);
      const stacks = input.reader.stacks;
      try {
        for (let rec = input.next(); rec; rec = input.next()) {
          const ev = rec.asEvent();
          const line = opts.json ? jsonText(JSON.stringify(eventJson(ev, stacks))) : terminalText(opts.format === 'go' ? formatGoEvent(ev, stacks) : formatLine(ev, stacks));
          const wait = out.write(line + '\n');
          if (wait) await wait;
        }
      } finally {
        await out.flush();
        printWarnings(io, input.close());
      }
    });
}

function leaf(stacks: StackTable, id: number): string {
  const frames = stacks.frames(id);
  if (frames.length === 0) return '';
  return ` stack=${frames
    .slice(0, 3)
    .map((f) => f.func)
    .join('<')}${frames.length > 3 ? '<…' : ''}`;
}

/** A compact one-line form for people: time, context, what happened, where. */
export function formatLine(ev: TraceEvent, stacks: StackTable): string {
  let s = `${ev.time} M=${ev.thread} P=${ev.proc} G=${ev.goroutine} ${ev.kind}`;
  switch (ev.kind) {
    case 'StateTransition':
      s += ` ${ev.resource}(${ev.id}) ${ev.from}->${ev.to}`;
      if (ev.reason) s += ` reason=${JSON.stringify(ev.reason)}`;
      if (ev.transitionStack && ev.transitionStack !== ev.stack) s += leaf(stacks, ev.transitionStack).replace(' stack=', ' gstack=');
      break;
    case 'RangeBegin':
    case 'RangeActive':
    case 'RangeEnd':
      s += ` ${JSON.stringify(ev.name)} scope=${ev.scope}${ev.scope === 'None' ? '' : `(${ev.id})`}`;
      break;
    case 'Metric':
      s += ` ${ev.name}=${ev.value}`;
      break;
    case 'Label':
      s += ` ${JSON.stringify(ev.name)}`;
      break;
    case 'TaskBegin':
    case 'TaskEnd':
      s += ` id=${ev.id} parent=${ev.parent} type=${JSON.stringify(ev.name)}`;
      break;
    case 'RegionBegin':
    case 'RegionEnd':
      s += ` task=${ev.parent} type=${JSON.stringify(ev.name)}`;
      break;
    case 'Log':
      s += ` task=${ev.parent} ${JSON.stringify(ev.name)}=${JSON.stringify(ev.message)}`;
      break;
    case 'Sync':
      s += ` N=${ev.id}${ev.name ? ` wall=${ev.name} trace=${ev.value}` : ''}`;
      break;
    case 'Experimental':
      s += ` ${ev.name} ${ev.args.map((a, i) => `${a}=${ev.values[i]}`).join(' ')}`;
      break;
    case 'StackSample':
      break;
  }
  return s + leaf(stacks, ev.stack);
}

function stackJson(stacks: StackTable, id: number): { func: string; file: string; line: number }[] | undefined {
  if (id === 0) return undefined;
  return stacks.frames(id).map((f) => ({ func: f.func, file: f.file, line: f.line }));
}

/** The JSON-lines form: only the fields that mean something for the kind. */
export function eventJson(ev: TraceEvent, stacks: StackTable): Record<string, unknown> {
  const o: Record<string, unknown> = { time: ev.time, kind: ev.kind, thread: ev.thread, proc: ev.proc, goroutine: ev.goroutine };
  switch (ev.kind) {
    case 'StateTransition':
      Object.assign(o, { resource: ev.resource, id: ev.id, from: ev.from, to: ev.to });
      if (ev.reason) o.reason = ev.reason;
      if (ev.transitionStack) o.transitionStack = stackJson(stacks, ev.transitionStack);
      break;
    case 'RangeBegin':
    case 'RangeActive':
    case 'RangeEnd':
      Object.assign(o, { name: ev.name, scope: ev.scope, id: ev.id });
      if (ev.value !== -1) Object.assign(o, { bytesSwept: ev.value, bytesReclaimed: ev.value2 });
      break;
    case 'Metric':
      Object.assign(o, { name: ev.name, value: ev.value });
      break;
    case 'Label':
      Object.assign(o, { label: ev.name, id: ev.id });
      break;
    case 'TaskBegin':
    case 'TaskEnd':
      Object.assign(o, { id: ev.id, parent: ev.parent, type: ev.name });
      break;
    case 'RegionBegin':
    case 'RegionEnd':
      Object.assign(o, { task: ev.parent, type: ev.name });
      break;
    case 'Log':
      Object.assign(o, { task: ev.parent, category: ev.name, message: ev.message });
      break;
    case 'Sync':
      o.n = ev.id;
      if (ev.name) Object.assign(o, { clockTrace: ev.value, clockMono: ev.value2, clockWall: ev.name });
      break;
    case 'Experimental':
      Object.assign(o, { name: ev.name, args: Object.fromEntries(ev.args.map((a, i) => [a, ev.values[i]])) });
      break;
    case 'StackSample':
      break;
  }
  const st = stackJson(stacks, ev.stack);
  if (st) o.stack = st;
  return o;
}
