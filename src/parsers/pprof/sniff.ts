/**
 * Does this (uncompressed) data start like a pprof Profile message? Checks the
 * first field's tag: a known field number of profile.proto with its wire type.
 * Cheap, and enough to tell a profile from zeros, text or another format.
 */
import { WIRE } from './wire.js';

/** Wire types each Profile field may use (repeated integers: varint or packed). */
const PROFILE_FIELD_WIRE: Readonly<Record<number, readonly number[]>> = {
  1: [WIRE.bytes], // sample_type
  2: [WIRE.bytes], // sample
  3: [WIRE.bytes], // mapping
  4: [WIRE.bytes], // location
  5: [WIRE.bytes], // function
  6: [WIRE.bytes], // string_table
  7: [WIRE.varint], // drop_frames
  8: [WIRE.varint], // keep_frames
  9: [WIRE.varint], // time_nanos
  10: [WIRE.varint], // duration_nanos
  11: [WIRE.bytes], // period_type
  12: [WIRE.varint], // period
  13: [WIRE.varint, WIRE.bytes], // comment
  14: [WIRE.varint], // default_sample_type
  15: [WIRE.varint], // doc_url
};

export function looksLikeProfile(head: Uint8Array): boolean {
  const tag = head[0];
  if (tag === undefined || tag >= 0x80) return false; // every Profile field number fits one tag byte
  return PROFILE_FIELD_WIRE[tag >> 3]?.includes(tag & 7) ?? false;
}

/** True when the bytes are printable text (a legacy text profile, a log, a Go source file…). */
export function isText(head: Uint8Array): boolean {
  if (head.length === 0) return false;
  for (const b of head.subarray(0, 512)) if (!(b === 9 || b === 10 || b === 13 || b >= 32)) return false;
  return true;
}
