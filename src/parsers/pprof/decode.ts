/**
 * profile.proto (vendored beside this file) → wire structs, with strings still
 * as string-table indexes and references still as ids (resolve.ts turns them
 * into the model). One decoder per message, a table indexed by field number,
 * the proto line above each entry, as google/pprof's encode.go does.
 *
 * Samples are not decoded here: Go writes them first and the tables they point
 * into (locations, functions, strings) after, so only their byte ranges are
 * kept and resolve.ts decodes them once the tables are known. That also keeps
 * memory to the resolved samples, not a second copy of every location list.
 */
import { HEAP_COST, MemoryBudget } from '../../util/memory-budget.js';
import { LIMITS, type Limits } from './limits.js';
import { WIRE, WireReader } from './wire.js';

export interface WireValueType {
  type: number;
  unit: number;
  /** Byte offset of the message, for error messages. */
  at: number;
}
export interface WireMapping {
  id: number;
  memoryStart: bigint;
  memoryLimit: bigint;
  fileOffset: bigint;
  filename: number;
  buildId: number;
  hasFunctions: boolean;
  hasFilenames: boolean;
  hasLineNumbers: boolean;
  hasInlineFrames: boolean;
  at: number;
}
export interface WireLine {
  functionId: number;
  line: number;
  column: number;
}
export interface WireLocation {
  id: number;
  mappingId: number;
  address: bigint;
  /** Inlined frames first (innermost), the caller last. */
  lines: WireLine[];
  isFolded: boolean;
  /** Byte offset of the message, for error messages. */
  at: number;
}
export interface WireFunction {
  id: number;
  name: number;
  systemName: number;
  filename: number;
  startLine: number;
  at: number;
}
export interface WireProfile {
  sampleTypes: WireValueType[];
  /** [start, end) byte ranges of the Sample messages, two numbers per sample. */
  sampleRanges: number[];
  mappings: WireMapping[];
  locations: WireLocation[];
  functions: WireFunction[];
  strings: string[];
  dropFrames: number;
  keepFrames: number;
  timeNanos: bigint;
  durationNanos: number;
  periodType: WireValueType | undefined;
  period: number;
  comments: number[];
  defaultSampleType: number;
  docUrl: number;
  /** Byte offsets of the first string and of the fields resolved against the table, for error messages. */
  at: { strings?: number; defaultSampleType?: number; comments?: number };
}
export interface WireLabel {
  key: number;
  str: number;
  num: number;
  numUnit: number;
}
export interface WireSample {
  locationIds: number[];
  values: number[];
  labels: WireLabel[];
}

/** Decodes one field into a message under construction. */
type FieldDecoder<T> = (r: WireReader, wire: number, m: T) => void;
type Table<T> = Readonly<Record<number, FieldDecoder<T>>>;

/** A singular varint field. */
function scalar<T>(name: string, set: (m: T, r: WireReader) => void): FieldDecoder<T> {
  return (r, wire, m) => {
    r.expect(wire, WIRE.varint, name);
    set(m, r);
  };
}

/** Reads the fields of one message with its table; unknown fields are skipped, as protobuf requires. */
export function decodeFields<T>(r: WireReader, table: Table<T>, m: T): T {
  while (!r.done) {
    const { field, wire } = r.tag();
    const dec = table[field];
    if (dec) dec(r, wire, m);
    else r.skip(wire);
  }
  return m;
}

/** A nested message field: its bytes decoded with its table. */
function nested<T>(r: WireReader, wire: number, name: string, table: Table<T>, m: T): T {
  r.expect(wire, WIRE.bytes, name);
  return decodeFields(r.message(), table, m);
}

function push<T>(r: WireReader, list: T[], item: T, limit: number, what: string, at: number): void {
  if (list.length >= limit) r.fail(`more than ${limit.toLocaleString('en-US')} ${what}`, at);
  list.push(item);
}

const VALUE_TYPE: Table<WireValueType> = {
  // int64 type = 1; // Index into string table.
  1: scalar('ValueType.type', (m, r) => (m.type = r.int())),
  // int64 unit = 2; // Index into string table.
  2: scalar('ValueType.unit', (m, r) => (m.unit = r.int())),
};

const LABEL: Table<WireLabel> = {
  // int64 key = 1;
  1: scalar('Label.key', (m, r) => (m.key = r.int())),
  // int64 str = 2;   // Index into string table
  2: scalar('Label.str', (m, r) => (m.str = r.int())),
  // int64 num = 3;
  3: scalar('Label.num', (m, r) => (m.num = r.int())),
  // int64 num_unit = 4;  // Index into string table
  4: scalar('Label.num_unit', (m, r) => (m.numUnit = r.int())),
};

