/**
 * Wire structs → the model Profile: string indexes and ids resolved, every
 * reference checked (pprof's postDecode and CheckValid), each Location
 * expanded to one frame per Line (inlined frames innermost first, the caller
 * last), and samples decoded from their byte ranges with stacks interned.
 */
import { ParseError } from '../../errors.js';
import type { Profile, ProfileLabel, ProfileMapping, ProfileSample, SampleType } from '../../model/profile.js';
import { StackTable, type Frame, type StackID } from '../../model/stacks.js';
import { decodeSample, type WireProfile, type WireValueType } from './decode.js';
import { LIMITS, type Limits } from './limits.js';

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

export function resolveProfile(buf: Uint8Array, w: WireProfile, limits: Limits = LIMITS): Profile {
  const { strings } = w;
  if (strings.length > 0 && strings[0] !== '') fail(undefined, `string_table[0] must be "" (it is ${JSON.stringify(strings[0]!.slice(0, 40))})`);
  const str = (i: number, what: string, at?: number): string => {
    if (i === 0) return '';
    const s = strings[i];
    if (s === undefined) fail(at, `${what} is string ${i}, but the string table has ${strings.length}`);
    return s;
  };
  const valueType = (v: WireValueType, what: string): SampleType => ({ type: str(v.type, `${what} type`), unit: str(v.unit, `${what} unit`) });

  const sampleTypes = w.sampleTypes.map((t) => valueType(t, 'sample type'));
  if (sampleTypes.length === 0 && w.sampleRanges.length > 0) fail(undefined, 'samples but no sample types');

  const mappings = byId(w.mappings, 'mapping');
  const functions = new Map<number, { name: string; file: string; fn: number }>();
  const nameIndex = new Map<string, number>(); // function name → dense number (Frame.fn)
  for (const [id, f] of byId(w.functions, 'function')) {
    const name = str(f.name, 'function name', f.at);
    let fn = nameIndex.get(name);
    if (fn === undefined) nameIndex.set(name, (fn = nameIndex.size));
    functions.set(id, { name, file: str(f.filename, 'function file name', f.at), fn });
  }

  // Each location's frames, innermost first, by id. An array: Go numbers locations 1..n, so it is dense and
  // fast; any other ids still work (V8 keeps a sparse array as a dictionary).
  const locFrames: (Frame[] | undefined)[] = [];
  for (const [id, loc] of byId(w.locations, 'location')) {
    if (loc.mappingId !== 0 && !mappings.has(loc.mappingId)) fail(loc.at, `location ${id} points at mapping ${loc.mappingId}, which is not in the profile`);
    const pc = Number(loc.address);
    const frames: Frame[] = loc.lines.map((l) => {
      const fn = functions.get(l.functionId);
      if (!fn) fail(loc.at, `location ${id} points at function ${l.functionId}, which is not in the profile`);
      return { func: fn.name, file: fn.file, line: l.line, pc, fn: fn.fn };
    });
    // Not symbolized: the address is all there is.
    if (frames.length === 0) frames.push({ func: `0x${loc.address.toString(16)}`, file: '', line: 0, pc });
    locFrames[id] = frames;
  }

  const stacks = new StackTable();
  // Samples with the same location list share a stack. Keyed by a hash of the ids (no string per sample), checked on a hit.
  const stackOf = new Map<number, { ids: readonly number[]; stack: StackID }[]>();
  const samples: ProfileSample[] = [];
  const ranges = w.sampleRanges;
  for (let i = 0; i < ranges.length; i += 2) {
    const at = ranges[i]!;
    const s = decodeSample(buf, at, ranges[i + 1]!);
    if (s.values.length !== sampleTypes.length) fail(at, `sample has ${s.values.length} values for ${sampleTypes.length} sample types`);
    const ids = s.locationIds;
    const key = hashIds(ids);
    let bucket = stackOf.get(key);
    let stack = bucket?.find((b) => sameIds(b.ids, ids))?.stack;
    if (stack === undefined) {
      const frames: Frame[] = [];
      for (const id of s.locationIds) {
        const fr = locFrames[id];
        if (!fr) fail(at, `sample points at location ${id}, which is not in the profile`);
        for (const f of fr) frames.push(f);
      }
      if (frames.length > limits.stackDepth) fail(at, `stack of ${frames.length} frames (more than ${limits.stackDepth})`);
      stack = stacks.append(frames); // deduplicated here, by location ids
      if (!bucket) stackOf.set(key, (bucket = []));
      bucket.push({ ids, stack });
    }
    const labels: ProfileLabel[] | readonly ProfileLabel[] = s.labels.length === 0 ? NO_LABELS : s.labels.map((l) =>
      l.str !== 0 ? { key: str(l.key, 'label key', at), str: str(l.str, 'label value', at) } : { key: str(l.key, 'label key', at), num: l.num, unit: str(l.numUnit, 'label unit', at) },
    );
    samples.push({ values: s.values, stack, labels });
  }

  const mappingList: ProfileMapping[] = w.mappings.map((m) => ({
    start: m.memoryStart,
    limit: m.memoryLimit,
    offset: m.fileOffset,
    file: str(m.filename, 'mapping file name'),
    buildId: str(m.buildId, 'mapping build id'),
  }));
  return {
    sampleTypes,
    samples,
    stacks,
    defaultSampleType: str(w.defaultSampleType, 'default sample type'),
    periodType: w.periodType ? valueType(w.periodType, 'period') : undefined,
    period: w.period,
    durationNs: w.durationNanos,
    timeNs: w.timeNanos,
    mappings: mappingList,
    comments: w.comments.map((c) => str(c, 'comment')),
  };
}

/** A 53-bit hash of a list of location ids (two 32-bit FNV-style lanes). */
function hashIds(ids: readonly number[]): number {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i]!;
    a = Math.imul(a ^ v, 0x01000193);
    b = Math.imul(b ^ (v >>> 3) ^ i, 0x5bd1e995);
  }
  return (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
}

function sameIds(x: readonly number[], y: readonly number[]): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
