/**
 * What a profile measures, from its content: the sample types say cpu, heap,
 * goroutine or contention; block and mutex profiles have the same sample types
 * (contentions/count, delay/nanoseconds), so the stacks decide: mutex profiles
 * end in the Unlock that released a contended lock, block profiles in the call
 * that waited (Lock, chan receive, select, Wait…).
 */
import type { Profile } from '../../model/profile.js';

export type ProfileKind = 'block' | 'mutex' | 'contention' | 'goroutine' | 'cpu' | 'heap' | 'other';

/** Sample types that identify a kind, in the order they are tried. */
const SIGNATURES: readonly { kind: ProfileKind; types: readonly string[] }[] = [
  { kind: 'cpu', types: ['cpu'] },
  { kind: 'heap', types: ['alloc_space', 'inuse_space'] },
  { kind: 'goroutine', types: ['goroutine'] },
  { kind: 'contention', types: ['contentions', 'delay'] },
];

/** What each kind is about, for reports. */
export const PROFILE_KIND_ABOUT: Record<ProfileKind, string> = {
  block: 'block profile: time goroutines spent waiting, attributed to the call that waited (Lock, chan send/receive, select, Wait)',
  mutex: 'mutex profile: contention delay, attributed to the Unlock that released a contended lock (the holder, not the waiter)',
  contention: 'block or mutex profile (no samples to tell which)',
  goroutine: 'goroutine profile: every goroutine at one instant, grouped by stack',
  cpu: 'CPU profile: where the program ran on the CPU',
  heap: 'heap profile: allocation sites (sampled); ranked by alloc_space (all allocation), --sample-type inuse_space for what is live',
  other: 'profile',
};

const UNLOCK = /\.(R?Unlock)$|^runtime\.unlock$|^runtime\._LostContendedRuntimeLock$/;

export function profileKind(p: Profile): ProfileKind {
  const types = new Set(p.sampleTypes.map((t) => t.type));
  const sig = SIGNATURES.find((s) => s.types.some((t) => types.has(t)));
  if (!sig) return 'other';
  if (sig.kind !== 'contention') return sig.kind;
  // Weigh by contentions: which way do the leaf frames point?
  let unlock = 0;
  let other = 0;
  const isUnlock = new Map<string, boolean>(); // a regex per function, not per sample
  const test = (func: string): boolean => {
    let yes = isUnlock.get(func);
    if (yes === undefined) isUnlock.set(func, (yes = UNLOCK.test(func)));
    return yes;
  };
  for (const s of p.samples) {
    const leaf = p.stacks.leaf(s.stack, 2);
    if (leaf.some((f) => test(f.func))) unlock += s.values[0] ?? 0;
    else other += s.values[0] ?? 0;
  }
  if (unlock === 0 && other === 0) return 'contention';
  return unlock > other ? 'mutex' : 'block';
}

/** The sample type a report ranks by when the user names none. */
export function defaultSampleType(p: Profile, kind: ProfileKind): string | undefined {
  const pick: Partial<Record<ProfileKind, string>> = { block: 'delay', mutex: 'delay', contention: 'delay', cpu: 'cpu', goroutine: 'goroutine', heap: 'alloc_space' };
  const want = pick[kind] ?? p.defaultSampleType;
  return p.sampleTypes.some((t) => t.type === want) ? want : p.sampleTypes.at(-1)?.type;
}