export const SAMPLE: Table<WireSample> = {
  // repeated uint64 location_id = 1;
  1: (r, w, m) => r.repeated(w, (x) => x.uint(), m.locationIds),
  // repeated int64 value = 2;
  2: (r, w, m) => r.repeated(w, (x) => x.int(), m.values),
  // repeated Label label = 3;
  3: (r, w, m) => {
    const at = r.pos;
    push(r, m.labels, nested(r, w, 'Sample.label', LABEL, { key: 0, str: 0, num: 0, numUnit: 0 }), LIMITS.labelsPerSample, 'labels in a sample', at);
  },
};

const MAPPING: Table<WireMapping> = {
  // uint64 id = 1;
  1: scalar('Mapping.id', (m, r) => (m.id = r.uint())),
  // uint64 memory_start = 2;
  2: scalar('Mapping.memory_start', (m, r) => (m.memoryStart = r.big())),
  // uint64 memory_limit = 3;
  3: scalar('Mapping.memory_limit', (m, r) => (m.memoryLimit = r.big())),
  // uint64 file_offset = 4;
  4: scalar('Mapping.file_offset', (m, r) => (m.fileOffset = r.big())),
  // int64 filename = 5;  // Index into string table
  5: scalar('Mapping.filename', (m, r) => (m.filename = r.int())),
  // int64 build_id = 6;  // Index into string table
  6: scalar('Mapping.build_id', (m, r) => (m.buildId = r.int())),
  // bool has_functions = 7;
  7: scalar('Mapping.has_functions', (m, r) => (m.hasFunctions = r.big() !== 0n)),
  // bool has_filenames = 8;
  8: scalar('Mapping.has_filenames', (m, r) => (m.hasFilenames = r.big() !== 0n)),
  // bool has_line_numbers = 9;
  9: scalar('Mapping.has_line_numbers', (m, r) => (m.hasLineNumbers = r.big() !== 0n)),
  // bool has_inline_frames = 10;
  10: scalar('Mapping.has_inline_frames', (m, r) => (m.hasInlineFrames = r.big() !== 0n)),
};

const LINE: Table<WireLine> = {
  // uint64 function_id = 1;
  1: scalar('Line.function_id', (m, r) => (m.functionId = r.uint())),
  // int64 line = 2;
  2: scalar('Line.line', (m, r) => (m.line = r.int())),
  // int64 column = 3;
  3: scalar('Line.column', (m, r) => (m.column = r.int())),
};

const LOCATION: Table<WireLocation> = {
  // uint64 id = 1;
  1: scalar('Location.id', (m, r) => (m.id = r.uint())),
  // uint64 mapping_id = 2;
  2: scalar('Location.mapping_id', (m, r) => (m.mappingId = r.uint())),
  // uint64 address = 3;
  3: scalar('Location.address', (m, r) => (m.address = r.big())),
  // repeated Line line = 4;
  4: (r, w, m) => {
    const at = r.pos;
    push(r, m.lines, nested(r, w, 'Location.line', LINE, { functionId: 0, line: 0, column: 0 }), LIMITS.stackDepth, 'lines in a location', at);
  },
  // bool is_folded = 5;
  5: scalar('Location.is_folded', (m, r) => (m.isFolded = r.big() !== 0n)),
};

const FUNCTION: Table<WireFunction> = {
  // uint64 id = 1;
  1: scalar('Function.id', (m, r) => (m.id = r.uint())),
  // int64 name = 2; // Index into string table
  2: scalar('Function.name', (m, r) => (m.name = r.int())),
  // int64 system_name = 3; // Index into string table
  3: scalar('Function.system_name', (m, r) => (m.systemName = r.int())),
  // int64 filename = 4; // Index into string table
  4: scalar('Function.filename', (m, r) => (m.filename = r.int())),
  // int64 start_line = 5;
  5: scalar('Function.start_line', (m, r) => (m.startLine = r.int())),
};

const utf8 = new TextDecoder('utf-8');

/** What a decoded location costs: its object, its lines (array and objects), and the frames resolve.ts makes of them. */
const locationCost = (lines: number): number =>
  HEAP_COST.object(7) + HEAP_COST.array(lines) + lines * HEAP_COST.object(3) + HEAP_COST.array(Math.max(1, lines)) + Math.max(1, lines) * HEAP_COST.object(4);

