// Record ids: ULIDs (time-ordered, 26 characters, Crockford base32) from the platform's secure randomness.

import type { IdGenerator } from '../core/ports.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `crypto.getRandomValues` works in pages, workers and Node, on insecure origins too (unlike randomUUID). */
export function createUlidGenerator(
  fillRandom: (bytes: Uint8Array<ArrayBuffer>) => void = (bytes) => crypto.getRandomValues(bytes),
  now: () => number = Date.now,
): IdGenerator {
  return () => {
    let time = now();
    let out = '';
    for (let i = 0; i < 10; i++) {
      out = ALPHABET.charAt(time % 32) + out;
      time = Math.floor(time / 32);
    }
    // 16 random characters from 16 bytes, 5 bits each (80 bits of randomness).
    const bytes = new Uint8Array(16);
    fillRandom(bytes);
    for (const byte of bytes) out += ALPHABET.charAt(byte & 31);
    return out;
  };
}
