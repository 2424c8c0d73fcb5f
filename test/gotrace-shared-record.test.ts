/**
 * nextShared() refills one record; copied as they come, its events are the
 * events next() returns, on every fixture trace (both wire formats). The analysis
 * reads traces this way, so this is what stands behind every report.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FileSource } from '../src/io/byte-source.js';
import { openGoTrace } from '../src/parsers/gotrace/index.js';
import { FIXTURES } from './helpers/go.js';

const traces = readdirSync(join(FIXTURES, 'traces')).filter((f) => f.endsWith('.trace'));

describe('nextShared() and next() agree', () => {
  test('there are fixture traces', () => expect(traces.length).toBeGreaterThan(10));
  test.each(traces)('%s', (file) => {
    const path = join(FIXTURES, 'traces', file);
    const fresh = openGoTrace(FileSource.open(path));
    const shared = openGoTrace(FileSource.open(path));
    let n = 0;
    let reused = 0;
    let prev: object | null = null;
    for (;;) {
      const a = fresh.next();
      const b = shared.nextShared();
      if (a === null || b === null) {
        expect(b).toBe(a);
        break;
      }
      expect({ ...b }).toEqual({ ...a });
      if (b === prev) reused++;
      prev = b;
      n++;
    }
    expect(n).toBeGreaterThan(100);
    // v2 readers do refill one record (what the saving rests on); v1 readers hand out new ones.
    if (fresh.header.version >= 22) expect(reused).toBeGreaterThan(n / 2);
    expect(shared.stacks.size).toBe(fresh.stacks.size);
  });
});
