import { describe, expect, it } from 'vitest';
import { HashEmbedder } from './hash-embedder.js';

const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('HashEmbedder', () => {
  const embedder = new HashEmbedder();

  it('makes deterministic unit vectors of the stated size', async () => {
    const [a, b] = await embedder.embed(['Ada prefers green tea', 'Ada prefers green tea']);
    expect(a).toHaveLength(256);
    expect(Array.from(a!)).toEqual(Array.from(b!));
    expect(cos(a!, a!)).toBeCloseTo(1, 5);
    expect(embedder.model).toBe('mnemo-hash-v1-d256-n34');
  });

  it('scores shared spelling above unrelated text', () => {
    const tea = embedder.embedOne('green tea in the morning');
    expect(cos(tea, embedder.embedOne('greenish teas each morning'))).toBeGreaterThan(
      cos(tea, embedder.embedOne('quarterly tax filing')),
    );
  });

  it('gives text without words a valid vector', () => {
    expect(cos(embedder.embedOne('!!! ...'), embedder.embedOne('?'))).toBeCloseTo(1, 6);
  });
});