function profileTable(limits: Limits, budget: MemoryBudget): Table<WireProfile> {
  return {
    // repeated ValueType sample_type = 1;
    1: (r, w, p) => {
      const at = r.pos;
      push(r, p.sampleTypes, nested(r, w, 'Profile.sample_type', VALUE_TYPE, { type: 0, unit: 0, at }), limits.sampleTypes, 'sample types', at);
    },
    // repeated Sample sample = 2;  (decoded later, see the file comment)
    2: (r, w, p) => {
      const at = r.pos;
      r.expect(w, WIRE.bytes, 'Profile.sample');
      if (p.sampleRanges.length >= 2 * limits.samples) r.fail(`more than ${limits.samples.toLocaleString('en-US')} samples`, at);
      const [s, e] = r.bytes();
      p.sampleRanges.push(s, e);
      budget.charge(16, at, `sample ${(p.sampleRanges.length / 2).toLocaleString('en-US')}`);
    },
    // repeated Mapping mapping = 3;
    3: (r, w, p) => {
      const at = r.pos;
      const m = nested(r, w, 'Profile.mapping', MAPPING, {
        id: 0, memoryStart: 0n, memoryLimit: 0n, fileOffset: 0n, filename: 0, buildId: 0,
        hasFunctions: false, hasFilenames: false, hasLineNumbers: false, hasInlineFrames: false, at,
      });
      push(r, p.mappings, m, limits.mappings, 'mappings', at);
      budget.charge(HEAP_COST.object(11) + HEAP_COST.object(5), at, 'a mapping');
    },
    // repeated Location location = 4;
    4: (r, w, p) => {
      const at = r.pos;
      const loc = nested(r, w, 'Profile.location', LOCATION, { id: 0, mappingId: 0, address: 0n, lines: [], isFolded: false, at });
      push(r, p.locations, loc, limits.locations, 'locations', at);
      budget.charge(locationCost(loc.lines.length), at, `location ${p.locations.length.toLocaleString('en-US')}`);
    },
    // repeated Function function = 5;
    5: (r, w, p) => {
      const at = r.pos;
      const f = nested(r, w, 'Profile.function', FUNCTION, { id: 0, name: 0, systemName: 0, filename: 0, startLine: 0, at });
      push(r, p.functions, f, limits.functions, 'functions', at);
      budget.charge(2 * HEAP_COST.object(6), at, `function ${p.functions.length.toLocaleString('en-US')}`);
    },
    // repeated string string_table = 6;
    6: (r, w, p) => {
      const at = r.pos;
      p.at.strings ??= at;
      r.expect(w, WIRE.bytes, 'Profile.string_table');
      const [s, e] = r.bytes();
      push(r, p.strings, utf8.decode(r.buf.subarray(s, e)), limits.strings, 'strings', at);
      budget.charge(8 + HEAP_COST.string(e - s), at, `string ${p.strings.length.toLocaleString('en-US')}`);
    },
    // int64 drop_frames = 7;   // Index into string table.
    7: scalar('Profile.drop_frames', (p, r) => (p.dropFrames = r.int())),
    // int64 keep_frames = 8;  // Index into string table.
    8: scalar('Profile.keep_frames', (p, r) => (p.keepFrames = r.int())),
    // int64 time_nanos = 9;
    9: scalar('Profile.time_nanos', (p, r) => (p.timeNanos = BigInt.asIntN(64, r.big()))),
    // int64 duration_nanos = 10;
    10: scalar('Profile.duration_nanos', (p, r) => (p.durationNanos = r.int())),
    // ValueType period_type = 11;
    11: (r, w, p) => (p.periodType = nested(r, w, 'Profile.period_type', VALUE_TYPE, { type: 0, unit: 0, at: r.pos })),
    // int64 period = 12;
    12: scalar('Profile.period', (p, r) => (p.period = r.int())),
    // repeated int64 comment = 13; // Indices into string table.
    13: (r, w, p) => {
      p.at.comments ??= r.pos;
      r.repeated(w, (x) => x.int(), p.comments);
    },
    // int64 default_sample_type = 14;
    14: scalar('Profile.default_sample_type', (p, r) => ((p.at.defaultSampleType = r.pos), (p.defaultSampleType = r.int()))),
    // int64 doc_url = 15;  // Index into string table.
    15: scalar('Profile.doc_url', (p, r) => (p.docUrl = r.int())),
  };
}

/** Decodes the top level of an uncompressed profile. */
export function decodeProfile(buf: Uint8Array, limits: Limits = LIMITS, budget = new MemoryBudget('pprof')): WireProfile {
  const p: WireProfile = {
    sampleTypes: [], sampleRanges: [], mappings: [], locations: [], functions: [], strings: [],
    dropFrames: 0, keepFrames: 0, timeNanos: 0n, durationNanos: 0, periodType: undefined, period: 0,
    comments: [], defaultSampleType: 0, docUrl: 0, at: {},
  };
  return decodeFields(new WireReader(buf, 0, buf.length), profileTable(limits, budget), p);
}

/** A sample message to decode into, reused from sample to sample. */
export function newWireSample(): WireSample {
  return { locationIds: [], values: [], labels: [] };
}

/** Decodes one sample from its byte range into `into`, which it clears first (callers copy what they keep). */
export function decodeSample(buf: Uint8Array, start: number, end: number, into: WireSample = newWireSample()): WireSample {
  into.locationIds.length = 0;
  into.values.length = 0;
  if (into.labels.length > 0) into.labels = [];
  return decodeFields(new WireReader(buf, start, end), SAMPLE, into);
}
