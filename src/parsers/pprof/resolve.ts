/**
 * Wire structs → the model Profile: string indexes and ids resolved, every
 * reference checked (pprof's postDecode and CheckValid), each Location
 * expanded to one frame per Line (inlined frames innermost first, the caller
 * last), and samples decoded from their byte ranges with stacks interned by their
 * location lists.
 */
import { ParseError } from '../../errors.js';
import type { Profile, ProfileLabel, ProfileMapping, ProfileSample, SampleType } from '../../model/profile.js';
import { LocationStacks } from '../../model/location-stacks.js';
import type { Frame } from '../../model/stacks.js';
import { decodeSample, newWireSample, type WireProfile, type WireValueType } from './decode.js';
import { LIMITS, type Limits } from './limits.js';
import { HEAP_COST, MemoryBudget } from '../../util/memory-budget.js';

const NO_LABELS: readonly ProfileLabel[] = Object.freeze([]);

function fail(at: number | undefined, detail: string): never {
  throw new ParseError('pprof', at, detail);
}

/** Ids are 1-based and unique; 0 is reserved for "none". */
function byId<T extends { id: number; at?: number }>(list: readonly T[], what: string): Map<number, T> {
  const m = new Map<number, T>();
  for (const x of list) {
    if (x.id === 0) fail(x.at, `${what} with the reserved id 0`);
    if (m.has(x.id)) fail(x.at, `two ${what}s with id ${x.id}`);
    m.set(x.id, x);
  }
  return m;
}

export function resolveProfile(buf: Uint8Array, w: WireProfile, limits: Limits = LIMITS, budget = new MemoryBudget('pprof')): Profile {
  const { strings } = w;
  if (strings.length > 0 && strings[0] !== '') fail(w.at.strings, `string_table[0] must be "" (it is ${JSON.stringify(strings[0]!.slice(0, 40))})`);
  const str = (i: number, what: string, at?: number): string => {
    if (i === 0) return '';
    const s = strings[i];
    if (s === undefined) fail(at, `${what} is string ${i}, but the string table has ${strings.length}`);
    return s;
  };
  const valueType = (v: WireValueType, what: string): SampleType => ({ type: str(v.type, `${what} type`, v.at), unit: str(v.unit, `${what} unit`, v.at) });

  const sampleTypes = w.sampleTypes.map((t) => valueType(t, 'sample type'));
  if (sampleTypes.length === 0 && w.sampleRanges.length > 0) fail(w.sampleRanges[0], 'samples but no sample types');

  const mappings = byId(w.mappings, 'mapping');
  const functions = new Map<number, { name: string; file: string }>();
  for (const [id, f] of byId(w.functions, 'function')) {
    functions.set(id, { name: str(f.name, 'function name', f.at), file: str(f.filename, 'function file name', f.at) });
  }

  // Locations get dense numbers 0..n-1 in file order; `numberOf` maps a location id to its number. An array:
  // Go numbers locations 1..n, so it is dense and fast; any other ids still work (V8 keeps a sparse array as a dictionary).
  const numberOf: number[] = [];
  const locationFrames: Frame[][] = [];
  for (const [id, loc] of byId(w.locations, 'location')) {
    if (loc.mappingId !== 0 && !mappings.has(loc.mappingId)) fail(loc.at, `location ${id} points at mapping ${loc.mappingId}, which is not in the profile`);
    const pc = Number(loc.address);
    const frames: Frame[] = loc.lines.map((l) => {
      const fn = functions.get(l.functionId);
      if (!fn) fail(loc.at, `location ${id} points at function ${l.functionId}, which is not in the profile`);
      return { func: fn.name, file: fn.file, line: l.line, pc };
    });
    // Not symbolized: the address is all there is.
    if (frames.length === 0) frames.push({ func: `0x${loc.address.toString(16)}`, file: '', line: 0, pc });
    numberOf[id] = locationFrames.length;
    locationFrames.push(frames);
  }

  const stacks = new LocationStacks(locationFrames);
  // Samples share their label list when it is the same (Go labels every sample of a goroutine alike):
  // one list per distinct set, not an array and objects per sample.
  const labelSets = new Map<string, readonly ProfileLabel[]>();
  const samples: ProfileSample[] = [];
  const ranges = w.sampleRanges;
  const wire = newWireSample();
  let locs = new Int32Array(64);
  for (let i = 0; i < ranges.length; i += 2) {
    const at = ranges[i]!;
    const s = decodeSample(buf, at, ranges[i + 1]!, wire);
    if (s.values.length !== sampleTypes.length) fail(at, `sample has ${s.values.length} values for ${sampleTypes.length} sample types`);
    const ids = s.locationIds;
    if (ids.length > locs.length) locs = new Int32Array(Math.max(ids.length, 2 * locs.length));
    for (let k = 0; k < ids.length; k++) {
      const n = numberOf[ids[k]!];
      if (n === undefined) fail(at, `sample points at location ${ids[k]}, which is not in the profile`);
      locs[k] = n;
    }
    const depth = stacks.depth(locs, ids.length);
    if (depth > limits.stackDepth) fail(at, `stack of ${depth} frames (more than ${limits.stackDepth})`);
    const stack = stacks.intern(locs, ids.length);
    // A sample costs its object, its values and its slot; a new label set its array and objects.
    let cost = HEAP_COST.object(3) + HEAP_COST.array(s.values.length) + 8;
    let labels = NO_LABELS;
    if (s.labels.length > 0) {
      const key = s.labels.map((l) => `${l.key},${l.str},${l.num},${l.numUnit}`).join(';');
      let set = labelSets.get(key);
      if (set === undefined) {
        set = s.labels.map((l) =>
          l.str !== 0 ? { key: str(l.key, 'label key', at), str: str(l.str, 'label value', at) } : { key: str(l.key, 'label key', at), num: l.num, unit: str(l.numUnit, 'label unit', at) },
        );
        labelSets.set(key, set);
        cost += HEAP_COST.array(set.length) + set.length * HEAP_COST.object(4) + HEAP_COST.string(key.length) + 16;
      }
      labels = set;
    }
    budget.charge(cost, at, `sample ${(i / 2 + 1).toLocaleString('en-US')}`);
    // An exact-size copy: the array pushed to while decoding has room for 17 values (V8's first growth).
    samples.push({ values: s.values.slice(), stack, labels });
  }

  const mappingList: ProfileMapping[] = w.mappings.map((m) => ({
    start: m.memoryStart,
    limit: m.memoryLimit,
    offset: m.fileOffset,
    file: str(m.filename, 'mapping file name', m.at),
    buildId: str(m.buildId, 'mapping build id', m.at),
  }));
  return {
    sampleTypes,
    samples,
    stacks,
    defaultSampleType: str(w.defaultSampleType, 'default sample type', w.at.defaultSampleType),
    periodType: w.periodType ? valueType(w.periodType, 'period') : undefined,
    period: w.period,
    durationNs: w.durationNanos,
    timeNs: w.timeNanos,
    mappings: mappingList,
    comments: w.comments.map((c) => str(c, 'comment', w.at.comments)),
  };
}
