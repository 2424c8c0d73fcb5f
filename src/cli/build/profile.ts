/** A pprof profile opened for a command: read whole (profiles are not streamed), errors naming the file. */
import { createHash } from 'node:crypto';
import { analyzeProfile } from '../../analyzers/profile/analyze.js';
import { profileFindings } from '../../analyzers/profile/findings.js';
import type { ByteSource } from '../../io/byte-source.js';
import { isGzip } from '../../io/gzip.js';
import { readAllBytes } from '../../io/replay-source.js';
import type { Profile } from '../../model/profile.js';
import { LIMITS, readPprof } from '../../parsers/pprof/index.js';
import type { ProfileReport } from '../../render/profile/report.js';
import { displayName, nameErrors } from './open.js';

export interface ProfileInput {
  readonly name: string;
  readonly data: Uint8Array;
  readonly profile: Profile;
}

export function readProfileInput(path: string, src: ByteSource): ProfileInput {
  return nameErrors(path, () => {
    const data = readAllBytes(src, LIMITS.decompressedBytes, 'pprof');
    return { name: displayName(path), data, profile: readPprof(data) };
  });
}

export function buildProfileReport(path: string, src: ByteSource, sampleType: string | undefined): ProfileReport {
  const { name, data, profile } = readProfileInput(path, src);
  const analysis = analyzeProfile(profile, sampleType);
  return {
    input: {
      file: name,
      sha256: createHash('sha256').update(data).digest('hex'),
      bytes: data.length,
      format: 'pprof',
      compression: isGzip(data) ? 'gzip' : 'none',
      warnings: [],
    },
    profile,
    analysis,
    findings: profileFindings(profile, analysis),
  };
}
