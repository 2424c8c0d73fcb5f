/**
 * Folded stacks from `perf script` events, by stackcollapse-perf.pl's rules:
 * root first (perf prints leaf first), the comm as root frame (spaces → "_",
 * "-pid" or "-pid/tid" when asked), weighted by the sample period when perf
 * printed one (else 1, or always 1 with weight "count"), and only one event
 * type: the first seen unless one is named — merging cycles with
 * instructions, or sched_switch with sched_wakeup, would mislead.
 *
 * Memory is the distinct stacks, whatever the input size. Stacks are counted
 * in a trie keyed by the reader's shared frame objects, and named only at the
 * end: no string is built per event.
 */
import type { PerfEvent, PerfFrame } from '../../parsers/perf/types.js';
import { byUtf8 } from '../../util/utf8-order.js';
import { eventMatches, foldEventName } from './fold-event.js';
import { FrameNameCache, isJavaComm } from './frame-name.js';
import { selected, type PerfSelection } from './selection.js';

export interface FoldOptions extends PerfSelection {
  /** Root frame "comm-pid" ("comm-?" when perf printed the tid alone). Default false. */
  readonly includePid?: boolean;
  /** Root frame "comm-pid/tid". Default false. */
  readonly includeTid?: boolean;
  /** Suffix kernel frames with "_[k]". Default false. */
  readonly annotateKernel?: boolean;
  /** Suffix JIT frames with "_[j]". Default false. */
  readonly annotateJit?: boolean;
  /** Show the address of frames perf could not name ("[unknown <7f53…>]"). Default false. */
  readonly includeAddrs?: boolean;
  /** "period" (default): the sample period when printed, else 1; "count": 1 per event. */
  readonly weight?: 'period' | 'count';
  /** Only this event ("cpu-clock", "cycles" for cycles:u too, "sched:sched_switch"); default: the first event seen (fold-event.ts). */
  readonly event?: string;
}

/** One frame of the trie: children by frame object, and the weight of stacks ending here. */
interface Node {
  readonly children: Map<PerfFrame, Node>;
  value: number;
}

const node = (): Node => ({ children: new Map(), value: 0 });

export class PerfFolder {
  /** Root frames (comm, comm-pid, comm-pid/tid) → trie of frames, root first. */
  private readonly roots = new Map<string, Node>();
  /** The event type being folded (latched on the first event when none was named). */
  event: string | undefined;
  /** Events of other types, left out. */
  otherEvents = 0;
  /** Folded events weighted by a period perf printed (the rest count 1 each). */
  periodWeighted = 0;
  /** Folded names by frame, filled when stacks are named. */
  private readonly names: FrameNameCache;

  constructor(private readonly opts: FoldOptions = {}) {
    this.event = opts.event;
    this.names = new FrameNameCache({ kernel: opts.annotateKernel, jit: opts.annotateJit, addrs: opts.includeAddrs });
  }

  add(ev: PerfEvent): void {
    this.event ??= foldEventName(ev.event);
    if (!eventMatches(this.event, ev.event)) {
      this.otherEvents++;
      return;
    }
    if (!selected(ev, this.opts)) return;
    if (ev.frames.length === 0) return; // stackcollapse-perf writes no line for an event without frames
    const root = this.root(ev);
    let at: Node | undefined = this.roots.get(root);
    if (at === undefined) this.roots.set(root, (at = node()));
    for (let i = ev.frames.length - 1; i >= 0; i--) {
      const f = ev.frames[i]!;
      let next: Node | undefined = at.children.get(f);
      if (next === undefined) at.children.set(f, (next = node()));
      at = next;
    }
    if (this.opts.weight === 'count' || ev.period === undefined) at.value += 1;
    else {
      at.value += ev.period;
      this.periodWeighted++;
    }
  }

  /** What the weights count: event periods (e.g. cycles, or ns for clock events) or samples. */
  get weightUnit(): 'period' | 'samples' {
    return this.periodWeighted > 0 ? 'period' : 'samples';
  }

  /** Folded stack → weight, merged by name (frames of different objects or addresses can share a name). */
  get stacks(): Map<string, number> {
    const out = new Map<string, number>();
    // Depth first with a stack of our own (a capture's stacks can be any depth), children in insertion order.
    const todo: { n: Node; key: string; hasFrame: boolean; java: boolean }[] = [];
    for (const [root, n] of [...this.roots].reverse()) todo.push({ n, key: root, hasFrame: false, java: isJavaComm(root) });
    for (let at = todo.pop(); at !== undefined; at = todo.pop()) {
      const { n, key, hasFrame, java } = at;
      if (n.value > 0 && hasFrame) out.set(key, (out.get(key) ?? 0) + n.value);
      for (const [f, child] of [...n.children].reverse()) {
        const name = this.name(f, java);
        todo.push({ n: child, key: name === null ? key : `${key};${name}`, hasFrame: hasFrame || name !== null, java });
      }
    }
    return out;
  }

  private root(ev: PerfEvent): string {
    const comm = ev.comm.includes(' ') ? ev.comm.replace(/ /g, '_') : ev.comm;
    if (this.opts.includeTid) return `${comm}-${ev.pid ?? '?'}/${ev.tid}`;
    if (this.opts.includePid) return `${comm}-${ev.pid ?? '?'}`;
    return comm;
  }

  /** The frame's names joined, or null for a frame the rules drop ("" is a name: perf printed "+0x1f" alone). */
  private name(f: PerfFrame, java: boolean): string | null {
    const all = this.names.get(f, java);
    return all.length === 0 ? null : all.join(';');
  }

  /** "root;…;leaf value" lines, sorted as inferno and flamegraph.pl sort them (by UTF-8 bytes). */
  toFolded(): string {
    return [...this.stacks]
      .sort((a, b) => byUtf8(a[0], b[0]))
      .map(([k, v]) => `${k} ${v}\n`)
      .join('');
  }
}
