/**
 * Goroutine dumps → per-dump analyses: groups by stack, counts by state,
 * creator and wait time, locked goroutines, and each goroutine's place (for
 * comparing two dumps). A push reducer over the reader's events.
 */
import type { DumpEvent, DumpGoroutine, DumpStart } from '../../parsers/goroutine-dump/types.js';
import { Grouper, type DumpGroup } from './group.js';
import { isRuntimeGoroutine, waitClass, type WaitClass } from './waits.js';

export interface DumpOptions {
  /** Merge stacks that differ only in their arguments. */
  readonly mergeArgs?: boolean;
}

/** Where one goroutine was: what two dumps compare. */
export interface Place {
  readonly state: string;
  /** Its group among the dump's sites (frames without arguments): the group's key is the stack. */
  readonly group: DumpGroup;
  readonly waitMinutes: number;
}

export interface Counted {
  readonly name: string;
  readonly count: number;
}

export interface DumpAnalysis {
  readonly dump: DumpStart;
  /** Goroutines in the dump (each M's system stack, "goroutine 0", is not one); a debug=1 profile's stack counts summed. */
  readonly goroutines: number;
  /** Goroutines of the runtime itself (GC workers, finalizer…), shown under GOTRACEBACK=system/crash. */
  readonly runtimeGoroutines: number;
  /** "goroutine 0" blocks: the system stacks of Ms (GOTRACEBACK=system/crash). */
  readonly systemStacks: number;
  readonly locked: number;
  readonly groups: readonly DumpGroup[];
  /** The same goroutines grouped with arguments ignored, whatever the option: what findings count. */
  readonly sites: readonly DumpGroup[];
  readonly byState: readonly Counted[];
  readonly byClass: ReadonlyMap<WaitClass, number>;
  readonly byCreator: readonly Counted[];
  /** By the runtime's minute buckets: name "0" is under a minute (or never marked by a GC). */
  readonly byWaitMinutes: readonly Counted[];
  /** Goroutine id → where it was; empty for debug=1 profiles. */
  readonly places: ReadonlyMap<number, Place>;
  /** The goroutines that are the runtime's own, by id, to leave out of findings. */
  readonly runtimeIds: ReadonlySet<number>;
}

class OneDump {
  readonly grouper: Grouper;
  readonly merged = new Grouper(true);
  goroutines = 0;
  runtimeGoroutines = 0;
  systemStacks = 0;
  locked = 0;
  readonly byState = new Map<string, number>();
  readonly byClass = new Map<WaitClass, number>();
  readonly byCreator = new Map<string, number>();
  readonly byMinutes = new Map<number, number>();
  readonly places = new Map<number, Place>();
  readonly runtimeIds = new Set<number>();
  constructor(readonly dump: DumpStart, mergeArgs: boolean) {
    this.grouper = new Grouper(mergeArgs);
  }

  goroutine(g: DumpGoroutine): void {
    if (g.id === 0) {
      this.systemStacks++;
      return;
    }
    this.goroutines++;
    this.grouper.addGoroutine(g);
    const group = this.merged.addGoroutine(g);
    if (isRuntimeGoroutine(g.frames, g.createdBy?.func)) {
      this.runtimeGoroutines++;
      this.runtimeIds.add(g.id);
    }
    if (g.lockedToThread) this.locked++;
    bump(this.byState, g.state, 1);
    bump(this.byClass, waitClass(g.state, g.frames), 1);
    bump(this.byCreator, g.createdBy?.func ?? '', 1);
    bump(this.byMinutes, g.waitMinutes, 1);
    this.places.set(g.id, { state: g.state, group, waitMinutes: g.waitMinutes });
  }

  finish(): DumpAnalysis {
    const groups = this.grouper.sorted();
    const sites = this.merged.sorted();
    if (this.dump.form === 'profile') this.goroutines = groups.reduce((n, g) => n + g.count, 0);
    return {
      dump: this.dump,
      goroutines: this.goroutines,
      runtimeGoroutines: this.runtimeGoroutines,
      systemStacks: this.systemStacks,
      locked: this.locked,
      groups,
      sites,
      byState: counted(this.byState),
      byClass: this.byClass,
      byCreator: counted(this.byCreator),
      byWaitMinutes: [...this.byMinutes].sort((a, b) => a[0] - b[0]).map(([m, count]) => ({ name: String(m), count })),
      places: this.places,
      runtimeIds: this.runtimeIds,
    };
  }
}

export class DumpAnalyzer {
  private current: OneDump | undefined;
  private readonly done: DumpAnalysis[] = [];
  constructor(private readonly opts: DumpOptions = {}) {}

  onEvent(ev: DumpEvent): void {
    if (ev.kind === 'dump') {
      if (this.current) this.done.push(this.current.finish());
      this.current = new OneDump(ev.dump, this.opts.mergeArgs ?? false);
    } else if (ev.kind === 'goroutine') this.current!.goroutine(ev.goroutine);
    else {
      this.current!.grouper.addRecord(ev.record);
      this.current!.merged.addRecord(ev.record);
    }
  }

  /** One analysis per dump, in input order. */
  finish(): DumpAnalysis[] {
    if (this.current) this.done.push(this.current.finish());
    this.current = undefined;
    return this.done;
  }
}

function bump<K>(m: Map<K, number>, k: K, n: number): void {
  m.set(k, (m.get(k) ?? 0) + n);
}

function counted(m: Map<string, number>): Counted[] {
  return [...m].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
