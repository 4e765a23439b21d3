// Record ids: monotonic ULIDs (time-ordered, 26 characters, Crockford base32) from the platform's secure randomness.

import type { IdGenerator } from '../core/ports.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const RANDOM_DIGITS = 16;

/**
 * Ids sort in creation order, also within one millisecond (a batch): as the ULID spec's monotonic mode, the
 * random part is incremented instead of redrawn, so `list` keeps a batch in the order it was given.
 * `crypto.getRandomValues` works in pages, workers and Node, on insecure origins too (unlike randomUUID).
 */
export function createUlidGenerator(
  fillRandom: (bytes: Uint8Array<ArrayBuffer>) => void = (bytes) => crypto.getRandomValues(bytes),
  now: () => number = Date.now,
): IdGenerator {
  let lastTime = -1;
  let digits: number[] = [];
  return () => {
    const time = now();
    if (time > lastTime) {
      const bytes = new Uint8Array(RANDOM_DIGITS);
      fillRandom(bytes);
      // The top bit stays clear, so about 2^79 increments fit before a carry could overflow.
      digits = Array.from(bytes, (byte, i) => (i === 0 ? byte & 15 : byte & 31));
      lastTime = time;
    } else {
      increment(digits);
    }
    return encodeTime(lastTime) + digits.map((d) => ALPHABET.charAt(d)).join('');
  };
}

function increment(digits: number[]): void {
  for (let i = digits.length - 1; i >= 0; i--) {
    const next = (digits[i] ?? 0) + 1;
    digits[i] = next % 32;
    if (next < 32) return;
  }
}

function encodeTime(ms: number): string {
  let out = '';
  for (let i = 0, t = ms; i < 10; i++, t = Math.floor(t / 32)) out = ALPHABET.charAt(t % 32) + out;
  return out;
}
