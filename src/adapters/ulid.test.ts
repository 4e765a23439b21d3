import { describe, expect, it } from 'vitest';
import { createUlidGenerator } from './ulid.js';

describe('createUlidGenerator', () => {
  it('makes 26-character Crockford base32 ids that sort by time', () => {
    let time = 1_700_000_000_000;
    const next = createUlidGenerator(undefined, () => time);
    const a = next();
    time += 1;
    const b = next();
    expect(a).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(a < b).toBe(true);
  });

  it('keeps creation order within one millisecond, across a carry', () => {
    // All-ones randomness puts the low digits at 31, so the second id carries into higher digits.
    const next = createUlidGenerator(
      (bytes) => bytes.fill(255),
      () => 42,
    );
    const ids = Array.from({ length: 100 }, () => next());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(100);
  });

  it('does not go backwards when the clock does', () => {
    let time = 2_000;
    const next = createUlidGenerator(undefined, () => time);
    const first = next();
    time = 1_000;
    expect(next() > first).toBe(true);
  });

  it('draws fresh randomness each millisecond', () => {
    let time = 0;
    const next = createUlidGenerator(undefined, () => time++);
    const randomParts = new Set(Array.from({ length: 50 }, () => next().slice(10)));
    expect(randomParts.size).toBe(50);
  });
});
