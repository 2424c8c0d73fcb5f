/**
 * Upper bounds on what a profile may hold, checked before memory is committed,
 * so a hostile or broken file fails fast with a clear error instead of
 * exhausting memory. Real Go profiles are far below every one of these.
 */
export const LIMITS = {
  /** Bytes after gunzip (the largest Go profiles seen in practice are a few hundred MB). */
  decompressedBytes: 512 * 1024 * 1024,
  samples: 16_000_000,
  locations: 16_000_000,
  functions: 16_000_000,
  mappings: 1_000_000,
  strings: 16_000_000,
  sampleTypes: 64,
  labelsPerSample: 1024,
  /** Frames in one stack after inlined frames are expanded (Go records at most 128 + inlines). */
  stackDepth: 8192,
} as const;

export type Limits = { readonly [K in keyof typeof LIMITS]: number };
