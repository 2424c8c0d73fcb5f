/** LimitedSource: two threads that read one growing file read the same bytes. */
import { describe, expect, test } from 'vitest';
import { BufferSource } from '../src/io/byte-source.js';
import { LimitedSource } from '../src/io/limited-source.js';

const bytes = Uint8Array.from({ length: 10 }, (_, i) => i + 1);

describe('LimitedSource', () => {
  test('read stops at the limit, however much the caller asks for', () => {
    const s = new LimitedSource(new BufferSource(bytes), 6);
    const into = new Uint8Array(16);
    expect(s.size).toBe(6);
    expect(s.read(into, 0, 4)).toBe(4);
    expect(s.read(into, 4, 16)).toBe(2);
    expect(s.read(into, 6, 16)).toBe(0);
    expect([...into.subarray(0, 7)]).toEqual([1, 2, 3, 4, 5, 6, 0]);
  });
  test('readAt is clamped to the limit too', () => {
    const s = new LimitedSource(new BufferSource(bytes), 6);
    const into = new Uint8Array(8);
    expect(s.readAt!(into, 0, 8, 4)).toBe(2);
    expect([...into.subarray(0, 2)]).toEqual([5, 6]);
    expect(s.readAt!(into, 0, 8, 7)).toBe(0);
  });
  test('a limit past the end reads what there is', () => {
    const s = new LimitedSource(new BufferSource(bytes), 100);
    const into = new Uint8Array(100);
    expect(s.read(into, 0, 100)).toBe(10);
    expect(s.read(into, 0, 100)).toBe(0);
  });
});
