/**
 * A model Profile → pprof protobuf bytes (not gzipped), in the shape `go tool
 * trace -pprof` writes (internal/trace/traceviewer/pprof.go BuildProfile):
 * one Location per PC, holding the first frame seen at that PC; one Function
 * per (name, file); ids in order of first use. Field numbers are profile.proto's.
 */
import protobuf from 'protobufjs';
import type { Profile, SampleType } from '../../model/profile.js';
import type { Frame } from '../../model/stacks.js';

const BYTES = 2;
const tag = (field: number, wire: number): number => (field << 3) | wire;

export function encodePprof(p: Profile): Uint8Array {
  const strings = new Map<string, number>([['', 0]]);
  const str = (s: string): number => {
    let i = strings.get(s);
    if (i === undefined) strings.set(s, (i = strings.size));
    return i;
  };
  const functions = new Map<string, { id: number; name: string; file: string }>();
  const locations = new Map<number, { id: number; frame: Frame; fn: number }>();
  const locationOf = (f: Frame): number => {
    let loc = locations.get(f.pc);
    if (!loc) {
      const key = `${f.file}\u0000${f.func}`;
      let fn = functions.get(key);
      if (!fn) functions.set(key, (fn = { id: functions.size + 1, name: f.func, file: f.file }));
      locations.set(f.pc, (loc = { id: locations.size + 1, frame: f, fn: fn.id }));
    }
    return loc.id;
  };

  const w = protobuf.Writer.create();
  const valueType = (field: number, t: SampleType): void => {
    w.uint32(tag(field, BYTES)).fork().uint32(tag(1, 0)).int64(str(t.type)).uint32(tag(2, 0)).int64(str(t.unit)).ldelim();
  };
  // repeated ValueType sample_type = 1;
  for (const t of p.sampleTypes) valueType(1, t);
  // repeated Sample sample = 2; location_id = 1 and value = 2, packed.
  for (const s of p.samples) {
    const ids = p.stacks.frames(s.stack).map(locationOf);
    w.uint32(tag(2, BYTES)).fork();
    w.uint32(tag(1, BYTES)).fork();
    for (const id of ids) w.uint64(id);
    w.ldelim();
    w.uint32(tag(2, BYTES)).fork();
    for (const v of s.values) w.int64(v);
    w.ldelim();
    w.ldelim();
  }
  // repeated Location location = 4; with one Line {function_id = 1, line = 2}.
  for (const loc of locations.values()) {
    w.uint32(tag(4, BYTES)).fork().uint32(tag(1, 0)).uint64(loc.id).uint32(tag(3, 0)).uint64(loc.frame.pc);
    w.uint32(tag(4, BYTES)).fork().uint32(tag(1, 0)).uint64(loc.fn).uint32(tag(2, 0)).int64(loc.frame.line).ldelim();
    w.ldelim();
  }
  // repeated Function function = 5; name = 2, system_name = 3, filename = 4.
  for (const fn of functions.values()) {
    const name = str(fn.name);
    w.uint32(tag(5, BYTES)).fork().uint32(tag(1, 0)).uint64(fn.id).uint32(tag(2, 0)).int64(name).uint32(tag(3, 0)).int64(name).uint32(tag(4, 0)).int64(str(fn.file)).ldelim();
  }
  // int64 time_nanos = 9; int64 duration_nanos = 10; ValueType period_type = 11; int64 period = 12.
  if (p.timeNs > 0n) w.uint32(tag(9, 0)).int64(p.timeNs.toString());
  if (p.durationNs > 0) w.uint32(tag(10, 0)).int64(p.durationNs);
  if (p.periodType) valueType(11, p.periodType);
  if (p.period) w.uint32(tag(12, 0)).int64(p.period);
  // repeated string string_table = 6; written last, after every str() call above.
  for (const s of strings.keys()) w.uint32(tag(6, BYTES)).string(s);
  return w.finish();
}
